"""Only Twilio gets in, and whatever goes wrong, the caller hears German TwiML (never a 500)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from twilio.request_validator import RequestValidator

from hotline import create_app
from hotline.models import Call
from ivr_flows import CallState

from tests.support import TwilioClient
from tests.voice_support import BILK_LINE, CALLER

PARAMS = {"CallSid": "CA" + "1" * 32, "From": CALLER, "To": BILK_LINE}
STATE = CallState(node="main").encode()
ROUTES = ["/twilio/voice", "/twilio/status", "/twilio/retry/1", f"/twilio/step/{STATE}",
          f"/twilio/recorded/{STATE}", f"/twilio/dialed/{STATE}", "/twilio/recording-status"]


def test_every_route_of_the_voice_blueprint_is_covered_here(app):
    twilio_rules = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("voice.")}
    assert twilio_rules == {"/twilio/voice", "/twilio/status", "/twilio/retry/<int:attempt>",
                            "/twilio/step/<state>", "/twilio/recorded/<state>", "/twilio/dialed/<state>",
                            "/twilio/recording-status"}


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("tamper", ["unsigned", "forged", "changed-param", "other-token"])
def test_unsigned_forged_or_tampered_requests_get_403(client, settings, path, tamper):
    token = "someone-elses-token" if tamper == "other-token" else settings.twilio_auth_token
    signature = RequestValidator(token).compute_signature("http://localhost" + path, PARAMS)
    headers = {} if tamper == "unsigned" else {"X-Twilio-Signature": "Zm9yZ2Vk" if tamper == "forged" else signature}
    data = {**PARAMS, "From": "+4915100000000"} if tamper == "changed-param" else PARAMS
    assert client.post(path, data=data, headers=headers).status_code == 403


@pytest.mark.parametrize("path", ROUTES)
def test_signed_requests_pass_on_every_route(twilio, check_twiml, bilk, clock, path):
    extra = {"CallStatus": "completed", "RecordingSid": "RE" + "1" * 32, "RecordingUrl": "https://api.twilio.com/r",
             "RecordingStatus": "completed"}
    check_twiml(twilio.post(path, {**PARAMS, **extra}))


@pytest.mark.parametrize("path", [f"/twilio/step/{'x' * 20}", "/twilio/step/bm90LWpzb24",
                                  f"/twilio/recorded/{'!' * 4}"])
def test_an_undecodable_state_gets_an_apology_and_a_fresh_start(twilio, check_twiml, bilk, clock, path):
    root = check_twiml(twilio.post(path, PARAMS))
    assert "Entschuldigung" in "".join(root.itertext())
    assert root.find("Redirect").text == "http://localhost/twilio/retry/1"
    restarted = check_twiml(twilio.post("/twilio/retry/1", PARAMS))
    assert "Guten Tag, hier ist die Anlaufstelle Bilk." in "".join(restarted.itertext())


def test_content_too_long_for_twilio_gets_an_apology_not_a_broken_document(twilio, check_twiml, bilk, clock,
                                                                            db_session):
    bilk.newcomer_info.welcome_meeting = "Dienstag um 15 Uhr im Stadtteilzentrum, gleich am Markt. " * 2000
    db_session.commit()
    menu = check_twiml(twilio.post("/twilio/voice", PARAMS)).find("Gather").get("action")
    root = check_twiml(twilio.post(menu.removeprefix("http://localhost"), {**PARAMS, "Digits": "2"}))
    assert "Entschuldigung" in "".join(root.itertext())
    assert root.find("Redirect").text == "http://localhost/twilio/retry/1"


def test_missing_parameters_get_an_apology(twilio, check_twiml, bilk, clock):
    root = check_twiml(twilio.post("/twilio/voice", {"From": CALLER}))
    assert "Entschuldigung" in "".join(root.itertext())


def test_a_second_error_ends_the_call_politely_instead_of_looping(twilio, check_twiml, clock):
    root = check_twiml(twilio.post("/twilio/retry/1", {"From": CALLER}))
    assert root.find("Redirect") is None
    assert root.find("Hangup") is not None
    assert "Bitte rufen Sie später noch einmal an." in "".join(root.itertext())


def test_bad_callbacks_answer_an_empty_response_and_store_nothing(twilio, check_twiml, db_session):
    for path, data in [("/twilio/status", {**PARAMS, "CallStatus": "completed", "CallDuration": "lang"}),
                       ("/twilio/recording-status", {**PARAMS, "RecordingSid": "RE1", "RecordingUrl": "u",
                                                     "RecordingStatus": "paused"}),
                       ("/twilio/recording-status", PARAMS)]:
        root = check_twiml(twilio.post(path, data))
        assert list(root) == []
    assert db_session.scalars(select(Call)).all() == []


@pytest.fixture
def unreachable_database(settings, tmp_path):
    """An app whose database cannot be opened (its directory does not exist)."""
    broken = replace(settings, database_url=f"sqlite:///{tmp_path}/missing-dir/db.sqlite3")
    app = create_app(broken)
    yield TwilioClient(app.test_client(), settings.twilio_auth_token)
    app.extensions["hotline.jobs"].queue.flush()


@pytest.mark.parametrize("path", ["/twilio/voice", f"/twilio/step/{STATE}", "/twilio/retry/1"])
def test_database_down_still_answers_german_twiml(unreachable_database, check_twiml, path):
    root = check_twiml(unreachable_database.post(path, {**PARAMS, "Digits": "1"}))
    said = "".join(root.itertext())
    assert "Entschuldigung, hier ist gerade etwas schiefgegangen." in said
    assert root.find("Say").get("language") == "de-DE"


@pytest.mark.parametrize("path", ["/twilio/status", "/twilio/recording-status"])
def test_database_down_callbacks_answer_empty(unreachable_database, check_twiml, path):
    data = {**PARAMS, "CallStatus": "completed", "RecordingSid": "RE1", "RecordingUrl": "u",
            "RecordingStatus": "completed"}
    assert list(check_twiml(unreachable_database.post(path, data))) == []


def test_a_failing_commit_still_answers_twiml(settings, check_twiml, monkeypatch, bilk, db_session):
    # Outside testing mode Flask hands the failed commit to the blueprint's 500 handler.
    app = create_app(replace(settings, testing=False))
    database = app.extensions["hotline.db"]
    database.sessions.configure(bind=db_session.connection(), join_transaction_mode="create_savepoint")

    def broken_commit(self):
        raise OperationalError("COMMIT", {}, Exception("database went away"))

    monkeypatch.setattr(Session, "commit", broken_commit)
    root = check_twiml(TwilioClient(app.test_client(), settings.twilio_auth_token).post("/twilio/voice", PARAMS))
    assert "Entschuldigung" in "".join(root.itertext())
    app.extensions["hotline.jobs"].queue.flush()
    database.dispose()
