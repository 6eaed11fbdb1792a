"""The database itself rejects duplicates, orphans and impossible values."""

from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from hotline.db import utcnow
from hotline.models import CallbackAttempt, PhoneNumber

from tests.factories import (
    make_activity,
    make_call,
    make_callback,
    make_network,
    make_user,
    make_voicemail,
)


def _duplicate_call(s):
    make_call(s, call_sid="CA-same")
    make_call(s, call_sid="CA-same")


def _duplicate_recording(s):
    make_voicemail(s, recording_sid="RE-same")
    make_voicemail(s, recording_sid="RE-same")


def _duplicate_email(s):
    make_user(s, email="a@example.org")
    make_user(s, email="a@example.org")


def _duplicate_phone_number(s):
    network = make_network(s)
    s.add_all([PhoneNumber(network_id=network.id, e164="+492214710100"),
               PhoneNumber(network_id=network.id, e164="+492214710100")])
    s.flush()


def _orphan_activity(s):
    make_activity(s, make_network(s), network_id=999_999)


def _orphan_attempt(s):
    s.add(CallbackAttempt(request_id=999_999, outcome="reached"))
    s.flush()


def _unknown_role(s):
    make_user(s, role="chef")


def _uppercase_email(s):
    make_user(s, email="Anna@Example.org")


def _unknown_callback_status(s):
    make_callback(s, status="lost")


def _claim_without_claimer(s):
    make_callback(s, status="claimed")


def _negative_attempt_count(s):
    make_callback(s, attempt_count=-1)


def _number_not_e164(s):
    make_callback(s, number="0211 123456")


def _activity_ends_before_it_starts(s):
    make_activity(s, make_network(s), valid_from=date.today(),
                  valid_until=date.today() - timedelta(days=1))


def _unknown_voicemail_state(s):
    make_voicemail(s, state="lost")


def _confidence_above_one(s):
    make_voicemail(s, transcript_confidence=1.5)


def _missing_to_number(s):
    make_call(s, to_number=None)


def _two_requests_for_one_voicemail(s):
    voicemail = make_voicemail(s)
    make_callback(s, voicemail_id=voicemail.id)
    make_callback(s, voicemail_id=voicemail.id)


@pytest.mark.parametrize(
    "violation",
    [
        _duplicate_call, _duplicate_recording, _duplicate_email, _duplicate_phone_number,
        _orphan_activity, _orphan_attempt, _unknown_role, _uppercase_email,
        _unknown_callback_status, _claim_without_claimer, _negative_attempt_count,
        _number_not_e164, _activity_ends_before_it_starts, _unknown_voicemail_state,
        _confidence_above_one, _missing_to_number, _two_requests_for_one_voicemail,
    ],
)
def test_database_rejects(db_session, violation):
    with pytest.raises(IntegrityError):
        violation(db_session)


def test_valid_rows_are_accepted(db_session):
    network = make_network(db_session)
    user = make_user(db_session, networks=[network])
    voicemail = make_voicemail(db_session, network_id=network.id, transcript_confidence=0.8)
    request = make_callback(db_session, network_id=network.id, voicemail_id=voicemail.id,
                            status="claimed", claimed_by_id=user.id, claimed_at=utcnow())
    db_session.add(CallbackAttempt(request_id=request.id, user_id=user.id, outcome="not_reached"))
    db_session.flush()
    assert request.attempts[0].outcome == "not_reached"
    assert user.networks == [network]
