"""Sending one plain-text e-mail through the configured SMTP server."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from hotline.config import Settings

logger = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 30


def send_mail(settings: Settings, to: str, subject: str, body: str) -> bool:
    """Send one e-mail; False (and a log line) when SMTP_HOST is not set. SMTP errors are raised."""
    if not settings.smtp_host:
        logger.info("SMTP_HOST is not set; e-mail %r not sent", subject)
        return False
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.smtp_from
    message["To"] = to
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)
    return True
