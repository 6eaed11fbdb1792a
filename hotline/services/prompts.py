"""A network's own wording and recorded audio for the line's prompts (ivr_flows.prompts keys)."""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.models import Network, PromptOverride
from ivr_flows.prompt_groups import CITY_LINE_PROMPTS, PLACEHOLDER_MEANINGS, PLACEHOLDER_MEANINGS_IN, PROMPT_GROUPS
from ivr_flows.prompts import PROMPTS

logger = logging.getLogger(__name__)

TEXT_MAX = 600
# The city-wide line has its own texts; a network's line never speaks these.
_CITY_KEYS = frozenset(CITY_LINE_PROMPTS.plays)
# Pieces the engine puts into other sentences (dates, times, key names) or texts that are never
# spoken (topics in the callback queue): a recording cannot replace them.
_FRAGMENT_KEYS = frozenset({
    "menu_option", "key_digit", "key_hash", "key_other", "activity", "activity_updated", "activity_cancelled",
    "activity_cancelled_next", "newcomers_meeting_date", "newcomers_meeting_cancelled", "date", "date_short",
    "time_hour", "time_minutes", "hours_day", "hours_range", "hours_joiner",
}) | frozenset(key for key in PROMPTS if key.startswith(("topic_", "callback_days_")) or key.endswith("_label"))
# Menu labels are edited with the menu (a draft, then published), not one by one.
MENU_LABEL_KEYS = frozenset(key for key in PROMPTS if key.startswith("label_"))

NETWORK_KEYS = tuple(key for key in PROMPTS if key not in _CITY_KEYS)
TEXT_KEYS = frozenset(NETWORK_KEYS) - MENU_LABEL_KEYS
AUDIO_KEYS = frozenset(NETWORK_KEYS) - _FRAGMENT_KEYS
_SITUATIONS = {key: situation for group in PROMPT_GROUPS for key, situation in group.plays.items()}


class PromptError(ValueError):
    """An override that cannot be used; the message is German and meant for the form."""


@dataclass(frozen=True)
class PromptRow:
    """One prompt of a network's line: the standard text and the network's own text or audio."""

    key: str
    situation: str
    default: str
    text: str | None
    audio_path: str | None
    audio_allowed: bool
    text_allowed: bool

    @property
    def on_network_line(self) -> bool:
        """False for the city-wide line's texts, which a network cannot change."""
        return self.key not in _CITY_KEYS


@dataclass(frozen=True)
class PromptSection:
    """One part of a call with its prompts, in the order the call plays them."""

    title: str
    note: str
    rows: tuple[PromptRow, ...]


@dataclass(frozen=True)
class TextPiece:
    """A stretch of a prompt text as the admin shows it: words, then what the line puts in (or "")."""

    words: str
    placeholder: str


def placeholders(key: str) -> frozenset[str]:
    """The {names} the standard text of `key` uses; an own text may use these and no others."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(PROMPTS[key]) if name)


def placeholder_meaning(key: str, name: str) -> str:
    """What the line puts in place of {name} in the text of `key`, in words."""
    return PLACEHOLDER_MEANINGS_IN.get((key, name)) or PLACEHOLDER_MEANINGS.get(name, name)


def in_words(key: str, text: str) -> tuple[TextPiece, ...]:
    """A text of `key` in pieces, each {placeholder} as its meaning ("Name der Anlaufstelle")."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        # Saved texts pass check_text; one that predates it is shown as it is (the line uses the standard).
        return (TextPiece(text, ""),)
    return tuple(TextPiece(words, placeholder_meaning(key, name) if name else "")
                 for words, name, _, _ in parsed)


def check_text(key: str, text: str) -> str:
    """Return the cleaned text or raise PromptError (too long, unknown or broken placeholders)."""
    text = " ".join(text.split())
    if len(text) > TEXT_MAX:
        raise PromptError(f"Der Text darf höchstens {TEXT_MAX} Zeichen haben.")
    allowed = placeholders(key)
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        text.format(**dict.fromkeys(allowed, ""))
    except (ValueError, KeyError, IndexError) as error:
        raise PromptError(_placeholder_message(allowed)) from error
    if used - allowed:
        raise PromptError(_placeholder_message(allowed))
    return text


def _placeholder_message(allowed: frozenset[str]) -> str:
    if not allowed:
        return "Geschweifte Klammern { } sind in diesem Text nicht möglich."
    names = ", ".join("{" + name + "}" for name in sorted(allowed))
    return f"In geschweiften Klammern sind hier nur diese Platzhalter möglich: {names}."


def overrides_of(session: Session, network: Network) -> dict[str, PromptOverride]:
    """The network's overrides by key."""
    rows = session.scalars(select(PromptOverride).where(PromptOverride.network_id == network.id))
    return {row.key: row for row in rows}


def _row(key: str, own: dict[str, PromptOverride], texts: Mapping[str, str], audio: Mapping[str, str]) -> PromptRow:
    override = own.get(key)
    text = texts.get(key) if key in TEXT_KEYS else (override.text if override else None)
    return PromptRow(key, _SITUATIONS[key], PROMPTS[key], text, audio.get(key), key in AUDIO_KEYS, key in TEXT_KEYS)


def situation_of(key: str) -> str:
    """When the line plays the prompt `key`, in words."""
    return _SITUATIONS[key]


def with_text(texts: Mapping[str, str], key: str, text: str) -> dict[str, str]:
    """The own texts (key -> text) with that of `key` changed; empty or the standard text removes it."""
    if key not in TEXT_KEYS:
        raise PromptError("Diesen Text gibt es am Telefon einer Anlaufstelle nicht.")
    text = check_text(key, text)
    changed = {own: words for own, words in texts.items() if own != key}
    if text and text != PROMPTS[key]:
        changed[key] = text
    return changed


def prompt_row(session: Session, network: Network, key: str, texts: Mapping[str, str],
               audio: Mapping[str, str]) -> PromptRow:
    """One prompt of the network's line; `texts`, `audio`: the own texts and recordings being edited."""
    return _row(key, overrides_of(session, network), texts, audio)


def prompt_sections(session: Session, network: Network, texts: Mapping[str, str],
                    audio: Mapping[str, str]) -> list[PromptSection]:
    """Every prompt in the order a call plays it, grouped by the part of the call, with the network's own."""
    own = overrides_of(session, network)
    return [PromptSection(group.title, group.note, tuple(_row(key, own, texts, audio) for key in group.plays))
            for group in PROMPT_GROUPS]


def set_text(session: Session, network: Network, key: str, text: str) -> None:
    """Use the network's own text for a key; an empty text (or the standard text) removes it.

    Only publishing calls this (a menu or a draft of the prompt texts), and audits the publishing.
    """
    if key not in NETWORK_KEYS:
        raise PromptError("Diesen Text gibt es am Telefon einer Anlaufstelle nicht.")
    text = check_text(key, text)
    override = overrides_of(session, network).get(key)
    if not text or text == PROMPTS[key]:
        if override is not None and override.audio_path:
            override.text = None
        elif override is not None:
            session.delete(override)
    elif override is None:
        session.add(PromptOverride(network_id=network.id, key=key, text=text))
    else:
        override.text = text
    session.flush()


def set_audio(session: Session, network: Network, key: str, relative_path: str | None) -> None:
    """Play a stored recording for a key (None: synthesized speech again); only publishing calls this.

    The replaced file stays: an older version may bring it back.
    """
    override = overrides_of(session, network).get(key)
    if relative_path is None and override is not None and not override.text:
        session.delete(override)
    elif override is None and relative_path is not None:
        session.add(PromptOverride(network_id=network.id, key=key, audio_path=relative_path))
    elif override is not None:
        override.audio_path = relative_path
    session.flush()


def with_audio(audio: Mapping[str, str], key: str, relative_path: str | None) -> dict[str, str]:
    """The recordings (key -> stored path) with that of `key` set or, for None, removed."""
    if relative_path is not None and key not in AUDIO_KEYS:
        raise PromptError("Für diesen Text ist keine Aufnahme möglich.")
    changed = {own: path for own, path in audio.items() if own != key}
    if relative_path is not None:
        changed[key] = relative_path
    return changed
