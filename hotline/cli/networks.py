"""`hotline networks ...`: list the networks, and manage them as a spreadsheet (CSV)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from hotline.models import Network
from hotline.services.network_table import read_table, write_table
from hotline.services.networks import Change, apply_specs, networks_by_slug, spec_of
from hotline.web import request_db


@click.group("networks", cls=AppGroup, invoke_without_command=True)
@click.pass_context
@with_appcontext
def networks_group(ctx: click.Context) -> None:
    """List each network with the numbers it answers (E.164), one network a line."""
    if ctx.invoked_subcommand is not None:
        return
    with request_db.database().session_scope() as session:
        for network in session.scalars(select(Network).order_by(Network.name)):
            numbers = " ".join(number.e164 for number in network.phone_numbers) or "-"
            # A deactivated network's numbers answer as the city-wide line: the operator must see that.
            state = "" if network.active else "\tdeaktiviert"
            click.echo(f"{network.slug}\t{network.name}\t{numbers}{state}")


@networks_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only show what would change; write nothing.")
def import_command(file: Path, dry_run: bool) -> None:
    """Create or update networks from a CSV file, all rows or none."""
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{file.name}: keine UTF-8-Datei (Byte {error.start}). Bitte als „CSV UTF-8“ speichern.") from None
    with request_db.database().session_scope() as session:
        plan = read_table(session, text)
        if plan.errors:
            for table_error in plan.errors:
                click.echo(table_error.describe(file.name), err=True)
            raise click.ClickException(f"{len(plan.errors)} Fehler; nichts wurde geändert.")
        inactive = {slug for slug, network in networks_by_slug(session).items() if not network.active}
        for change in plan.changes:
            click.echo(_describe(change, inactive))
        if dry_run:
            click.echo("Probelauf: nichts wurde geschrieben.")
            return
        apply_specs(session, plan.specs)
    created = sum(change.created for change in plan.changes)
    changed = sum(bool(change.fields) and not change.created for change in plan.changes)
    if created == changed == 0:
        click.echo("Keine Änderungen: alle Netzwerke sind schon so wie in der Datei.")
    else:
        click.echo(f"{created} neu, {changed} geändert, {len(plan.changes) - created - changed} unverändert.")


@networks_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=False)
def export_command(file: Path | None) -> None:
    """Write the active networks as CSV (the import's format) to FILE or standard output."""
    with request_db.database().session_scope() as session:
        # Deactivated networks stay out: the table has no column saying so, and an importer would take
        # every row for a network on the line.
        specs = [spec_of(network) for network in networks_by_slug(session).values() if network.active]
    table = write_table(specs)
    if file is None:
        click.echo(table, nl=False)
        return
    # With the BOM, Excel reads the file as UTF-8 (without it, umlauts come out garbled).
    file.write_text(table, encoding="utf-8-sig", newline="")
    click.echo(f"{len(specs)} Netzwerke geschrieben: {file}")


def _describe(change: Change, inactive: set[str]) -> str:
    state = " (deaktiviert; bleibt es)" if change.slug in inactive else ""
    if change.created:
        return f"neu: {change.slug}"
    if change.fields:
        return f"geändert: {change.slug}{state}: {', '.join(change.fields)}"
    return f"unverändert: {change.slug}{state}"
