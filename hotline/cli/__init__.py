"""The `hotline` command: thin wrappers over services, each committing once at its end."""

from __future__ import annotations

import logging
import os
from datetime import date

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from sqlalchemy import select

from hotline.cli.backup import backup_command, restore_command
from hotline.cli.db import db_group
from hotline.cli.doctor import doctor_command
from hotline.cli.networks import networks_group
from hotline.cli.serve import serve_command
from hotline.cli.speech import speech_group
from hotline.cli.twilio_numbers import twilio_group
from hotline.logs import configure_logging
from hotline.models import ROLES, Network, PhoneNumber
from hotline.services.users import UserError, add_user
from hotline.web import request_db

logger = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Register the commands on the app (so `app.test_cli_runner()` sees them, too)."""
    app.cli.add_command(init_db_command)
    app.cli.add_command(db_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(user_group)
    app.cli.add_command(worker_command)
    app.cli.add_command(networks_group)
    app.cli.add_command(call_command)
    app.cli.add_command(speech_group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(serve_command)
    app.cli.add_command(twilio_group)


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema to the newest version."""
    request_db.database().upgrade()
    click.echo("Datenbank ist auf dem neuesten Stand.")


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only when the database has no network yet.")
def demo_command(if_empty: bool) -> None:
    """Load demo networks, activities and accounts (safe to run again)."""
    from hotline.cli.demo import DEMO_PASSWORD_ENV, load_demo

    with request_db.database().session_scope() as session:
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
        with request_db.database().session_scope() as session:
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

    configure_logging()
    settings = current_app.extensions["hotline.settings"]
    # The speech model loads once per worker process, before any job is taken; none is fine.
    from speech.worker import preload_model

    preload_model(settings.vosk_model_path, settings.data_dir)
    run_worker(current_app.extensions["hotline.jobs"], threads or settings.worker_threads)


@click.command("call")
@with_appcontext
@click.option("--to", "to", default=None, help="The number called (default: the first line in the database).")
@click.option("--from", "caller", default="+492214710999", show_default=True, help="The caller's number.")
@click.option("--withheld", is_flag=True, help="Call with a withheld number.")
@click.option("--keys", default=None,
              help="Comma-separated answers, e.g. 1,*,0: keys, 'wait' (no input), 'hangup', 'answer' (at a"
                   " forward). Without it, keys are read from the terminal.")
@click.option("--base-url", default=None, help="Call a running service (e.g. http://127.0.0.1:8000) over HTTP.")
@click.option("--quiet", is_flag=True, help="Print only; do not speak with espeak-ng.")
def call_command(to: str | None, caller: str, withheld: bool, keys: str | None, base_url: str | None,
                 quiet: bool) -> None:
    """Make a test call through the real webhooks, signed as Twilio signs."""
    from hotline.cli import call_simulator

    settings = current_app.extensions["hotline.settings"]
    if to is None:
        with request_db.database().session_scope() as session:
            to = session.scalar(select(PhoneNumber.e164).order_by(PhoneNumber.e164).limit(1))
        if to is None:
            raise click.ClickException("Keine Rufnummer in der Datenbank: bitte --to angeben.")
    base = base_url.rstrip("/") if base_url else "http://localhost"
    simulated = call_simulator.Caller(
        send=call_simulator.over_http(base) if base_url else call_simulator.in_process(current_app.test_client()),
        token=settings.twilio_auth_token,
        base_url=settings.public_base_url or base,
        to=to,
        caller="anonymous" if withheld else caller,
        keys=call_simulator.Keys(keys.split(",") if keys is not None else None,
                                 ask=lambda question: click.prompt(question, default="", show_default=False)),
        echo=click.echo,
        speak=None if quiet else call_simulator.espeak(),
    )
    try:
        simulated.run()
    except call_simulator.CallFailed as error:
        raise click.ClickException(str(error)) from None


def main() -> None:
    """Entry point of the `hotline` console script."""
    from hotline import create_app

    # Our settings read `.env` themselves, with strict parsing; Flask's loader would bypass that.
    cli = FlaskGroup(create_app=create_app, load_dotenv=False, help="Netzwerk-Hotline")
    # On the group, not the app: the doctor must run when the settings are too broken to build one.
    cli.add_command(doctor_command)
    cli.main(prog_name="hotline")
