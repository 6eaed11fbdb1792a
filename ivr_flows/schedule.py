"""Time-dependent content: office hours (with NRW public holidays), the activities read now, the welcome meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

from ivr_flows.clock import BERLIN, local_time
from ivr_flows.content import Activity, NetworkContent, OfficeHours
from ivr_flows.recurrence import Occurrence, next_occurrence

__all__ = ["BERLIN", "ScheduledActivity", "current_activities", "is_open", "is_public_holiday", "local_time"]


@lru_cache(maxsize=8)
def _nrw_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv="NW", years=year)


def is_public_holiday(day: date) -> bool:
    """Return True on a public holiday in North Rhine-Westphalia."""
    return day in _nrw_holidays(day.year)


def holiday_name(day: date) -> str | None:
    """Return the German name of an NRW public holiday ("Erster Weihnachtstag"), else None."""
    return _nrw_holidays_de(day.year).get(day)


@lru_cache(maxsize=8)
def _nrw_holidays_de(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv="NW", years=year, language="de")


def closed_reason(hours: OfficeHours, day: date) -> str | None:
    """Return why the Anlaufstelle is closed all day (the closure's reason or the holiday), else None."""
    if day in hours.closures:
        return hours.closures[day] or None
    return holiday_name(day)


def next_opening(hours: OfficeHours, now: datetime, days: int = 21) -> datetime | None:
    """Return when the Anlaufstelle is next staffed after `now` (local time), within `days`; None if not."""
    local = local_time(now)
    for offset in range(days):
        day = local.date() + timedelta(days=offset)
        if day in hours.closures or is_public_holiday(day):
            continue
        for start, end in sorted(hours.weekly.get(day.weekday(), ())):
            opens = datetime.combine(day, start, tzinfo=BERLIN)
            if opens > local:
                return opens
            if offset == 0 and local.time().replace(tzinfo=None) < end:
                return local  # open right now
    return None


def is_open(hours: OfficeHours, now: datetime) -> bool:
    """Return True when the Anlaufstelle is staffed at `now` (holidays and closure days are closed)."""
    local = local_time(now)
    today = local.date()
    if today in hours.closures or is_public_holiday(today):
        return False
    clock = local.time().replace(tzinfo=None)
    return any(start <= clock < end for start, end in hours.weekly.get(local.weekday(), ()))


@dataclass(frozen=True)
class ScheduledActivity:
    """An activity with the occurrence the line reads now (which may be a cancelled one)."""

    activity: Activity
    occurrence: Occurrence


def current_activities(network: NetworkContent | None, now: datetime) -> tuple[ScheduledActivity, ...]:
    """Return the activities announced today that still have an occurrence to read, soonest first.

    A recurring activity is read once, by its next occurrence.
    """
    if network is None:
        return ()
    today = local_time(now).date()
    scheduled = []
    for activity in network.activities:
        if activity.valid_from <= today and (activity.valid_until is None or today <= activity.valid_until):
            occurrence = next_occurrence(activity.recurrence, now)
            if occurrence is not None:
                scheduled.append(ScheduledActivity(activity, occurrence))
    return tuple(sorted(scheduled, key=lambda s: (s.occurrence.starts_at, s.activity.id)))
