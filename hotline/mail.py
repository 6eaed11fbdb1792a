"""Plain-text e-mail through the configured SMTP server, and who in a network receives it."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from email.message import EmailMessage

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from hotline.config import Settings
from hotline.models import User, user_networks

logger = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 30
# The admin's page of one callback request, which e-mails link to (never caller data).
REQUEST_PATH = "/admin/rueckrufe/{id}"


def send_mails(settings: Settings, recipients: Sequence[str], subject: str, body: str) -> int:
    """Send the e-mail to each recipient over one connection; return how many were sent.

    0 (and a log line) when SMTP_HOST is not set; SMTP errors are raised.
    """
    if not settings.smtp_host:
        logger.info("SMTP_HOST is not set; e-mail %r not sent", subject)
        return 0
    if not recipients:
        return 0
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        for to in recipients:
            message = EmailMessage()
            message["Subject"] = subject
            message["From"] = settings.smtp_from
            message["To"] = to
            message.set_content(body)
            smtp.send_message(message)
    return len(recipients)


def network_users(session: Session, network_id: int, *conditions: ColumnElement[bool]) -> list[User]:
    """The active users of a network who meet `conditions`."""
    return list(session.scalars(
        select(User)
        .join(user_networks, user_networks.c.user_id == User.id)
        .where(user_networks.c.network_id == network_id, User.active.is_(True), *conditions)
        .order_by(User.id)
    ))
