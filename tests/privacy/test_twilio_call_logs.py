"""Twilio's copies of call logs are deleted (real twilio Client, fake transport); our rows stay."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from hotline.db import utcnow
from hotline.jobs import create_jobs
from hotline.models import AuditEvent, Call, OutgoingCall
from hotline.twilio.call_logs import delete_twilio_call_logs
from hotline.twilio.client import TwilioGateway

from tests.factories import make_call
from tests.speech_jobs.speech_jobs_support import FakeTwilioCalls


def _call(session, *, ended_days_ago=None, started_days_ago=None, **values):
    started = utcnow() - timedelta(days=started_days_ago if started_days_ago is not None else (ended_days_ago or 0))
    ended = utcnow() - timedelta(days=ended_days_ago) if ended_days_ago is not None else None
    return make_call(session, started_at=started, ended_at=ended, status="completed", **values)


def _url(settings, call_or_sid):
    sid = getattr(call_or_sid, "call_sid", call_or_sid)
    return f"https://api.twilio.com/2010-04-01/Accounts/{settings.twilio_account_sid}/Calls/{sid}.json"


def _audit_events(session):
    return session.scalars(select(AuditEvent).where(AuditEvent.action == "twilio_call_logs_deleted")
                           .order_by(AuditEvent.id)).all()


def test_old_call_logs_are_deleted_at_twilio_and_marked(app, settings, db_session):
    old = _call(db_session, ended_days_ago=8)
    never_ended = _call(db_session, started_days_ago=10)
    recent = _call(db_session, ended_days_ago=2)
    ended_recently = _call(db_session, started_days_ago=9, ended_days_ago=6)
    already = _call(db_session, ended_days_ago=30, twilio_deleted_at=utcnow() - timedelta(days=20))
    db_session.commit()
    transport = FakeTwilioCalls()

    deleted = delete_twilio_call_logs(app.extensions["hotline.db"], TwilioGateway(settings, transport), now=utcnow())

    assert deleted == 2
    assert sorted(transport.deletes()) == sorted([_url(settings, old), _url(settings, never_ended)])
    assert all(r["auth"] == (settings.twilio_account_sid, settings.twilio_auth_token)
               for r in transport.requests)
    db_session.expire_all()
    assert db_session.get(Call, old.id).twilio_deleted_at is not None
    assert db_session.get(Call, never_ended.id).twilio_deleted_at is not None
    assert db_session.get(Call, recent.id).twilio_deleted_at is None
    assert db_session.get(Call, ended_recently.id).twilio_deleted_at is None
    assert db_session.get(Call, already.id).twilio_deleted_at < utcnow() - timedelta(days=19)
    (event,) = _audit_events(db_session)
    assert (event.details, event.actor_id, event.object_id) == ({"calls": 2, "failed": 0}, None, None)


def test_the_logs_of_dialed_legs_go_first_then_the_call(app, settings, db_session):
    forwarded = _call(db_session, ended_days_ago=8)
    db_session.commit()
    legs = ["CA" + "1" * 32, "CA" + "2" * 32]
    transport = FakeTwilioCalls(children={forwarded.call_sid: legs})

    assert delete_twilio_call_logs(app.extensions["hotline.db"], TwilioGateway(settings, transport), now=utcnow()) == 1
    assert transport.deletes() == [_url(settings, legs[0]), _url(settings, legs[1]), _url(settings, forwarded)]


def test_a_leg_that_cannot_be_deleted_keeps_the_call_for_the_next_night(app, settings, db_session):
    forwarded = _call(db_session, ended_days_ago=8)
    db_session.commit()
    leg = "CA" + "3" * 32
    database = app.extensions["hotline.db"]

    failing = FakeTwilioCalls({leg: 500}, children={forwarded.call_sid: [leg]})
    assert delete_twilio_call_logs(database, TwilioGateway(settings, failing), now=utcnow()) == 0
    assert failing.deletes() == [_url(settings, leg)]
    db_session.expire_all()
    assert db_session.get(Call, forwarded.id).twilio_deleted_at is None

    gone = FakeTwilioCalls({leg: 404}, children={forwarded.call_sid: [leg]})
    assert delete_twilio_call_logs(database, TwilioGateway(settings, gone), now=utcnow()) == 1
    assert gone.deletes() == [_url(settings, leg), _url(settings, forwarded)]


def test_click_to_call_logs_are_deleted_at_twilio_with_their_legs(app, settings, db_session):
    old = OutgoingCall(call_sid="CA" + "4" * 32, started_at=utcnow() - timedelta(days=8))
    recent = OutgoingCall(call_sid="CA" + "5" * 32, started_at=utcnow() - timedelta(days=2))
    db_session.add_all([old, recent])
    db_session.commit()
    leg = "CA" + "6" * 32  # the <Dial> to the caller
    transport = FakeTwilioCalls(children={old.call_sid: [leg]})

    assert delete_twilio_call_logs(app.extensions["hotline.db"], TwilioGateway(settings, transport), now=utcnow()) == 1
    assert transport.deletes() == [_url(settings, leg), _url(settings, old.call_sid)]
    db_session.expire_all()
    assert [call.call_sid for call in db_session.scalars(select(OutgoingCall))] == [recent.call_sid]
    assert [event.details for event in _audit_events(db_session)] == [{"calls": 1, "failed": 0}]


def test_a_second_run_asks_twilio_nothing(app, settings, db_session):
    _call(db_session, ended_days_ago=8)
    db_session.commit()
    database = app.extensions["hotline.db"]
    delete_twilio_call_logs(database, TwilioGateway(settings, FakeTwilioCalls()), now=utcnow())
    again = FakeTwilioCalls()

    assert delete_twilio_call_logs(database, TwilioGateway(settings, again), now=utcnow()) == 0
    assert again.requests == []
    assert len(_audit_events(db_session)) == 1


def test_not_found_at_twilio_counts_as_deleted(app, settings, db_session):
    gone = _call(db_session, ended_days_ago=8)
    db_session.commit()
    transport = FakeTwilioCalls({gone.call_sid: 404})

    assert delete_twilio_call_logs(app.extensions["hotline.db"], TwilioGateway(settings, transport), now=utcnow()) == 1
    assert transport.deletes() == [_url(settings, gone)]
    db_session.expire_all()
    assert db_session.get(Call, gone.id).twilio_deleted_at is not None


def test_a_server_error_is_logged_without_the_number_and_retried_next_night(app, settings, db_session, caplog):
    broken = _call(db_session, ended_days_ago=8, from_number="+492214710999")
    fine = _call(db_session, ended_days_ago=9)
    db_session.commit()
    database = app.extensions["hotline.db"]

    failing = TwilioGateway(settings, FakeTwilioCalls({broken.call_sid: 500}))
    first = delete_twilio_call_logs(database, failing, now=utcnow())
    db_session.expire_all()
    assert first == 1
    assert db_session.get(Call, broken.id).twilio_deleted_at is None
    assert db_session.get(Call, fine.id).twilio_deleted_at is not None
    assert "HTTP 500" in caplog.text
    assert "4710999" not in caplog.text

    retry = FakeTwilioCalls()
    assert delete_twilio_call_logs(database, TwilioGateway(settings, retry), now=utcnow()) == 1
    assert retry.deletes() == [_url(settings, broken)]
    db_session.expire_all()
    assert db_session.get(Call, broken.id).twilio_deleted_at is not None
    assert [event.details for event in _audit_events(db_session)] == [
        {"calls": 1, "failed": 1}, {"calls": 1, "failed": 0}]


def test_nothing_is_asked_without_an_account_sid(app, settings, db_session):
    old = _call(db_session, ended_days_ago=30)
    db_session.commit()
    transport = FakeTwilioCalls()

    unconfigured = TwilioGateway(replace(settings, twilio_account_sid=""), transport)
    assert delete_twilio_call_logs(app.extensions["hotline.db"], unconfigured, now=utcnow()) == 0
    assert transport.requests == []
    db_session.expire_all()
    assert db_session.get(Call, old.id).twilio_deleted_at is None
    assert _audit_events(db_session) == []


def test_the_retention_period_comes_from_the_settings(app, settings, db_session):
    call = _call(db_session, ended_days_ago=8)
    db_session.commit()
    transport = FakeTwilioCalls()

    ten_days = TwilioGateway(replace(settings, retention_twilio_call_log_days=10), transport)
    delete_twilio_call_logs(app.extensions["hotline.db"], ten_days, now=utcnow())
    assert transport.requests == []
    delete_twilio_call_logs(app.extensions["hotline.db"], TwilioGateway(settings, transport), now=utcnow())
    assert transport.deletes() == [_url(settings, call)]


def test_the_nightly_job_deletes_at_twilio_and_keeps_our_row(app, settings, db_session):
    call = _call(db_session, ended_days_ago=8)
    db_session.commit()
    transport = FakeTwilioCalls()
    jobs = create_jobs(settings, app.extensions["hotline.db"], TwilioGateway(settings, transport))

    jobs.purge_expired_data()
    jobs.queue.execute(jobs.queue.dequeue())

    assert transport.deletes() == [_url(settings, call)]
    db_session.expire_all()
    kept = db_session.get(Call, call.id)
    assert kept is not None
    assert kept.twilio_deleted_at is not None
    assert kept.from_number is not None
