"""Retention at Twilio: Twilio keeps every call log (numbers, times) until it is deleted.

The nightly purge deletes Twilio's copy a few days after the call; our own row stays until
RETENTION_CALL_LOG_DAYS. This lives outside `hotline.services`, which knows nothing of Twilio.
No transaction is open while Twilio is asked (SQLite takes its write lock at BEGIN): the
candidates are read in one short transaction and marked in another.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

import requests
from sqlalchemy import func, select, update
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.rest import Client

from hotline.config import Settings
from hotline.db import Database, utcnow
from hotline.models import Call
from hotline.services import audit

logger = logging.getLogger(__name__)

# At most this many DELETE requests a night, so a backlog (the first run) stays within the job's
# time limit; the rest follows the next nights, oldest first.
MAX_PER_RUN = 500
# A CallSid as Twilio makes them; anything else never existed at Twilio (and must not reach a URL).
_CALL_SID = re.compile(r"CA[0-9a-fA-F]{32}")


def delete_twilio_call_logs(database: Database, settings: Settings, *, now: datetime,
                            http_client: HttpClient | None = None, limit: int = MAX_PER_RUN) -> int:
    """Delete at Twilio the call logs of calls over RETENTION_TWILIO_CALL_LOG_DAYS; return how many.

    A call counts from its end, or from its start when no end was reported. Twilio answering 404
    counts as deleted; other failures are logged and the call is tried again the next night.
    """
    if not settings.twilio_account_sid:
        logger.info("TWILIO_ACCOUNT_SID is not set; no call logs to delete at Twilio")
        return 0
    cutoff = now - timedelta(days=settings.retention_twilio_call_log_days)
    with database.session_scope() as session:
        candidates = session.execute(
            select(Call.id, Call.call_sid)
            .where(Call.twilio_deleted_at.is_(None),
                   func.coalesce(Call.ended_at, Call.started_at) < cutoff)
            .order_by(Call.id).limit(limit)
        ).all()
    if not candidates:
        return 0
    client = Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=http_client)
    deleted = [call_id for call_id, call_sid in candidates if _delete(client, call_id, call_sid)]
    failed = len(candidates) - len(deleted)
    with database.session_scope() as session:
        if deleted:
            session.execute(
                update(Call).where(Call.id.in_(deleted), Call.twilio_deleted_at.is_(None))
                .values(twilio_deleted_at=utcnow())
            )
        audit.record(session, "twilio_call_logs_deleted", "retention", None, calls=len(deleted), failed=failed)
    logger.info("deleted %d call logs at Twilio, %d failed (tried again next night)", len(deleted), failed)
    return len(deleted)


def _delete(client: Client, call_id: int, call_sid: str) -> bool:
    """Delete one call log at Twilio; True when it is gone there (or never was)."""
    if not _CALL_SID.fullmatch(call_sid):
        logger.warning("call %s has no Twilio CallSid; nothing to delete at Twilio", call_id)
        return True
    try:
        client.calls(call_sid).delete()
    except TwilioRestException as exc:
        if exc.status != 404:  # 404: already gone at Twilio, which is what we want
            # Only ids and the status: Twilio's message may quote the call's numbers.
            logger.warning("call %s: deleting call log %s at Twilio failed (HTTP %s); will retry",
                           call_id, call_sid, exc.status)
            return False
    except (TwilioException, requests.RequestException) as exc:
        logger.warning("call %s: deleting call log %s at Twilio failed (%s); will retry",
                       call_id, call_sid, type(exc).__name__)
        return False
    return True
