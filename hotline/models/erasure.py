"""Twilio's copies still to be erased after a data request's erasure ("Auskunft" -> löschen)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.db import Base, UTCDateTime, utcnow
from hotline.models._types import choice_check

# call: a call log (with its child calls); recording: a recording.
TWILIO_ERASURE_KINDS = ("call", "recording")


class TwilioErasure(Base):
    """One call log or recording at Twilio to delete; the row goes once Twilio's copy is gone.

    Written in the erasure's transaction, before the call rows that name the SIDs are deleted.
    """

    __tablename__ = "twilio_erasure"
    __table_args__ = (choice_check("kind", TWILIO_ERASURE_KINDS, "kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    sid: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<TwilioErasure {self.id} {self.kind}>"
