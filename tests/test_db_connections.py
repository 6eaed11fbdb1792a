"""PostgreSQL connections waiting in the pool: a dead one that sat idle is replaced before use."""

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from hotline import db
from hotline.db import IDLE_PING_SECONDS, Database

from tests.support import fresh_postgres_database, postgres_server_url, require, service_reachable

pytestmark = pytest.mark.postgres


@pytest.fixture
def database():
    server = postgres_server_url()
    require(service_reachable(server), f"PostgreSQL at {server}")
    with fresh_postgres_database(server) as url:
        database = Database(url)
        yield database
        database.dispose()


def _backend_pid(database):
    with database.engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar()


def _server_drops(database, pid):
    # What a restart of the server does to every connection in the pool.
    admin = create_engine(database.url)
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


def _later(monkeypatch, seconds):
    now = time.monotonic()
    monkeypatch.setattr(db.time, "monotonic", lambda: now + seconds)


def test_a_connection_that_died_while_idle_is_replaced_before_use(database, monkeypatch):
    pid = _backend_pid(database)
    _server_drops(database, pid)
    _later(monkeypatch, IDLE_PING_SECONDS + 1)

    assert _backend_pid(database) != pid


def test_a_connection_used_moments_ago_is_not_tested_first(database, monkeypatch):
    # The trade-off: under load no round trip is spent on a test; a restart then fails one
    # request (the caller hears the apology and the line starts over) and the pool is renewed.
    pid = _backend_pid(database)
    _server_drops(database, pid)
    _later(monkeypatch, 1)

    with pytest.raises(OperationalError):
        _backend_pid(database)
    assert _backend_pid(database) != pid
