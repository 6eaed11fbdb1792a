"""An erasure also erases Twilio's copies of the caller's calls: recordings and call logs, until done."""

from __future__ import annotations

from sqlalchemy import select

from hotline.db import utcnow
from hotline.models import AuditEvent, TwilioErasure
from hotline.services import data_requests
from hotline.twilio.client import TwilioGateway
from hotline.twilio.erasure import erase_at_twilio

from tests.factories import make_call, make_voicemail
from tests.speech_jobs.speech_jobs_support import FakeTwilioCalls

CALLER = "+492214710955"


def _erase_caller(db_session):
    call = make_call(db_session, from_number=CALLER)
    other_call = make_call(db_session, from_number=CALLER)
    voicemail = make_voicemail(db_session, call_id=call.id)
    gone = make_voicemail(db_session, call_id=other_call.id, remote_deleted_at=utcnow())
    db_session.commit()
    data = data_requests.find_subject_data(db_session, CALLER)
    data_requests.erase_subject_data(db_session, data, actor_id=None)
    db_session.commit()
    return call, other_call, voicemail, gone


def _url(settings, kind, sid):
    return f"https://api.twilio.com/2010-04-01/Accounts/{settings.twilio_account_sid}/{kind}/{sid}.json"


def test_twilio_s_copies_of_an_erased_caller_are_deleted_and_recorded(app, settings, db_session):
    call, other_call, voicemail, gone = _erase_caller(db_session)
    assert len(db_session.scalars(select(TwilioErasure)).all()) == 3  # the gone recording is not asked for
    transport = FakeTwilioCalls(children={call.call_sid: ["CA" + "d" * 32]})

    assert erase_at_twilio(app.extensions["hotline.db"], TwilioGateway(settings, transport)) == 3

    assert sorted(transport.deletes()) == sorted([
        _url(settings, "Recordings", voicemail.recording_sid), _url(settings, "Calls", "CA" + "d" * 32),
        _url(settings, "Calls", call.call_sid), _url(settings, "Calls", other_call.call_sid)])
    db_session.expire_all()
    assert db_session.scalars(select(TwilioErasure)).all() == []
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "twilio_copies_erased")).one()
    assert (event.details["erased"], event.details["failed"]) == (3, 0)


def test_a_failed_erasure_at_twilio_is_tried_again_until_done(app, settings, db_session):
    call, other_call, _voicemail, _gone = _erase_caller(db_session)
    database = app.extensions["hotline.db"]
    failing = FakeTwilioCalls(statuses={call.call_sid: 500})
    assert erase_at_twilio(database, TwilioGateway(settings, failing)) == 2
    db_session.expire_all()
    assert [row.sid for row in db_session.scalars(select(TwilioErasure))] == [call.call_sid]

    working = FakeTwilioCalls()
    assert erase_at_twilio(database, TwilioGateway(settings, working)) == 1
    assert working.deletes() == [_url(settings, "Calls", call.call_sid)]
    db_session.expire_all()
    assert db_session.scalars(select(TwilioErasure)).all() == []
