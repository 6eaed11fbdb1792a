"""Database plumbing without Flask: declarative base, engine, sessions, migrations."""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Connection, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql import ClauseElement
from sqlalchemy.types import TypeDecorator

logger = logging.getLogger(__name__)

# Deterministic constraint names, so migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Now, as an aware UTC datetime (the only kind stored)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite would otherwise hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        """Store an aware datetime as UTC; refuse a naive one."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        """Read a stored datetime back as aware UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# A pooled connection idle for longer than this is tested before use.
IDLE_PING_SECONDS = 10.0


# SQLite's busy timeout, and how long a writer waits for the other writers of its process.
SQLITE_BUSY_SECONDS = 30.0


class WriterQueue:
    """The writers of one SQLite database, let in one after the other without polling.

    SQLite lets one writer in at a time; the others poll with growing sleeps (up to 100 ms each),
    which under load makes webhooks wait far longer than the lock is held. Our writers queue
    instead, taking their place before BEGIN IMMEDIATE and leaving right after COMMIT or ROLLBACK:
    the threads of a process on a lock, then the processes (web workers, the job worker, the CLI)
    on an exclusive flock of a file beside the database. The kernel hands that to the next waiter
    the moment it is released, and releases it when its process dies. Past the threads' wait,
    SQLite's own lock decides; writers from elsewhere (the sqlite3 shell) meet only that.
    """

    def __init__(self, lock_file: Path | None) -> None:
        self.lock_file = lock_file
        self._threads = threading.Lock()
        self._descriptor: int | None = None
        self._opened_by: int | None = None

    def enter(self) -> bool:
        """Wait for this database's other writers; False when the process's threads took too long."""
        if not self._threads.acquire(timeout=SQLITE_BUSY_SECONDS):
            return False
        if self.lock_file is not None:
            try:
                fcntl.flock(self._process_descriptor(), fcntl.LOCK_EX)
            except OSError:
                self._threads.release()
                raise
        return True

    def leave(self) -> None:
        """Let the next writer in."""
        try:
            if self.lock_file is not None:
                fcntl.flock(self._process_descriptor(), fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _process_descriptor(self) -> int:
        # Opened once per process: a descriptor inherited across fork() shares its flock with
        # the parent, which would let both in at once.
        if self._opened_by != os.getpid():
            assert self.lock_file is not None
            self._descriptor = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
            self._opened_by = os.getpid()
        assert self._descriptor is not None
        return self._descriptor


class _QueuedWriterConnection(sqlite3.Connection):
    """A SQLite connection that takes its place in the writer queue and leaves it when its transaction ends."""

    writer_queue: WriterQueue | None = None
    queued = False

    def enter_writer_queue(self) -> None:
        """Wait for the database's other writers (see WriterQueue)."""
        if self.writer_queue is not None and not self.queued:
            self.queued = self.writer_queue.enter()

    def commit(self) -> None:
        """Commit, then let the next writer in."""
        try:
            super().commit()
        finally:
            self._leave_writer_queue()

    def rollback(self) -> None:
        """Roll back, then let the next writer in."""
        try:
            super().rollback()
        finally:
            self._leave_writer_queue()

    def _leave_writer_queue(self) -> None:
        if self.queued and self.writer_queue is not None:
            self.queued = False
            self.writer_queue.leave()


def create_db_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys, a busy timeout, real transactions, queued writers."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS,
                                                  "factory": _QueuedWriterConnection})
        database = engine.url.database
        lock_file = Path(f"{database}-writers.lock") if database and database != ":memory:" else None
        _make_sqlite_transactional(engine, WriterQueue(lock_file))
        return engine
    engine = create_engine(url)
    _ping_idle_connections(engine)
    return engine


def _ping_idle_connections(engine: Engine) -> None:
    # A database server restarted while connections sat in the pool must not fail a caller's
    # request: a connection idle for a while is tested first and replaced when dead. SQLAlchemy's
    # pool_pre_ping would test every checkout, one round trip more on every webhook under load.
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):  # noqa: ANN001
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):  # noqa: ANN001
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool drops this connection and checks out a fresh one.
            raise DisconnectionError(f"pooled connection is dead: {type(error).__name__}") from error


def _make_sqlite_transactional(engine: Engine, writer_queue: WriterQueue) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINTs and defers BEGIN; take it over,
    # as the SQLAlchemy docs recommend, and switch on foreign keys for every connection.
    # BEGIN IMMEDIATE takes the write lock up front: web and worker write concurrently, and a
    # deferred transaction that reads, then writes, fails at once with "database is locked"
    # instead of waiting for the busy timeout. synchronous=NORMAL in WAL mode survives a crash of
    # the service and halves webhook latency; what a power cut could take back (the last commits)
    # the reconciliation job recovers from Twilio's own list of recordings.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.isolation_level = None
        dbapi_connection.writer_queue = writer_queue
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        connection.connection.dbapi_connection.enter_writer_queue()
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass(frozen=True)
class _CompiledStatement:
    compiled: Any  # SQLCompiler: its SQL, and the parameters with its literals included
    processors: dict[str, Callable[[Any], Any]]

    def parameters(self, values: dict[str, Any]) -> Any:
        given = self.compiled.construct_params(values)
        for name, process in self.processors.items():
            given[name] = process(given[name])
        positions = self.compiled.positiontup
        return given if positions is None else tuple(given[name] for name in positions)


class DirectStatement:
    """A Core statement compiled once per database and run straight on the session's DBAPI cursor.

    For the few statements of the webhooks' hot path, where SQLAlchemy's per-execution work cost
    more than the statements themselves (in-process, a call start's three statements took 0.45 ms
    through the session and 0.3 ms this way). The statement runs in the session's transaction;
    column defaults are not applied, so it names every value it writes. It is compiled as for an
    execution: an INSERT that is not `.inline()` returns its new key on PostgreSQL.
    """

    def __init__(self, build: Callable[[str], ClauseElement]) -> None:
        self._build = build  # gets the dialect's name: an upsert is written per dialect
        self._compiled: dict[str, _CompiledStatement] = {}

    def first(self, session: Session, values: dict[str, Any]) -> Any:
        """Run the statement; its first row, or None."""
        connection = session.connection()
        statement = self._compiled.get(connection.dialect.name) or self._compile(connection.dialect)
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(statement.compiled.string, statement.parameters(values))
            return cursor.fetchone() if cursor.description else None
        finally:
            cursor.close()

    def _compile(self, dialect: Dialect) -> _CompiledStatement:
        compiled: Any = self._build(dialect.name).compile(dialect=dialect)
        processors = {}
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors[name] = process
        statement = _CompiledStatement(compiled, processors)
        self._compiled[dialect.name] = statement
        return statement


class Database:
    """One engine and its session factory; created by the app factory, the worker or the CLI."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_db_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session_scope(self) -> Iterator[Session]:
        """A session that commits when the block succeeds and rolls back otherwise."""
        with self.sessions.begin() as session:
            yield session

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (safe to run on every start)."""
        # Through a session, so the upgrade joins whatever transaction the sessions are bound to.
        with self.sessions.begin() as session:
            command.upgrade(alembic_config(session.connection()), "head")

    def schema_revisions(self) -> tuple[str | None, str | None]:
        """The database's migration and the newest one this code has (None: no migration yet)."""
        with self.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            head = ScriptDirectory.from_config(alembic_config(connection)).get_current_head()
        return current, head

    def dispose(self) -> None:
        """Close all pooled connections."""
        self.engine.dispose()


def alembic_config(connection: Connection) -> AlembicConfig:
    """An Alembic configuration for our in-package migrations, run on the given connection."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Date-prefixed revision files sort in the order they were written.
    config.set_main_option(
        "file_template",
        "%%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d_%%(rev)s_%%(slug)s",
    )
    config.attributes["connection"] = connection
    return config


def write_revision(message: str) -> Path | None:
    """Autogenerate the next revision file from the models; None when they match the migrations.

    The models are compared with a throw-away SQLite database upgraded to head, not with the
    configured one: that may lag behind or run ahead of this checkout, and generating a file
    should not migrate it as a side effect.
    """
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{Path(folder) / 'head.sqlite3'}")
        try:
            database.upgrade()
            with database.engine.begin() as connection:
                config = alembic_config(connection)
                head = ScriptDirectory.from_config(config).get_current_head()
                script = command.revision(
                    config,
                    message=message,
                    autogenerate=True,
                    # Revisions are numbered in sequence, as the file names show.
                    rev_id=f"{int(head or 0) + 1:04d}",
                    process_revision_directives=_skip_empty_revision,
                )
        finally:
            database.dispose()
    return Path(script.path) if isinstance(script, Script) else None


def _skip_empty_revision(context, revision, directives) -> None:  # noqa: ANN001
    # Alembic's recipe for writing no file when autogenerate finds no change.
    if directives[0].upgrade_ops.is_empty():
        directives.clear()
