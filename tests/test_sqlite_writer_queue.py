"""SQLite writers of one process queue for the write lock: none fails, none is lost, none is stuck."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hotline.db import Database


@pytest.fixture
def database(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'queue.sqlite3'}")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)"))
        connection.execute(text("INSERT INTO counter VALUES (1, 0)"))
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
