"""`hotline backup` and `hotline restore`: round trips on both backends, refusals, expiry."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import stat
import tarfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from hotline import create_app
from hotline.config import Settings
from hotline.db import Database
from hotline.files.backup import ARCHIVE_PATTERN
from hotline.models import CallbackRequest, Network, PromptOverride, Voicemail

from tests.factories import make_callback, make_line_number, make_network, make_voicemail
from tests.support import fresh_postgres_database, postgres_server_url, require, service_reachable

RECORDING = b"RIFF\x24\x00\x00\x00WAVEfmt voicemail audio"
PROMPT = b"RIFF\x24\x00\x00\x00WAVEfmt recorded prompt"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.slow])])
def new_install(request, tmp_path) -> Iterator[Callable[[str], Settings]]:
    """Makes the settings of an install with its own data dir and an empty database of the backend."""
    with ExitStack() as stack:
        def make(name: str) -> Settings:
            data_dir = tmp_path / name
            data_dir.mkdir()
            if request.param == "sqlite":
                url = f"sqlite:///{data_dir / 'hotline.sqlite3'}"
            else:
                server = postgres_server_url()
                require(service_reachable(server), f"PostgreSQL at {server}")
                require(bool(shutil.which("pg_dump") and shutil.which("pg_restore")),
                        "pg_dump and pg_restore (Debian package postgresql-client)")
                url = stack.enter_context(fresh_postgres_database(server))
            return _settings(data_dir, url)

        yield make


def _settings(data_dir: Path, url: str) -> Settings:
    # From the environment as in production, so the local secrets are created in the data dir.
    return Settings.from_env({"HOTLINE_DATA_DIR": str(data_dir), "DATABASE_URL": url},
                             read_dotenv=False, testing=True)


def _hotline(settings: Settings, *args: str):
    app = create_app(settings)
    try:
        return app.test_cli_runner().invoke(args=list(args))
    finally:
        app.extensions["hotline.db"].dispose()


def _fill(settings: Settings) -> None:
    """Networks, a callback request with its voicemail and audio, a recorded prompt."""
    database = Database(settings.database_url)
    database.upgrade()
    with database.session_scope() as session:
        network = make_network(session, slug="bilk", name="Netzwerk Bilk")
        make_line_number(session, network, "+492111234567")
        make_network(session, slug="benrath", name="Netzwerk Benrath")
        voicemail = make_voicemail(session, network_id=network.id, state="downloaded",
                                   local_path="recordings/RE0001.wav")
        make_callback(session, network_id=network.id, voicemail_id=voicemail.id, topic="Bitte zurückrufen")
        session.add(PromptOverride(network_id=network.id, key="welcome", audio_path="bilk/willkommen.wav"))
    database.dispose()
    (settings.data_dir / "recordings").mkdir()
    (settings.data_dir / "recordings" / "RE0001.wav").write_bytes(RECORDING)
    (settings.data_dir / "prompt-audio" / "bilk").mkdir(parents=True)
    (settings.data_dir / "prompt-audio" / "bilk" / "willkommen.wav").write_bytes(PROMPT)


def _contents(settings: Settings) -> dict[str, object]:
    database = Database(settings.database_url)
    with database.session_scope() as session:
        contents = {
            "networks": [(n.slug, n.name, [p.e164 for p in n.phone_numbers])
                         for n in session.scalars(select(Network).order_by(Network.slug))],
            "voicemails": [(v.recording_sid, v.local_path, v.state) for v in session.scalars(select(Voicemail))],
            "callbacks": [(c.topic, c.voicemail_id is not None) for c in session.scalars(select(CallbackRequest))],
            "prompts": [(p.key, p.audio_path) for p in session.scalars(select(PromptOverride))],
        }
    database.dispose()
    return contents


def _backup(settings: Settings, *args: str) -> Path:
    result = _hotline(settings, "backup", *args)
    assert result.exit_code == 0, result.output
    return Path(result.output.splitlines()[-1])


def test_backup_then_restore_into_an_empty_install_gives_back_rows_files_and_secrets(new_install):
    source = new_install("source")
    _fill(source)

    archive = _backup(source)

    assert archive.parent == source.data_dir / "backups"
    assert ARCHIVE_PATTERN.match(archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    target = new_install("target")
    result = _hotline(target, "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert "2 Netzwerke, 1 Rückrufwünsche, 1 Nachrichten, 1 Aufnahmen, 1 Ansagen" in result.output
    assert _contents(target) == _contents(source)
    assert (target.data_dir / "recordings" / "RE0001.wav").read_bytes() == RECORDING
    assert (target.data_dir / "prompt-audio" / "bilk" / "willkommen.wav").read_bytes() == PROMPT
    for secret in ("twilio-auth-token", "secret-key"):
        assert (target.data_dir / secret).read_text() == (source.data_dir / secret).read_text()
        assert stat.S_IMODE((target.data_dir / secret).stat().st_mode) == 0o600
    restarted = _settings(target.data_dir, target.database_url)
    assert restarted.twilio_auth_token == source.twilio_auth_token
    app = create_app(restarted)
    assert app.test_client().get("/healthz").status_code == 200
    app.extensions["hotline.db"].dispose()


def test_sqlite_backup_takes_what_is_committed_while_a_writer_holds_its_transaction(tmp_path):
    settings = _settings(tmp_path, f"sqlite:///{tmp_path / 'hotline.sqlite3'}")
    _fill(settings)
    writer = sqlite3.connect(tmp_path / "hotline.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM callback_request")

    archive = _backup(settings)

    writer.execute("ROLLBACK")
    writer.close()
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["backend"] == "sqlite"
    assert manifest["counts"]["callback_requests"] == 1
    assert manifest["revision"]


def test_restore_refuses_a_data_dir_that_is_not_empty_unless_forced(tmp_path):
    source = _settings(tmp_path / "source", f"sqlite:///{tmp_path / 'source' / 'hotline.sqlite3'}")
    _fill(source)
    archive = _backup(source)
    target = _settings(tmp_path / "target", f"sqlite:///{tmp_path / 'target' / 'hotline.sqlite3'}")
    (target.data_dir / "recordings").mkdir()
    (target.data_dir / "recordings" / "RE9999.wav").write_bytes(b"anderes")

    refused = _hotline(target, "restore", str(archive))
    forced = _hotline(target, "restore", "--force", str(archive))

    assert refused.exit_code == 1
    assert "Das Datenverzeichnis ist nicht leer (recordings)" in refused.output
    assert forced.exit_code == 0, forced.output
    assert sorted(path.name for path in (target.data_dir / "recordings").iterdir()) == ["RE0001.wav"]
    assert _contents(target) == _contents(source)


def _archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(("members", "message"), [
    ({"database.sqlite3": b"x"}, "ist keine Sicherung der Netzwerk-Hotline (manifest.json fehlt)"),
    ({"manifest.json": b'{"format": "etwas-anderes"}'}, "ist keine Sicherung der Netzwerk-Hotline"),
    ({"manifest.json": json.dumps({"format": "netzwerk-hotline-backup", "version": "0.1.0", "revision": None,
                                   "backend": "postgresql", "created_at": "2025-01-01T00:00:00+00:00",
                                   "counts": {}}).encode()},
     "enthält eine postgresql-Datenbank, DATABASE_URL nennt aber sqlite"),
])
def test_restore_refuses_an_archive_that_is_not_ours_or_of_another_backend(tmp_path, members, message):
    archive = _archive(tmp_path / "fremd.tar.gz", members)
    target = _settings(tmp_path / "target", f"sqlite:///{tmp_path / 'target' / 'hotline.sqlite3'}")

    result = _hotline(target, "restore", str(archive))

    assert result.exit_code == 1
    assert message in result.output
    assert not (target.data_dir / "hotline.sqlite3").exists()


def test_restore_refuses_a_file_that_is_no_archive(tmp_path):
    text = tmp_path / "notizen.tar.gz"
    text.write_text("keine Sicherung")
    target = _settings(tmp_path / "target", f"sqlite:///{tmp_path / 'target' / 'hotline.sqlite3'}")

    result = _hotline(target, "restore", str(text))

    assert result.exit_code == 1
    assert "kein lesbares tar.gz-Archiv" in result.output


def test_backup_expires_only_archives_older_than_the_audio_retention(tmp_path):
    settings = _settings(tmp_path / "data", f"sqlite:///{tmp_path / 'data' / 'hotline.sqlite3'}")
    _fill(settings)
    folder = tmp_path / "sicherungen"
    folder.mkdir()
    now = datetime.now(UTC)
    old = folder / f"hotline-backup-{now - timedelta(days=settings.retention_audio_days + 1):%Y%m%d-%H%M%S}.tar.gz"
    recent = folder / f"hotline-backup-{now - timedelta(days=settings.retention_audio_days - 1):%Y%m%d-%H%M%S}.tar.gz"
    unrelated = folder / "hotline-backup-notizen.txt"
    for path in (old, recent, unrelated):
        path.write_bytes(b"alt")

    result = _hotline(settings, "backup", "--to", str(folder))

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"Alte Sicherung gelöscht (älter als 14 Tage): {old}" in lines
    new = Path(lines[-1])
    assert sorted(folder.iterdir()) == sorted([recent, unrelated, new])
    assert ARCHIVE_PATTERN.match(new.name)
