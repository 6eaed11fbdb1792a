"""The database as one file and back: SQLite's online backup, pg_dump and pg_restore.

PostgreSQL's tools get the connection from libpq's environment variables, so the password never
shows on a command line (where any user of the machine could read it in the process list).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import MetaData, create_engine, inspect
from sqlalchemy.engine import URL, make_url

logger = logging.getLogger(__name__)

# The snapshot's file name inside an archive, by backend.
SNAPSHOT_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class DumpError(RuntimeError):
    """A dump or restore of the database failed; the message is German and meant for the operator."""


def backend_of(url: str) -> str:
    """The backend a database URL names: "sqlite" or "postgresql"."""
    return make_url(url).get_backend_name()


def sqlite_path(url: str) -> Path:
    """The file of a SQLite database URL."""
    return Path(make_url(url).database or "")


def dump_database(url: str, target: Path) -> None:
    """Write a consistent snapshot of the database to `target`, while the service may be writing."""
    if backend_of(url) == "sqlite":
        _sqlite_snapshot(sqlite_path(url), target)
    else:
        _run_pg(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], make_url(url))


def load_database(url: str, snapshot: Path) -> None:
    """Put a snapshot written by `dump_database` in place of the (empty or cleared) database."""
    if backend_of(url) == "sqlite":
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        # A write-ahead log left from the old file would be replayed into the new one.
        for stale in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        os.replace(snapshot, path)
        return
    parsed = make_url(url)
    _run_pg(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             f"--dbname={parsed.database}", str(snapshot)], parsed)


def database_holds_tables(url: str) -> bool:
    """Does the database have any table (SQLite: does its file exist and have one)?"""
    if backend_of(url) == "sqlite" and not sqlite_path(url).exists():
        return False
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return bool(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def drop_all_tables(url: str) -> None:
    """Drop every table of a PostgreSQL database, so a snapshot can be restored into it."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            # Reflected, not our models: the database may hold tables of an older or newer version.
            metadata = MetaData()
            metadata.reflect(connection)
            metadata.drop_all(connection)
    finally:
        engine.dispose()


def _sqlite_snapshot(source_path: Path, target: Path) -> None:
    if not source_path.exists():
        raise DumpError(f"Die Datenbank {source_path} gibt es nicht (erst `hotline init-db`).")
    # The backup API copies a consistent state even while web and worker commit: copying the file
    # could catch a half-written page or miss what is still in the write-ahead log.
    source = sqlite3.connect(source_path, timeout=30)
    snapshot = sqlite3.connect(target)
    try:
        source.backup(snapshot)
        # One self-contained file; the service switches it back to WAL when it opens it.
        snapshot.execute("PRAGMA journal_mode=DELETE")
    finally:
        snapshot.close()
        source.close()


def _run_pg(command: Sequence[str], url: URL) -> None:
    try:
        subprocess.run(command, env={**os.environ, **_libpq_environment(url)}, check=True,  # noqa: S603
                       capture_output=True, text=True)
    except FileNotFoundError:
        raise DumpError(f"{command[0]} fehlt: bitte das Paket postgresql-client installieren.") from None
    except subprocess.CalledProcessError as error:
        raise DumpError(f"{command[0]} ist fehlgeschlagen: {error.stderr.strip()}") from None
    logger.info("%s finished for database %s", command[0], url.database)


def _libpq_environment(url: URL) -> dict[str, str]:
    """The libpq variables for a PostgreSQL URL (a socket folder may come as `?host=`)."""
    query_host = url.query.get("host")
    values = {
        "PGHOST": url.host or (query_host if isinstance(query_host, str) else None),
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    sslmode = url.query.get("sslmode")
    if isinstance(sslmode, str):
        values["PGSSLMODE"] = sslmode
    return {name: value for name, value in values.items() if value}
