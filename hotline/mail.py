"""Sending the e-mail outbox over SMTP, outside any database transaction.

Each row is claimed in a short transaction of its own, handed to the SMTP server with no
transaction open (a slow mail server must not hold SQLite's write lock against the webhooks),
then marked sent in another short transaction.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage

from hotline.config import Settings
from hotline.db import Database, utcnow
from hotline.services import outbox

logger = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 30
BATCH_SIZE = 100  # per run; the periodic run takes the rest
# The server refused this one message; the connection is fine and the next mail can go.
_MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)


def send_outbox(database: Database, settings: Settings, clock: Callable[[], datetime] = utcnow) -> int:
    """Send the outbox mails that are due over one connection; return how many the server accepted."""
    if not settings.smtp_host:
        # The rows stay pending rather than being marked: nothing is lost while SMTP is not set
        # up, and everything waiting goes out once SMTP_HOST is.
        with database.session_scope() as session:
            waiting = outbox.waiting_count(session)
        if waiting:
            logger.info("SMTP_HOST is not set; %d e-mails wait in the outbox", waiting)
        return 0
    with database.session_scope() as session:
        mail_ids = outbox.due_mail_ids(session, clock(), BATCH_SIZE)
    if not mail_ids:
        return 0
    sent = 0
    smtp: smtplib.SMTP | None = None
    try:
        for mail_id in mail_ids:
            with database.session_scope() as session:
                mail = outbox.claim(session, mail_id, clock())
            if mail is None:
                continue  # sent or taken by another worker meanwhile
            try:
                smtp = smtp or _connect(settings)
                smtp.send_message(_message(settings, mail))
            except Exception as error:  # any failure is kept on the row, so none is retried forever
                with database.session_scope() as session:
                    outbox.record_failure(session, mail_id, f"{type(error).__name__}: {error}", clock())
                if isinstance(error, _MESSAGE_REFUSED):
                    continue
                break  # the server is unreachable or broke off: the rest waits for the next run
            # Should this commit fail, the claim runs out and the mail goes twice rather than never.
            with database.session_scope() as session:
                outbox.mark_sent(session, mail_id, clock())
            sent += 1
    finally:
        if smtp is not None:
            _close(smtp)
    if sent:
        logger.info("sent %d e-mails from the outbox", sent)
    return sent


def check_smtp(settings: Settings, timeout: float) -> None:
    """Connect, greet, switch to TLS and log in as sending does, then leave; raise on any failure."""
    smtp = _connect(settings, timeout)
    try:
        smtp.ehlo_or_helo_if_needed()
        smtp.noop()
    finally:
        _close(smtp)


def _connect(settings: Settings, timeout: float = SMTP_TIMEOUT_SECONDS) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    try:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
    except OSError:
        smtp.close()
        raise
    return smtp


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except OSError:
        smtp.close()  # the server went away first; the mails are marked already


def _message(settings: Settings, mail: outbox.ClaimedMail) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = settings.smtp_from
    message["To"] = mail.recipient
    message.set_content(mail.body)
    return message
