"""`hotline doctor`: one line per check, exit 1 on any FEHLER, even with broken settings or database."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from click.testing import CliRunner

from hotline.cli.doctor import Context, check_smtp, check_twilio, doctor_command
from hotline.db import Database, utcnow
from hotline.services.worker_health import record_heartbeat
from hotline.twilio.client import TwilioGateway

from tests.factories import make_line_number, make_network
from tests.support import free_port
from tests.twilio_numbers.twilio_numbers_support import BASE, FakeTwilioNumbers, connected, number_json

# The variables a developer's shell or CI may set that would change what a local install is.
_UNSET = ("DATABASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL", "SMTP_HOST",
          "VOSK_MODEL_PATH", "SECRET_KEY")


@pytest.fixture
def local_install(tmp_path, monkeypatch):
    """Environment of a local install in tmp_path: its SQLite database migrated, no `.env` read."""
    monkeypatch.chdir(tmp_path)  # settings read `.env` from the working directory
    database = Database(f"sqlite:///{tmp_path / 'hotline.sqlite3'}")
    database.upgrade()
    yield database, {**dict.fromkeys(_UNSET), "HOTLINE_DATA_DIR": str(tmp_path)}
    database.dispose()


def _doctor(env):
    return CliRunner().invoke(doctor_command, env=env)


def test_a_healthy_local_install_passes_with_warnings_only(local_install, tmp_path):
    database, env = local_install
    with database.session_scope() as session:
        record_heartbeat(session, utcnow() - timedelta(minutes=1))
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / f"hotline-backup-{utcnow():%Y%m%d-%H%M%S}.tar.gz").write_bytes(b"")

    result = _doctor(env)

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 10
    assert all(line.split()[0] in {"OK", "WARNUNG"} for line in lines)
    assert "WARNUNG  SMTP_HOST ist nicht gesetzt: E-Mails warten im Postausgang" in lines
    assert [line for line in lines if "Sicherung" in line][0].startswith("OK")
    assert [line for line in lines if "Worker" in line][0].startswith("OK")


def test_no_worker_and_an_old_backup_are_reported(local_install, tmp_path):
    _, env = local_install
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "hotline-backup-20200101-030000.tar.gz").write_bytes(b"")

    result = _doctor(env)

    assert result.exit_code == 1
    assert "FEHLER   Worker: noch nie gesehen; läuft `hotline worker`?" in result.output.splitlines()
    assert [line for line in result.output.splitlines() if "Sicherung" in line][0].startswith("WARNUNG")


def test_a_database_that_does_not_answer_is_named(local_install):
    _, env = local_install
    result = _doctor({**env, "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/hotline"})

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[1].startswith("FEHLER   DATABASE_URL: die Datenbank")
    assert "Worker: nicht prüfbar, die Datenbank antwortet nicht" in result.output
    assert len(lines) == 10  # the other checks still ran


def test_a_missing_sqlite_file_is_named(local_install, tmp_path):
    _, env = local_install
    result = _doctor({**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'nirgends' / 'db.sqlite3'}"})
    assert result.exit_code == 1
    assert "FEHLER   DATABASE_URL: keine Datenbankdatei" in result.output


def test_settings_that_do_not_parse_are_reported_alone(local_install):
    _, env = local_install
    result = _doctor({**env, "SMTP_PORT": "fünf", "PUBLIC_BASE_URL": "ftp://x"})
    assert result.exit_code == 1
    assert result.output.startswith("FEHLER   Einstellungen:")
    assert "SMTP_PORT" in result.output
    assert "PUBLIC_BASE_URL" in result.output


def test_plain_http_public_base_url_is_an_error(local_install):
    _, env = local_install
    result = _doctor({**env, "PUBLIC_BASE_URL": "http://hotline.example.org"})
    assert result.exit_code == 1
    assert "FEHLER   PUBLIC_BASE_URL muss mit https:// beginnen: http://hotline.example.org" in result.output


def test_smtp_answers_when_configured(settings, inbox):
    configured = replace(settings, smtp_host="127.0.0.1", smtp_port=inbox.port, smtp_from="hotline@example.org",
                         smtp_starttls=False)
    assert check_smtp(Context(configured, None, None)).level == "OK"  # type: ignore[arg-type]
    closed = replace(configured, smtp_port=free_port())
    assert check_smtp(Context(closed, None, None)).text.startswith("SMTP_HOST:")  # type: ignore[arg-type]


def test_twilio_every_network_number_must_be_connected(app, settings, db_session):
    with_base = replace(settings, public_base_url=BASE)
    network = make_network(db_session)
    make_line_number(db_session, network, "+4921112345601")
    make_line_number(db_session, network, "+4921112345602")
    db_session.commit()
    sid = settings.twilio_account_sid
    database = app.extensions["hotline.db"]

    def check(*numbers, status=200):
        return check_twilio(Context(with_base, database, TwilioGateway(with_base, FakeTwilioNumbers(list(numbers),
                                                                                                     status))))

    both = [connected(sid, 1, "+4921112345601"), connected(sid, 2, "+4921112345602")]
    assert check(*both).level == "OK"
    half = check(both[0], number_json(sid, 2, "+4921112345602"))
    assert (half.level, half.text) == ("FEHLER", "Twilio: nicht verbunden: +4921112345602 (`hotline twilio connect`)")
    assert check(both[0]).text == "Twilio: nicht im Konto: +4921112345602"
    assert check(both[0], connected(sid, 2, "+4921112345602", voice_fallback_url="")).level == "WARNUNG"
    rejected = check(status=401)
    assert (rejected.level, "HTTP 401" in rejected.text) == ("FEHLER", True)


def test_a_queue_backend_that_does_not_answer_is_named(local_install):
    _, env = local_install
    result = _doctor({**env, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    assert result.exit_code == 1
    assert "FEHLER   REDIS_URL: antwortet nicht (ConnectionError)" in result.output.splitlines()
