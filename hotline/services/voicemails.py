"""Twilio's recording status callback: store the voicemail and its callback request, once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from hotline.models import Call, CallbackRequest, Voicemail
from hotline.services.calls import call_by_sid, insert_if_absent, request_for_call
from ivr_flows.prompts import PROMPTS

logger = logging.getLogger(__name__)

# Twilio's RecordingStatus -> our voicemail state. `absent`: too short or silent.
_STATES = {"completed": "reported", "absent": "absent", "failed": "failed"}


@dataclass(frozen=True)
class RecordingReport:
    """One recording status callback, as Twilio sent it."""

    recording_sid: str
    call_sid: str
    url: str
    status: str
    duration_seconds: int | None
    error_code: str | None = None


@dataclass(frozen=True)
class StoredRecording:
    """What storing a report did: a new voicemail (None when the report was a repeat) and its request."""

    voicemail_id: int | None
    needs_processing: bool = False
    new_request_id: int | None = None


def store_recording(session: Session, report: RecordingReport, now: datetime) -> StoredRecording:
    """Store the voicemail (unique on RecordingSid) and link or create its callback request.

    The same report twice, or a late one, changes nothing. Raises ValueError for an unknown status.
    """
    state = _STATES.get(report.status)
    if state is None:
        raise ValueError(f"unknown RecordingStatus {report.status!r}")
    call = call_by_sid(session, report.call_sid)
    voicemail_id = insert_if_absent(session, Voicemail, {
        "recording_sid": report.recording_sid,
        "call_id": call.id if call else None,
        "network_id": call.network_id if call else None,
        "source_url": report.url,
        "duration_seconds": report.duration_seconds,
        "state": state,
        "state_changed_at": now,
        "error": f"Twilio ErrorCode {report.error_code}" if state == "failed" else None,
        "consent_at": call.consent_at if call else None,
    })
    if voicemail_id is None:
        logger.info("recording %s reported again; nothing changed", report.recording_sid)
        return StoredRecording(None)
    request, created = _request_for(session, call)
    request.voicemail_id = voicemail_id
    session.flush()
    return StoredRecording(voicemail_id, needs_processing=state == "reported",
                           new_request_id=request.id if created else None)


def _request_for(session: Session, call: Call | None) -> tuple[CallbackRequest, bool]:
    if call is not None:
        request, created = request_for_call(session, call)
        if request.voicemail_id is None:
            return request, created
    # No call we know of, or its request already has a message: a request of its own, nothing lost.
    request = CallbackRequest(
        call_id=None,
        network_id=call.network_id if call else None,
        number=call.from_number if call else None,
        topic=(call.callback_topic if call else None) or PROMPTS["topic_message"],
    )
    session.add(request)
    return request, True
