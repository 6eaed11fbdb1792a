"""The `hotline` command: thin wrappers over services, each committing once at its end."""

from __future__ import annotations

import logging
import os
from datetime import date

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from sqlalchemy import select

from hotline import web_db
from hotline.models import ROLES, Network
from hotline.services.users import UserError, add_user

logger = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Register the commands on the app (so `app.test_cli_runner()` sees them, too)."""
    app.cli.add_command(init_db_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(user_group)
    app.cli.add_command(worker_command)
    app.cli.add_command(networks_command)


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema to the newest version."""
    web_db.database().upgrade()
    click.echo("Datenbank ist auf dem neuesten Stand.")


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only when the database has no network yet.")
def demo_command(if_empty: bool) -> None:
    """Load demo networks, activities and accounts (safe to run again)."""
    from hotline.demo import DEMO_PASSWORD_ENV, load_demo

    with web_db.database().session_scope() as session:
        if if_empty and session.scalar(select(Network.id).limit(1)) is not None:
            click.echo("Es gibt schon Netzwerke; keine Demo-Daten geladen.")
            return
        password = os.environ.get(DEMO_PASSWORD_ENV) or None
        created = load_demo(session, today=date.today(), password=password)
    click.echo(
        f"Demo-Daten geladen: {created.networks} neue Netzwerke, {created.users} neue Konten."
    )


@click.group("user", cls=AppGroup)
def user_group() -> None:
    """Manage admin accounts."""


@user_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--network", "networks", multiple=True, help="Network slug; may be repeated.")
@click.option("--name", "display_name", default="", help="Name shown in the admin.")
def user_add_command(email: str, role: str, networks: tuple[str, ...], display_name: str) -> None:
    """Create an account; the password comes from HOTLINE_PASSWORD or a prompt."""
    password = os.environ.get("HOTLINE_PASSWORD") or click.prompt(
        "Passwort", hide_input=True, confirmation_prompt=True
    )
    try:
        with web_db.database().session_scope() as session:
            user = add_user(
                session, email, password, role, network_slugs=networks, display_name=display_name
            )
            email = user.email
    except UserError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Konto angelegt: {email} ({role})")


@click.command("worker")
@with_appcontext
@click.option("--threads", type=int, default=None, help="Worker threads (default from settings).")
def worker_command(threads: int | None) -> None:
    """Run the job consumer (and periodic jobs) until stopped."""
    from hotline.jobs import run_worker

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = current_app.extensions["hotline.settings"]
    run_worker(current_app.extensions["hotline.jobs"], threads or settings.worker_threads)


@click.command("networks")
@with_appcontext
def networks_command() -> None:
    """List each network with the numbers it answers (E.164), one network a line."""
    with web_db.database().session_scope() as session:
        for network in session.scalars(select(Network).order_by(Network.name)):
            numbers = " ".join(number.e164 for number in network.phone_numbers) or "-"
            click.echo(f"{network.slug}\t{network.name}\t{numbers}")


def main() -> None:
    """Entry point of the `hotline` console script."""
    from hotline import create_app

    # Our settings read `.env` themselves, with strict parsing; Flask's loader would bypass that.
    cli = FlaskGroup(create_app=create_app, load_dotenv=False, help="Netzwerk-Hotline")
    cli.main(prog_name="hotline")
