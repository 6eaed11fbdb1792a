"""Retention: personal data is deleted on schedule, and every purge is written to the audit log.

Clocks start when a callback request is done, because until then the volunteers need the number,
the message and its transcript to call back. Calls are deleted from the call log after a longer
period; their caller numbers go earlier, with the numbers of the requests.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Exists, delete, exists, select, update
from sqlalchemy.orm import Session

from hotline.models import Call, CallbackRequest, OutboxMail, Voicemail
from hotline.services import audit

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionPolicy:
    """How many days each kind of personal data is kept (see README, "Reliability and privacy")."""

    audio_days: int = 14
    transcript_days: int = 30
    number_days: int = 30
    call_log_days: int = 180
    # Sent or abandoned e-mails hold staff addresses and a link, no caller data; a month is
    # enough to answer "did the notice go out?".
    mail_days: int = 30


@dataclass(frozen=True)
class PurgeResult:
    """What one purge removed; `audio_files` are deleted by the caller after the commit."""

    audio_files: tuple[str, ...]
    transcripts: int
    numbers: int
    calls: int
    mails: int

    @property
    def anything(self) -> bool:
        """Did this purge remove anything?"""
        return bool(self.audio_files or self.transcripts or self.numbers or self.calls or self.mails)


def purge_expired(session: Session, policy: RetentionPolicy, *, now: datetime) -> PurgeResult:
    """Remove what the policy no longer allows us to keep and log the purge in the audit log."""
    audio_files = _forget_audio(session, now - timedelta(days=policy.audio_days))
    transcripts = _forget_transcripts(session, now - timedelta(days=policy.transcript_days))
    numbers = _forget_numbers(session, now - timedelta(days=policy.number_days))
    calls = _delete_old_calls(session, now - timedelta(days=policy.call_log_days))
    mails = _delete_finished_mail(session, now - timedelta(days=policy.mail_days))
    result = PurgeResult(audio_files, transcripts, numbers, calls, mails)
    if result.anything:
        audit.record(session, "retention_purge", "retention", None, audio=len(audio_files),
                     transcripts=transcripts, numbers=numbers, calls=calls, mails=mails)
        logger.info("retention purge: %d audio files, %d transcripts, %d numbers, %d calls, %d e-mails",
                    len(audio_files), transcripts, numbers, calls, mails)
    return result


def _done_before(cutoff: datetime) -> Exists:
    """Voicemails whose callback request was finished before `cutoff`."""
    return exists().where(
        CallbackRequest.voicemail_id == Voicemail.id,
        CallbackRequest.status == "done",
        CallbackRequest.done_at < cutoff,
    )


def _forget_audio(session: Session, cutoff: datetime) -> tuple[str, ...]:
    paths = session.scalars(
        select(Voicemail.local_path).where(Voicemail.local_path.is_not(None), _done_before(cutoff))
    ).all()
    session.execute(
        update(Voicemail).where(Voicemail.local_path.is_not(None), _done_before(cutoff))
        .values(local_path=None)
    )
    return tuple(path for path in paths if path is not None)  # the query already skips None


def _forget_transcripts(session: Session, cutoff: datetime) -> int:
    # Session.execute is typed to give a Result; for UPDATE and DELETE it is a CursorResult (rowcount).
    return cast(CursorResult[Any], session.execute(
        update(Voicemail).where(Voicemail.transcript.is_not(None), _done_before(cutoff))
        .values(transcript=None, transcript_words=None, transcript_confidence=None)
    )).rowcount


def _forget_numbers(session: Session, cutoff: datetime) -> int:
    requests = cast(CursorResult[Any], session.execute(
        update(CallbackRequest)
        .where(CallbackRequest.number.is_not(None), CallbackRequest.status == "done",
               CallbackRequest.done_at < cutoff)
        .values(number=None)
    )).rowcount
    # A call's number is needed while its request is open (and to recognise repeat callers).
    still_needed = exists().where(
        CallbackRequest.call_id == Call.id,
        (CallbackRequest.status != "done") | (CallbackRequest.done_at >= cutoff),
    )
    calls = cast(CursorResult[Any], session.execute(
        update(Call)
        .where(Call.from_number.is_not(None), Call.started_at < cutoff, ~still_needed)
        .values(from_number=None)
    )).rowcount
    # Normally cleared when the call ends; this catches a call whose end Twilio never reported.
    calls += cast(CursorResult[Any], session.execute(
        update(Call).where(Call.typed_digits.is_not(None), Call.started_at < cutoff).values(typed_digits=None)
    )).rowcount
    return requests + calls


def _delete_old_calls(session: Session, cutoff: datetime) -> int:
    open_request = exists().where(CallbackRequest.call_id == Call.id, CallbackRequest.status != "done")
    return cast(CursorResult[Any], session.execute(
        delete(Call).where(Call.started_at < cutoff, ~open_request)
    )).rowcount


def _delete_finished_mail(session: Session, cutoff: datetime) -> int:
    # Pending and claimed mails stay whatever their age: the outbox still owes them an attempt.
    return cast(CursorResult[Any], session.execute(
        delete(OutboxMail).where(OutboxMail.state.in_(("sent", "failed")), OutboxMail.created_at < cutoff)
    )).rowcount
