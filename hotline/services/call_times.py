"""When volunteers should not call back: early, late, Sundays and NRW public holidays."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache

import holidays

from hotline.config import Settings
from ivr_flows.content import CallbackTimes
from ivr_flows.schedule import BERLIN


@lru_cache(maxsize=8)
def _nrw_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv="NW", years=year, language="de")


def quiet_reason(now: datetime, settings: Settings) -> str | None:
    """Why calling now would be unwelcome (German, for the page), or None when it is fine."""
    local = now.astimezone(BERLIN)
    if settings.callback_quiet_holidays:
        holiday = _nrw_holidays(local.year).get(local.date())
        if holiday:
            return f"Feiertag ({holiday})"
    if settings.callback_quiet_sundays and local.weekday() == 6:
        return "Sonntag"
    opens, closes = settings.callback_hours
    if local.hour < opens:
        return f"vor {opens} Uhr"
    if local.hour >= closes:
        return f"nach {closes} Uhr"
    return None


# Times of day callers name when asked when to be called back, as the hour they most likely mean.
# "nachmittags" must be looked at before "mittags", which it contains.
_DAYTIME_WORDS = (("nachmittag", 15), ("vormittag", 10), ("morgen", 9), ("mittag", 12), ("abend", 18))
_CLOCK_TIME = re.compile(r"\b([01]?\d|2[0-3])(?:[:.]([0-5]\d))?\s*uhr\b|\b([01]?\d|2[0-3])[:.]([0-5]\d)\b")
# How many days ahead the caller's time of day is looked for (it may lie outside the callback hours).
_SEARCH_DAYS = 14


def preferred_clock_time(preferred_time: str) -> time | None:
    """The time of day a caller's wish names ("gern vormittags", "ab 16 Uhr"), or None."""
    text = preferred_time.casefold()
    match = _CLOCK_TIME.search(text)
    if match:
        hour, minute = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        return time(int(hour), int(minute or 0))
    for word, hour in _DAYTIME_WORDS:
        if word in text:
            return time(hour)
    return None


def default_retry_at(now: datetime, preferred_time: str, settings: Settings) -> datetime:
    """When to try again, the first welcome moment after `now` for calling back.

    At the caller's preferred time of day if they named one, else at the next full hour.
    """
    wished = preferred_clock_time(preferred_time)
    local = now.astimezone(BERLIN)
    if wished is not None:
        candidate = local.replace(hour=wished.hour, minute=wished.minute, second=0, microsecond=0)
        for _ in range(_SEARCH_DAYS):
            if candidate > local and quiet_reason(candidate, settings) is None:
                return candidate.astimezone(UTC)
            candidate = _same_time_next_day(candidate)
    # Settings guarantee a daily window (opens < closes), and holidays never fill a fortnight.
    candidate = local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    while quiet_reason(candidate, settings) is not None:
        candidate += timedelta(hours=1)
    return candidate.astimezone(UTC)


def _same_time_next_day(moment: datetime) -> datetime:
    # Wall-clock arithmetic: the next day at the same local time, also across a DST change.
    following = moment.date() + timedelta(days=1)
    return datetime.combine(following, moment.timetz().replace(tzinfo=None), tzinfo=BERLIN)


def callback_times(settings: Settings) -> CallbackTimes:
    """The hours and quiet days volunteers call back in, as the line tells callers."""
    first, end = settings.callback_hours
    return CallbackTimes(first_hour=first, end_hour=end, quiet_sundays=settings.callback_quiet_sundays,
                         quiet_holidays=settings.callback_quiet_holidays)
