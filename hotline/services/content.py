"""What the Begleitung edits for a network's line: activities, newcomer text, greeting, hours, closures.

Newcomer text, greeting, hours and closures are checked here and become drafts (services.drafts);
activities and the forwarding number change the line at once. Every change is written to the audit
log. Functions flush when they need ids and never commit; a `ContentError` carries a German message
for the form.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.models import Activity, Network
from hotline.services import audit
from hotline.services.numbers import callable_e164
from hotline.services.queue import in_networks
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
class ActivityData:
    """An activity as the form gives it: the date and time are Düsseldorf local time."""

    title: str
    description: str
    day: date
    at: time
    place: str
    valid_from: date
    valid_until: date

    @property
    def starts_at(self) -> datetime:
        """The start as an aware datetime (Europe/Berlin)."""
        return datetime.combine(self.day, self.at, BERLIN)


def activity_data_of(activity: Activity) -> ActivityData:
    """The form values of a stored activity (local date and time)."""
    local = activity.starts_at.astimezone(BERLIN)
    return ActivityData(activity.title, activity.description, local.date(),
                        local.time().replace(tzinfo=None), activity.place,
                        activity.valid_from, activity.valid_until)


def _check_activity(data: ActivityData) -> None:
    if not data.title.strip():
        raise ContentError("Bitte geben Sie einen Titel ein.")
    if not data.place.strip():
        raise ContentError("Bitte geben Sie einen Ort ein.")
    if data.valid_from > data.valid_until:
        raise ContentError("„Ansagen ab“ muss vor „Ansagen bis“ liegen.")


def add_activity(session: Session, network: Network, data: ActivityData, *, actor_id: int) -> Activity:
    """Add an activity to the network's line."""
    _check_activity(data)
    activity = Activity(network_id=network.id, title=data.title.strip(),
                        description=data.description.strip(), starts_at=data.starts_at,
                        place=data.place.strip(), valid_from=data.valid_from,
                        valid_until=data.valid_until)
    session.add(activity)
    session.flush()
    audit.record(session, "activity_created", "activity", activity.id, actor_id=actor_id,
                 network_id=network.id)
    return activity


def update_activity(session: Session, activity: Activity, data: ActivityData, *, actor_id: int) -> None:
    """Change an activity's text, date, place or validity."""
    _check_activity(data)
    activity.title = data.title.strip()
    activity.description = data.description.strip()
    activity.starts_at = data.starts_at
    activity.place = data.place.strip()
    activity.valid_from, activity.valid_until = data.valid_from, data.valid_until
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
class ActivityGroups:
    """A network's activities as the phone line treats them at one moment."""

    current: list[Activity]
    upcoming: list[Activity]
    past: list[Activity]


def group_activities(activities: Collection[Activity], now: datetime) -> ActivityGroups:
    """Read on the phone now / to be read later / no longer read (the line's rule, see schedule)."""
    local = now.astimezone(BERLIN)
    current, upcoming, past = [], [], []
    for activity in sorted(activities, key=lambda a: (a.starts_at, a.id)):
        if activity.valid_until < local.date() or activity.starts_at < now:
            past.append(activity)
        elif activity.valid_from > local.date():
            upcoming.append(activity)
        else:
            current.append(activity)
    return ActivityGroups(current, upcoming, list(reversed(past)))


def newcomer_snapshot(text: str, welcome_meeting: str) -> dict[str, str]:
    """The newcomer information as a draft's snapshot (empty text: the line's standard words are used)."""
    if len(text) > NEWCOMER_TEXT_MAX or len(welcome_meeting) > WELCOME_MEETING_MAX:
        raise ContentError("Der Text ist zu lang für die Telefonansage.")
    return {"text": text.strip(), "welcome_meeting": welcome_meeting.strip()}


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
