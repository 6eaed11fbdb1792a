"""Migrations build the schema from nothing, on SQLite and PostgreSQL, and match the models."""

import json
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

import hotline.models  # noqa: F401 - registers the tables
from hotline.db import Base, Database, UTCDateTime, alembic_config
from hotline.models import Activity, ActivityDraft, Call, CallbackRequest, NewcomerInfo, User, user_networks
from ivr_flows import builtin_flow
from ivr_flows.recurrence import Frequency, Recurrence

from tests.support import fresh_postgres_database, postgres_server_url, require, service_reachable


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    server = postgres_server_url()
    require(service_reachable(server), f"PostgreSQL at {server}")
    with fresh_postgres_database(server) as url:
        yield url


def test_upgrade_builds_a_schema_identical_to_the_models(empty_database_url):
    database = Database(empty_database_url)
    database.upgrade()
    with database.engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
        tables = set(inspect(connection).get_table_names())
    database.dispose()
    assert differences == []
    assert {"network", "call", "voicemail", "callback_request", "user_account"} <= tables


def test_upgrade_twice_changes_nothing_and_downgrade_empties(empty_database_url):
    database = Database(empty_database_url)
    database.upgrade()
    database.upgrade()
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    with database.engine.connect() as connection:
        remaining = set(inspect(connection).get_table_names()) - {"alembic_version"}
    database.dispose()
    assert remaining == set()


def test_the_menu_s_versions_move_into_the_content_versions(empty_database_url):
    flow = builtin_flow("standard").to_mapping()
    main = flow["nodes"][flow["flow"]["main_menu"]]
    main["options"] = [option for option in main["options"] if option["label"] == "label_talk"]
    main["options"][0]["key"] = "1"
    database = Database(empty_database_url)
    with database.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0014")
        connection.execute(text(
            "INSERT INTO network (id, slug, name, district, stadtteile, postal_codes, address, active, created_at)"
            " VALUES (7, 'bilk', 'Netzwerk Bilk', 'Bilk', '[]', '[]', '', true, '2026-11-30 09:00:00+00:00')"))
        for version, published in ((1, True), (2, False)):
            connection.execute(text(
                "INSERT INTO flow_version (network_id, version, definition, label_texts, published, published_at,"
                " created_at) VALUES (7, :version, :definition, :labels, :published, :published_at, :created)"),
                {"version": version, "definition": json.dumps(flow), "published": published,
                 "labels": json.dumps({"label_talk": f"ein Gespräch, Fassung {version}"}),
                 "published_at": "2026-12-01 10:00:00+00:00" if published else None,
                 "created": "2026-12-01 09:00:00+00:00"})
    database.upgrade()
    with database.engine.connect() as connection:
        versions = connection.execute(text(
            "SELECT kind, number, state, snapshot FROM content_version ORDER BY id")).all()
        flows = connection.execute(text("SELECT version, published FROM flow_version")).all()
    database.dispose()
    assert [(kind, number, state, json.loads(snapshot) if isinstance(snapshot, str) else snapshot)
            for kind, number, state, snapshot in versions] == [
        ("menu", 1, "published", {"options": ["label_talk"], "labels": {"label_talk": "ein Gespräch, Fassung 1"}}),
        ("menu", None, "draft", {"options": ["label_talk"], "labels": {"label_talk": "ein Gespräch, Fassung 2"}}),
    ]
    # The line keeps reading the published menu; the draft lives on as a content draft only.
    assert [(version, bool(published)) for version, published in flows] == [(1, True)]


def _insert(connection, table: str, **row):
    """Insert a row as an older schema has it (the current models would name columns it lacks)."""
    types = {"postal_codes": sa.JSON(), "starts_at": UTCDateTime(), "updated_at": UTCDateTime(),
             "created_at": UTCDateTime()}
    columns = [sa.column(name, types.get(name)) for name in row]
    connection.execute(sa.table(table, *columns).insert(), row)


def test_recurrence_migration_keeps_activities_and_the_welcome_meeting(empty_database_url):
    database = Database(empty_database_url)
    starts_at = datetime(2025, 6, 4, 13, 0, tzinfo=UTC)
    with database.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0016")
        _insert(connection, "network", id=1, slug="bilk", name="Netzwerk Bilk", district="Bilk",
                postal_codes=["40225"], address="", created_at=starts_at)
        _insert(connection, "activity", id=1, network_id=1, title="Erzählcafé", description="Mit Kuchen.",
                starts_at=starts_at, place="Saal", valid_from=date(2025, 5, 1), valid_until=date(2025, 6, 4),
                updated_at=starts_at)
        _insert(connection, "newcomer_info", id=1, network_id=1, text="Willkommen.", updated_at=starts_at,
                welcome_meeting="Jeden ersten Dienstag im Monat um 15 Uhr.")
    database.upgrade()
    with database.sessions() as session:
        activity = session.get(Activity, 1)
        info = session.get(NewcomerInfo, 1)
        assert activity is not None
        assert info is not None
        assert (activity.title, activity.description, activity.place, activity.valid_from, activity.valid_until) \
            == ("Erzählcafé", "Mit Kuchen.", "Saal", date(2025, 5, 1), date(2025, 6, 4))
        assert activity.recurrence == Recurrence(starts_at)  # once, no end date, nothing cancelled
        assert (info.text, info.welcome_meeting) == ("Willkommen.", "Jeden ersten Dienstag im Monat um 15 Uhr.")
        assert info.welcome_schedule is None  # the note is read as before until a date is entered
    database.dispose()


def test_the_activity_drafts_migration_keeps_activities_memberships_and_what_refers_to_them(empty_database_url):
    database = Database(empty_database_url)
    starts_at = datetime(2026, 12, 9, 14, 0, tzinfo=UTC)
    with database.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0019")
        _insert(connection, "network", id=1, slug="bilk", name="Netzwerk Bilk", district="Bilk",
                postal_codes=["40225"], address="", created_at=starts_at)
        _insert(connection, "activity", id=1, network_id=1, title="Erzählcafé", description="Mit Kuchen.",
                starts_at=starts_at, frequency="weekly", repeat_until=date(2027, 3, 31),
                cancelled_dates=json.dumps(["2026-12-23"]), place="Saal", valid_from=date(2026, 12, 1),
                valid_until=None, updated_at=starts_at, audio_path="bilk/erzaehlcafe.wav")
        with Session(connection) as session:
            session.add_all([User(id=1, email="vera@example.org", password_hash="x", role="volunteer"),
                             CallbackRequest(id=1, network_id=1, activity_id=1, number="+492114710999",
                                             topic="Erzählcafé"),
                             Call(id=1, call_sid="CA" + "1" * 32, from_number="+492114710999",
                                  to_number="+492214710100", callback_activity_id=1)])
            session.flush()
        _insert(connection, "user_network", user_id=1, network_id=1)
    database.upgrade()
    with database.sessions() as session:
        activity = session.get(Activity, 1)
        assert activity is not None
        assert (activity.title, activity.description, activity.place, activity.audio_path) == (
            "Erzählcafé", "Mit Kuchen.", "Saal", "bilk/erzaehlcafe.wav")
        assert activity.recurrence == Recurrence(starts_at, Frequency.WEEKLY, date(2027, 3, 31),
                                                 frozenset({date(2026, 12, 23)}))
        assert (activity.valid_from, activity.valid_until) == (date(2026, 12, 1), None)
        # Nobody is named as having entered or published what was there before.
        assert (activity.contact, activity.entered_by_id, activity.published_by_id) == ("", None, None)
        # A callback request and a call about the activity still name it (its table was rebuilt, not emptied).
        assert session.get(CallbackRequest, 1).activity_id == 1
        assert session.get(Call, 1).callback_activity_id == 1
        assert [network.id for network in session.get(User, 1).networks] == [1]
        assert session.scalars(sa.select(user_networks.c.publishes_directly)).all() == [False]
        assert session.scalars(sa.select(ActivityDraft)).all() == []
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0019")
        assert connection.execute(text("SELECT title, place FROM activity")).all() == [("Erzählcafé", "Saal")]
        assert connection.execute(text("SELECT activity_id FROM callback_request")).scalar_one() == 1
        assert connection.execute(text("SELECT callback_activity_id FROM call")).scalar_one() == 1
        assert connection.execute(text("SELECT user_id, network_id FROM user_network")).all() == [(1, 1)]
    database.dispose()
