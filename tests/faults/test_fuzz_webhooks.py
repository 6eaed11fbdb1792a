"""Bad input on the phone line: whatever Twilio (or a broken proxy) sends, the caller gets TwiML."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from hotline.cli.demo import load_demo
from hotline.models import Call, CallbackRequest, Voicemail
from ivr_flows import CallState

from tests.strategies import client_text
from tests.voice_support import BILK_LINE, assert_valid_twiml, load_twiml_schema

SCHEMA = load_twiml_schema()
STATE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
VALID_STATES = [CallState(node=node).encode() for node in ("main", "activities", "message", "confirm")]
FIELDS = ["CallSid", "From", "To", "Digits", "CallStatus", "CallDuration", "RecordingSid", "RecordingUrl",
          "RecordingStatus", "RecordingDuration", "DialCallStatus", "Caller", "AccountSid"]

anything = st.one_of(
    client_text(max_size=40),
    client_text(min_size=1000, max_size=5000),
    st.sampled_from(["", "anonymous", "+266696687", "+492214710999", BILK_LINE, "0", "*", "#", "hangup",
                     "completed", "absent", "failed", "-1", "99999999999999999999", "ä\u202e\u0000x"]),
)
call_sids = st.one_of(st.text("0123456789abcdef", min_size=32, max_size=32).map(lambda hex_: "CA" + hex_), anything)
recording_sids = st.one_of(st.text("0123456789abcdef", min_size=32, max_size=32).map(lambda hex_: "RE" + hex_),
                           anything)
numbers = st.one_of(st.sampled_from([BILK_LINE, "+492214710200", "+492214710500"]), anything)
params = st.fixed_dictionaries(
    {},
    optional={"CallSid": call_sids, "RecordingSid": recording_sids, "To": numbers, "From": numbers,
              **{field: anything for field in FIELDS if field not in ("CallSid", "RecordingSid", "To", "From")}},
)
states = st.one_of(st.sampled_from(VALID_STATES), st.text(STATE_ALPHABET, min_size=1, max_size=300))
paths = st.one_of(
    st.just("/twilio/voice"),
    st.just("/twilio/status"),
    st.just("/twilio/recording-status"),
    st.builds(lambda kind, state: f"/twilio/{kind}/{state}", st.sampled_from(["step", "recorded", "dialed"]),
              states),
)


@pytest.fixture
def demo(db_session):
    load_demo(db_session, today=date.today())
    db_session.commit()


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=paths, data=params)
def test_any_signed_webhook_gets_valid_twiml_or_an_empty_answer(demo, twilio, db_session, path, data):
    response = twilio.post(path, data)
    assert response.status_code in (200, 204), response.text
    if response.data.strip():
        assert_valid_twiml(SCHEMA, response.data)
    # Nothing half-made is stored: every stored row is complete and consistent.
    for call in db_session.scalars(select(Call)):
        assert call.call_sid
        assert call.to_number is not None
    for request in db_session.scalars(select(CallbackRequest)):
        assert request.status in ("open", "claimed", "done", "flagged")
    for voicemail in db_session.scalars(select(Voicemail)):
        assert voicemail.recording_sid
        assert voicemail.source_url


@pytest.mark.parametrize("path", ["/twilio/voice", "/twilio/status", "/twilio/step/abc"])
def test_wrong_methods_are_refused_clearly(client, path):
    assert client.get(path).status_code == 405


def test_oversized_bodies_are_refused_before_anything_is_read(twilio):
    response = twilio.post("/twilio/voice", {"CallSid": "CA1", "To": BILK_LINE, "Body": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
