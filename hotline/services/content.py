"""What the Begleitung edits for a network's line: activities, newcomer text, greeting, hours, closures.

Every change is written to the audit log. Functions flush when they need ids and never commit;
a `ContentError` carries a German message for the form.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.models import Activity, ClosureDay, Network, NewcomerInfo, OfficeHours
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


def activity_data_of(activity: Activity) -> ActivityData:
    """The form values of a stored activity."""
    return ActivityData(activity.title, activity.description, when_data_of(activity.recurrence), activity.place,
                        activity.valid_from, activity.valid_until)


def _checked_activity(data: ActivityData) -> ActivityData:
    if not data.title.strip():
        raise ContentError("Bitte geben Sie einen Titel ein.")
    if not data.place.strip():
        raise ContentError("Bitte geben Sie einen Ort ein.")
    if data.valid_until is not None and data.valid_from > data.valid_until:
        raise ContentError("„Ansagen ab“ muss vor „Ansagen bis“ liegen.")
    return replace(data, when=_checked_when(data.when))


def _store(activity: Activity, data: ActivityData) -> None:
    activity.title = data.title.strip()
    activity.description = data.description.strip()
    activity.starts_at = data.when.starts_at
    activity.frequency = data.when.frequency.value
    activity.repeat_until = data.when.until
    activity.cancelled_dates = [day.isoformat() for day in data.when.cancelled]
    activity.place = data.place.strip()
    activity.valid_from, activity.valid_until = data.valid_from, data.valid_until


def add_activity(session: Session, network: Network, data: ActivityData, *, actor_id: int) -> Activity:
    """Add an activity to the network's line."""
    data = _checked_activity(data)
    activity = Activity(network_id=network.id)
    _store(activity, data)
    session.add(activity)
    session.flush()
    audit.record(session, "activity_created", "activity", activity.id, actor_id=actor_id,
                 network_id=network.id)
    return activity


def update_activity(session: Session, activity: Activity, data: ActivityData, *, actor_id: int) -> None:
    """Change an activity's text, dates, place or validity."""
    _store(activity, _checked_activity(data))
    session.flush()
    audit.record(session, "activity_changed", "activity", activity.id, actor_id=actor_id,
                 network_id=activity.network_id)


def delete_activity(session: Session, activity: Activity, *, actor_id: int) -> str | None:
    """Delete an activity; return its recorded audio (to remove after the commit)."""
    audio_path = activity.audio_path
    audit.record(session, "activity_deleted", "activity", activity.id, actor_id=actor_id,
                 network_id=activity.network_id, title=activity.title)
    session.delete(activity)
    session.flush()
    return audio_path


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


def set_newcomer_info(session: Session, network: Network, text: str, welcome_meeting: str,
                      welcome: WhenData | None = None, *, actor_id: int) -> None:
    """Replace the newcomer information (empty text: the line's standard words are used).

    `welcome`: when the welcome meeting takes place (None: no date; the note alone is read).
    """
    if len(text) > NEWCOMER_TEXT_MAX or len(welcome_meeting) > WELCOME_MEETING_MAX:
        raise ContentError("Der Text ist zu lang für die Telefonansage.")
    welcome = _checked_when(welcome) if welcome is not None else None
    info = network.newcomer_info
    if info is None:
        info = NewcomerInfo(network_id=network.id, text="")
        network.newcomer_info = info
    info.text = text.strip()
    info.welcome_meeting = welcome_meeting.strip()
    info.welcome_starts_at = welcome.starts_at if welcome else None
    info.welcome_frequency = (welcome.frequency if welcome else Frequency.ONCE).value
    info.welcome_until = welcome.until if welcome else None
    info.welcome_cancelled = [day.isoformat() for day in welcome.cancelled] if welcome else []
    session.flush()
    audit.record(session, "newcomer_changed", "network", network.id, actor_id=actor_id,
                 network_id=network.id)


def set_line_settings(session: Session, network: Network, *, greeting: str, forwarding_number: str,
                      actor_id: int) -> None:
    """Change the greeting and the forwarding number (any German notation; stored E.164)."""
    if len(greeting) > GREETING_MAX:
        raise ContentError(f"Die Begrüßung darf höchstens {GREETING_MAX} Zeichen haben.")
    number = None
    if forwarding_number.strip():
        number = callable_e164(forwarding_number, "DE")
        if number is None:
            raise ContentError("Diese Telefonnummer ist nicht gültig. Bitte mit Vorwahl eingeben, "
                               "z. B. 0211 123456.")
    network.greeting = greeting.strip() or None
    network.forwarding_number = number
    session.flush()
    audit.record(session, "line_settings_changed", "network", network.id, actor_id=actor_id,
                 network_id=network.id)


def add_office_hours(session: Session, network: Network, weekday: int, opens: time, closes: time, *,
                     actor_id: int) -> OfficeHours:
    """Add a weekly opening interval; it may not overlap another one on the same day."""
    if not 0 <= weekday <= 6:
        raise ContentError("Bitte wählen Sie einen Wochentag.")
    if opens >= closes:
        raise ContentError("Die Anlaufstelle muss öffnen, bevor sie schließt.")
    for other in network.office_hours:
        if other.weekday == weekday and opens < other.closes and other.opens < closes:
            raise ContentError("Diese Zeit überschneidet sich mit einer eingetragenen Zeit.")
    hours = OfficeHours(network_id=network.id, weekday=weekday, opens=opens, closes=closes)
    _add_network_row(session, network, hours, "office_hours", action="hours_added",
                     object_type="office_hours", actor_id=actor_id)
    return hours


def remove_office_hours(session: Session, network: Network, hours_id: int, *, actor_id: int) -> bool:
    """Remove one opening interval; False when the network has no such interval."""
    return _remove_network_row(session, network, OfficeHours, hours_id, action="hours_removed",
                               object_type="office_hours", actor_id=actor_id)


def add_closure_day(session: Session, network: Network, day: date, reason: str, *,
                    actor_id: int) -> ClosureDay:
    """Mark a day as closed (the line then says the Anlaufstelle is not staffed)."""
    if len(reason) > REASON_MAX:
        raise ContentError(f"Der Grund darf höchstens {REASON_MAX} Zeichen haben.")
    if any(closure.day == day for closure in network.closure_days):
        raise ContentError("Dieser Tag ist schon als Schließtag eingetragen.")
    closure = ClosureDay(network_id=network.id, day=day, reason=reason.strip())
    _add_network_row(session, network, closure, "closure_days", action="closure_added",
                     object_type="closure_day", actor_id=actor_id)
    return closure


def remove_closure_day(session: Session, network: Network, closure_id: int, *, actor_id: int) -> bool:
    """Remove a closure day; False when the network has no such day."""
    return _remove_network_row(session, network, ClosureDay, closure_id, action="closure_removed",
                               object_type="closure_day", actor_id=actor_id)


def _add_network_row(session: Session, network: Network, row: OfficeHours | ClosureDay, collection: str, *,
                     action: str, object_type: str, actor_id: int) -> None:
    """Insert a row of the network's `collection`, reload that collection, and audit the addition."""
    session.add(row)
    session.flush()
    session.refresh(network, [collection])
    audit.record(session, action, object_type, row.id, actor_id=actor_id, network_id=network.id)


def _remove_network_row(session: Session, network: Network, model: type[OfficeHours] | type[ClosureDay],
                        row_id: int, *, action: str, object_type: str, actor_id: int) -> bool:
    """Delete the network's row of `model` and audit the removal; False when the network has no such row."""
    row = session.scalar(select(model).where(model.id == row_id, model.network_id == network.id))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    audit.record(session, action, object_type, row_id, actor_id=actor_id, network_id=network.id)
    return True
