"""What is edited for a network's line: activities, newcomer text, greeting, hours, closures.

Everything is checked here. Newcomer text, greeting, hours and closures become drafts
(services.drafts), activities drafts or proposals (services.activity_drafts); deleting an activity
and the forwarding number change the line at once. Every change is written to the audit log.
Functions flush when they need ids and never commit; a `ContentError` carries a German message for
the form.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.models import Activity, Network
from hotline.models.network import ActivityFields
from hotline.services import audit
from hotline.services.numbers import callable_e164
from hotline.services.queue import in_networks
from ivr_flows.recurrence import Frequency, Occurrence, Recurrence, is_occurrence_day, next_occurrence
from ivr_flows.schedule import BERLIN

logger = logging.getLogger(__name__)

# A phone document must stay far below Twilio's limits (3,000 characters per <Say>, 64 kB).
NEWCOMER_TEXT_MAX = 1500
WELCOME_MEETING_MAX = 300
GREETING_MAX = 400
ACTIVITY_TITLE_MAX = 120
ACTIVITY_DESCRIPTION_MAX = 600
PLACE_MAX = 200
CONTACT_MAX = 200
REASON_MAX = 200


class ContentError(ValueError):
    """A change that cannot be made; the message is German and meant for the form."""


def network_in_scope(session: Session, network_id: int, network_ids: Collection[int] | None
                     ) -> Network | None:
    """The network, or None when it does not exist or the account may not edit it."""
    return session.scalar(
        select(Network).where(Network.id == network_id, in_networks(Network.id, network_ids)))


@dataclass(frozen=True)
class WhenData:
    """When something takes place, as the form gives it: the first date and the time are Düsseldorf local time."""

    day: date
    at: time
    frequency: Frequency = Frequency.ONCE
    until: date | None = None
    cancelled: tuple[date, ...] = ()

    @property
    def starts_at(self) -> datetime:
        """The first (or only) time as an aware datetime (Europe/Berlin)."""
        return datetime.combine(self.day, self.at, BERLIN)

    @property
    def recurrence(self) -> Recurrence:
        """The rule the line follows."""
        return Recurrence(self.starts_at, self.frequency, self.until, frozenset(self.cancelled))


def when_data_of(recurrence: Recurrence) -> WhenData:
    """The form values of a stored rule (local date and time)."""
    local = recurrence.first.astimezone(BERLIN)
    return WhenData(local.date(), local.time().replace(tzinfo=None), recurrence.frequency, recurrence.until,
                    tuple(sorted(recurrence.cancelled)))


def _checked_when(when: WhenData) -> WhenData:
    """The rule to store: a one-off has no end date nor cancelled dates beyond its own day."""
    if when.frequency is Frequency.ONCE:
        when = replace(when, until=None, cancelled=tuple(d for d in when.cancelled if d == when.day))
    if when.until is not None and when.until < when.day:
        raise ContentError("„Letzter Termin“ darf nicht vor dem ersten Termin liegen.")
    for day in when.cancelled:
        if not is_occurrence_day(when.recurrence, day):
            raise ContentError(f"Am {day:%d.%m.%Y} ist nach dieser Regel kein Termin. "
                               "Bitte prüfen Sie den Ausfalltermin.")
    return replace(when, cancelled=tuple(sorted(set(when.cancelled))))


@dataclass(frozen=True)
class ActivityData:
    """An activity as the form gives it."""

    title: str
    description: str
    when: WhenData
    place: str
    valid_from: date
    valid_until: date | None
    contact: str = ""


def activity_data_of(activity: ActivityFields) -> ActivityData:
    """The form values of a stored activity or draft."""
    return ActivityData(activity.title, activity.description, when_data_of(activity.recurrence), activity.place,
                        activity.valid_from, activity.valid_until, activity.contact)


def checked_activity(data: ActivityData) -> ActivityData:
    """The activity to store, or a ContentError saying what to correct."""
    if not data.title.strip():
        raise ContentError("Bitte geben Sie einen Titel ein.")
    if not data.place.strip():
        raise ContentError("Bitte geben Sie einen Ort ein.")
    if len(data.contact) > CONTACT_MAX:
        raise ContentError(f"Der Kontakt darf höchstens {CONTACT_MAX} Zeichen haben.")
    if data.valid_until is not None and data.valid_from > data.valid_until:
        raise ContentError("„Ansagen ab“ muss vor „Ansagen bis“ liegen.")
    return replace(data, when=_checked_when(data.when))


def store_activity(target: ActivityFields, data: ActivityData) -> None:
    """Write checked form values to an activity or a draft."""
    target.title = data.title.strip()
    target.description = data.description.strip()
    target.starts_at = data.when.starts_at
    target.frequency = data.when.frequency.value
    target.repeat_until = data.when.until
    target.cancelled_dates = [day.isoformat() for day in data.when.cancelled]
    target.place = data.place.strip()
    target.valid_from, target.valid_until = data.valid_from, data.valid_until
    target.contact = " ".join(data.contact.split())


def get_activity(session: Session, network: Network, activity_id: int) -> Activity | None:
    """One activity of the network, or None."""
    return session.scalar(select(Activity).where(Activity.id == activity_id,
                                                 Activity.network_id == network.id))


@dataclass(frozen=True)
class ListedActivity:
    """An activity and the occurrence the line reads of it (None: none to come)."""

    activity: Activity
    next: Occurrence | None


@dataclass(frozen=True)
class ActivityGroups:
    """A network's activities as the phone line treats them at one moment."""

    current: list[ListedActivity]
    upcoming: list[ListedActivity]
    past: list[ListedActivity]


def group_activities(activities: Collection[Activity], now: datetime) -> ActivityGroups:
    """Read on the phone now / to be read later / no longer read (the line's rule, see schedule).

    Current and upcoming ones are in the order of their next date, as the line reads them.
    """
    today = now.astimezone(BERLIN).date()
    current, upcoming, past = [], [], []
    for activity in activities:
        listed = ListedActivity(activity, next_occurrence(activity.recurrence, now))
        if listed.next is None or (activity.valid_until is not None and activity.valid_until < today):
            past.append(listed)
        elif activity.valid_from > today:
            upcoming.append(listed)
        else:
            current.append(listed)

    def soonest(listed: ListedActivity) -> tuple[datetime, int]:
        return (listed.next.starts_at if listed.next else listed.activity.starts_at, listed.activity.id)

    return ActivityGroups(sorted(current, key=soonest), sorted(upcoming, key=soonest),
                          sorted(past, key=soonest, reverse=True))


def newcomer_snapshot(text: str, welcome_meeting: str, welcome: WhenData | None) -> dict[str, Any]:
    """The newcomer information as a draft's snapshot (empty text: the line's standard words are used).

    `welcome`: when the welcome meeting takes place (None: no date; the note alone is read).
    """
    if len(text) > NEWCOMER_TEXT_MAX or len(welcome_meeting) > WELCOME_MEETING_MAX:
        raise ContentError("Der Text ist zu lang für die Telefonansage.")
    welcome = _checked_when(welcome) if welcome is not None else None
    return {"text": text.strip(), "welcome_meeting": welcome_meeting.strip(),
            "welcome": recurrence_snapshot(welcome.recurrence) if welcome else None}


def recurrence_snapshot(recurrence: Recurrence) -> dict[str, Any]:
    """A rule as JSON (times in UTC, so that equal rules compare equal whatever zone they came in)."""
    return {"starts_at": recurrence.first.astimezone(UTC).isoformat(), "frequency": recurrence.frequency.value,
            "until": recurrence.until.isoformat() if recurrence.until else None,
            "cancelled": sorted(day.isoformat() for day in recurrence.cancelled)}


def recurrence_of(snapshot: dict[str, Any]) -> Recurrence:
    """The rule of `recurrence_snapshot`."""
    return Recurrence(datetime.fromisoformat(snapshot["starts_at"]), Frequency(snapshot["frequency"]),
                      date.fromisoformat(snapshot["until"]) if snapshot["until"] else None,
                      frozenset(date.fromisoformat(day) for day in snapshot["cancelled"]))


def greeting_snapshot(greeting: str) -> dict[str, str]:
    """The greeting as a draft's snapshot (empty: the line's standard greeting)."""
    if len(greeting) > GREETING_MAX:
        raise ContentError(f"Die Begrüßung darf höchstens {GREETING_MAX} Zeichen haben.")
    return {"greeting": " ".join(greeting.split())}


def set_forwarding_number(session: Session, network: Network, forwarding_number: str, *, actor_id: int) -> bool:
    """Change the forwarding number (any German notation; stored E.164) at once; False when unchanged.

    It is not spoken, so it needs no draft: the Begleitung tries it by calling.
    """
    number = None
    if forwarding_number.strip():
        number = callable_e164(forwarding_number, "DE")
        if number is None:
            raise ContentError("Diese Telefonnummer ist nicht gültig. Bitte mit Vorwahl eingeben, "
                               "z. B. 0211 123456.")
    if number == network.forwarding_number:
        return False
    network.forwarding_number = number
    session.flush()
    audit.record(session, "line_settings_changed", "network", network.id, actor_id=actor_id,
                 network_id=network.id)
    return True


Weekly = list[tuple[int, time, time]]
Closures = list[tuple[date, str]]


def with_office_hours(weekly: Weekly, weekday: int, opens: time, closes: time) -> Weekly:
    """The weekly opening intervals plus one; it may not overlap another one on the same day."""
    if not 0 <= weekday <= 6:
        raise ContentError("Bitte wählen Sie einen Wochentag.")
    if opens >= closes:
        raise ContentError("Die Anlaufstelle muss öffnen, bevor sie schließt.")
    for day, other_opens, other_closes in weekly:
        if day == weekday and opens < other_closes and other_opens < closes:
            raise ContentError("Diese Zeit überschneidet sich mit einer eingetragenen Zeit.")
    return sorted([*weekly, (weekday, opens, closes)])


def with_closure_day(closures: Closures, day: date, reason: str) -> Closures:
    """The closure days plus one (the line then says the Anlaufstelle is not staffed)."""
    if len(reason) > REASON_MAX:
        raise ContentError(f"Der Grund darf höchstens {REASON_MAX} Zeichen haben.")
    if any(other == day for other, _ in closures):
        raise ContentError("Dieser Tag ist schon als Schließtag eingetragen.")
    return sorted([*closures, (day, reason.strip())])
