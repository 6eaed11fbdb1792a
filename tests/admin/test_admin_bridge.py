"""Calling back through the hotline: the real Twilio REST client over a fake transport, and the
bridge TwiML (press 1, then dial the caller) parsed as XML and checked against the schema."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from lxml import etree
from sqlalchemy import select
from twilio.http import HttpClient
from twilio.http.response import Response as TwilioResponse

from hotline import create_app
from hotline.db import Database, utcnow
from hotline.models import CallbackRequest, OutgoingCall, User
from hotline.web import request_db

from tests.admin.admin_support import AdminClient
from tests.support import TwilioClient
from tests.voice_support import load_twiml_schema

BASE = "https://hotline.example.org"


class FakeTwilioTransport(HttpClient):
    """Only the network transport is fake: the real twilio Client builds every request."""

    def __init__(self, status: int = 201) -> None:
        super().__init__(logger=None, is_async=False)
        self.requests: list[dict] = []
        self.status = status

    def request(self, method, uri, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):
        self.requests.append({"method": method, "uri": uri, "data": data, "auth": auth,
                              "in_transaction": request_db.session().in_transaction()})
        if self.status >= 400:
            body = {"code": 21211, "message": "Invalid 'To' Phone Number", "status": self.status}
        else:
            body = {"sid": "CA" + "f" * 32, "status": "queued", "to": data["To"],
                    "from": data["From"]}
        return TwilioResponse(self.status, json.dumps(body))


@pytest.fixture
def call_app(settings, db_session):
    app = create_app(replace(settings, public_base_url=BASE))
    database: Database = app.extensions["hotline.db"]
    database.sessions.configure(bind=db_session.connection(),
                                join_transaction_mode="create_savepoint")
    app.extensions["hotline.twilio"].transport = FakeTwilioTransport()
    return app


@pytest.fixture
def volunteer_web(call_app, world):
    web = AdminClient(call_app.test_client())
    web.login(world.volunteer.email)
    web.post(f"/admin/rueckrufe/{world.request.id}/uebernehmen")
    return web


def test_call_button_asks_twilio_to_ring_the_volunteer(call_app, volunteer_web, world, settings):
    response = volunteer_web.post(f"/admin/rueckrufe/{world.request.id}/anrufen",
                                  follow_redirects=True)
    assert "Ihr Telefon klingelt gleich" in response.get_data(as_text=True)
    (sent,) = call_app.extensions["hotline.twilio"].transport.requests
    assert sent["method"] == "POST"
    assert sent["uri"] == (f"https://api.twilio.com/2010-04-01/Accounts/"
                           f"{settings.twilio_account_sid}/Calls.json")
    assert sent["auth"] == (settings.twilio_account_sid, settings.twilio_auth_token)
    data = sent["data"]
    assert data["To"] == "+4917139200123"
    assert data["From"] == "+492214710100"
    assert data["Url"] == f"{BASE}/twilio/bridge/{world.request.id}/answer"
    assert data["StatusCallback"] == f"{BASE}/twilio/bridge/{world.request.id}/status"
    assert data["Timeout"] == 30
    assert "4710911" not in json.dumps(data)  # the caller's number never leaves in the REST call


def test_the_outgoing_call_is_kept_for_the_retention_at_twilio(call_app, volunteer_web, world, db_session):
    volunteer_web.post(f"/admin/rueckrufe/{world.request.id}/anrufen")
    (kept,) = db_session.scalars(select(OutgoingCall)).all()
    assert (kept.call_sid, kept.request_id) == ("CA" + "f" * 32, world.request.id)


def test_no_database_transaction_is_open_while_twilio_is_asked(call_app, volunteer_web, world):
    # The request to Twilio can take seconds; meanwhile the webhooks must be able to write.
    volunteer_web.post(f"/admin/rueckrufe/{world.request.id}/anrufen")
    (sent,) = call_app.extensions["hotline.twilio"].transport.requests
    assert sent["in_transaction"] is False


def test_twilio_error_is_explained(call_app, volunteer_web, world, db_session):
    call_app.extensions["hotline.twilio"].transport.status = 400
    response = volunteer_web.post(f"/admin/rueckrufe/{world.request.id}/anrufen",
                                  follow_redirects=True)
    assert "Der Telefondienst hat den Anruf gerade nicht angenommen" in response.get_data(as_text=True)
    assert db_session.scalars(select(OutgoingCall)).all() == []


def test_without_twilio_settings_the_button_explains_why(login_as, world):
    web = login_as("volunteer")  # the plain test app has no PUBLIC_BASE_URL
    web.post(f"/admin/rueckrufe/{world.request.id}/uebernehmen")
    page = web.get(f"/admin/rueckrufe/{world.request.id}").get_data(as_text=True)
    assert "Über die Hotline anrufen</button>" in page
    assert "disabled" in page
    assert "Anrufen über die Hotline ist hier noch nicht eingerichtet" in page
    assert "TWILIO_ACCOUNT_SID" not in page
    assert 'href="tel:+492214710911"' in page


def test_without_own_phone_the_button_explains_why(call_app, world, db_session):
    db_session.get(User, world.volunteer.id).phone = None
    db_session.commit()
    web = AdminClient(call_app.test_client())
    web.login(world.volunteer.email)
    web.post(f"/admin/rueckrufe/{world.request.id}/uebernehmen")
    page = web.get(f"/admin/rueckrufe/{world.request.id}").get_data(as_text=True)
    assert "Tragen Sie zuerst Ihre eigene Telefonnummer im Profil ein." in page
    response = web.post(f"/admin/rueckrufe/{world.request.id}/anrufen", follow_redirects=True)
    assert "Tragen Sie zuerst Ihre eigene Telefonnummer" in response.get_data(as_text=True)
    assert call_app.extensions["hotline.twilio"].transport.requests == []


# --- the bridge TwiML ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def twiml_schema():
    """The TwiML schema of the repository (neural voice names such as Polly.Vicki-Neural allowed)."""
    return load_twiml_schema()


@pytest.fixture
def claimed(world, db_session):
    request = db_session.get(CallbackRequest, world.request.id)
    request.status, request.claimed_by_id = "claimed", world.volunteer.id
    request.claimed_at = utcnow()
    db_session.commit()
    return request


def _twiml(response, schema):
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    schema.assertValid(etree.fromstring(response.data))
    return ET.fromstring(response.data)  # noqa: S314 - our own answer, already parsed by lxml


def test_answer_asks_the_volunteer_to_press_1(twilio, claimed, twiml_schema):
    root = _twiml(twilio.post(f"/twilio/bridge/{claimed.id}/answer"), twiml_schema)
    gather = root.find("./Gather")
    assert gather.get("numDigits") == "1"
    assert gather.get("action") == f"/twilio/bridge/{claimed.id}/connect"
    assert "drücken Sie jetzt die 1" in gather.find("./Say").text.replace("Drücken", "drücken")
    assert gather.find("./Say").get("language") == "de-DE"
    # No key pressed comes back to the connect step too (which then says goodbye); nobody is connected.
    assert gather.get("actionOnEmptyResult") == "true"
    assert root.find("./Dial") is None


def test_the_volunteer_hears_the_normal_speaking_rate(twilio, claimed, twiml_schema):
    root = _twiml(twilio.post(f"/twilio/bridge/{claimed.id}/answer"), twiml_schema)
    assert root.find(".//prosody") is None
    assert "Hier ist die Hotline." in root.find("./Gather/Say").text


def test_no_key_pressed_says_so_and_never_connects(twilio, claimed, twiml_schema):
    root = _twiml(twilio.post(f"/twilio/bridge/{claimed.id}/connect", {"Digits": ""}), twiml_schema)
    assert "Ich habe keine Eingabe gehört." in root.find("./Say").text
    assert root.find("./Dial") is None
    assert root.find("./Hangup") is not None


def test_pressing_1_dials_the_caller_from_the_line_number(twilio, claimed, twiml_schema):
    root = _twiml(twilio.post(f"/twilio/bridge/{claimed.id}/connect", {"Digits": "1"}),
                  twiml_schema)
    dial = root.find("./Dial")
    assert dial.get("callerId") == "+492214710100"
    assert dial.get("action") == f"/twilio/bridge/{claimed.id}/dialed"
    assert dial.find("./Number").text == "+492214710911"


@pytest.mark.parametrize("form", [{}, {"Digits": "2"}, {"Digits": ""}])
def test_no_or_other_key_never_connects(twilio, claimed, twiml_schema, form):
    root = _twiml(twilio.post(f"/twilio/bridge/{claimed.id}/connect", form), twiml_schema)
    assert root.find("./Dial") is None
    assert root.find("./Hangup") is not None


@pytest.mark.parametrize("step", ["answer", "connect", "dialed", "status"])
def test_an_id_beyond_the_database_s_range_answers_twiml_404(twilio, world, twiml_schema, step):
    response = twilio.post(f"/twilio/bridge/9223372036854775808/{step}", {"Digits": "1"})
    assert response.status_code == 404
    assert response.mimetype == "text/xml"
    twiml_schema.assertValid(etree.fromstring(response.data))


def test_a_request_no_longer_claimed_is_not_bridged(twilio, world, twiml_schema):
    root = _twiml(twilio.post(f"/twilio/bridge/{world.request.id}/connect", {"Digits": "1"}),
                  twiml_schema)
    assert root.find("./Dial") is None


@pytest.mark.parametrize(("status", "text"), [("completed", "Das Gespräch ist beendet"),
                                              ("no-answer", "nicht abgenommen")])
def test_after_the_call_the_volunteer_is_reminded_to_log_it(twilio, claimed, twiml_schema,
                                                            status, text):
    root = _twiml(twilio.post(f"/twilio/bridge/{claimed.id}/dialed",
                              {"DialCallStatus": status}), twiml_schema)
    assert text in root.find("./Say").text


def test_status_callback_is_accepted(twilio, claimed, twiml_schema):
    _twiml(twilio.post(f"/twilio/bridge/{claimed.id}/status", {"CallStatus": "ringing"}),
           twiml_schema)


def test_the_begleitung_words_what_the_volunteer_hears(login_as, twilio, claimed, world, twiml_schema):
    web = login_as("begleitung")
    page = web.get(f"/admin/inhalte/{world.bilk.id}/ansagen").get_data(as_text=True)
    assert f"/admin/inhalte/{world.bilk.id}/ansagen/bridge_intro" in page
    assert "Die angerufene Person hat nicht abgenommen." in page
    own = "Hallo aus Bilk! Mit der 1 verbinde ich Sie mit der Person, die angerufen hat."
    response = web.post(f"/admin/inhalte/{world.bilk.id}/ansagen/bridge_intro", {"text": own})
    assert response.status_code == 302
    assert web.post(f"/admin/inhalte/{world.bilk.id}/entwurf/prompts/veroeffentlichen").status_code == 302
    root = _twiml(twilio.post(f"/twilio/bridge/{claimed.id}/answer"), twiml_schema)
    assert root.find("./Gather/Say").text == own
    root = _twiml(twilio.post(f"/twilio/bridge/{claimed.id}/dialed", {"DialCallStatus": "busy"}),
                  twiml_schema)
    assert "Die angerufene Person hat nicht abgenommen." in root.find("./Say").text


@pytest.mark.parametrize("step", ["answer", "connect", "dialed", "status"])
def test_bridge_refuses_unsigned_requests(client, claimed, step):
    assert client.post(f"/twilio/bridge/{claimed.id}/{step}", data={"Digits": "1"}
                       ).status_code == 403


def test_bridge_refuses_a_wrong_signature(client, claimed):
    forged = TwilioClient(client, "wrong-token")
    assert forged.post(f"/twilio/bridge/{claimed.id}/connect", {"Digits": "1"}).status_code == 403
