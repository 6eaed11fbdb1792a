"""Time-dependent content: office hours (with NRW public holidays) and currently valid activities."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from ivr_flows.content import Activity, NetworkContent, OfficeHours

BERLIN = ZoneInfo("Europe/Berlin")


@lru_cache(maxsize=8)
def _nrw_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv="NW", years=year)


def is_public_holiday(day: date) -> bool:
    """Return True on a public holiday in North Rhine-Westphalia."""
    return day in _nrw_holidays(day.year)


def local_time(moment: datetime) -> datetime:
    """Return a moment as Europe/Berlin time; naive datetimes already are local time."""
    return moment.replace(tzinfo=BERLIN) if moment.tzinfo is None else moment.astimezone(BERLIN)


def is_open(hours: OfficeHours, now: datetime) -> bool:
    """Return True when the Anlaufstelle is staffed at `now` (holidays and closure days are closed)."""
    local = local_time(now)
    today = local.date()
    if today in hours.closures or is_public_holiday(today):
        return False
    clock = local.time().replace(tzinfo=None)
    return any(start <= clock < end for start, end in hours.weekly.get(local.weekday(), ()))


def current_activities(network: NetworkContent | None, now: datetime) -> tuple[Activity, ...]:
    """Return the activities valid today that have not started yet, soonest first."""
    if network is None:
        return ()
    local = local_time(now)
    today = local.date()
    valid = [a for a in network.activities
             if a.valid_from <= today <= a.valid_until and local_time(a.starts_at) >= local]
    return tuple(sorted(valid, key=lambda a: (local_time(a.starts_at), a.id)))
