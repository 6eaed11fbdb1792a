"""A network's Anlaufstelle and what its line speaks: numbers, hours, activities, flows."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import true

from hotline.db import Base, UTCDateTime, utcnow
from hotline.models._types import e164_check, owned_by_network
from ivr_flows.recurrence import Frequency, Recurrence

if TYPE_CHECKING:
    from hotline.models.callbacks import CallbackRequest
    from hotline.models.users import User


class Network(Base):
    """A senior-citizen network and its Anlaufstelle (contact point)."""

    __tablename__ = "network"
    __table_args__ = (
        e164_check("forwarding_number", "forwarding_number_e164"),
        CheckConstraint("slug <> ''", name="slug_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    district: Mapped[str] = mapped_column(String(120))
    # The Stadtteile it serves, spelt as hotline.stadtteile spells them.
    stadtteile: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    postal_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    address: Mapped[str] = mapped_column(String(200), default="")
    greeting: Mapped[str | None] = mapped_column(Text)
    forwarding_number: Mapped[str | None] = mapped_column(String(16))
    # A deactivated network's numbers answer like the city-wide line; nothing of it is deleted.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    phone_numbers: Mapped[list[PhoneNumber]] = relationship(
        back_populates="network", cascade="all, delete-orphan", order_by="PhoneNumber.e164"
    )
    office_hours: Mapped[list[OfficeHours]] = relationship(
        back_populates="network", cascade="all, delete-orphan",
        order_by="(OfficeHours.weekday, OfficeHours.opens)",
    )
    closure_days: Mapped[list[ClosureDay]] = relationship(
        back_populates="network", cascade="all, delete-orphan", order_by="ClosureDay.day"
    )
    activities: Mapped[list[Activity]] = relationship(
        back_populates="network", cascade="all, delete-orphan", order_by="Activity.starts_at"
    )
    newcomer_info: Mapped[NewcomerInfo | None] = relationship(
        back_populates="network", cascade="all, delete-orphan"
    )
    users: Mapped[list[User]] = relationship(
        secondary="user_network", back_populates="networks"
    )
    callback_requests: Mapped[list[CallbackRequest]] = relationship(back_populates="network")

    def __repr__(self) -> str:
        return f"<Network {self.id} {self.slug}>"


class PhoneNumber(Base):
    """A number (E.164) that rings a network's line; unique across all networks."""

    __tablename__ = "phone_number"
    __table_args__ = (e164_check("e164", "e164"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = owned_by_network()
    e164: Mapped[str] = mapped_column(String(16), unique=True)
    label: Mapped[str] = mapped_column(String(80), default="")

    network: Mapped[Network] = relationship(back_populates="phone_numbers")

    def __repr__(self) -> str:
        return f"<PhoneNumber {self.e164} network={self.network_id}>"


class OfficeHours(Base):
    """One opening interval on a weekday (0 = Monday), local time Europe/Berlin."""

    __tablename__ = "office_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("opens < closes", name="opens_before_closes"),
        UniqueConstraint("network_id", "weekday", "opens"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = owned_by_network()
    weekday: Mapped[int] = mapped_column(SmallInteger)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)

    network: Mapped[Network] = relationship(back_populates="office_hours")

    def __repr__(self) -> str:
        return f"<OfficeHours network={self.network_id} {self.weekday} {self.opens}-{self.closes}>"


class ClosureDay(Base):
    """A day the Anlaufstelle is closed although its weekly hours say open."""

    __tablename__ = "closure_day"
    __table_args__ = (UniqueConstraint("network_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = owned_by_network()
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    network: Mapped[Network] = relationship(back_populates="closure_days")

    def __repr__(self) -> str:
        return f"<ClosureDay network={self.network_id} {self.day}>"


_FREQUENCY_VALUES = ", ".join(f"'{frequency.value}'" for frequency in Frequency)


def _cancelled_dates(stored: list[str]) -> frozenset[date]:
    return frozenset(date.fromisoformat(day) for day in stored)


def activity_checks() -> tuple[CheckConstraint, ...]:
    """The rules every row describing an activity keeps (the live one and a draft of it)."""
    return (
        CheckConstraint("valid_from <= valid_until", name="valid_range"),
        CheckConstraint("title <> ''", name="title_not_empty"),
        CheckConstraint(f"frequency IN ({_FREQUENCY_VALUES})", name="frequency_known"),
    )


class ActivityFields:
    """What describes an activity, shared by the live row and its drafts."""

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # The first (or only) time it takes place.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    frequency: Mapped[str] = mapped_column(String(20), default=Frequency.ONCE.value,
                                           server_default=Frequency.ONCE.value)
    repeat_until: Mapped[date | None] = mapped_column(Date)
    # ISO dates on which a recurring activity does not take place; always replaced, never changed in place.
    cancelled_dates: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    place: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    # Whom to ask, if the group wants a contact read out (a name, a number).
    contact: Mapped[str] = mapped_column(String(200), default="", server_default="")

    @property
    def recurrence(self) -> Recurrence:
        """When it takes place."""
        return Recurrence(self.starts_at, Frequency(self.frequency), self.repeat_until,
                          _cancelled_dates(self.cancelled_dates))


class Activity(ActivityFields, Base):
    """An offer or meeting, once or recurring; read on the phone from valid_from to valid_until (None: open).

    Only published activities are rows here; what waits to be published is an ActivityDraft.
    """

    __tablename__ = "activity"
    __table_args__ = activity_checks()

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = owned_by_network()
    audio_path: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Who typed it in (a volunteer or the Begleitung) and who put it on the line.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    network: Mapped[Network] = relationship(back_populates="activities")
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    def __repr__(self) -> str:
        return f"<Activity {self.id} network={self.network_id} {self.title!r}>"


class NewcomerInfo(Base):
    """What a newcomer hears: the networks' principles, how to start, the next welcome meeting."""

    __tablename__ = "newcomer_info"
    __table_args__ = (
        CheckConstraint(f"welcome_frequency IN ({_FREQUENCY_VALUES})", name="welcome_frequency_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("network.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[str] = mapped_column(Text)
    # A note on the welcome meeting, read after its date (or alone while no date is entered).
    welcome_meeting: Mapped[str] = mapped_column(Text, default="")
    # The welcome meeting's first (or only) date; None: no date entered. The rest as for an activity.
    welcome_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    welcome_frequency: Mapped[str] = mapped_column(String(20), default=Frequency.ONCE.value,
                                                   server_default=Frequency.ONCE.value)
    welcome_until: Mapped[date | None] = mapped_column(Date)
    welcome_cancelled: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    network: Mapped[Network] = relationship(back_populates="newcomer_info")

    @property
    def welcome_schedule(self) -> Recurrence | None:
        """When the welcome meeting takes place, or None while no date is entered."""
        if self.welcome_starts_at is None:
            return None
        return Recurrence(self.welcome_starts_at, Frequency(self.welcome_frequency), self.welcome_until,
                          _cancelled_dates(self.welcome_cancelled))

    def __repr__(self) -> str:
        return f"<NewcomerInfo network={self.network_id}>"


class PromptOverride(Base):
    """A network's own wording, or recorded audio, for one of the line's standard prompts."""

    __tablename__ = "prompt_override"
    __table_args__ = (
        UniqueConstraint("network_id", "key"),
        CheckConstraint("text IS NOT NULL OR audio_path IS NOT NULL", name="text_or_audio"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = owned_by_network()
    key: Mapped[str] = mapped_column(String(80))
    text: Mapped[str | None] = mapped_column(Text)
    audio_path: Mapped[str | None] = mapped_column(String(300))

    def __repr__(self) -> str:
        return f"<PromptOverride network={self.network_id} {self.key}>"


class FlowVersion(Base):
    """A version of a network's menu flow (network NULL: the city-wide entry)."""

    __tablename__ = "flow_version"
    __table_args__ = (
        UniqueConstraint("network_id", "version"),
        CheckConstraint("version > 0", name="version_positive"),
        CheckConstraint(
            "(published = false AND published_at IS NULL)"
            " OR (published = true AND published_at IS NOT NULL)",
            name="published_has_time",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int | None] = owned_by_network()
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The menu's label texts by prompt key; publishing writes them to the network's PromptOverrides.
    label_texts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<FlowVersion network={self.network_id} v{self.version} published={self.published}>"
