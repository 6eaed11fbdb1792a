"""The database is down during a call: the caller still hears German TwiML, and the message
left meanwhile is recovered later from Twilio's list of recordings."""

from dataclasses import replace
from datetime import timedelta
from email.utils import format_datetime

import pytest
from sqlalchemy import select

from hotline import create_app
from hotline.db import utcnow
from hotline.models import CallbackRequest, Voicemail
from hotline.twilio.client import TwilioGateway
from hotline.voicemail.upkeep import reconcile

from tests.speech_jobs.speech_jobs_support import FakeTwilioTransport, recording_json
from tests.support import TwilioClient
from tests.voice_support import BILK_LINE, CALLER, assert_valid_twiml, load_twiml_schema

pytestmark = pytest.mark.speech

CALL_SID = "CA" + "5" * 32
RECORDING_SID = "RE" + "5" * 32


@pytest.fixture
def settings(settings):
    """Served on the test client's own URL (no proxy in between)."""
    return replace(settings, public_base_url=None)


def test_message_left_while_the_database_was_down_is_recovered(app, settings, tmp_path, db_session):
    down = create_app(replace(settings, database_url=f"sqlite:///{tmp_path}/gone/hotline.sqlite3"))
    as_twilio = TwilioClient(down.test_client(), settings.twilio_auth_token)
    call = {"CallSid": CALL_SID, "From": CALLER, "To": BILK_LINE}

    answer = as_twilio.post("/twilio/voice", call)
    recording = as_twilio.post("/twilio/recording-status", {
        **call, "RecordingSid": RECORDING_SID, "RecordingStatus": "completed", "RecordingDuration": "9",
        "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/{RECORDING_SID}"})

    assert answer.status_code == recording.status_code == 200
    spoken = " ".join(assert_valid_twiml(load_twiml_schema(), answer.data).itertext())
    assert "Entschuldigung" in spoken
    assert db_session.scalars(select(Voicemail)).all() == []

    # The database is back; the hourly reconciliation finds the recording at Twilio.
    listed = recording_json(settings.twilio_account_sid, RECORDING_SID, CALL_SID,
                            format_datetime(utcnow() - timedelta(hours=1)))
    twilio = TwilioGateway(settings, FakeTwilioTransport(recordings=[listed]))
    found = reconcile(app.extensions["hotline.db"], settings, twilio, utcnow(), 48)

    assert len(found.voicemail_ids) == 1
    voicemail = db_session.scalars(select(Voicemail)).one()
    assert (voicemail.recording_sid, voicemail.state) == (RECORDING_SID, "reported")
    assert db_session.scalars(select(CallbackRequest.voicemail_id)).all() == [voicemail.id]
