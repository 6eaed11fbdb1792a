"""`hotline backup` and `hotline restore`: the data dir and database in one archive, and back."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from hotline.config import Settings
from hotline.db import Database, utcnow
from hotline.files.backup import BackupError, Manifest, create_backup, default_folder, expire_backups, restore_backup


@click.command("backup")
@click.option("--to", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the archive (default: backups/ in the data dir).")
@with_appcontext
def backup_command(folder: Path | None) -> None:
    """Write an archive of database, recordings, prompts and secrets; print its path last."""
    settings: Settings = current_app.extensions["hotline.settings"]
    folder = folder or default_folder(settings.data_dir)
    now = utcnow()
    try:
        archive, manifest = create_backup(settings, folder, now=now)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Gesichert: {_summary(manifest)}.")
    # Archives live no longer than the recordings they hold: a deleted voicemail must not live on.
    for path in expire_backups(folder, keep_days=settings.retention_audio_days, now=now):
        click.echo(f"Alte Sicherung gelöscht (älter als {settings.retention_audio_days} Tage): {path}")
    click.echo(str(archive))


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a data dir and database that are not empty.")
@with_appcontext
def restore_command(archive: Path, force: bool) -> None:
    """Restore an archive of `hotline backup` into an empty data dir and database."""
    settings: Settings = current_app.extensions["hotline.settings"]
    try:
        manifest = restore_backup(settings, archive, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    # An archive of an older version gets the newer migrations right away, as `init-db` would.
    database = Database(settings.database_url)
    try:
        database.upgrade()
    finally:
        database.dispose()
    click.echo(f"Wiederhergestellt (Sicherung vom {manifest.created_at}): {_summary(manifest)}.")
    click.echo("Datenbank ist auf dem neuesten Stand.")


def _summary(manifest: Manifest) -> str:
    counts = manifest.counts
    return (f"{counts.get('networks', 0)} Netzwerke, {counts.get('callback_requests', 0)} Rückrufwünsche, "
            f"{counts.get('voicemails', 0)} Nachrichten, {counts.get('recordings', 0)} Aufnahmen, "
            f"{counts.get('prompt-audio', 0)} Ansagen")
