"""Staff-typed text made speakable: what a voice would misread is written out the way people say it.

A text-to-speech voice reads "Bachstr. 5" as "Bachstr", "3.12." as a decimal number and
"info@netzwerk-bilk.de" letter by letter in English. Staff type such text into the admin, so
every typed text passes through `speakable` before it is spoken, and the admin shows the result
and the `warnings` before it is saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from num2words import num2words

from ivr_flows.numbers import spoken_number
from ivr_flows.prompts import MONTHS, WEEKDAYS

_MONTH_NAMES = "|".join(MONTHS)
_WEEKDAY_NAMES = "|".join(WEEKDAYS)

# The abbreviations staff commonly type, spelled out; matched as whole words, case as typed.
ABBREVIATIONS = {
    "z. B.": "zum Beispiel", "z.B.": "zum Beispiel", "u. a.": "unter anderem", "u.a.": "unter anderem",
    "usw.": "und so weiter", "bzw.": "beziehungsweise", "ca.": "circa", "Tel.": "Telefon",
    "Nr.": "Nummer", "Str.": "Straße", "Dr.": "Doktor", "evtl.": "eventuell",
    "inkl.": "inklusive", "ggf.": "gegebenenfalls", "d. h.": "das heißt", "d.h.": "das heißt",
}
# English words that turn up in offers and that a German voice pronounces as German (and mangles).
ENGLISH_WORDS = frozenset({
    "event", "events", "meeting", "meetings", "workshop", "workshops", "team", "update", "feedback",
    "flyer", "newsletter", "online", "download", "link", "walk", "talk", "breakfast", "lunch", "brunch",
    "party", "community", "coffee", "happy", "hour", "game", "games", "night", "help", "support",
    "service", "weekend", "kids", "senior", "seniors", "homepage", "website", "email", "chat", "zoom",
    "open", "space", "speed", "dating", "fitness", "walking", "nordic", "yoga", "get-together", "together",
})
# Symbols a voice skips or reads in a way callers do not expect.
SYMBOLS = frozenset("&%§#*/\\|<>{}[]~^_=+@$")

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@(?>[\w-]+)(?>\.[\w-]+)+")
# Atomic groups and a start only at a word's beginning: "a.a.a. ..." must not take cubic time.
_WEB = re.compile(r"(?<![\w.@-])(?:https?://)?(?>[\w-]+\.)+(?:de|com|org|net|info|eu)\b(?:/[\w./-]*)?",
                  re.IGNORECASE)
# A German phone number: 0 or +49, then at least six more digits, grouped by spaces, / or -.
_PHONE = re.compile(r"(?<![\w+])(?:\+49|0)[ /-]?(?:\(0\))?\d[\d /-]{4,}\d\b")
_TIME_RANGE = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[:.](\d{2}))?\s*Uhr\b")
_TIME = re.compile(r"\b(\d{1,2})[:.](\d{2})(?:\s*Uhr\b)?")
_DATE_NUMERIC = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})?(?!\d)")
_DATE_NAMED = re.compile(rf"\b(\d{{1,2}})\.\s*({_MONTH_NAMES})\b")
_WEEKDAY_COMMA = re.compile(rf"\b({_WEEKDAY_NAMES}),\s+(?!dem\b|den\b)(?=\w+ten\b)")
_NUMERAL_DATE = re.compile(rf"\b\d{{1,2}}\.\s*(?:{_MONTH_NAMES})\b|\b\d{{1,2}}\.\d{{1,2}}\.")


@lru_cache(maxsize=31)
def dative_ordinal(day: int) -> str:
    """Return the ordinal as it follows "am" or "dem": 3 -> "dritten" (num2words knows the stem)."""
    return num2words(day, lang="de", to="ordinal") + "n"


def has_numeral_date(text: str) -> bool:
    """Return True when a text holds a date a voice would read as numbers ("3. Dezember", "3.12.")."""
    return _NUMERAL_DATE.search(text) is not None


@lru_cache(maxsize=4096)  # a line's texts are the same at every call
def speakable(text: str) -> str:
    """Return the text as a voice should say it: addresses, numbers, times, dates and abbreviations spelled out."""
    for pattern, spell in _REWRITES:
        text = pattern.sub(spell, text)
    for short, long in ABBREVIATIONS.items():
        text = re.sub(rf"(?<![\w.]){re.escape(short)}", long, text)
    # "Bachstr." is typed as one word.
    return re.sub(r"(?<=\w)str\.", "straße", text)


def warnings(text: str) -> list[str]:
    """Return what a voice cannot say well in a text (German, for the admin), after `speakable`."""
    spoken = speakable(text)
    found: list[str] = []
    english = sorted({w for w in re.findall(r"[A-Za-z]+", spoken) if w.lower() in ENGLISH_WORDS},
                     key=str.lower)
    if english:
        found.append("Englische Wörter spricht die Stimme deutsch aus: " + ", ".join(english) + ".")
    symbols = sorted({c for c in spoken if c in SYMBOLS})
    if symbols:
        found.append("Diese Zeichen kann die Stimme nicht sprechen: " + " ".join(symbols) + ".")
    if _EMAIL.search(text) or _WEB.search(text):
        found.append("E-Mail- und Internetadressen werden Zeichen für Zeichen vorgelesen; "
                     "am Telefon ist eine Telefonnummer leichter zu merken.")
    return found


def _spell_address(address: str) -> str:
    """Spell an e-mail or web address as one says it: "info ät bilk punkt de"."""
    address = re.sub(r"^https?://", "", address, flags=re.IGNORECASE).rstrip("/")
    words = {"@": " ät ", ".": " Punkt ", "-": " Bindestrich ", "/": " Schrägstrich ", "_": " Unterstrich "}
    spelled = "".join(words.get(c, c) for c in address.lower())
    spelled = re.sub(r"\bwww\b", "w w w", spelled)
    return re.sub(r"\s+", " ", spelled).strip()


def _clock(hour: str, minute: str | None) -> str:
    minutes = int(minute) if minute else 0
    return f"{int(hour)} Uhr {minutes}" if minutes else f"{int(hour)} Uhr"


def _time_range(match: re.Match[str]) -> str:
    return f"{_clock(match[1], match[2])} bis {_clock(match[3], match[4])}"


def _numeric_date(match: re.Match[str]) -> str:
    day, month = int(match[1]), int(match[2])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return match[0]
    year = f" {match[3]}" if match[3] and len(match[3]) == 4 else ""
    return f"{dative_ordinal(day)} {MONTHS[month - 1]}{year}"


def _named_date(match: re.Match[str]) -> str:
    day = int(match[1])
    return f"{dative_ordinal(day)} {match[2]}" if 1 <= day <= 31 else match[0]


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\(0\)", "", match[0])
    digits = "0" + re.sub(r"\D", "", digits)[2:] if digits.startswith("+49") else re.sub(r"\D", "", digits)
    return spoken_number(digits)


_REWRITES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_EMAIL, lambda m: _spell_address(m[0])),
    (_WEB, lambda m: _spell_address(m[0])),
    (_PHONE, _phone),
    (_TIME_RANGE, _time_range),
    (_DATE_NUMERIC, _numeric_date),
    (_TIME, lambda m: _clock(m[1], m[2])),
    (_DATE_NAMED, _named_date),
    (_WEEKDAY_COMMA, lambda m: f"{m[1]}, dem "),
)
