"""SQLite writers queue for the write lock, across threads and processes: none fails, none is lost, none is stuck."""

import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hotline.db import Database


def _counter_database(path) -> Database:
    database = Database(f"sqlite:///{path}")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)"))
        connection.execute(text("INSERT INTO counter VALUES (1, 0)"))
    return database


@pytest.fixture
def database(tmp_path):
    database = _counter_database(tmp_path / "queue.sqlite3")
    yield database
    database.dispose()


def _increment(database: Database) -> None:
    with database.session_scope() as session:
        value = session.execute(text("SELECT value FROM counter WHERE id = 1")).scalar_one()
        session.execute(text("UPDATE counter SET value = :value WHERE id = 1"), {"value": value + 1})


def _value(database: Database) -> int:
    with database.engine.connect() as connection:
        return connection.execute(text("SELECT value FROM counter WHERE id = 1")).scalar_one()


def test_concurrent_read_then_write_transactions_all_land(database):
    with ThreadPoolExecutor(8) as pool:
        for future in [pool.submit(_increment, database) for _ in range(200)]:
            future.result()
    assert _value(database) == 200


def test_a_failed_transaction_lets_the_next_writer_in_at_once(database):
    # A queue place kept after the failure would hold every other writer for the busy timeout.
    with database.engine.connect() as connection:
        with pytest.raises(IntegrityError), connection.begin():
            connection.execute(text("INSERT INTO counter VALUES (1, 5)"))
        with ThreadPoolExecutor(1) as other_writer:
            other_writer.submit(_increment, database).result(timeout=5)
    assert _value(database) == 1


def _increment_in_child(database: Database, times: int) -> None:
    # A forked child must not use the parent's pooled connections (SQLAlchemy's advice).
    database.engine.dispose(close=False)
    for _ in range(times):
        _increment(database)


def test_writers_of_several_processes_queue_without_meeting_sqlites_lock(tmp_path, monkeypatch):
    # With no busy timeout, SQLite refuses a second writer at once ("database is locked"): every
    # increment lands only if the processes queued before BEGIN IMMEDIATE. The children are
    # forked after the parent wrote, so each must take the queue's lock file as its own.
    monkeypatch.setattr("hotline.db.SQLITE_BUSY_SECONDS", 0)
    database = _counter_database(tmp_path / "processes.sqlite3")
    _increment(database)
    fork = multiprocessing.get_context("fork")
    children = [fork.Process(target=_increment_in_child, args=(database, 150)) for _ in range(4)]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    assert [child.exitcode for child in children] == [0, 0, 0, 0]
    assert _value(database) == 1 + 4 * 150
    database.dispose()
