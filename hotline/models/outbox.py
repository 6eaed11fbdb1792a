"""The e-mail outbox: one row per message and recipient, written in the transaction of its cause."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.db import Base, UTCDateTime, utcnow
from hotline.models._types import choice_check

# pending: waits for its next attempt; sending: claimed by a worker, whose claim runs out at
# next_attempt_at; sent: accepted by the SMTP server, never sent again; failed: given up.
OUTBOX_STATES = ("pending", "sending", "sent", "failed")


class OutboxMail(Base):
    """One e-mail to one recipient; `next_attempt_at` is NULL once nothing is left to do."""

    __tablename__ = "outbox_mail"
    __table_args__ = (
        choice_check("state", OUTBOX_STATES, "state_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("state <> 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The index finds the rows that are due; sent and failed rows hold NULL and stay out of the way.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<OutboxMail {self.id} {self.state} attempts={self.attempts}>"
