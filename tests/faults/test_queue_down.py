"""The queue backend is down when a recording arrives: the voicemail is kept and processed later."""

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import update

from hotline import create_app
from hotline.db import utcnow
from hotline.models import CallbackRequest, Voicemail

from tests.support import TwilioClient
from tests.voice_support import BILK_LINE, CALLER

CALL_SID = "CA" + "ab" * 16
RECORDING = {"CallSid": CALL_SID, "RecordingSid": "RE" + "cd" * 16, "RecordingStatus": "completed",
             "RecordingDuration": "14", "From": CALLER, "To": BILK_LINE,
             "RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE" + "cd" * 16}


def test_voicemail_is_committed_while_the_queue_is_down_and_swept_once_it_is_back(
        app, settings, db_session, caplog):
    # Port 9 (discard) has no listener here: every enqueue fails with a connection error.
    queue_down = create_app(replace(settings, redis_url="redis://127.0.0.1:9/0"))
    queue_down.extensions["hotline.db"].sessions.configure(
        bind=db_session.connection(), join_transaction_mode="create_savepoint")
    as_twilio = TwilioClient(queue_down.test_client(), settings.twilio_auth_token)

    assert as_twilio.post("/twilio/voice", {"CallSid": CALL_SID, "From": CALLER, "To": BILK_LINE}).status_code == 200
    response = as_twilio.post("/twilio/recording-status", RECORDING)

    assert response.status_code == 200
    assert "after-commit callback failed" in caplog.text
    voicemail = db_session.query(Voicemail).one()
    assert voicemail.state == "reported"
    assert db_session.query(CallbackRequest).one().voicemail_id == voicemail.id

    # The queue is back (the regular app's queue); the job was lost, so the row looks stuck.
    db_session.execute(update(Voicemail).values(state_changed_at=utcnow() - timedelta(hours=2)))
    db_session.commit()
    jobs = app.extensions["hotline.jobs"]
    jobs.sweep_voicemails()
    swept = jobs.queue.execute(jobs.queue.dequeue())
    assert swept == [voicemail.id]
    task = jobs.queue.dequeue()
    assert task.name.endswith("process_voicemail")
    assert task.args == (voicemail.id,)
