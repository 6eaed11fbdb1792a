"""Calls as Twilio reported them, and the path each caller took through the menu."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.db import Base, UTCDateTime, utcnow

IN_PROGRESS = "in-progress"  # Twilio's status of a call that is answered: every call starts in it


class Call(Base):
    """One incoming call; `from_number` is NULL when the caller withheld their number."""

    __tablename__ = "call"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    from_number: Mapped[str | None] = mapped_column(String(32))
    to_number: Mapped[str] = mapped_column(String(32))
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("network.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default=IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    # When the caller agreed (key 1) that a message is recorded; copied to the voicemail.
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What a callback request of this call is about, known from the moment the caller consented,
    # so a request can still be made when the caller hangs up before confirming a number.
    callback_topic: Mapped[str | None] = mapped_column(String(200))
    callback_activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL")
    )
    # What the caller typed during the call (a callback number, a postal code), kept here instead
    # of in the step URLs, which Twilio logs; cleared when the call ends (see services.calls).
    typed_digits: Mapped[str | None] = mapped_column(String(64))
    # When Twilio's copy of the call log (numbers, times) was deleted; the row itself stays
    # until RETENTION_CALL_LOG_DAYS.
    twilio_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    steps: Mapped[list[CallStep]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="CallStep.position"
    )

    def __repr__(self) -> str:
        return f"<Call {self.call_sid} network={self.network_id} {self.status}>"


class CallStep(Base):
    """One step of a call's path through the menu (node reached, key pressed)."""

    __tablename__ = "call_step"
    __table_args__ = (
        UniqueConstraint("call_id", "position"),
        # Twilio's I-Twilio-Idempotency-Token: a retried webhook is not logged twice.
        UniqueConstraint("call_id", "request_token"),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    node: Mapped[str] = mapped_column(String(80))
    event: Mapped[str] = mapped_column(String(40))
    request_token: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    call: Mapped[Call] = relationship(back_populates="steps")

    def __repr__(self) -> str:
        return f"<CallStep call={self.call_id} #{self.position} {self.node} {self.event}>"


class OutgoingCall(Base):
    """A call the line placed to a volunteer's phone (click-to-call).

    Kept only until Twilio's log of it (the volunteer's number, and the caller's in its `<Dial>`
    leg) is deleted.
    """

    __tablename__ = "outgoing_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("callback_request.id", ondelete="SET NULL"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<OutgoingCall {self.call_sid} request={self.request_id}>"
