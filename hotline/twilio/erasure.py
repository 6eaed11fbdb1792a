"""Erasing Twilio's copies of an erased caller's calls: call logs and recordings.

The erasure of a data request writes the SIDs down (`TwilioErasure`) in its own transaction; this
deletes them at Twilio after the commit, as a job, and again on every run until all are gone.
No transaction is open while Twilio is asked.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import delete, select

from hotline.db import Database
from hotline.models import TwilioErasure
from hotline.services import audit
from hotline.twilio.call_logs import delete_call_log
from hotline.twilio.client import RestClient, TwilioGateway
from hotline.twilio.errors import TWILIO_FAILURES, delete_at_twilio, failure_reason

logger = logging.getLogger(__name__)

# A RecordingSid as Twilio makes them; anything else never existed at Twilio (and must not reach a URL).
_RECORDING_SID = re.compile(r"RE[0-9a-fA-F]{32}")


def erase_at_twilio(database: Database, twilio: TwilioGateway) -> int:
    """Delete the written-down call logs and recordings at Twilio; return how many are gone now.

    What fails stays written down and is tried again on the next run.
    """
    if not twilio.configured:
        logger.info("TWILIO_ACCOUNT_SID is not set; nothing to erase at Twilio")
        return 0
    with database.session_scope() as session:
        pending = session.execute(select(TwilioErasure.id, TwilioErasure.kind, TwilioErasure.sid)
                                  .order_by(TwilioErasure.id)).all()
    if not pending:
        return 0
    client = twilio.client()
    done = [row_id for row_id, kind, sid in pending
            if (delete_call_log(client, f"erased call {row_id}", sid) if kind == "call"
                else _delete_recording(client, row_id, sid))]
    failed = len(pending) - len(done)
    with database.session_scope() as session:
        session.execute(delete(TwilioErasure).where(TwilioErasure.id.in_(done)))
        audit.record(session, "twilio_copies_erased", "phone_number", None, erased=len(done), failed=failed)
    logger.info("erased %d copies at Twilio, %d failed (tried again later)", len(done), failed)
    return len(done)


def _delete_recording(client: RestClient, row_id: int, sid: str) -> bool:
    """Delete one recording at Twilio; True when it is gone there."""
    if not _RECORDING_SID.fullmatch(sid):
        logger.warning("erased recording %s has no Twilio RecordingSid; nothing to delete", row_id)
        return True
    try:
        delete_at_twilio(client.recordings(sid).delete)
    except TWILIO_FAILURES as exc:
        logger.warning("erased recording %s: deleting it at Twilio failed (%s); will retry",
                       row_id, failure_reason(exc))
        return False
    return True
