"""Düsseldorf time: every date and time the line speaks is Europe/Berlin wall-clock time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def local_time(moment: datetime) -> datetime:
    """Return a moment as Europe/Berlin time; naive datetimes already are local time."""
    return moment.replace(tzinfo=BERLIN) if moment.tzinfo is None else moment.astimezone(BERLIN)
