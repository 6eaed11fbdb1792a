"""The callback queue: claims, their expiry, attempts to call back."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from hotline.models import ATTEMPT_OUTCOMES, CallbackAttempt, CallbackRequest
from hotline.services import audit

logger = logging.getLogger(__name__)


def release_stale_claims(session: Session, *, now: datetime, timeout: timedelta) -> list[int]:
    """Put requests claimed longer than `timeout` back into the open queue; return their ids.

    A request waiting for another try is kept until `timeout` after its retry time.
    """
    held_since = func.coalesce(CallbackRequest.retry_at, CallbackRequest.claimed_at)
    stale_ids = list(
        session.scalars(
            select(CallbackRequest.id).where(
                CallbackRequest.status == "claimed", held_since < now - timeout
            )
        )
    )
    if not stale_ids:
        return []
    # The status condition is repeated so a request finished meanwhile is left alone.
    released = session.execute(
        update(CallbackRequest)
        .where(CallbackRequest.id.in_(stale_ids), CallbackRequest.status == "claimed")
        .values(status="open", claimed_by_id=None, claimed_at=None, retry_at=None, updated_at=now)
        .returning(CallbackRequest.id, CallbackRequest.network_id)
    ).all()
    for request_id, network_id in released:
        audit.record(session, "claim_expired", "callback_request", request_id, network_id=network_id)
    logger.info("released %d stale claims", len(released))
    return [request_id for request_id, _ in released]


class CallbackError(ValueError):
    """A callback request cannot be changed as asked; the message says why (in German)."""


# German words for the page and the exports.
OUTCOME_LABELS = {
    "reached": "erreicht",
    "not_reached": "nicht erreicht",
    "answering_machine": "Anrufbeantworter",
    "wrong_number": "falsche Nummer",
    "handed_over": "an Begleitung übergeben",
}
STATUS_LABELS = {
    "open": "wartet",
    "claimed": "übernommen",
    "done": "erledigt",
    "flagged": "für die Begleitung markiert",
}

# Outcomes that count as a failed try; after max_attempts of them the request is flagged.
FAILED_OUTCOMES = ("not_reached", "answering_machine", "wrong_number")
# Outcomes after which the claimer keeps the request and tries again at a time they choose.
RETRY_OUTCOMES = ("not_reached", "answering_machine")
# Outcomes after which a person has to decide what happens next.
FLAGGING_OUTCOMES = ("wrong_number", "handed_over")


def claim(session: Session, request_id: int, user_id: int, *, now: datetime) -> bool:
    """Claim an open request for `user_id`; False when someone else was faster or it is not open.

    One conditional UPDATE, so two volunteers claiming at once cannot both win: the database
    serialises the two writes and the second one no longer finds the request open.
    """
    claimed = session.execute(
        update(CallbackRequest)
        .where(CallbackRequest.id == request_id, CallbackRequest.status == "open")
        .values(status="claimed", claimed_by_id=user_id, claimed_at=now, updated_at=now)
        .returning(CallbackRequest.network_id)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if claimed is not None:
        audit.record(session, "claimed", "callback_request", request_id, actor_id=user_id,
                     network_id=claimed.network_id)
        logger.info("callback request %s claimed by user %s", request_id, user_id)
    _refresh(session, request_id)
    return claimed is not None


def unclaim(session: Session, request: CallbackRequest, user_id: int, *, now: datetime) -> None:
    """Give a request one has claimed back to the open queue."""
    if request.status != "claimed" or request.claimed_by_id != user_id:
        raise CallbackError("Dieser Rückruf ist nicht von Ihnen übernommen.")
    request.status = "open"
    request.claimed_by_id = None
    request.claimed_at = None
    request.retry_at = None
    request.updated_at = now
    session.flush()
    audit.record(session, "unclaimed", "callback_request", request.id, actor_id=user_id,
                 network_id=request.network_id)


def log_attempt(
    session: Session,
    request: CallbackRequest,
    user_id: int,
    outcome: str,
    note: str,
    *,
    now: datetime,
    max_attempts: int,
    retry_at: datetime | None = None,
) -> CallbackAttempt:
    """Record a try to call back and move the request on.

    Reached: done. Not reached or answering machine: the claimer keeps it and tries again at
    `retry_at`. Wrong number, handed over, or too many failed tries: flagged for the Begleitung.
    """
    if outcome not in ATTEMPT_OUTCOMES:
        raise CallbackError("Bitte wählen Sie aus, wie der Anruf ausgegangen ist.")
    if request.status != "claimed" or request.claimed_by_id != user_id:
        raise CallbackError("Bitte übernehmen Sie den Rückruf zuerst mit „Ich rufe zurück“.")
    failed_tries = request.attempt_count + (outcome in FAILED_OUTCOMES)
    flagged = outcome in FLAGGING_OUTCOMES or (
        outcome in FAILED_OUTCOMES and failed_tries >= max_attempts)
    if outcome in RETRY_OUTCOMES and not flagged and (retry_at is None or retry_at <= now):
        raise CallbackError("Bitte geben Sie an, wann Sie es noch einmal versuchen "
                            "(ein Zeitpunkt in der Zukunft).")
    planned_retry = retry_at if outcome in RETRY_OUTCOMES and not flagged else None
    attempt = CallbackAttempt(request=request, user_id=user_id, outcome=outcome, note=note.strip(),
                              at=now, retry_at=planned_retry)
    session.add(attempt)
    request.attempt_count = failed_tries
    request.retry_at = planned_retry
    if outcome == "reached":
        request.status = "done"
        request.done_at = now
    elif flagged:
        request.status = "flagged"
        request.claimed_by_id = None
        request.claimed_at = None
    request.updated_at = now
    session.flush()
    audit.record(session, "attempt_logged", "callback_request", request.id, actor_id=user_id,
                 network_id=request.network_id, outcome=outcome, status=request.status)
    logger.info("callback request %s: attempt %s, now %s", request.id, outcome, request.status)
    return attempt


def reopen(session: Session, request: CallbackRequest, actor_id: int, *, now: datetime) -> None:
    """Put a flagged request back into the open queue (the Begleitung decided to try again)."""
    if request.status != "flagged":
        raise CallbackError("Nur markierte Rückrufe können zurück in die Warteschlange.")
    request.status = "open"
    request.attempt_count = 0
    request.updated_at = now
    session.flush()
    audit.record(session, "reopened", "callback_request", request.id, actor_id=actor_id,
                 network_id=request.network_id)


def close(session: Session, request: CallbackRequest, actor_id: int, *, now: datetime) -> None:
    """Mark a flagged request as finished without another call."""
    if request.status != "flagged":
        raise CallbackError("Nur markierte Rückrufe können hier abgeschlossen werden.")
    request.status = "done"
    request.done_at = now
    request.updated_at = now
    session.flush()
    audit.record(session, "closed", "callback_request", request.id, actor_id=actor_id,
                 network_id=request.network_id)


def _refresh(session: Session, request_id: int) -> None:
    # The UPDATE bypassed the identity map; a loaded copy must not show the old status.
    loaded = session.get(CallbackRequest, request_id)
    if loaded is not None:
        session.refresh(loaded)
