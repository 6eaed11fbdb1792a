"""What a line speaks: plain frozen dataclasses the hotline fills from its database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ivr_flows.recurrence import Frequency, Recurrence


@dataclass(frozen=True)
class Activity:
    """One offer or meeting; read from valid_from to valid_until (None: open) while an occurrence is ahead.

    `starts_at` is the first (or only) time, Europe/Berlin local time when naive; `frequency`, `until`
    and `cancelled` say how it repeats (see ivr_flows.recurrence).
    """

    id: int
    title: str
    description: str
    starts_at: datetime
    place: str
    valid_from: date
    valid_until: date | None
    updated_on: date
    audio_url: str | None = None
    frequency: Frequency = Frequency.ONCE
    until: date | None = None
    cancelled: frozenset[date] = frozenset()
    contact: str = ""

    @property
    def recurrence(self) -> Recurrence:
        """When it takes place."""
        return Recurrence(self.starts_at, self.frequency, self.until, self.cancelled)


@dataclass(frozen=True)
class OfficeHours:
    """Weekly opening times (0 = Monday, local Europe/Berlin) plus closure dates with their reason."""

    weekly: Mapping[int, tuple[tuple[time, time], ...]] = field(default_factory=dict)
    closures: Mapping[date, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CallbackTimes:
    """When volunteers call back (the hotline's CALLBACK_HOURS_* settings); the goodbye tells the caller."""

    first_hour: int = 9
    end_hour: int = 19
    quiet_sundays: bool = True
    quiet_holidays: bool = True


@dataclass(frozen=True)
class Stadtteil:
    """A Stadtteil a network serves, with the number (1 to 10) of its Stadtbezirk."""

    name: str
    stadtbezirk: int


@dataclass(frozen=True)
class NetworkContent:
    """Everything one network's line speaks; edited by the Begleitung."""

    network_id: int
    name: str
    address: str = ""
    greeting: str | None = None
    activities: tuple[Activity, ...] = ()
    newcomer_paragraphs: tuple[str, ...] = ()
    # The welcome meeting is read by its next date (when it has one), then the note.
    welcome_meeting: str | None = None
    welcome_meeting_schedule: Recurrence | None = None
    office_hours: OfficeHours = OfficeHours()
    forwarding_number: str | None = None
    caller_id: str | None = None
    line_number: str | None = None  # the number volunteers call back from
    callback_times: CallbackTimes = CallbackTimes()
    prompt_overrides: Mapping[str, str] = field(default_factory=dict)
    prompt_audio: Mapping[str, str] = field(default_factory=dict)
    postal_codes: frozenset[str] = frozenset()
    stadtteile: tuple[Stadtteil, ...] = ()
    active: bool = True


@dataclass(frozen=True)
class CityContent:
    """The city-wide line: all networks (for routing by postal code or Stadtbezirk) and its own texts."""

    networks: tuple[NetworkContent, ...]
    greeting: str | None = None
    callback_times: CallbackTimes = CallbackTimes()
    prompt_overrides: Mapping[str, str] = field(default_factory=dict)
    prompt_audio: Mapping[str, str] = field(default_factory=dict)

    def network(self, network_id: int | None) -> NetworkContent | None:
        """Return the network with this id, or None."""
        return next((n for n in self.networks if n.network_id == network_id), None)


Content = NetworkContent | CityContent
