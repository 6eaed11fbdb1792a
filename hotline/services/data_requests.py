"""Data requests (GDPR Art. 15 and 17): everything stored about one phone number, exported or erased."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hotline.models import Call, CallbackRequest, TwilioErasure, Voicemail
from hotline.services import audit

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SubjectData:
    """The rows that hold a phone number or belong to its calls."""

    number: str
    calls: tuple[Call, ...]
    requests: tuple[CallbackRequest, ...]
    voicemails: tuple[Voicemail, ...]

    @property
    def empty(self) -> bool:
        """Is nothing stored about this number?"""
        return not (self.calls or self.requests or self.voicemails)


def find_subject_data(session: Session, number: str, network_ids: set[int] | None = None) -> SubjectData:
    """Collect the calls, callback requests and voicemails of `number` (E.164).

    `network_ids` limits the search to these networks (a Begleitung sees only her own).
    """
    calls_query = select(Call).where(Call.from_number == number).order_by(Call.started_at)
    if network_ids is not None:
        calls_query = calls_query.where(Call.network_id.in_(network_ids))
    calls = tuple(session.scalars(calls_query))
    call_ids = [call.id for call in calls]
    requests_query = (
        select(CallbackRequest)
        .where(or_(CallbackRequest.number == number, CallbackRequest.call_id.in_(call_ids)))
        .order_by(CallbackRequest.created_at)
    )
    if network_ids is not None:
        requests_query = requests_query.where(CallbackRequest.network_id.in_(network_ids))
    requests = tuple(session.scalars(requests_query))
    voicemail_ids = [r.voicemail_id for r in requests if r.voicemail_id is not None]
    voicemails = tuple(session.scalars(
        select(Voicemail)
        .where(or_(Voicemail.id.in_(voicemail_ids), Voicemail.call_id.in_(call_ids)))
        .order_by(Voicemail.created_at)
    ))
    return SubjectData(number, calls, requests, voicemails)


def export_subject_data(data: SubjectData) -> dict[str, Any]:
    """A plain, JSON-ready copy of everything stored about the number."""
    return {
        "number": data.number,
        "calls": [
            {"started_at": _iso(c.started_at), "ended_at": _iso(c.ended_at), "to": c.to_number,
             "status": c.status, "path": [step.node for step in c.steps]}
            for c in data.calls
        ],
        "callback_requests": [
            {"created_at": _iso(r.created_at), "topic": r.topic, "status": r.status,
             "number": r.number, "preferred_time": r.preferred_time,
             "attempts": [{"at": _iso(a.at), "outcome": a.outcome, "note": a.note} for a in r.attempts]}
            for r in data.requests
        ],
        "voicemails": [
            {"created_at": _iso(v.created_at), "duration_seconds": v.duration_seconds,
             "transcript": v.transcript, "consent_at": _iso(v.consent_at),
             "audio_kept": v.local_path is not None}
            for v in data.voicemails
        ],
    }


def erase_subject_data(session: Session, data: SubjectData, *, actor_id: int | None) -> tuple[str, ...]:
    """Delete the requests, voicemails and calls of the number; return audio files to delete after commit.

    Twilio's copies of the calls (call logs, recordings not yet deleted there) are written down
    to be erased at Twilio after the commit: the rows that name them are deleted here.
    """
    audio_files = tuple(v.local_path for v in data.voicemails if v.local_path)
    session.add_all([TwilioErasure(kind="call", sid=c.call_sid) for c in data.calls if c.twilio_deleted_at is None])
    session.add_all([TwilioErasure(kind="recording", sid=v.recording_sid)
                     for v in data.voicemails if v.remote_deleted_at is None])
    for row in (*data.requests, *data.voicemails, *data.calls):
        session.delete(row)
    # The audit entry names the last digits only: the log must not keep what was erased.
    audit.record(session, "data_erased", "phone_number", None, actor_id=actor_id,
                 number_ending=data.number[-3:], calls=len(data.calls),
                 requests=len(data.requests), voicemails=len(data.voicemails))
    logger.info("erased data of a caller: %d calls, %d requests, %d voicemails",
                len(data.calls), len(data.requests), len(data.voicemails))
    return audio_files


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
