"""Migrations build the schema from nothing, on SQLite and PostgreSQL, and match the models."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import hotline.models  # noqa: F401 - registers the tables
from hotline.db import Base, Database, alembic_config

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
