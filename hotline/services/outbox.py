"""The e-mail outbox: who receives a notice, putting mails in, and each row's way to sent or failed.

Rows are written in the transaction of the event that causes them; hotline.mail sends them after
the commit, claiming and marking each row in a short transaction of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from hotline.models import OutboxMail, User, user_networks

logger = logging.getLogger(__name__)

# The admin's page of one callback request, which e-mails link to (never caller data).
REQUEST_PATH = "/admin/rueckrufe/{id}"
# Longer than any SMTP conversation about one message (a few 30 s timeouts): a claim that runs out
# means the worker died mid-send, and the mail is tried again rather than lost.
CLAIM_DURATION = timedelta(minutes=10)
# Waits after the 1st, 2nd, ... failed attempt; the attempt after the last wait is the last one.
RETRY_DELAYS = tuple(timedelta(minutes=minutes) for minutes in (1, 5, 15, 60, 240))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
_WAITING = ("pending", "sending")


@dataclass(frozen=True)
class ClaimedMail:
    """A mail this worker may send now."""

    id: int
    recipient: str
    subject: str
    body: str


def network_users(session: Session, network_id: int, *conditions: ColumnElement[bool]) -> list[User]:
    """The active users of a network who meet `conditions`."""
    return list(session.scalars(
        select(User)
        .join(user_networks, user_networks.c.user_id == User.id)
        .where(user_networks.c.network_id == network_id, User.active.is_(True), *conditions)
        .order_by(User.id)
    ))


def admin_link(public_base_url: str | None, lead: str, path: str) -> list[str]:
    """A mail's paragraph towards an admin page: `lead` and the link, or, without a public address, to log in."""
    if public_base_url:
        return ["", lead, public_base_url + path]
    return ["", "Bitte melden Sie sich in der Hotline-Verwaltung an."]


def put_mails(session: Session, recipients: Sequence[str], subject: str, body: str) -> int:
    """Add one outbox row per recipient; return how many."""
    session.add_all(OutboxMail(recipient=recipient, subject=subject, body=body) for recipient in recipients)
    session.flush()
    return len(recipients)


def due_mail_ids(session: Session, now: datetime, limit: int) -> list[int]:
    """Ids of the mails to try now, oldest first."""
    return list(session.scalars(
        select(OutboxMail.id)
        .where(OutboxMail.next_attempt_at <= now, OutboxMail.state.in_(_WAITING))
        .order_by(OutboxMail.id)
        .limit(limit)
    ))


def waiting_count(session: Session) -> int:
    """How many mails are neither sent nor given up."""
    return session.scalar(select(func.count(OutboxMail.id)).where(OutboxMail.state.in_(_WAITING))) or 0


def claim(session: Session, mail_id: int, now: datetime) -> ClaimedMail | None:
    """Take the mail for sending and count the attempt; None when it is not due (sent, taken, waiting)."""
    # One compare-and-set UPDATE: of two workers (or a retry) only one gets the row back.
    row = session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.state.in_(_WAITING), OutboxMail.next_attempt_at <= now)
        .values(state="sending", attempts=OutboxMail.attempts + 1, next_attempt_at=now + CLAIM_DURATION)
        .returning(OutboxMail.id, OutboxMail.recipient, OutboxMail.subject, OutboxMail.body)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    return ClaimedMail(*row) if row is not None else None


def mark_sent(session: Session, mail_id: int, now: datetime) -> None:
    """Record that the SMTP server accepted the mail: it is never sent again."""
    session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id)
        .values(state="sent", sent_at=now, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )


def record_failure(session: Session, mail_id: int, error: str, now: datetime) -> str | None:
    """Keep the error and schedule the next attempt, or give up after the last; return the new state."""
    mail = session.get(OutboxMail, mail_id)
    if mail is None or mail.state != "sending":
        return None
    mail.last_error = error[:500]
    if mail.attempts >= MAX_ATTEMPTS:
        mail.state, mail.next_attempt_at = "failed", None
        logger.error("outbox mail %s failed after %d attempts: %s", mail_id, mail.attempts, mail.last_error)
    else:
        mail.state = "pending"
        mail.next_attempt_at = now + RETRY_DELAYS[mail.attempts - 1]
        logger.warning("outbox mail %s: attempt %d failed, next at %s: %s", mail_id, mail.attempts,
                       mail.next_attempt_at, mail.last_error)
    session.flush()
    return mail.state
