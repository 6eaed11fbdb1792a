"""E-mail to volunteers who asked to hear about new callback requests of their networks (via the outbox)."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from hotline.config import Settings
from hotline.models import CallbackRequest, User
from hotline.services import audit
from hotline.services.outbox import REQUEST_PATH, admin_link, network_users, put_mails

logger = logging.getLogger(__name__)


def announce_new_request(session: Session, settings: Settings, request_id: int) -> int:
    """Put one e-mail per opted-in user of the request's network into the outbox; return how many."""
    request = session.get(CallbackRequest, request_id)
    if request is None or request.status != "open" or request.network_id is None:
        return 0
    users = network_users(session, request.network_id, User.notify_new_requests.is_(True))
    queued = put_mails(session, [user.email for user in users], *_message(settings, request))
    if queued:
        audit.record(session, "notified", "callback_request", request.id,
                     network_id=request.network_id, recipients=queued)
        logger.info("callback request %s: e-mail to %d users in the outbox", request.id, queued)
    return queued


def _message(settings: Settings, request: CallbackRequest) -> tuple[str, str]:
    """Subject and body: the network and a link, never the caller's number or message."""
    network = request.network.name if request.network else "Ihr Netzwerk"
    lines = [
        "Guten Tag,",
        "",
        f"bei der Hotline ({network}) wartet jemand auf einen Rückruf.",
    ]
    lines += admin_link(settings.public_base_url, "Hier können Sie ihn übernehmen:",
                        REQUEST_PATH.format(id=request.id))
    lines += ["", "Sie bekommen diese Nachricht, weil Sie sie in Ihrem Profil eingeschaltet haben.",
              "Dort können Sie sie auch wieder ausschalten."]
    return f"Neuer Rückrufwunsch – {network}", "\n".join(lines)
