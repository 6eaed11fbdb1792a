"""Retention: data is purged on schedule after the callback is done, never while it is needed."""

import os
from datetime import timedelta

from sqlalchemy import select

from hotline.db import utcnow
from hotline.models import AuditEvent, Call, CallbackRequest, OutboxMail, Voicemail
from hotline.services.retention import RetentionPolicy, purge_expired

from tests.factories import make_call, make_callback, make_network, make_voicemail

POLICY = RetentionPolicy(audio_days=14, transcript_days=30, number_days=30, call_log_days=180)


def _message(session, *, done_days_ago=None, call_days_ago=1):
    network = make_network(session)
    call = make_call(session, network_id=network.id, started_at=utcnow() - timedelta(days=call_days_ago))
    voicemail = make_voicemail(session, call_id=call.id, local_path="/data/recordings/RE1.wav",
                               transcript="Bitte rufen Sie mich zurück", transcript_confidence=0.9,
                               transcript_words=[{"word": "bitte", "conf": 0.9}])
    done = done_days_ago is not None
    request = make_callback(
        session, network_id=network.id, call_id=call.id, voicemail_id=voicemail.id,
        status="done" if done else "open",
        done_at=utcnow() - timedelta(days=done_days_ago) if done else None,
    )
    return call, voicemail, request


def test_nothing_is_purged_while_the_callback_is_open(db_session):
    call, voicemail, request = _message(db_session, call_days_ago=400)
    result = purge_expired(db_session, POLICY, now=utcnow())
    assert not result.anything
    assert voicemail.local_path
    assert voicemail.transcript
    assert request.number
    assert call.from_number
    assert db_session.get(Call, call.id) is not None


def test_audio_goes_after_14_days_transcript_and_number_after_30(db_session):
    _, recent_voicemail, _ = _message(db_session, done_days_ago=3)
    _, audio_gone, keeps_number = _message(db_session, done_days_ago=20)
    call, all_gone, number_gone = _message(db_session, done_days_ago=40, call_days_ago=45)

    result = purge_expired(db_session, POLICY, now=utcnow())
    db_session.expire_all()

    assert sorted(result.audio_files) == ["/data/recordings/RE1.wav"] * 2
    assert recent_voicemail.local_path is not None
    assert audio_gone.local_path is None
    assert audio_gone.transcript is not None
    assert keeps_number.number is not None
    assert all_gone.transcript is None
    assert all_gone.transcript_words is None
    assert number_gone.number is None
    assert db_session.get(Call, call.id).from_number is None


def test_old_calls_leave_the_call_log_unless_a_request_is_open(db_session):
    old_done, _, _ = _message(db_session, done_days_ago=200, call_days_ago=200)
    old_open, _, open_request = _message(db_session, call_days_ago=200)
    purge_expired(db_session, POLICY, now=utcnow())
    db_session.expire_all()
    assert db_session.get(Call, old_done.id) is None
    assert db_session.get(Call, old_open.id) is not None
    assert db_session.get(CallbackRequest, open_request.id).status == "open"


def test_sent_and_abandoned_mails_leave_the_outbox_after_a_month_unsent_ones_never(db_session):
    def mail(state, days_ago):
        row = OutboxMail(recipient="vera@example.org", subject="Neue Nachricht", body="…", state=state,
                         created_at=utcnow() - timedelta(days=days_ago), next_attempt_at=None,
                         sent_at=utcnow() if state == "sent" else None)
        db_session.add(row)
        return row

    mail("sent", 40)
    mail("failed", 40)
    old_pending, recent_sent = mail("pending", 40), mail("sent", 5)
    db_session.flush()

    result = purge_expired(db_session, POLICY, now=utcnow())

    assert result.mails == 2
    remaining = set(db_session.scalars(select(OutboxMail.id)))
    assert remaining == {old_pending.id, recent_sent.id}


def test_typed_digits_of_a_call_whose_end_was_never_reported_go_with_the_numbers(db_session):
    network = make_network(db_session)
    stale = make_call(db_session, network_id=network.id, from_number=None, typed_digits="02214710888",
                      started_at=utcnow() - timedelta(days=31))
    current = make_call(db_session, network_id=network.id, from_number=None, typed_digits="02214710777")
    assert purge_expired(db_session, POLICY, now=utcnow()).numbers == 1
    db_session.expire_all()
    assert (db_session.get(Call, stale.id).typed_digits, db_session.get(Call, current.id).typed_digits) == (
        None, "02214710777")


def test_every_purge_is_in_the_audit_log(db_session):
    _message(db_session, done_days_ago=40, call_days_ago=45)
    purge_expired(db_session, POLICY, now=utcnow())
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "retention_purge"))
    assert event.details == {"audio": 1, "transcripts": 1, "numbers": 2, "calls": 0, "mails": 0}
    assert event.actor_id is None


def test_a_second_purge_finds_nothing(db_session):
    _message(db_session, done_days_ago=40)
    purge_expired(db_session, POLICY, now=utcnow())
    assert not purge_expired(db_session, POLICY, now=utcnow()).anything
    assert db_session.scalars(select(Voicemail.transcript)).all() == [None]


def test_the_nightly_job_purges_through_the_queue_and_removes_the_files(app, settings, db_session):
    recording = settings.data_dir / "recordings" / "RE1.wav"
    recording.parent.mkdir()
    recording.write_bytes(b"RIFF")
    _, voicemail, _ = _message(db_session, done_days_ago=20)
    voicemail.local_path = "recordings/RE1.wav"
    db_session.commit()

    jobs = app.extensions["hotline.jobs"]
    jobs.purge_expired_data()
    removed = jobs.queue.execute(jobs.queue.dequeue())

    assert removed == 1
    assert not recording.exists()
    db_session.expire_all()
    assert db_session.get(Voicemail, voicemail.id).local_path is None


def test_the_nightly_job_removes_recordings_a_crash_left_behind_and_keeps_every_other(app, settings, db_session):
    folder = settings.data_dir / "recordings"
    folder.mkdir()
    two_days_ago = (utcnow() - timedelta(days=2)).timestamp()

    def recording(name, *, old=True):
        path = folder / name
        path.write_bytes(b"RIFF")
        if old:
            os.utime(path, (two_days_ago, two_days_ago))
        return path

    kept = make_voicemail(db_session, state="transcribed", local_path="recordings/KEPT.wav")
    waiting = make_voicemail(db_session, state="reported")  # its download may have finished just now
    db_session.commit()
    named = recording("KEPT.wav")
    downloaded = recording(f"{waiting.recording_sid}.wav")
    purged = recording("RE0purged.wav")  # its row was purged, then the service died before the delete
    unfinished = recording(".RE0gone.wav.x1y2.part")
    young = recording("RE0young.wav", old=False)

    jobs = app.extensions["hotline.jobs"]
    jobs.purge_expired_data()
    removed = jobs.queue.execute(jobs.queue.dequeue())

    assert removed == 2
    assert [path.exists() for path in (purged, unfinished)] == [False, False]
    assert [path.exists() for path in (named, downloaded, young)] == [True, True, True]
    assert db_session.get(Voicemail, kept.id).local_path == "recordings/KEPT.wav"
