"""The callback queue: claims and their expiry."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hotline.models import CallbackRequest
from hotline.services import audit

logger = logging.getLogger(__name__)


def release_stale_claims(session: Session, *, now: datetime, timeout: timedelta) -> list[int]:
    """Put requests claimed longer than `timeout` back into the open queue; return their ids."""
    stale_ids = list(
        session.scalars(
            select(CallbackRequest.id).where(
                CallbackRequest.status == "claimed", CallbackRequest.claimed_at < now - timeout
            )
        )
    )
    if not stale_ids:
        return []
    # The status condition is repeated so a request finished meanwhile is left alone.
    released = session.execute(
        update(CallbackRequest)
        .where(CallbackRequest.id.in_(stale_ids), CallbackRequest.status == "claimed")
        .values(status="open", claimed_by_id=None, claimed_at=None, updated_at=now)
        .returning(CallbackRequest.id, CallbackRequest.network_id)
    ).all()
    for request_id, network_id in released:
        audit.record(session, "claim_expired", "callback_request", request_id, network_id=network_id)
    logger.info("released %d stale claims", len(released))
    return [request_id for request_id, _ in released]
