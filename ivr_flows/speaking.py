"""Turn prompt keys and content into spoken prompts: overrides, recorded audio, dates, menus."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time

from ivr_flows.actions import Break, Pause, Play, Prompt, Say
from ivr_flows.content import OfficeHours
from ivr_flows.numbers import spoken_groups
from ivr_flows.prompts import MONTHS, PROMPTS, WEEKDAYS, WEEKDAYS_PLURAL
from ivr_flows.speakable import dative_ordinal, speakable

logger = logging.getLogger(__name__)

SAY_LIMIT = 1500  # well under Twilio's 3,000 characters per <Say>, leaving room for SSML
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")


class Speaker:
    """Resolve prompt keys to texts, honouring a network's overrides and recorded audio."""

    def __init__(self, overrides: Mapping[str, str], audio: Mapping[str, str]) -> None:
        self._overrides = overrides
        self._audio = audio

    def text(self, name: str, /, **values: object) -> str:
        """Return the text for a prompt key, filled with values."""
        override = self._overrides.get(name)
        if override:
            try:
                # Staff typed the override: spell out what a voice would misread.
                return speakable(override.format(**values))
            except (KeyError, IndexError, ValueError):
                logger.warning("prompt override %s has unknown placeholders; using the default", name)
        return PROMPTS[name].format(**values)

    def say(self, name: str, /, **values: object) -> Prompt:
        """Return a recorded prompt when the content has audio for the key, else spoken text."""
        url = self._audio.get(name)
        return Play(url) if url else Say(self.text(name, **values))

    def say_number(self, name: str, /, number: str, **values: object) -> tuple[Prompt, ...]:
        """Return a prompt naming a phone number (placeholder {digits}), with a short break between its groups."""
        marker = "\x00"
        # The comma stays: a voice without SSML (and anyone reading the text) still hears the groups.
        pieces = self.text(name, digits=f",{marker}".join(spoken_groups(number)), **values).split(marker)
        out: list[Prompt] = [Say(pieces[0])]
        for piece in pieces[1:]:
            out += [Break(), Say(piece)]
        return tuple(out)

    def option(self, label_key: str, key: str) -> Prompt:
        """Return "Für <label> drücken Sie die <key>."; audio for the label key replaces the sentence."""
        url = self._audio.get(label_key)
        return Play(url) if url else Say(self.text("menu_option", label=self.text(label_key), key=key))

    def key_name(self, digits: str) -> str:
        """Return how to name pressed keys in "Die Taste 7 ist hier leider nicht belegt"."""
        if digits == "#":
            return self.text("key_hash")
        if len(digits) == 1:
            return self.text("key_digit", digit=digits)
        return self.text("key_other", digits=" ".join(digits))


def menu_prompts(speaker: Speaker, entries: Sequence[Prompt], misses: int, *, back: str | None,
                 zero_hint: bool = True, repeat: bool = True) -> tuple[Prompt, ...]:
    """Return menu options with pauses: slower after a miss, the 0 hint from the second miss on."""
    gap = Pause(1 if misses == 0 else 2)
    out: list[Prompt] = []
    if zero_hint and misses >= 2:
        out += [speaker.say("menu_zero"), gap]
    for entry in entries:
        out += [entry, gap]
    if back:
        out += [speaker.say(back), gap]
    if repeat:
        out.append(speaker.say("menu_repeat"))
    elif out:
        out.pop()
    return tuple(out)


def spoken_date(speaker: Speaker, day: date, *, weekday: bool = True) -> str:
    """Return e.g. "Dienstag, dem dritten Juni" (or "dritten Juni" without the weekday), to follow "am"."""
    if weekday:
        return speaker.text("date", weekday=WEEKDAYS[day.weekday()], day=dative_ordinal(day.day),
                            month=MONTHS[day.month - 1])
    return speaker.text("date_short", day=dative_ordinal(day.day), month=MONTHS[day.month - 1])


def spoken_time(speaker: Speaker, moment: time | datetime) -> str:
    """Return e.g. "15 Uhr" or "15 Uhr 30"."""
    if moment.minute:
        return speaker.text("time_minutes", hour=moment.hour, minute=moment.minute)
    return speaker.text("time_hour", hour=moment.hour)


def hours_prompts(speaker: Speaker, hours: OfficeHours) -> tuple[Prompt, ...]:
    """Return the weekly office hours as sentences, one per weekday with hours."""
    days = []
    for weekday in range(7):
        ranges = [speaker.text("hours_range", start=spoken_time(speaker, start), end=spoken_time(speaker, end))
                  for start, end in sorted(hours.weekly.get(weekday, ()))]
        if ranges:
            joined = speaker.text("hours_joiner").join(ranges)
            days.append(Say(speaker.text("hours_day", day=WEEKDAYS_PLURAL[weekday], ranges=joined)))
    return (speaker.say("hours_intro"), *days) if days else ()


def split_long(prompts: Sequence[Prompt], limit: int = SAY_LIMIT) -> tuple[Prompt, ...]:
    """Split every Say longer than the limit at sentence ends (or spaces), keeping the order."""
    out: list[Prompt] = []
    for prompt in prompts:
        if isinstance(prompt, Say) and len(prompt.text) > limit:
            out.extend(Say(chunk) for chunk in _chunks(prompt.text, limit))
        else:
            out.append(prompt)
    return tuple(out)


def _chunks(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    for sentence in SENTENCE_END.split(text):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            pieces.append(sentence[:cut])
            sentence = sentence[cut:].lstrip()
        pieces.append(sentence)
    chunks: list[str] = []
    for piece in pieces:
        if chunks and len(chunks[-1]) + 1 + len(piece) <= limit:
            chunks[-1] += " " + piece
        elif piece:
            chunks.append(piece)
    return chunks
