"""Jinja filters: phone numbers (one way everywhere), waiting times, German dates, marked transcripts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from markupsafe import Markup, escape

from hotline.db import utcnow
from hotline.services import numbers
from hotline.services.callbacks import OUTCOME_LABELS, STATUS_LABELS
from hotline.services.prompts import in_words
from ivr_flows.prompts import MONTHS
from ivr_flows.schedule import BERLIN

LOW_CONFIDENCE = 0.6
WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


def since(moment: datetime, now: datetime | None = None) -> str:
    """How long ago, in the dative for "seit ...": "wenigen Sekunden", "3 Stunden", "einem Tag"."""
    age = (now or utcnow()) - moment
    minutes = int(age.total_seconds() // 60)
    if minutes < 2:
        return "wenigen Sekunden" if minutes < 1 else "einer Minute"
    if minutes < 60:
        return f"{minutes} Minuten"
    hours = minutes // 60
    if hours < 24:
        return "einer Stunde" if hours == 1 else f"{hours} Stunden"
    days = hours // 24
    return "einem Tag" if days == 1 else f"{days} Tagen"


def local_time(moment: datetime | None) -> str:
    """A moment as Düsseldorf reads it: "Mo, 24.11.2026, 14:05"."""
    if moment is None:
        return ""
    local = moment.astimezone(BERLIN)
    return f"{WEEKDAYS[local.weekday()]}, {local:%d.%m.%Y, %H:%M}"


def local_date(moment: datetime) -> str:
    """The day of a moment as a letter writes it: "3. Dezember 2026"."""
    local = moment.astimezone(BERLIN)
    return f"{local.day}. {MONTHS[local.month - 1]} {local.year}"


def duration(value: timedelta | None) -> str:
    """A duration in hours and minutes: "2 Std. 10 Min."."""
    if value is None:
        return "–"
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [f"{days} Tg."] if days else []
    parts += [f"{hours} Std."] if hours else []
    parts += [f"{minutes} Min."] if minutes or not parts else []
    return " ".join(parts)


def marked_transcript(words: list[dict[str, Any]] | None, text: str | None) -> Markup:
    """The transcript with uncertain words (confidence below 0.6) in <mark>."""
    if not words:
        return escape(text or "")
    parts = []
    for word in words:
        escaped = escape(str(word.get("word", "")))
        if float(word.get("conf", 1.0)) < LOW_CONFIDENCE:
            parts.append(Markup('<mark title="unsicher erkannt">{}</mark>').format(escaped))
        else:
            parts.append(escaped)
    return Markup(" ").join(parts)


def prompt_in_words(text: str, key: str) -> Markup:
    """A prompt text with each {placeholder} shown as what the line puts there, set apart from the words."""
    return Markup("").join(
        escape(piece.words) + (Markup('<span class="placeholder">%s</span>') % piece.placeholder
                               if piece.placeholder else "")
        for piece in in_words(key, text))


def init_app(app: Flask) -> None:
    """Register the filters on the app's Jinja environment."""
    app.jinja_env.filters.update(
        phone=numbers.written,
        since=since,
        local_time=local_time,
        local_date=local_date,
        duration=duration,
        marked_transcript=marked_transcript,
        prompt_in_words=prompt_in_words,
        outcome_label=OUTCOME_LABELS.get,
        status_label=STATUS_LABELS.get,
    )
