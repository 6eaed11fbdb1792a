"""The voicemail job: download, keep, delete at Twilio, transcribe, flag urgent messages.

Driven by the voicemail's state, so running it again continues where the last run stopped. Each
state change is its own short transaction: no transaction stays open while downloading or
transcribing (SQLite takes its write lock at BEGIN). Permanent errors end in state `failed` with
the error kept; transient ones are raised so the queue retries (and the sweeper after that).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, or_, update
from sqlalchemy.orm import Session

from hotline.config import Settings
from hotline.db import Database, utcnow
from hotline.files.recordings import RECORDINGS_DIR
from hotline.models import Voicemail
from hotline.models.voicemail import ACTIVE_VOICEMAIL_STATES
from hotline.services import urgency
from hotline.twilio.client import TwilioGateway
from hotline.twilio.errors import TWILIO_FAILURES, failure_reason
from hotline.twilio.recordings import DownloadError, TransientDownloadError, delete_recording, download_recording
from speech.audio import Audio, AudioError, load_audio
from speech.models import ModelError, find_model
from speech.urgency import find_urgent_terms
from speech.worker import shared_transcriber

logger = logging.getLogger(__name__)

# A job renews its lease on the voicemail while it works; the sweeper (every 5 minutes) restarts
# one whose lease has run out, so a killed worker's voicemail waits minutes, not half an hour.
LEASE = timedelta(minutes=2)
LEASE_RENEWAL = timedelta(seconds=30)
# Twilio stops recording at 180 s; a longer file is transcribed up to this length, never refused.
MAX_AUDIO_SECONDS = 600.0
_SAFE_SID = re.compile(r"[A-Za-z0-9]{2,64}")


@dataclass(frozen=True)
class _Snapshot:
    """What the job needs to know of the row, read in one short transaction."""

    id: int
    state: str
    recording_sid: str
    source_url: str
    local_path: str | None
    remote_deleted: bool


def process_voicemail(database: Database, settings: Settings, voicemail_id: int, *,
                      twilio: TwilioGateway | None = None) -> int | None:
    """Take one voicemail as far as it can go; return a callback request id newly flagged urgent."""
    twilio = twilio or TwilioGateway(settings)
    snapshot = _begin(database, settings, voicemail_id)
    if snapshot is None:
        return None
    with _renewing_lease(database, voicemail_id):
        return _work(database, settings, twilio, snapshot)


def _work(database: Database, settings: Settings, twilio: TwilioGateway, snapshot: _Snapshot) -> int | None:
    """The job's steps, under its lease."""
    state = snapshot.state
    audio: Audio | None = None
    if state in ACTIVE_VOICEMAIL_STATES:
        path = _local_copy(database, settings, snapshot)
        if path is None:
            return None
        try:
            audio = load_audio(path, MAX_AUDIO_SECONDS)
        except AudioError as exc:
            _fail(database, snapshot.id, str(exc), local_path=_relative(settings, path))
            return None
        kept_as = _relative(settings, path)
        if state == "reported":
            if not _transition(database, snapshot.id, ("reported",), state="downloaded",
                               local_path=kept_as, error=None):
                return None
            state = "downloaded"
        elif kept_as != snapshot.local_path:  # the file had gone and was downloaded again
            _transition(database, snapshot.id, (state,), local_path=kept_as)
    verified = audio is not None or _kept_file(settings, snapshot) is not None
    if verified and _remote_copy_pending(settings, snapshot, state):
        _delete_at_twilio(database, twilio, snapshot)
    if audio is not None and state in ("downloaded", "no_model"):
        return _transcribe(database, settings, snapshot.id, audio)
    return None


def _begin(database: Database, settings: Settings, voicemail_id: int) -> _Snapshot | None:
    """Take the lease, read the row and count the attempt.

    None when the row is gone, another job holds its lease, or nothing is left to do.
    """
    with database.session_scope() as session:
        now = utcnow()
        leased = cast(CursorResult[Any], session.execute(  # an UPDATE's result is a CursorResult
            update(Voicemail)
            .where(Voicemail.id == voicemail_id,
                   or_(Voicemail.lease_until.is_(None), Voicemail.lease_until < now))
            .values(lease_until=now + LEASE)
            .execution_options(synchronize_session=False)
        )).rowcount == 1
        voicemail = session.get(Voicemail, voicemail_id)
        if voicemail is None:
            logger.warning("voicemail %s no longer exists; nothing to do", voicemail_id)
            return None
        if not leased:
            logger.info("voicemail %s is being worked on by another job", voicemail_id)
            return None
        snapshot = _Snapshot(
            id=voicemail.id, state=voicemail.state, recording_sid=voicemail.recording_sid,
            source_url=voicemail.source_url, local_path=voicemail.local_path,
            remote_deleted=voicemail.remote_deleted_at is not None,
        )
        pending_delete = _remote_copy_pending(settings, snapshot, snapshot.state)
        if snapshot.state not in ACTIVE_VOICEMAIL_STATES and not pending_delete:
            logger.info("voicemail %s is %s; nothing to do", voicemail_id, snapshot.state)
            voicemail.lease_until = None
            return None
        voicemail.attempted_at = utcnow()
        if snapshot.state in ACTIVE_VOICEMAIL_STATES:
            voicemail.attempts += 1
            logger.info("voicemail %s (%s): attempt %d", voicemail_id, snapshot.state,
                        voicemail.attempts)
    return snapshot


def _local_copy(database: Database, settings: Settings, snapshot: _Snapshot) -> Path | None:
    """The recording on our disk, downloaded if missing; None when that failed for good."""
    kept = _kept_file(settings, snapshot)
    if kept is not None:
        return kept
    if snapshot.local_path is not None:
        logger.warning("voicemail %s: local audio file is missing", snapshot.id)
    if snapshot.remote_deleted:
        _fail(database, snapshot.id, "Die Aufnahme fehlt auf dem Server und ist bei Twilio schon "
                                     "gelöscht.")
        return None
    if not _SAFE_SID.fullmatch(snapshot.recording_sid):
        _fail(database, snapshot.id, "Ungültige RecordingSid; die Aufnahme wird nicht geladen.")
        return None
    dest = settings.data_dir / RECORDINGS_DIR / f"{snapshot.recording_sid}.wav"
    if dest.is_file():
        logger.info("voicemail %s: using the copy already on disk", snapshot.id)
        return dest  # never overwrite a completed download (they are written atomically)
    # Half downloads a killed job left behind; this job holds the lease, so nobody writes them now.
    for partial in dest.parent.glob(f".{dest.name}.*.part"):
        logger.info("voicemail %s: removing an unfinished download", snapshot.id)
        partial.unlink(missing_ok=True)
    try:
        return download_recording(
            snapshot.source_url, dest, account_sid=settings.twilio_account_sid,
            auth_token=settings.twilio_auth_token, allowed_hosts=settings.twilio_recording_hosts,
        )
    except DownloadError as exc:  # includes DownloadRefused
        _fail(database, snapshot.id, str(exc))
        return None
    except TransientDownloadError as exc:
        _note_error(database, snapshot.id, str(exc))
        raise


def _kept_file(settings: Settings, snapshot: _Snapshot) -> Path | None:
    """The file the row says we keep, if it is there."""
    if snapshot.local_path is None:
        return None
    path = settings.data_dir / snapshot.local_path
    return path if path.is_file() else None


def _remote_copy_pending(settings: Settings, snapshot: _Snapshot, state: str) -> bool:
    """Should Twilio's copy be deleted now? Only once ours is verified, and when so configured."""
    return (
        settings.twilio_delete_recordings
        and bool(settings.twilio_account_sid)
        and not snapshot.remote_deleted
        and state in ("downloaded", "no_model", "transcribed")
    )


def _delete_at_twilio(database: Database, twilio: TwilioGateway, snapshot: _Snapshot) -> None:
    """Delete the recording at Twilio; a failure is logged and retried by the sweeper."""
    try:
        delete_recording(twilio, snapshot.recording_sid)
    except TWILIO_FAILURES as exc:
        logger.warning("voicemail %s: deleting recording %s at Twilio failed (%s); will retry",
                       snapshot.id, snapshot.recording_sid, failure_reason(exc))
        return
    with database.session_scope() as session:
        session.execute(
            update(Voicemail)
            .where(Voicemail.id == snapshot.id, Voicemail.remote_deleted_at.is_(None))
            .values(remote_deleted_at=utcnow())
        )
    logger.info("voicemail %s: recording %s deleted at Twilio", snapshot.id,
                snapshot.recording_sid)


@contextmanager
def _renewing_lease(database: Database, voicemail_id: int) -> Iterator[None]:
    """Renew the voicemail's lease every LEASE_RENEWAL while the block runs; give it up after."""
    done = threading.Event()

    def renew() -> None:
        while not done.wait(LEASE_RENEWAL.total_seconds()):
            with database.session_scope() as session:
                session.execute(update(Voicemail).where(Voicemail.id == voicemail_id)
                                .values(lease_until=utcnow() + LEASE)
                                .execution_options(synchronize_session=False))

    renewer = threading.Thread(target=renew, name=f"lease-{voicemail_id}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        done.set()
        renewer.join()
        with database.session_scope() as session:
            session.execute(update(Voicemail).where(Voicemail.id == voicemail_id).values(lease_until=None)
                            .execution_options(synchronize_session=False))


def _transcribe(database: Database, settings: Settings, voicemail_id: int,
                audio: Audio) -> int | None:
    """Transcribe with the process's model and store the result (once); flag urgent messages."""
    model_path = find_model(settings.vosk_model_path, settings.data_dir)
    if model_path is None:
        logger.warning("voicemail %s waits for a speech model", voicemail_id)
        _transition(database, voicemail_id, ("downloaded",), state="no_model", error=None)
        return None
    try:
        result = shared_transcriber(model_path).transcribe(audio)
    except ModelError as exc:
        logger.error("voicemail %s: speech model unusable: %s", voicemail_id, exc)
        _transition(database, voicemail_id, ("downloaded", "no_model"), state="no_model",
                    error=str(exc))
        return None
    with database.session_scope() as session:
        stored = _update(session, voicemail_id, ("downloaded", "no_model"), state="transcribed",
                         error=None, transcript=result.text,
                         transcript_confidence=result.confidence,
                         transcript_words=[asdict(word) for word in result.words])
        if not stored:
            logger.info("voicemail %s was transcribed by another job meanwhile", voicemail_id)
            return None
        found = find_urgent_terms(result.text, urgency.urgent_terms(session, voicemail_id)) if result.text else ()
        flagged = urgency.mark_urgent(session, voicemail_id, found)
        if flagged is not None:
            urgency.announce_urgent(session, settings, flagged)
    logger.info("voicemail %s transcribed: %d words, %.1f s of audio", voicemail_id,
                len(result.words), result.duration_seconds)
    return flagged


def _transition(database: Database, voicemail_id: int, from_states: tuple[str, ...],
                **values: Any) -> bool:
    """Change the row if it is still in one of from_states (its own transaction)."""
    with database.session_scope() as session:
        return _update(session, voicemail_id, from_states, **values)


def _update(session: Session, voicemail_id: int, from_states: tuple[str, ...], **values: Any) -> bool:
    """A compare-and-set UPDATE: of two jobs racing for the same change, exactly one wins."""
    if "state" in values:
        values["state_changed_at"] = utcnow()
    result = cast(CursorResult[Any], session.execute(  # an UPDATE's result is a CursorResult
        update(Voicemail)
        .where(Voicemail.id == voicemail_id, Voicemail.state.in_(from_states))
        .values(**values)
        .execution_options(synchronize_session=False)
    ))
    return result.rowcount == 1


def _fail(database: Database, voicemail_id: int, error: str, **values: Any) -> None:
    """Mark a permanent failure, keeping the error text; the callback request is left alone."""
    logger.error("voicemail %s failed: %s", voicemail_id, error)
    _transition(database, voicemail_id, ACTIVE_VOICEMAIL_STATES, state="failed", error=error, **values)


def _note_error(database: Database, voicemail_id: int, error: str) -> None:
    """Keep the text of a passing error on the row (the state stays) before the retry."""
    logger.warning("voicemail %s: %s; will retry", voicemail_id, error)
    with database.session_scope() as session:
        _update(session, voicemail_id, ACTIVE_VOICEMAIL_STATES, error=error)


def _relative(settings: Settings, path: Path) -> str:
    """A path inside the data dir as stored on the row (relative, as the admin reads it)."""
    return str(path.resolve().relative_to(settings.data_dir.resolve()))
