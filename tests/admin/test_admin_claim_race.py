"""Two volunteers claim the same request at the same moment: exactly one wins.

Each thread has its own connection and session against a real, committed database (a separate
migrated SQLite file, or a fresh PostgreSQL database), so the database itself decides.
"""

from __future__ import annotations

import threading

import pytest

from hotline.db import Database, utcnow
from hotline.models import CallbackRequest, Network, User
from hotline.services import callbacks

from tests.support import fresh_postgres_database, postgres_server_url, require, service_reachable


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def race_database(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
        database = Database(url)
        database.upgrade()
        yield database
        database.dispose()
        return
    server = postgres_server_url()
    require(service_reachable(server), f"PostgreSQL at {server}")
    with fresh_postgres_database(server) as url:
        database = Database(url)
        database.upgrade()
        yield database
        database.dispose()


@pytest.mark.parametrize("attempt", range(5))
def test_only_one_of_two_simultaneous_claims_wins(race_database, attempt):
    with race_database.session_scope() as session:
        network = Network(slug="bilk", name="Bilk", district="Bilk")
        people = [User(email=f"v{i}@example.org", password_hash="x", role="volunteer",
                       networks=[network]) for i in range(2)]
        request = CallbackRequest(network=network, number="+492214710911")
        session.add_all([*people, request])
        session.flush()
        request_id, user_ids = request.id, [person.id for person in people]

    barrier = threading.Barrier(2)
    results: dict[int, bool] = {}
    errors: list[BaseException] = []

    def claim(user_id: int) -> None:
        try:
            # Both start together. (SQLite's BEGIN IMMEDIATE would block a second open
            # transaction, so the barrier comes before the session starts one.)
            barrier.wait(timeout=10)
            with race_database.session_scope() as session:
                results[user_id] = callbacks.claim(session, request_id, user_id, now=utcnow())
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=claim, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results.values()) == [False, True]
    winner = next(user_id for user_id, won in results.items() if won)
    with race_database.session_scope() as session:
        stored = session.get(CallbackRequest, request_id)
        assert (stored.status, stored.claimed_by_id) == ("claimed", winner)
