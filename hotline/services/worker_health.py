"""The worker's sign of life and the work waiting for it: what /healthz and `hotline doctor` report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline.models import OutboxMail, Voicemail, WorkerHeartbeat
from hotline.models.voicemail import ACTIVE_VOICEMAIL_STATES
from hotline.models.worker import HEARTBEAT_ROW_ID

# A worker not seen for this long is gone: its minutely heartbeat has failed ten times over.
WORKER_GONE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class WaitingWork:
    """How much work waits for the worker, and since when the oldest of each kind has waited."""

    voicemails: int
    oldest_voicemail: datetime | None
    mails: int
    oldest_mail: datetime | None


def record_heartbeat(session: Session, now: datetime) -> None:
    """Note that a worker is alive at `now`."""
    refreshed = session.execute(
        update(WorkerHeartbeat).where(WorkerHeartbeat.id == HEARTBEAT_ROW_ID).values(seen_at=now)
    )
    if refreshed.rowcount:  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult
        return
    try:
        # Two workers starting together may both find no row; the second one's insert is redundant.
        with session.begin_nested():
            session.add(WorkerHeartbeat(id=HEARTBEAT_ROW_ID, seen_at=now))
    except IntegrityError:
        pass


def last_heartbeat(session: Session) -> datetime | None:
    """When a worker was last seen; None when none ever ran on this database."""
    return session.scalar(select(WorkerHeartbeat.seen_at).where(WorkerHeartbeat.id == HEARTBEAT_ROW_ID))


def worker_gone(last_seen: datetime | None, now: datetime) -> bool:
    """Whether a worker seen last at `last_seen` counts as gone (never seen counts as gone too)."""
    return last_seen is None or now - last_seen > WORKER_GONE_AFTER


def waiting_work(session: Session) -> WaitingWork:
    """Voicemails not yet transcribed and e-mails not yet sent, each with the oldest one's time."""
    voicemails, oldest_voicemail = session.execute(
        select(func.count(Voicemail.id), func.min(Voicemail.created_at))
        .where(Voicemail.state.in_(ACTIVE_VOICEMAIL_STATES))
    ).one()
    mails, oldest_mail = session.execute(
        select(func.count(OutboxMail.id), func.min(OutboxMail.created_at))
        .where(OutboxMail.state.in_(("pending", "sending")))
    ).one()
    return WaitingWork(voicemails, oldest_voicemail, mails, oldest_mail)

