"""Retention at Twilio: Twilio keeps every call log (numbers, times) until it is deleted.

The nightly purge deletes Twilio's copy a few days after the call, with the logs of the calls
it started (a `<Dial>` to the office is a child call with the office's and the caller's numbers);
our own row stays until RETENTION_CALL_LOG_DAYS. Click-to-call calls to volunteers are deleted
there the same way. This lives outside `hotline.services`, which knows nothing of Twilio.
No transaction is open while Twilio is asked (SQLite takes its write lock at BEGIN): the
candidates are read in one short transaction and marked in another.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from hotline.db import Database, utcnow
from hotline.models import Call, OutgoingCall
from hotline.services import audit
from hotline.twilio.client import RestClient, TwilioGateway
from hotline.twilio.errors import TWILIO_FAILURES, delete_at_twilio, failure_reason

logger = logging.getLogger(__name__)

# At most this many DELETE requests a night, so a backlog (the first run) stays within the job's
# time limit; the rest follows the next nights, oldest first.
MAX_PER_RUN = 500
# A CallSid as Twilio makes them; anything else never existed at Twilio (and must not reach a URL).
_CALL_SID = re.compile(r"CA[0-9a-fA-F]{32}")


def delete_twilio_call_logs(database: Database, twilio: TwilioGateway, *, now: datetime,
                            limit: int = MAX_PER_RUN) -> int:
    """Delete at Twilio the logs of calls over RETENTION_TWILIO_CALL_LOG_DAYS; return how many calls.

    An incoming call counts from its end, or from its start when no end was reported; its row is
    marked. A click-to-call counts from its start; its row, kept for this alone, is deleted.
    Twilio answering 404 counts as deleted; other failures are logged and tried again the next night.
    """
    if not twilio.configured:
        logger.info("TWILIO_ACCOUNT_SID is not set; no call logs to delete at Twilio")
        return 0
    cutoff = now - timedelta(days=twilio.settings.retention_twilio_call_log_days)
    with database.session_scope() as session:
        incoming = session.execute(
            select(Call.id, Call.call_sid)
            .where(Call.twilio_deleted_at.is_(None),
                   func.coalesce(Call.ended_at, Call.started_at) < cutoff)
            .order_by(Call.id).limit(limit)
        ).all()
        outgoing = session.execute(
            select(OutgoingCall.id, OutgoingCall.call_sid).where(OutgoingCall.started_at < cutoff)
            .order_by(OutgoingCall.id).limit(limit - len(incoming))
        ).all()
    if not incoming and not outgoing:
        return 0
    client = twilio.client()
    deleted_incoming = [row_id for row_id, call_sid in incoming if delete_call_log(client, f"call {row_id}", call_sid)]
    deleted_outgoing = [row_id for row_id, call_sid in outgoing
                        if delete_call_log(client, f"outgoing call {row_id}", call_sid)]
    deleted = len(deleted_incoming) + len(deleted_outgoing)
    failed = len(incoming) + len(outgoing) - deleted
    with database.session_scope() as session:
        if deleted_incoming:
            session.execute(
                update(Call).where(Call.id.in_(deleted_incoming), Call.twilio_deleted_at.is_(None))
                .values(twilio_deleted_at=utcnow())
            )
        if deleted_outgoing:
            session.execute(delete(OutgoingCall).where(OutgoingCall.id.in_(deleted_outgoing)))
        audit.record(session, "twilio_call_logs_deleted", "retention", None, calls=deleted, failed=failed)
    logger.info("deleted %d call logs at Twilio, %d failed (tried again next night)", deleted, failed)
    return deleted


def delete_call_log(client: RestClient, label: str, call_sid: str) -> bool:
    """Delete one call log and those of its child calls at Twilio; True when all are gone there."""
    if not _CALL_SID.fullmatch(call_sid):
        logger.warning("%s has no Twilio CallSid; nothing to delete at Twilio", label)
        return True
    try:
        # Children first: once the parent is gone, nothing would lead to them any more.
        for child in client.calls.stream(parent_call_sid=call_sid):
            delete_at_twilio(client.calls(child.sid).delete)
        delete_at_twilio(client.calls(call_sid).delete)
    except TWILIO_FAILURES as exc:
        logger.warning("%s: deleting call log %s at Twilio failed (%s); will retry",
                       label, call_sid, failure_reason(exc))
        return False
    return True
