"""Drafts and published versions of a network's line content, one mechanism for every kind of content."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.db import Base, UTCDateTime, utcnow
from hotline.models._types import choice_check, owned_by_network

if TYPE_CHECKING:
    from hotline.models.users import User

CONTENT_VERSION_STATES = ("draft", "published")


class ContentVersion(Base):
    """A snapshot of one kind of a network's content (greeting, hours, ...): a draft or a published state.

    The live tables keep holding the published content, so the phone line reads them as before;
    a draft lives only here until it is published. Published versions are never changed.
    """

    __tablename__ = "content_version"
    __table_args__ = (
        UniqueConstraint("network_id", "kind", "number"),
        choice_check("state", CONTENT_VERSION_STATES, "state_known"),
        CheckConstraint(
            "(state = 'draft' AND number IS NULL AND published_at IS NULL)"
            " OR (state = 'published' AND number IS NOT NULL AND published_at IS NOT NULL)",
            name="published_has_number_and_time",
        ),
        # At most one draft per network and kind.
        Index("ix_content_version_one_draft", "network_id", "kind", unique=True,
              sqlite_where="state = 'draft'", postgresql_where="state = 'draft'"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = owned_by_network()
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[int | None] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default="draft")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The number of the version this one brought back, when it was made by restoring.
    restored_from: Mapped[int | None] = mapped_column(Integer)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    def __repr__(self) -> str:
        return f"<ContentVersion network={self.network_id} {self.kind} {self.state} #{self.number}>"
