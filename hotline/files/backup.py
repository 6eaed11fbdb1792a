"""Backup archives: the database, recordings, recorded prompts and local secrets in one file.

An archive is a tar.gz named `hotline-backup-YYYYMMDD-HHMMSS.tar.gz` (UTC) with a `manifest.json`
that says what it holds. It is written under a temporary name and renamed when complete, readable
by its owner only: it holds voicemails and secrets.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import shutil
import tarfile
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import create_engine, func, select

from hotline.config import LOCAL_SECRET_FILES, Settings
from hotline.db import MIGRATIONS_DIR
from hotline.files.dump import (
    SNAPSHOT_NAMES,
    DumpError,
    backend_of,
    database_holds_tables,
    drop_all_tables,
    dump_database,
    load_database,
    sqlite_path,
)
from hotline.files.prompt_audio import AUDIO_DIR
from hotline.files.recordings import RECORDINGS_DIR
from hotline.models import CallbackRequest, Network, Voicemail

logger = logging.getLogger(__name__)

BACKUPS_DIR = "backups"  # under the data dir, unless `hotline backup --to` names another folder
ARCHIVE_PATTERN = re.compile(r"^hotline-backup-(\d{8}-\d{6})\.tar\.gz$")
MANIFEST = "manifest.json"
FORMAT = "netzwerk-hotline-backup"
SECRETS_DIR = "secrets"
FILE_FOLDERS = (RECORDINGS_DIR, AUDIO_DIR)
# What a data dir holds before anything was restored into it: the service creates its secrets and
# its queue on start, the speech model is installed on its own, and the archive may wait in backups/.
_CREATED_ON_START = {*LOCAL_SECRET_FILES, BACKUPS_DIR, "models"}


class BackupError(RuntimeError):
    """A backup or restore cannot be done; the message is German and meant for the operator."""


@dataclass(frozen=True)
class Manifest:
    """What an archive holds: written as manifest.json, read back before anything is restored."""

    format: str
    version: str
    revision: str | None
    backend: str
    created_at: str
    counts: dict[str, int]


def default_folder(data_dir: Path) -> Path:
    """Where `hotline backup` writes archives when no folder is given."""
    return data_dir / BACKUPS_DIR


def create_backup(settings: Settings, folder: Path, *, now: datetime) -> tuple[Path, Manifest]:
    """Write a new archive into `folder`; return its path and manifest."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / f"hotline-backup-{now.astimezone(UTC):%Y%m%d-%H%M%S}.tar.gz"
    if target.exists():
        raise BackupError(f"{target} gibt es schon; bitte eine Sekunde später noch einmal.")
    backend = backend_of(settings.database_url)
    # The work folder sits beside the target, so the finished archive is renamed, never copied.
    with tempfile.TemporaryDirectory(dir=folder, prefix=".hotline-backup-") as work:
        snapshot = Path(work) / SNAPSHOT_NAMES[backend]
        # The database first, the files after: a recording is on disk before its row names it,
        # so every file the snapshot names is there to copy. No transaction stays open meanwhile.
        try:
            dump_database(settings.database_url, snapshot)
        except DumpError as error:
            raise BackupError(str(error)) from None
        described = snapshot if backend == "sqlite" else None
        revision, counts = _describe(f"sqlite:///{described}" if described else settings.database_url)
        files = {name: _files_under(settings.data_dir / name) for name in FILE_FOLDERS}
        secrets = [settings.data_dir / name for name in LOCAL_SECRET_FILES if (settings.data_dir / name).is_file()]
        counts.update({name: len(paths) for name, paths in files.items()})
        manifest = Manifest(FORMAT, version("netzwerk-hotline"), revision, backend,
                            now.astimezone(UTC).isoformat(), counts)

        partial = Path(work) / "archive.part"
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz") as tar:
                _add_bytes(tar, MANIFEST, json.dumps(asdict(manifest), indent=2).encode())
                tar.add(snapshot, arcname=snapshot.name)
                for name, paths in files.items():
                    for path in paths:
                        tar.add(path, arcname=f"{name}/{path.relative_to(settings.data_dir / name)}")
                for path in secrets:
                    tar.add(path, arcname=f"{SECRETS_DIR}/{path.name}")
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, target)
    logger.info("backup written: %s (%s)", target.name, counts)
    return target, manifest


def expire_backups(folder: Path, *, keep_days: int, now: datetime) -> list[Path]:
    """Delete the archives in `folder` older than `keep_days` (by the time in their name)."""
    removed = []
    for path in sorted(folder.iterdir()):
        match = ARCHIVE_PATTERN.match(path.name)
        if match is None or not path.is_file():
            continue
        created = datetime.strptime(match[1], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        if now - created > timedelta(days=keep_days):
            path.unlink()
            removed.append(path)
    if removed:
        logger.info("expired %d backup archives", len(removed))
    return removed


def restore_backup(settings: Settings, archive: Path, *, force: bool) -> Manifest:
    """Put an archive's database, files and secrets in place; the schema is upgraded by the caller."""
    backend = backend_of(settings.database_url)
    with _open(archive) as tar:
        manifest = _read_manifest(tar, archive)
        if manifest.backend != backend:
            raise BackupError(f"{archive.name} enthält eine {manifest.backend}-Datenbank, DATABASE_URL "
                              f"nennt aber {backend}. Bitte DATABASE_URL passend setzen.")
        _check_known_revision(manifest.revision)
        occupied = _occupied(settings)
        if occupied and not force:
            raise BackupError(f"Das Datenverzeichnis ist nicht leer ({', '.join(occupied)}). "
                              "Mit --force wird es überschrieben.")
        with tempfile.TemporaryDirectory(dir=settings.data_dir, prefix=".hotline-restore-") as work:
            # The "data" filter refuses links and paths leading out of the folder.
            tar.extractall(work, filter="data")
            _restore_database(settings.database_url, Path(work) / SNAPSHOT_NAMES[backend], force=force)
            for name in FILE_FOLDERS:
                target = settings.data_dir / name
                shutil.rmtree(target, ignore_errors=True)
                if (Path(work) / name).is_dir():
                    os.replace(Path(work) / name, target)
            for name in LOCAL_SECRET_FILES:
                secret = Path(work) / SECRETS_DIR / name
                if secret.is_file():
                    secret.chmod(0o600)
                    os.replace(secret, settings.data_dir / name)
    logger.info("restored backup %s from %s", archive.name, manifest.created_at)
    return manifest


def _describe(url: str) -> tuple[str | None, dict[str, int]]:
    """The schema revision and row counts of a database (for the manifest, so people can check)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
            counts = {
                name: connection.scalar(select(func.count()).select_from(model)) or 0
                for name, model in (("networks", Network), ("callback_requests", CallbackRequest),
                                    ("voicemails", Voicemail))
            }
    finally:
        engine.dispose()
    return revision, counts


def _files_under(root: Path) -> list[Path]:
    # A ".part" file is one being written right now; its finished twin is what counts.
    return sorted(path for path in root.rglob("*") if path.is_file() and path.suffix != ".part")


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _open(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, "r:gz")
    except (tarfile.TarError, OSError):
        raise BackupError(f"{archive.name} ist keine Sicherung der Netzwerk-Hotline "
                          "(kein lesbares tar.gz-Archiv).") from None


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> Manifest:
    try:
        member = tar.extractfile(MANIFEST)
        data = json.loads(member.read()) if member else None
        manifest = Manifest(**data) if isinstance(data, dict) else None
    except (KeyError, TypeError, ValueError, tarfile.TarError):
        manifest = None
    if manifest is None or manifest.format != FORMAT:
        raise BackupError(f"{archive.name} ist keine Sicherung der Netzwerk-Hotline ({MANIFEST} fehlt).")
    return manifest


def _check_known_revision(revision: str | None) -> None:
    if revision is None:
        return
    try:
        ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(revision)
    except CommandError:
        raise BackupError(f"Die Sicherung stammt von einer neueren Version (Schema {revision}); "
                          "bitte erst diese Version installieren.") from None


def _occupied(settings: Settings) -> list[str]:
    """What in the data dir and database a restore would overwrite."""
    # The database is asked, not its file: a SQLite file without tables holds nothing.
    skipped: tuple[str, ...] = (settings.queue_path.name, ".hotline-")
    if backend_of(settings.database_url) == "sqlite":
        skipped += (sqlite_path(settings.database_url).name,)
    found = sorted(
        path.name for path in settings.data_dir.iterdir()
        if path.name not in _CREATED_ON_START and not path.name.startswith(skipped)
    )
    if database_holds_tables(settings.database_url):
        found.append("die Datenbank aus DATABASE_URL hat schon Tabellen")
    return found


def _restore_database(url: str, snapshot: Path, *, force: bool) -> None:
    if backend_of(url) == "postgresql" and force:
        drop_all_tables(url)
    try:
        load_database(url, snapshot)
    except DumpError as error:
        raise BackupError(str(error)) from None
