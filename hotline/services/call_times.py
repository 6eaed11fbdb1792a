"""When volunteers should not call back: early, late, Sundays and NRW public holidays."""

from __future__ import annotations

from datetime import datetime
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


def callback_times(settings: Settings) -> CallbackTimes:
    """The hours and quiet days volunteers call back in, as the line tells callers."""
    first, end = settings.callback_hours
    return CallbackTimes(first_hour=first, end_hour=end, quiet_sundays=settings.callback_quiet_sundays,
                         quiet_holidays=settings.callback_quiet_holidays)
