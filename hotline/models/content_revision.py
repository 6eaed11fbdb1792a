"""A counter that changes whenever what the phone line speaks changes (see services.line_cache)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Integer
from sqlalchemy.orm import Mapped, mapped_column

from hotline.db import Base


class ContentRevision(Base):
    """The single row (id 1) whose `revision` grows with every change to line content."""

    __tablename__ = "content_revision"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<ContentRevision {self.revision}>"
