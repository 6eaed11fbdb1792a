"""Messages: consent, Record, Twilio's recording and status callbacks; nothing lost, nothing doubled."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.models import Call, CallbackRequest, OutboxMail, Voicemail

from tests.factories import make_account
from tests.voice_support import CALLER, TUESDAY_OPEN


def _rows(db_session):
    db_session.expire_all()
    return (db_session.scalars(select(Voicemail)).all(),
            db_session.scalars(select(CallbackRequest).order_by(CallbackRequest.id)).all())


def test_record_verb_has_the_agreed_attributes(bilk, phone):
    call = phone().dial().press("3", "1")
    record = call.doc.find("Record")
    assert record.get("action").startswith("http://localhost/twilio/recorded/")
    assert {k: v for k, v in record.attrib.items() if k != "action"} == {
        "finishOnKey": "#", "maxLength": "180", "method": "POST", "playBeep": "true", "timeout": "10",
        "recordingStatusCallback": "http://localhost/twilio/recording-status",
        "recordingStatusCallbackEvent": "completed absent", "recordingStatusCallbackMethod": "POST",
        "transcribe": "false", "trim": "trim-silence",
    }
    # Older callers pause to think: 10 s of silence end the message; the prompt says what to say and
    # that hanging up ends it too.
    assert "Nennen Sie nach dem Ton Ihren Namen und Ihre Telefonnummer." in call.text
    assert "legen Sie einfach auf" in call.text


def test_message_with_consent_is_stored_and_processed_after_the_commit(bilk, phone, db_session, spy_jobs):
    volunteer = make_account(db_session, networks=[bilk], notify_new_requests=True)
    call = phone().dial().press("3", "1").record(seconds=20)
    assert "Vielen Dank für Ihre Nachricht." in call.text
    call.press("1", "3")
    assert call.doc.find("Hangup") is not None
    call.recording_callback(seconds=20)
    [voicemail], [request] = _rows(db_session)
    assert (voicemail.recording_sid, voicemail.state, voicemail.duration_seconds) == (
        call.recording_sid, "reported", 20)
    assert voicemail.source_url == call.recording_url
    assert voicemail.consent_at == TUESDAY_OPEN
    assert voicemail.network_id == bilk.id
    assert (request.voicemail_id, request.number, request.number_confirmed, request.topic) == (
        voicemail.id, CALLER, True, "Nachricht")
    # The e-mail about the new request was committed with it; sending waits for the commit.
    assert db_session.scalars(select(OutboxMail.recipient)).all() == [volunteer.email]
    assert spy_jobs.log[-2:] == ["commit", ("process", voicemail.id)]
    sending = spy_jobs.log.index("send_outbox")
    assert spy_jobs.log[sending - 1] == "commit"
    assert spy_jobs.log.count("send_outbox") == 1


def test_the_processing_job_is_really_enqueued(app, bilk, phone, db_session):
    call = phone().dial().press("3", "1").record()
    call.recording_callback()
    [voicemail], _ = _rows(db_session)
    queue = app.extensions["hotline.jobs"].queue
    tasks = [task for task in queue.pending() if task.name == "process_voicemail"]
    assert [task.args for task in tasks] == [(voicemail.id,)]


@pytest.mark.parametrize("order", ["callback-first", "action-first"])
def test_duplicate_and_out_of_order_recording_callbacks_store_one_of_each(bilk, phone, db_session, spy_jobs,
                                                                          order):
    call = phone().dial().press("3", "1")
    if order == "callback-first":
        call.recording_callback()
        call.record().press("1")
    else:
        call.record().press("1")
        call.recording_callback()
    call.recording_callback()
    call.hang_up()
    call.recording_callback()
    voicemails, requests = _rows(db_session)
    assert len(voicemails) == 1
    assert len(requests) == 1
    assert requests[0].voicemail_id == voicemails[0].id
    assert requests[0].number_confirmed
    assert [entry for entry in spy_jobs.log if entry != "commit"].count(("process", voicemails[0].id)) == 1


def test_absent_recording_still_leaves_a_callback_request(bilk, phone, db_session, spy_jobs):
    call = phone().dial().press("3", "1").record(seconds=0)
    assert "Ich habe leider keine Nachricht gehört." in call.text
    call.recording_callback(status="absent", seconds=0)
    [voicemail], [request] = _rows(db_session)
    assert voicemail.state == "absent"
    assert request.voicemail_id == voicemail.id
    assert request.number == CALLER
    assert not any(isinstance(entry, tuple) and entry[0] == "process" for entry in spy_jobs.log)


def test_failed_recording_keeps_the_error(bilk, phone, db_session):
    call = phone().dial().press("3", "1").record()
    call.post("/twilio/recording-status", {"RecordingSid": call.recording_sid, "RecordingUrl": call.recording_url,
                                           "RecordingStatus": "failed", "ErrorCode": "13617"}, callback=True)
    [voicemail], [request] = _rows(db_session)
    assert (voicemail.state, voicemail.error) == ("failed", "Twilio ErrorCode 13617")
    assert request.voicemail_id == voicemail.id


def test_hanging_up_while_recording_still_makes_a_request(bilk, phone, db_session):
    call = phone().dial().press("3", "1").record(hung_up=True)
    assert call.doc.find("Hangup") is not None
    call.hang_up()
    call.recording_callback()
    [voicemail], [request] = _rows(db_session)
    assert (request.number, request.number_confirmed, request.voicemail_id) == (CALLER, False, voicemail.id)


def test_hanging_up_after_recording_before_confirming_the_number(bilk, phone, db_session):
    call = phone().dial().press("3", "1").record()
    call.hang_up()  # status callback first: the recording is still being processed at Twilio
    _, [request] = _rows(db_session)
    assert (request.number, request.number_confirmed, request.topic) == (CALLER, False, "Nachricht")
    call.recording_callback()
    [voicemail], [same] = _rows(db_session)
    assert same.id == request.id
    assert same.voicemail_id == voicemail.id


def test_consent_then_hanging_up_before_the_beep_is_not_lost(bilk, phone, db_session):
    call = phone().dial().press("4")  # office open: talk; then no answer -> message
    call.forward_result("no-answer").press("1")
    call.hang_up()
    _, [request] = _rows(db_session)
    assert (request.number, request.topic) == (CALLER, "Möchte mit jemandem sprechen")


def test_withheld_caller_hanging_up_before_the_beep_leaves_nothing_to_call(bilk, phone, db_session):
    call = phone(caller="anonymous").dial().press("3", "1")
    assert call.hang_up().find("*") is None  # an empty <Response/>
    assert _rows(db_session) == ([], [])


def test_withheld_caller_who_recorded_gets_a_request_without_number(bilk, phone, db_session):
    call = phone(caller="anonymous").dial().press("3", "1").record(hung_up=True)
    call.recording_callback()
    [voicemail], [request] = _rows(db_session)
    assert (request.number, request.voicemail_id) == (None, voicemail.id)


def test_status_callback_completes_the_call_and_ignores_late_ones(bilk, phone, db_session, clock):
    call = phone().dial()
    call.hang_up(seconds=42)
    clock.now = TUESDAY_OPEN.replace(minute=45)
    call.hang_up(seconds=99)
    call.hang_up(status="in-progress")
    db_session.expire_all()
    [logged] = db_session.scalars(select(Call)).all()
    assert (logged.status, logged.duration_seconds, logged.ended_at) == ("completed", 42, TUESDAY_OPEN)


def test_status_callback_for_a_call_we_never_answered(phone, db_session):
    call = phone()
    call.hang_up(seconds=0, status="no-answer")
    db_session.expire_all()
    [logged] = db_session.scalars(select(Call)).all()
    assert (logged.call_sid, logged.status, logged.from_number) == (call.call_sid, "no-answer", CALLER)


def test_recording_callback_for_an_unknown_call_is_kept(phone, db_session):
    phone().recording_callback()
    [voicemail], [request] = _rows(db_session)
    assert (voicemail.call_id, request.voicemail_id, request.number) == (None, voicemail.id, None)
