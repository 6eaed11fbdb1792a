"""Reconciliation asks Twilio (real client, fake transport) for recordings we never heard of."""

from __future__ import annotations

from datetime import timedelta
from email.utils import format_datetime

import pytest
from sqlalchemy import func, select

from hotline.db import utcnow
from hotline.models import CallbackRequest, Voicemail
from hotline.twilio.client import TwilioGateway
from hotline.voicemail.upkeep import reconcile

from tests.factories import make_account, make_call, make_network, make_voicemail
from tests.speech_jobs.speech_jobs_support import FakeTwilioTransport, recording_json

pytestmark = pytest.mark.speech


def twilio_with_recordings(db_session, account_sid: str) -> tuple[FakeTwilioTransport, dict[str, str]]:
    """Twilio lists five recordings: one we know, two we never heard of, one still running, one brand new.

    One volunteer of the caller's network wants an e-mail about new requests.
    """
    network = make_network(db_session)
    make_account(db_session, networks=[network], notify_new_requests=True)
    call = make_call(db_session, network_id=network.id, from_number="+492214710999")
    known = make_voicemail(db_session)
    db_session.commit()
    hour_ago, just_now = format_datetime(utcnow() - timedelta(hours=1)), format_datetime(utcnow())
    sids = {"known": known.recording_sid, "ours": "RE" + "1" * 32, "stranger": "RE" + "2" * 32}
    listing = [
        recording_json(account_sid, sids["known"], "CA" + "9" * 32, hour_ago),
        recording_json(account_sid, sids["ours"], call.call_sid, hour_ago),
        recording_json(account_sid, sids["stranger"], "CA" + "8" * 32, hour_ago),
        recording_json(account_sid, "RE" + "3" * 32, call.call_sid, hour_ago, status="in-progress"),
        recording_json(account_sid, "RE" + "4" * 32, call.call_sid, just_now),
    ]
    return FakeTwilioTransport(recordings=listing), sids


def test_unknown_recordings_are_added_once(app, settings, db_session):
    transport, sids = twilio_with_recordings(db_session, settings.twilio_account_sid)
    database = app.extensions["hotline.db"]
    count_before = db_session.scalar(select(func.count(Voicemail.id)))

    first = reconcile(database, settings, TwilioGateway(settings, transport), utcnow(), 48)
    second = reconcile(database, settings, TwilioGateway(settings, transport), utcnow(), 48)

    assert len(first.voicemail_ids) == len(first.new_request_ids) == 2
    assert first.mails == 1  # the stranger's request belongs to no network
    assert (second.voicemail_ids, second.new_request_ids, second.mails) == ((), (), 0)
    assert db_session.scalar(select(func.count(Voicemail.id))) == count_before + 2
    listed = transport.requests[0]
    assert listed["method"] == "GET"
    assert listed["uri"].endswith(f"/Accounts/{settings.twilio_account_sid}/Recordings.json")
    assert "DateCreated>" in listed["params"]
    db_session.expire_all()
    ours = db_session.scalar(select(Voicemail).where(Voicemail.recording_sid == sids["ours"]))
    request = db_session.scalar(select(CallbackRequest).where(CallbackRequest.voicemail_id == ours.id))
    assert ours.state == "reported"
    assert ours.call_id is not None
    assert ours.source_url.endswith(f"/Recordings/{sids['ours']}")
    assert (request.number, request.network_id, request.call_id) == ("+492214710999", ours.network_id, ours.call_id)
    stranger = db_session.scalar(select(Voicemail).where(Voicemail.recording_sid == sids["stranger"]))
    stray_request = db_session.scalar(select(CallbackRequest).where(CallbackRequest.voicemail_id == stranger.id))
    assert (stranger.call_id, stray_request.number, stray_request.status) == (None, None, "open")


def test_reconcile_command_stores_and_enqueues(app, settings, db_session, runner):
    transport, _ = twilio_with_recordings(db_session, settings.twilio_account_sid)
    app.extensions["hotline.twilio"].transport = transport
    jobs = app.extensions["hotline.jobs"]

    result = runner.invoke(args=["speech", "reconcile", "--hours", "24"])

    assert result.exit_code == 0, result.output
    assert "2 neue Aufnahmen der letzten 24 Stunden" in result.output
    names = []
    while (task := jobs.queue.dequeue()) is not None:
        names.append(task.name)
    assert sorted(names) == ["process_voicemail"] * 2 + ["send_outbox"]
    assert runner.invoke(args=["speech", "reconcile"]).output.startswith("Abgeglichen: 0 neue")
