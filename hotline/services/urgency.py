"""Urgent messages: the terms to look for, flagging the callback request, telling the Begleitung."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hotline.config import Settings
from hotline.models import CallbackRequest, UrgentTerm, User, Voicemail
from hotline.services import audit
from hotline.services.outbox import REQUEST_PATH, network_users, put_mails

logger = logging.getLogger(__name__)


def urgent_terms(session: Session, voicemail_id: int) -> list[str]:
    """The terms to look for in this voicemail's transcript: the global ones and its network's."""
    network_id = select(Voicemail.network_id).where(Voicemail.id == voicemail_id).scalar_subquery()
    return list(session.scalars(
        select(UrgentTerm.term)
        .where(or_(UrgentTerm.network_id.is_(None), UrgentTerm.network_id == network_id))
        .order_by(UrgentTerm.id)
    ))


def mark_urgent(session: Session, voicemail_id: int, found: Sequence[str]) -> int | None:
    """Flag the voicemail's open request as urgent; return its id when it was not flagged before."""
    if not found:
        return None
    request = session.scalars(
        select(CallbackRequest).where(CallbackRequest.voicemail_id == voicemail_id)
    ).one_or_none()
    if request is None or request.urgent or request.status == "done":
        return None
    request.urgent = True
    audit.record(session, "marked_urgent", "callback_request", request.id,
                 network_id=request.network_id, terms=list(found))
    logger.info("callback request %s marked urgent (%d terms)", request.id, len(found))
    return request.id


def announce_urgent(session: Session, settings: Settings, request_id: int) -> int:
    """Put an e-mail with a link to the request for each Begleitung of its network into the outbox."""
    request = session.get(CallbackRequest, request_id)
    if request is None or not request.urgent or request.network_id is None:
        logger.info("callback request %s: no urgent notification to send", request_id)
        return 0
    people = network_users(session, request.network_id, User.role == "begleitung")
    queued = put_mails(session, [person.email for person in people], *_message(settings, request))
    if queued:
        audit.record(session, "urgent_notified", "callback_request", request.id,
                     network_id=request.network_id, recipients=queued)
    logger.info("callback request %s: urgent notice for %d people in the outbox", request.id, queued)
    return queued


def _message(settings: Settings, request: CallbackRequest) -> tuple[str, str]:
    """Subject and body: the network and a link, never the caller's number or message."""
    network = request.network.name if request.network else "Ihr Netzwerk"
    path = REQUEST_PATH.format(id=request.id)
    link = f"{settings.public_base_url}{path}" if settings.public_base_url else path
    body = "\n".join([
        "Guten Tag,",
        "",
        f"in einer Nachricht an die Hotline ({network}) kommen Wörter vor, die auf einen "
        "dringenden Fall hindeuten können. Bitte sehen Sie sich den Rückrufwunsch bald an:",
        "",
        link,
        "",
        "Die Erkennung ist ein Hinweis, keine Einschätzung; sie kann sich irren.",
    ])
    return f"Dringender Rückrufwunsch – {network}", body
