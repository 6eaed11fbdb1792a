"""End to end: a message left through the phone line ends as a transcript on its voicemail.

Runs on whatever backend the suite runs on: SQLite with the file queue, or PostgreSQL with Redis.
"""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from hotline.cli.demo import load_demo
from hotline.models import CallbackRequest, Voicemail

from tests.voice_support import Phone, assert_valid_twiml, load_twiml_schema

pytestmark = pytest.mark.speech

SCHEMA = load_twiml_schema()


@pytest.fixture
def settings(settings):
    """The speech test settings, served on the test client's own URL (no proxy in between)."""
    return replace(settings, public_base_url=None)


def _check(response):
    assert response.status_code == 200, response.text
    return assert_valid_twiml(SCHEMA, response.data)


def test_a_message_left_on_the_phone_ends_as_a_transcript(app, db_session, twilio, media, synthesize):
    load_demo(db_session, today=date.today())
    db_session.commit()
    phone = Phone(twilio, _check, to="+492214710100")

    phone.dial().press("3", "1")  # leave a message, agree to the recording
    assert phone.doc.find("Record") is not None
    recording_url = media.add(phone.recording_sid, synthesize().read_bytes())
    phone.post("/twilio/recording-status", {
        "RecordingSid": phone.recording_sid, "RecordingUrl": recording_url, "RecordingStatus": "completed",
        "RecordingDuration": "5"}, callback=True)
    phone.record(seconds=5).press("1")  # the message ends with #, then "call me back on this number"
    phone.hang_up()

    jobs = app.extensions["hotline.jobs"]
    while (task := jobs.queue.dequeue()) is not None:
        jobs.queue.execute(task)

    db_session.expire_all()
    voicemail = db_session.scalars(select(Voicemail)).one()
    request = db_session.scalars(select(CallbackRequest).where(CallbackRequest.voicemail_id == voicemail.id)).one()
    assert voicemail.state == "transcribed"
    assert voicemail.transcript
    assert voicemail.consent_at is not None
    kept = app.extensions["hotline.settings"].data_dir / voicemail.local_path
    assert kept.read_bytes()[:4] == b"RIFF"
    assert request.status == "open"
    assert request.number == phone.params["From"]
    assert media.requests == [(recording_url.split(str(media.port))[1] + ".wav", True)]
