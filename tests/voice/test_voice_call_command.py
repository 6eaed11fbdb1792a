"""`hotline call`: scripted test calls through the real, signed webhooks."""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from hotline import create_app
from hotline.cli.demo import load_demo
from hotline.models import Call, CallbackRequest, Voicemail

from tests.voice_support import BILK_LINE, CITY_LINE


def _call(runner, *args):
    result = runner.invoke(args=["call", "--quiet", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_message_journey(runner, bilk, clock, db_session, spy_jobs):
    output = _call(runner, "--to", BILK_LINE, "--keys", "3,1,#,1,1")
    assert "Guten Tag, hier ist die Anlaufstelle Bilk." in output
    assert "[Piep: Aufnahme läuft]" in output
    assert "Vielen Dank für Ihre Nachricht." in output
    assert "Auf Wiederhören!" in output
    [voicemail] = db_session.scalars(select(Voicemail)).all()
    assert voicemail.source_url.startswith("http://127.0.0.1/recordings/RE")
    [request] = db_session.scalars(select(CallbackRequest)).all()
    assert (request.number, request.voicemail_id, request.number_confirmed) == ("+492214710999", voicemail.id, True)
    [call] = db_session.scalars(select(Call)).all()
    assert call.status == "completed"
    assert ("process", voicemail.id) in spy_jobs.log


def test_a_withheld_caller_types_a_number(runner, bilk, clock, db_session):
    output = _call(runner, "--to", BILK_LINE, "--withheld", "--keys", "0,0211123456#,1")
    assert "Sie haben eingegeben: null zwo eins eins, eins zwo drei, vier fünf sechs." in output
    [request] = db_session.scalars(select(CallbackRequest)).all()
    assert request.number == "+49211123456"


def test_waiting_and_forwarding(runner, bilk, clock):
    output = _call(runner, "--to", BILK_LINE, "--keys", "wait,4,answer")
    assert "Ich habe leider keine Eingabe gehört." in output
    assert "[Weiterleitung an +492214710101, Absender +492214710100]" in output
    assert "Vielen Dank für Ihren Anruf." in output


def test_hanging_up_early_still_completes_the_call(runner, bilk, clock, db_session):
    output = _call(runner, "--keys", "1,hangup")
    assert "Erzählcafé" in output
    [call] = db_session.scalars(select(Call)).all()
    assert (call.to_number, call.status) == (BILK_LINE, "completed")


def test_keys_from_the_terminal(runner, bilk, gerresheim, clock):
    result = runner.invoke(args=["call", "--quiet", "--to", CITY_LINE], input="40625\nhangup\n")
    assert result.exit_code == 0, result.output
    assert "Sie sind jetzt bei der Anlaufstelle Gerresheim." in result.output


def test_without_any_line_it_asks_for_a_number(runner):
    result = runner.invoke(args=["call", "--quiet"])
    assert result.exit_code == 1
    assert "bitte --to angeben" in result.output


@pytest.fixture
def served_hotline(settings, tmp_path):
    """The hotline served over real HTTP on 127.0.0.1, on its own database with the demo content."""
    own = replace(settings, database_url=f"sqlite:///{tmp_path / 'served.sqlite3'}")
    app = create_app(own)
    database = app.extensions["hotline.db"]
    database.upgrade()
    with database.session_scope() as session:
        load_demo(session, today=date.today())
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    app.extensions["hotline.jobs"].queue.flush()
    database.dispose()


@pytest.mark.slow
def test_over_http_against_a_running_service(served_hotline):
    app, base_url = served_hotline
    runner = app.test_cli_runner()
    result = runner.invoke(args=["call", "--quiet", "--base-url", base_url, "--to", "+492214710100",
                                 "--keys", "2,1,1,3"])
    assert result.exit_code == 0, result.output
    assert "Guten Tag, hier ist die Anlaufstelle Bilk." in result.output
    assert "Jemand von uns ruft Sie zurück." in result.output
    # The line's number in groups, so the caller knows who calls.
    assert "Wir rufen von dieser Nummer an: null zwo zwo eins, vier sieben eins, null eins, null null." \
        in result.output
    with app.extensions["hotline.db"].session_scope() as session:
        topics = session.scalars(select(CallbackRequest.topic).where(CallbackRequest.call_id.is_not(None))).all()
    assert topics == ["Informationen für neue Interessierte"]


@pytest.mark.slow
def test_a_service_that_refuses_the_call_is_reported(served_hotline):
    app, base_url = served_hotline
    stranger = create_app(replace(app.extensions["hotline.settings"], twilio_auth_token="not-the-token"))
    result = stranger.test_cli_runner().invoke(
        args=["call", "--quiet", "--base-url", base_url, "--to", "+492214710100", "--keys", "1"])
    stranger.extensions["hotline.jobs"].queue.flush()
    assert result.exit_code == 1
    assert "HTTP 403" in result.output


def test_speaks_with_espeak_ng_unless_quiet(runner, bilk, clock, tmp_path, monkeypatch):
    spoken = tmp_path / "spoken.txt"
    fake = tmp_path / "bin" / "espeak-ng"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nprintf "%s|%s|%s\\n" "$1" "$2" "$3" >> {spoken}\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    result = runner.invoke(args=["call", "--to", BILK_LINE, "--keys", "hangup"])
    assert result.exit_code == 0, result.output
    assert spoken.read_text().splitlines()[0] == "-v|de|Guten Tag, hier ist die Anlaufstelle Bilk."
