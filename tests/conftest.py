"""Fixtures: settings -> app -> client/runner, one database per run, rollback per test.

The backend comes from the environment the README's test command runs in: SQLite by default,
PostgreSQL when DATABASE_URL names one (a fresh database is created for the run), Redis for the
queue when REDIS_URL is set. Fixtures more than one test directory shares live in the plugin
modules of `tests.fixtures`, registered here once.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from hypothesis import settings as hypothesis_settings
from sqlalchemy.engine import make_url
from werkzeug.routing import Rule

from hotline import create_app
from hotline.config import Settings
from hotline.db import Database

from tests.support import (
    Inbox,
    TwilioClient,
    free_port,
    fresh_postgres_database,
    redis_url,
    require,
    service_reachable,
)

pytest_plugins = ["tests.fixtures.admin", "tests.fixtures.speech"]

# In CI a Hypothesis result depends on the commit alone: the same examples on every run and no
# example database carried over. Local runs keep exploring randomly (and replay what failed before).
hypothesis_settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")

TEST_ACCOUNT_SID = "AC" + "0" * 32
TEST_AUTH_TOKEN = "test-auth-token"  # noqa: S105


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, migrated database for this test run."""
    configured = os.environ.get("DATABASE_URL")
    if configured and make_url(configured).get_backend_name() == "postgresql":
        with fresh_postgres_database(configured) as url:
            _migrate(url)
            yield url
        return
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    _migrate(url)
    yield url


def _migrate(url: str) -> None:
    database = Database(url)
    database.upgrade()
    database.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Explicit test settings; the developer's environment and `.env` are never read."""
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        twilio_account_sid=TEST_ACCOUNT_SID,
        twilio_auth_token=TEST_AUTH_TOKEN,
        secret_key="test-secret-key",
        redis_url=os.environ.get("REDIS_URL") or None,
        testing=True,
        queue_name=f"hotline-test-{uuid.uuid4().hex[:8]}",
    )


class _RuleSharingBuilders(Rule):
    """A routing rule that reuses the URL builders an earlier app of this test process compiled.

    Werkzeug compiles two builder functions per rule with `compile()`, three quarters of the cost
    of creating the app, and nearly every test creates one with the same rules. A builder is a pure
    function of the rule's parsed parts (converters are looked up on the bound rule at call time),
    so the parts are the key; everything else about routing stays Werkzeug's own.
    """

    _builders: dict[tuple, Callable] = {}

    def _compile_builder(self, append_unknown: bool = True) -> Callable:
        key = (self.rule, tuple(self._trace), repr(sorted((self.defaults or {}).items())), append_unknown)
        if key not in self._builders:
            self._builders[key] = super()._compile_builder(append_unknown)
        return self._builders[key]


Flask.url_rule_class = _RuleSharingBuilders


@pytest.fixture
def app(settings: Settings):
    """The app, its sessions joined to one outer transaction that is rolled back after the test."""
    app = create_app(settings)
    database: Database = app.extensions["hotline.db"]
    connection = database.engine.connect()
    outer = connection.begin()
    database.sessions.configure(bind=connection, join_transaction_mode="create_savepoint")
    yield app
    outer.rollback()
    connection.close()
    database.dispose()
    app.extensions["hotline.jobs"].queue.flush()


@pytest.fixture(params=["file", pytest.param("redis", marks=pytest.mark.redis)])
def queue_backend(request) -> str | None:
    """Both queue backends: None for the embedded SQLite queue, else the Redis URL."""
    if request.param == "file":
        return None
    url = redis_url()
    require(service_reachable(url), f"Redis at {url}")
    return url


@pytest.fixture
def db_session(app):
    """A session inside the test's transaction, for arranging and checking rows."""
    with app.extensions["hotline.db"].sessions() as session:
        yield session


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app's commands."""
    return app.test_cli_runner()


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """A real SMTP server on this machine, collecting what it is sent."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach a host other than this machine."""
    real_connect = socket.socket.connect

    def guarded_connect(sock: socket.socket, address: object) -> object:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]  # type: ignore[index]  # an INET address is a (host, port, ...) tuple
            if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
                raise AssertionError(f"test tried to reach {host}; tests stay on this machine")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say which backends this run uses, so CI output shows both were exercised."""
    database_url = os.environ.get("DATABASE_URL")
    database = make_url(database_url).get_backend_name() if database_url else "sqlite"
    queue = "redis" if os.environ.get("REDIS_URL") else "file"
    return [f"hotline backends: database={database}, queue={queue}"]


@pytest.fixture
def twilio(client, settings) -> TwilioClient:
    """Signed Twilio webhook requests against the test app."""
    return TwilioClient(client, settings.twilio_auth_token)
