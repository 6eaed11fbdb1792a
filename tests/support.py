"""Helpers the tests share: service checks, throw-away PostgreSQL databases, a worker process, an SMTP inbox."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from twilio.request_validator import RequestValidator

from hotline.cli.demo import NETWORKS
from hotline.config import Settings
from hotline.db import Database
from hotline.stadtteile import stadtteile
from ivr_flows.content import CityContent, NetworkContent, Stadtteil

IN_CI = os.environ.get("CI") == "true"

T = TypeVar("T")


class Inbox:
    """What a local SMTP server received: (recipients, raw message) pairs.

    `refuse` holds addresses whose next message is refused with a temporary error; `on_data` is
    called with the recipients while the client waits for the answer to its message.
    """

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse: set[str] = set()
        self.on_data: Callable[[list[str]], None] | None = None
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        recipients = list(envelope.rcpt_tos)
        if self.on_data is not None:
            self.on_data(recipients)
        if refused := self.refuse.intersection(recipients):
            self.refuse -= refused
            return "451 4.3.0 Bitte später erneut versuchen"
        self.messages.append((recipients, envelope.content))
        return "250 OK"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require(available: bool, reason: str) -> None:
    """Skip when a system tool or service is missing; in CI, fail instead."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


class fresh_postgres_database:  # noqa: N801 - used like a function
    """Create a uniquely named database on the server of `server_url`; drop it afterwards."""

    def __init__(self, server_url: str) -> None:
        base = make_url(server_url).set(drivername="postgresql+psycopg")
        self.name = f"hotline_test_{uuid.uuid4().hex[:12]}"
        self.admin_url = base
        self.url = base.set(database=self.name).render_as_string(hide_password=False)

    def __enter__(self) -> str:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        engine.dispose()
        return self.url

    def __exit__(self, *exc_info: object) -> None:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        engine.dispose()


def postgres_server_url() -> str:
    """The PostgreSQL server the suite may use for backend-specific tests."""
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith("postgresql"):
        return configured
    return os.environ.get(
        "HOTLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )


def redis_url() -> str:
    """The Redis server the suite may use for queue tests."""
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def service_reachable(url: str) -> bool:
    """Is something listening at the host and port of `url`?"""
    parsed = make_url(url)
    try:
        with socket.create_connection((parsed.host or "127.0.0.1", parsed.port or 0), timeout=1):
            return True
    except OSError:
        return False


class TwilioClient:
    """Posts to the app exactly as Twilio does: form-encoded and signed with the auth token."""

    def __init__(self, client, token: str, base_url: str = "http://localhost") -> None:
        self.client = client
        self.validator = RequestValidator(token)
        self.base_url = base_url

    def post(self, path: str, data: dict[str, str] | None = None, **kwargs):
        """POST `data` to `path` with a valid X-Twilio-Signature."""
        data = data or {}
        signature = self.validator.compute_signature(self.base_url + path, data)
        headers = {"X-Twilio-Signature": signature, **kwargs.pop("headers", {})}
        return self.client.post(path, data=data, headers=headers, **kwargs)


def poll(read: Callable[[], T], done: Callable[[T], bool], *, seconds: float, interval: float = 0.2) -> T:
    """Call `read` until `done` holds for its value or `seconds` have passed; return the last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if done(value) or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def worker_environment(tmp_path: Path, redis_url: str | None = None,
                       **variables: str) -> tuple[dict[str, str], Settings, Database]:
    """The environment of a `hotline worker` subprocess on a SQLite file in `tmp_path` (and Redis when
    given), its settings and its migrated database."""
    env = {**os.environ, "HOTLINE_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}", **variables}
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    settings = Settings.from_env(env, read_dotenv=False)
    database = Database(settings.database_url)
    database.upgrade()
    return env, settings, database


def start_worker(env: dict[str, str], cwd: Path, *, threads: int) -> subprocess.Popen[str]:
    """Start `hotline worker` with its output (stdout and stderr) in a pipe."""
    return subprocess.Popen(
        [sys.executable, "-c", "from hotline.cli import main; main()", "worker", "--threads", str(threads)],
        env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def run_worker(env: dict[str, str], cwd: Path, *, threads: int, wait: Callable[[], T],
               stop_seconds: float) -> tuple[T, str, int]:
    """Run `hotline worker` while `wait()` runs, then stop it with Ctrl-C (also when `wait` fails).

    Returns what `wait` returned, the worker's output and its exit code.
    """
    worker = start_worker(env, cwd, threads=threads)
    try:
        result = wait()
    finally:
        worker.send_signal(signal.SIGINT)
        output = worker.communicate(timeout=stop_seconds)[0]
    return result, output, worker.returncode


def demo_city() -> CityContent:
    """The city-wide line's content for the demo networks, as the hotline builds it (routing fields only)."""
    return CityContent(networks=tuple(
        NetworkContent(network_id=i, name=spec.district, postal_codes=frozenset(spec.postal_codes),
                       stadtteile=tuple(Stadtteil(name, stadtteile()[name]) for name in spec.stadtteile))
        for i, spec in enumerate(NETWORKS, start=1)
    ))
