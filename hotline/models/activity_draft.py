"""An activity that waits to be published: the Begleitung's draft or a volunteer's proposal."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.db import Base, UTCDateTime, utcnow
from hotline.models._types import choice_check, owned_by_network
from hotline.models.network import ActivityFields, activity_checks

if TYPE_CHECKING:
    from hotline.models.network import Activity, Network
    from hotline.models.users import User

# draft: being written, not yet handed in; proposed: waits for the Begleitung; returned: given back with a note.
ACTIVITY_DRAFT_STATES = ("draft", "proposed", "returned")


class ActivityDraft(ActivityFields, Base):
    """A new activity, or a change to a published one (`activity_id`), that callers do not hear yet.

    Publishing writes it to the live activity and removes the draft. When its activity is deleted
    meanwhile, the draft stays, as a new activity: nothing a volunteer wrote is lost.
    """

    __tablename__ = "activity_draft"
    __table_args__ = (*activity_checks(), choice_check("state", ACTIVITY_DRAFT_STATES, "state_known"))

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = owned_by_network()
    # At most one change waits per published activity.
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id", ondelete="SET NULL"), unique=True)
    state: Mapped[str] = mapped_column(String(10), default="draft")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When it was handed in for the Begleitung to look at (the waiting list is in this order).
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The Begleitung's note when she gives it back, and who she is.
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    network: Mapped[Network] = relationship()
    activity: Mapped[Activity | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])

    def __repr__(self) -> str:
        return f"<ActivityDraft {self.id} network={self.network_id} {self.state} {self.title!r}>"
