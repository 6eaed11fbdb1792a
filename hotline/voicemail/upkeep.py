"""Keeping voicemails moving: the sweeper's choice of rows, reconciliation with Twilio, recordings left behind."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from hotline.config import Settings
from hotline.db import Database
from hotline.files import recordings
from hotline.models import Voicemail
from hotline.models.voicemail import ACTIVE_VOICEMAIL_STATES
from hotline.services.notifications import announce_new_request
from hotline.services.voicemails import RecordingReport, store_recording
from hotline.twilio.client import TwilioGateway
from hotline.twilio.recordings import finished_recordings
from speech.models import find_model

logger = logging.getLogger(__name__)

SWEEP_MINUTES = 5
RECONCILE_HOURS = 48
# Recordings younger than this are left to Twilio's own callback, which is probably on its way.
RECONCILE_GRACE = timedelta(minutes=10)
# A recording file younger than this may be a download whose row is not written yet.
LEFT_BEHIND_AFTER = timedelta(days=1)


def left_behind_recordings(database: Database, data_dir: Path, now: datetime) -> list[str]:
    """Recording files no voicemail needs any more, by path relative to `data_dir`.

    A purge or an erasure commits first and deletes the files after; a crash in between must not
    keep a caller's message on the disk for ever.
    """
    with database.session_scope() as session:
        named = {path for path in session.scalars(select(Voicemail.local_path)) if path is not None}
        waited_for = set(session.scalars(select(Voicemail.recording_sid)
                                         .where(Voicemail.state.in_(ACTIVE_VOICEMAIL_STATES))))
    return recordings.left_behind(data_dir, named, waited_for, now - LEFT_BEHIND_AFTER)


def stuck_voicemails(session: Session, settings: Settings, now: datetime) -> list[int]:
    """Ids of voicemails the sweeper should enqueue again.

    Those whose job died (its lease ran out) or was lost, that wait for a model that is now
    there, or whose copy at Twilio still has to be deleted; rows a job touched recently or holds
    a lease on are left alone.
    """
    cutoff = now - timedelta(minutes=settings.speech_stuck_minutes)
    quiet = or_(Voicemail.attempted_at.is_(None), Voicemail.attempted_at < cutoff)
    unleased = or_(Voicemail.lease_until.is_(None), Voicemail.lease_until < now)
    wanted = [and_(Voicemail.state.in_(("reported", "downloaded")),
                   Voicemail.state_changed_at < cutoff, quiet),
              and_(Voicemail.state.in_(("reported", "downloaded")), Voicemail.lease_until < now)]
    if find_model(settings.vosk_model_path, settings.data_dir) is not None:
        recently = now - timedelta(minutes=SWEEP_MINUTES)
        wanted.append(and_(Voicemail.state == "no_model",
                           or_(Voicemail.attempted_at.is_(None), Voicemail.attempted_at < recently)))
    if settings.twilio_delete_recordings and settings.twilio_account_sid:
        wanted.append(and_(Voicemail.state == "transcribed", Voicemail.remote_deleted_at.is_(None),
                           Voicemail.local_path.is_not(None), quiet))
    return list(session.scalars(select(Voicemail.id).where(unleased, or_(*wanted)).order_by(Voicemail.id)))


@dataclass(frozen=True)
class Reconciled:
    """Recordings Twilio has that we had not heard of.

    Their new voicemails and requests, and the e-mails about those requests now in the outbox.
    """

    voicemail_ids: tuple[int, ...]
    new_request_ids: tuple[int, ...]
    mails: int


def reconcile(database: Database, settings: Settings, twilio: TwilioGateway, now: datetime,
              hours: int) -> Reconciled:
    """Add Twilio's recordings of the last `hours` we never stored, as a recording callback would."""
    if not twilio.configured:
        logger.info("TWILIO_ACCOUNT_SID is not set; nothing to reconcile")
        return Reconciled((), (), 0)
    # Asked outside any transaction: the list may take several pages.
    recordings = finished_recordings(twilio, created_after=now - timedelta(hours=hours),
                                     created_before=now - RECONCILE_GRACE)
    voicemail_ids: list[int] = []
    request_ids: list[int] = []
    mails = 0
    with database.session_scope() as session:
        known = set(session.scalars(select(Voicemail.recording_sid).where(
            Voicemail.recording_sid.in_([recording.sid for recording in recordings]))))
        for recording in recordings:
            if recording.sid in known:
                continue
            stored = store_recording(session, RecordingReport(
                recording_sid=recording.sid, call_sid=recording.call_sid, url=recording.url,
                status="completed", duration_seconds=recording.duration_seconds,
            ), now)
            if stored.voicemail_id is not None:
                voicemail_ids.append(stored.voicemail_id)
                logger.info("reconciliation: recording %s added as voicemail %s", recording.sid,
                            stored.voicemail_id)
            if stored.new_request_id is not None:
                request_ids.append(stored.new_request_id)
                mails += announce_new_request(session, settings, stored.new_request_id)
    logger.info("reconciliation: %d recordings at Twilio, %d new", len(recordings),
                len(voicemail_ids))
    return Reconciled(tuple(voicemail_ids), tuple(request_ids), mails)


def pending_voicemails(session: Session) -> list[int]:
    """Ids of every voicemail that still has downloading or transcribing to do, oldest first."""
    return list(session.scalars(
        select(Voicemail.id)
        .where(Voicemail.state.in_(ACTIVE_VOICEMAIL_STATES))
        .order_by(Voicemail.id)
    ))
