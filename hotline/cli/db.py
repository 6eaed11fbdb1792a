"""`hotline db ...`: schema migrations for developers."""

from __future__ import annotations

import click

from hotline.db import write_revision


@click.group("db", help="Datenbankschema und Migrationen.")
def db_group() -> None:
    """Manage the database schema's migrations."""


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="What the schema change does, in a few words.")
def revision_command(message: str) -> None:
    """Write a new migration for the changes of the models since the newest one."""
    path = write_revision(message)
    if path is None:
        click.echo("Die Modelle entsprechen den Migrationen; keine Revision geschrieben.")
        return
    click.echo(f"Revision geschrieben: {path}")
    click.echo("Bitte von Hand prüfen und anpassen, bevor sie eingecheckt wird.")
