"""Words and phrases that mark a transcribed message as urgent (see speech.urgency for the syntax)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.db import Base, UTCDateTime, utcnow


class UrgentTerm(Base):
    """One urgent term; a leading or trailing `*` lets it match inside longer words."""

    __tablename__ = "urgent_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(100))
    # None: for every network (the admin's list); else only for this network's messages.
    network_id: Mapped[int | None] = mapped_column(ForeignKey("network.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<UrgentTerm {self.id} {self.term!r}>"
