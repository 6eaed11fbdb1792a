"""The hotline command: init-db, db revision, demo, user add, networks."""

import re
import shutil

import pytest
from sqlalchemy import Column, Integer, Table, select
from werkzeug.security import check_password_hash

import hotline.db
from hotline.cli.demo import NETWORKS
from hotline.db import MIGRATIONS_DIR, Base
from hotline.models import Network, User
from hotline.services.users import check_password

from tests.factories import make_network


def test_init_db_is_safe_to_repeat(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "neuesten Stand" in result.output


@pytest.mark.slow
def test_demo_command_loads_once(runner, db_session):
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert first.exit_code == second.exit_code == 0
    assert f"{len(NETWORKS)} neue Netzwerke" in first.output
    assert "0 neue Netzwerke" in second.output
    assert len(db_session.scalars(select(Network)).all()) == len(NETWORKS)


def test_demo_if_empty_leaves_an_existing_database_alone(runner, db_session):
    db_session.add(Network(slug="eigenes", name="Eigenes Netzwerk", district="Flingern"))
    db_session.commit()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0
    assert "keine Demo-Daten" in result.output
    assert db_session.scalars(select(Network.slug)).all() == ["eigenes"]


def test_user_add_takes_the_password_from_the_environment(runner, db_session, monkeypatch):
    make_network(db_session, slug="bilk")
    db_session.commit()
    monkeypatch.setenv("HOTLINE_PASSWORD", "sehr-geheim-123")
    result = runner.invoke(
        args=["user", "add", "Anna@Example.org", "--role", "volunteer", "--network", "bilk"]
    )
    assert result.exit_code == 0, result.output
    user = db_session.scalar(select(User).where(User.email == "anna@example.org"))
    assert check_password_hash(user.password_hash, "sehr-geheim-123")
    assert [n.slug for n in user.networks] == ["bilk"]


def test_user_add_prompts_for_the_password(runner, db_session, monkeypatch):
    monkeypatch.delenv("HOTLINE_PASSWORD", raising=False)
    result = runner.invoke(args=["user", "add", "b@example.org", "--role", "admin"],
                           input="ein-langes-passwort\nein-langes-passwort\n")
    assert result.exit_code == 0, result.output
    assert db_session.scalar(select(User.role).where(User.email == "b@example.org")) == "admin"


def test_user_add_explains_what_is_wrong(runner, monkeypatch):
    monkeypatch.setenv("HOTLINE_PASSWORD", "sehr-geheim-123")
    assert runner.invoke(args=["user", "add", "c@example.org", "--role", "volunteer"]).exit_code == 0
    duplicate = runner.invoke(args=["user", "add", "C@example.org", "--role", "volunteer"])
    unknown = runner.invoke(args=["user", "add", "d@example.org", "--role", "volunteer",
                                  "--network", "nirgendwo"])
    monkeypatch.setenv("HOTLINE_PASSWORD", "kurz")
    short = runner.invoke(args=["user", "add", "e@example.org", "--role", "volunteer"])
    assert "schon ein Konto" in duplicate.output
    assert duplicate.exit_code == 1
    assert "Unbekannte Netzwerke: nirgendwo" in unknown.output
    assert "mindestens 10 Zeichen" in short.output


@pytest.mark.slow
def test_networks_lists_each_network_with_its_numbers(runner):
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["networks"])
    lines = result.output.strip().splitlines()
    assert len(lines) == len(NETWORKS)
    assert lines == sorted(lines)
    assert "benrath\tNetzwerk Benrath\t+492214710300" in lines
    assert "bilk\tNetzwerk Bilk\t+492214710100" in lines
    assert "gerresheim\tNetzwerk Gerresheim\t+492214710200" in lines
    assert all(re.fullmatch(r"[a-z0-9-]+\t[^\t]+\t\+49\d+( \+49\d+)*", line) for line in lines)


@pytest.fixture
def migrations_copy(tmp_path, monkeypatch):
    """A copy of the migrations folder that `hotline db revision` writes into instead."""
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(hotline.db, "MIGRATIONS_DIR", copy)
    return copy / "versions"


def test_db_revision_writes_nothing_when_the_models_match(runner, migrations_copy):
    before = sorted(migrations_copy.iterdir())
    result = runner.invoke(args=["db", "revision", "-m", "nothing to do"])
    assert result.exit_code == 0, result.output
    assert "keine Revision geschrieben" in result.output
    assert sorted(migrations_copy.iterdir()) == before


def test_db_revision_writes_the_next_dated_revision_for_a_model_change(runner, migrations_copy):
    head = max(int(path.name.split("_")[2]) for path in migrations_copy.glob("*_*_[0-9][0-9][0-9][0-9]_*.py"))
    scratch = Table("scratch_note", Base.metadata, Column("id", Integer, primary_key=True))
    try:
        result = runner.invoke(args=["db", "revision", "-m", "Add scratch note"])
    finally:
        Base.metadata.remove(scratch)
    assert result.exit_code == 0, result.output
    newest = max(path.name for path in migrations_copy.glob("*.py"))
    assert re.fullmatch(rf"\d{{8}}_\d{{4}}_{head + 1:04d}_add_scratch_note\.py", newest)
    assert f"Revision geschrieben: {migrations_copy / newest}" in result.output
    written = (migrations_copy / newest).read_text()
    assert f"down_revision = '{head:04d}'" in written or f'down_revision = "{head:04d}"' in written
    assert "op.create_table('scratch_note'" in written or 'op.create_table("scratch_note"' in written


def test_a_long_strong_password_is_accepted_not_a_server_error():
    long_password = "Kanne Fahrrad Wolke Laterne Quittenbaum Segelboot Mondschein Teekessel Zimtstern"
    check_password(long_password, ("Erika Schmitz",))
