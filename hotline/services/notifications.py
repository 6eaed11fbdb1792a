"""E-mail to volunteers who asked to hear about new callback requests of their networks."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.config import Settings
from hotline.models import CallbackRequest, User, user_networks
from hotline.services import audit

logger = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 30


def recipients(session: Session, request: CallbackRequest) -> list[User]:
    """Active users of the request's network who opted in to notifications."""
    if request.network_id is None:
        return []
    return list(session.scalars(
        select(User)
        .join(user_networks, user_networks.c.user_id == User.id)
        .where(user_networks.c.network_id == request.network_id, User.active.is_(True),
               User.notify_new_requests.is_(True))
        .order_by(User.id)
    ))


def build_message(settings: Settings, request: CallbackRequest, to: str) -> EmailMessage:
    """The notification: the network and a link, never the caller's number or message."""
    network = request.network.name if request.network else "Ihr Netzwerk"
    message = EmailMessage()
    message["Subject"] = f"Neuer Rückrufwunsch – {network}"
    message["From"] = settings.smtp_from
    message["To"] = to
    lines = [
        "Guten Tag,",
        "",
        f"bei der Hotline ({network}) wartet jemand auf einen Rückruf.",
    ]
    if settings.public_base_url:
        lines += ["", "Hier können Sie ihn übernehmen:",
                  f"{settings.public_base_url}/admin/rueckrufe/{request.id}"]
    else:
        lines += ["", "Bitte melden Sie sich in der Hotline-Verwaltung an."]
    lines += ["", "Sie bekommen diese Nachricht, weil Sie sie in Ihrem Profil eingeschaltet haben.",
              "Dort können Sie sie auch wieder ausschalten."]
    message.set_content("\n".join(lines))
    return message


def notify_new_request(session: Session, request_id: int, settings: Settings) -> int:
    """Send one e-mail per opted-in user of the request's network; return how many were sent."""
    if not settings.smtp_host:
        logger.info("SMTP_HOST is not set; no notification for callback request %s", request_id)
        return 0
    request = session.get(CallbackRequest, request_id)
    if request is None or request.status != "open":
        return 0
    users = recipients(session, request)
    if not users:
        return 0
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        for user in users:
            smtp.send_message(build_message(settings, request, user.email))
    audit.record(session, "notified", "callback_request", request.id,
                 network_id=request.network_id, recipients=len(users))
    logger.info("callback request %s: notified %d users", request.id, len(users))
    return len(users)
