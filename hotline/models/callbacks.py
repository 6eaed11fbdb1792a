"""Callback requests (the volunteers' queue) and each attempt to call back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.db import Base, UTCDateTime, utcnow
from hotline.models._types import choice_check, e164_check
from hotline.models.network import Network

# open: waiting in the queue; claimed: a volunteer is on it; done: finished;
# flagged: too many failed attempts or handed over, the Begleitung decides.
CALLBACK_STATUSES = ("open", "claimed", "done", "flagged")
ATTEMPT_OUTCOMES = ("reached", "not_reached", "answering_machine", "wrong_number", "handed_over")


class CallbackRequest(Base):
    """A caller's wish to be called back, with or without a recorded message."""

    __tablename__ = "callback_request"
    __table_args__ = (
        choice_check("status", CALLBACK_STATUSES, "status_known"),
        e164_check("number", "number_e164"),
        CheckConstraint("attempt_count >= 0", name="attempt_count_not_negative"),
        CheckConstraint(
            "status <> 'claimed' OR (claimed_by_id IS NOT NULL AND claimed_at IS NOT NULL)",
            name="claimed_has_claimer",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("network.id", ondelete="SET NULL"), index=True
    )
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("call.id", ondelete="SET NULL"), unique=True
    )
    voicemail_id: Mapped[int | None] = mapped_column(
        ForeignKey("voicemail.id", ondelete="SET NULL"), unique=True
    )
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id", ondelete="SET NULL"))
    number: Mapped[str | None] = mapped_column(String(16))
    number_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    topic: Mapped[str] = mapped_column(String(200), default="")
    preferred_time: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    claimed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the claimer means to try again after not reaching the caller; the claim lasts until then.
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempt_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    network: Mapped[Network | None] = relationship(back_populates="callback_requests")
    attempts: Mapped[list[CallbackAttempt]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="CallbackAttempt.at"
    )

    def __repr__(self) -> str:
        return f"<CallbackRequest {self.id} network={self.network_id} {self.status}>"


class CallbackAttempt(Base):
    """One try by a volunteer to reach the caller, and how it went."""

    __tablename__ = "callback_attempt"
    __table_args__ = (choice_check("outcome", ATTEMPT_OUTCOMES, "outcome_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("callback_request.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    # The next try the volunteer planned after this one (not reached, answering machine).
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    request: Mapped[CallbackRequest] = relationship(back_populates="attempts")

    def __repr__(self) -> str:
        return f"<CallbackAttempt request={self.request_id} {self.outcome}>"
