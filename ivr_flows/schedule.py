"""Time-dependent content: office hours (with NRW public holidays) and currently valid activities."""

from __future__ import annotations

from datetime import date, datetime, timedelta
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


def current_activities(network: NetworkContent | None, now: datetime) -> tuple[Activity, ...]:
    """Return the activities valid today that have not started yet, soonest first."""
    if network is None:
        return ()
    local = local_time(now)
    today = local.date()
    valid = [a for a in network.activities
             if a.valid_from <= today <= a.valid_until and local_time(a.starts_at) >= local]
    return tuple(sorted(valid, key=lambda a: (local_time(a.starts_at), a.id)))
