"""People who log into the admin: volunteers, the Begleitung, admins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false

from hotline.db import Base, UTCDateTime, utcnow
from hotline.models._types import choice_check, e164_check
from hotline.models.network import Network

ROLES = ("volunteer", "begleitung", "admin")
# The roles that facilitate a network: they publish, give proposals back and see every page of it.
STAFF_ROLES = ("begleitung", "admin")

user_networks = Table(
    "user_network",
    Base.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("network_id", ForeignKey("network.id", ondelete="CASCADE"), primary_key=True),
    # A volunteer the Begleitung trusts to put their own activities on this network's line directly.
    Column("publishes_directly", Boolean, nullable=False, default=False, server_default=false()),
)


class User(Base):
    """An admin login; e-mail addresses are stored lower-case and are unique."""

    __tablename__ = "user_account"
    __table_args__ = (
        choice_check("role", ROLES, "role_known"),
        CheckConstraint("email = lower(email) AND email LIKE '%_@_%'", name="email_normalized"),
        e164_check("phone", "phone_e164"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    phone: Mapped[str | None] = mapped_column(String(16))
    notify_new_requests: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of every session id: raising it (logout, deactivation, new password) ends all sessions.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    networks: Mapped[list[Network]] = relationship(
        secondary=user_networks, back_populates="users", order_by="Network.name"
    )

    def end_sessions(self) -> None:
        """Make every session cookie issued so far invalid."""
        self.session_generation += 1

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
