"""When an activity or meeting takes place: once, or by a rule of dateutil's rrule, minus cancelled dates.

Times are Düsseldorf wall-clock times: "every Wednesday at 15 Uhr" stays at 15 Uhr across the change
to and from summer time, so the rule runs on naive local datetimes and only the results get the zone.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from dateutil import rrule

from ivr_flows.clock import BERLIN, local_time


class Frequency(StrEnum):
    """How often something takes place; the values are stored."""

    ONCE = "once"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY_WEEKDAY = "monthly_weekday"  # e.g. every first Tuesday of the month
    MONTHLY_DATE = "monthly_date"  # e.g. every 15th of the month


@dataclass(frozen=True)
class Recurrence:
    """The first (or only) time, how it repeats, its last possible date and the dates it does not take place.

    `first` is Europe/Berlin local time when naive.
    """

    first: datetime
    frequency: Frequency = Frequency.ONCE
    until: date | None = None
    cancelled: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Occurrence:
    """One date of a recurrence (aware, Europe/Berlin); `cancelled`: it does not take place."""

    starts_at: datetime
    cancelled: bool = False


# A fifth weekday exists in some months only; a group meeting then means the last one of every month.
_LAST_WEEK = 5


@functools.lru_cache(maxsize=1024)
def _rule(recurrence: Recurrence, since: datetime) -> rrule.rrule:
    """The rule, started at its first date or, for speed, at the last whole period before `since`.

    rrule walks every date from its start: a group that has met weekly for years would cost a walk
    through all those weeks at every step of every call. `since` is naive local time. Kept: every
    step of a day asks for the same rules from the same midnight, and iterating a rule changes nothing.
    """
    first = local_time(recurrence.first).replace(tzinfo=None)
    until = datetime.combine(recurrence.until, time.max) if recurrence.until else None
    match recurrence.frequency:
        case Frequency.ONCE:
            return rrule.rrule(rrule.DAILY, dtstart=first, count=1)
        case Frequency.WEEKLY | Frequency.BIWEEKLY:
            interval = 2 if recurrence.frequency is Frequency.BIWEEKLY else 1
            periods = max(0, (since.date() - first.date()).days // (7 * interval))
            start = first + timedelta(weeks=periods * interval)  # naive: the wall-clock time stays
            return rrule.rrule(rrule.WEEKLY, interval=interval, dtstart=start, until=until)
    # Monthly rules name their day explicitly, so they may start in any month up to the one of `since`.
    start = max(first, datetime.combine(since.date().replace(day=1), first.time()))
    if recurrence.frequency is Frequency.MONTHLY_WEEKDAY:
        week = (first.day - 1) // 7 + 1
        nth = -1 if week == _LAST_WEEK else week
        return rrule.rrule(rrule.MONTHLY, dtstart=start, until=until, byweekday=rrule.weekday(first.weekday(), nth))
    # The 29th to 31st fall on the month's last day in shorter months instead of skipping them.
    days = tuple(range(28, first.day + 1)) if first.day > 28 else (first.day,)
    return rrule.rrule(rrule.MONTHLY, dtstart=start, until=until, bymonthday=days, bysetpos=-1)


def occurrences(recurrence: Recurrence, since: datetime) -> Iterator[Occurrence]:
    """The occurrences starting at or after `since`, in order (endless for a rule without end date)."""
    start = local_time(since).replace(tzinfo=None)
    for moment in _rule(recurrence, start).xafter(start, inc=True):
        yield Occurrence(moment.replace(tzinfo=BERLIN), moment.date() in recurrence.cancelled)


def next_occurrence(recurrence: Recurrence, now: datetime) -> Occurrence | None:
    """The occurrence the line reads at `now`: the next one not yet begun, or a cancelled one of today.

    A cancellation is announced for the whole of its day, so that someone calling after the usual
    time still hears that it did not take place.
    """
    local = local_time(now)
    midnight = datetime.combine(local.date(), time(), BERLIN)
    for occurrence in occurrences(recurrence, midnight):
        if occurrence.cancelled or occurrence.starts_at >= local:
            return occurrence
    return None


def next_held(recurrence: Recurrence, after: datetime) -> Occurrence | None:
    """The first occurrence after `after` that takes place, or None."""
    return next((o for o in occurrences(recurrence, after) if not o.cancelled and o.starts_at > after), None)


def is_occurrence_day(recurrence: Recurrence, day: date) -> bool:
    """True when the recurrence falls on `day` (a cancelled date must be one of them)."""
    midnight = datetime.combine(day, time(), BERLIN)
    return next((o.starts_at.date() == day for o in occurrences(recurrence, midnight)), False)
