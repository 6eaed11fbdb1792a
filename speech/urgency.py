"""Spot distress words in a German transcript so volunteers can call those people back first."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# A term is a word or phrase matched as whole words, case-insensitively, with umlauts and their
# transliterations (ue, oe, ae, ss) treated alike. A leading or trailing `*` lets the term sit
# inside a longer word ("*schmerz*" finds "Kopfschmerzen"). It is a hint for the queue, never a
# triage: false alarms ("allein") are cheaper than a missed fall.
DEFAULT_URGENT_TERMS: tuple[str, ...] = (
    "Notfall",
    "Notarzt",
    "Notruf",
    "Krankenwagen",
    "Rettungswagen",
    "gestürzt",
    "hingefallen",
    "hinfallen",
    "komme nicht hoch",
    "kann nicht aufstehen",
    "Krankenhaus",
    "*schmerz*",
    "keine Medikamente",
    "Medikamente sind alle",
    "keine Luft",
    "Atemnot",
    "Luftnot",
    "schwindelig",
    "Hilfe",
    "hilf mir",
    "helfen Sie mir",
    "dringend",
    "allein",
    "einsam",
    "*arzt",
    "nichts zu essen",
)

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def fold(text: str) -> str:
    """Lowercase and transliterate umlauts and ß, so "Gestürzt" and "gestuerzt" compare equal."""
    return text.casefold().translate(_FOLD)


@lru_cache(maxsize=256)
def _pattern(term: str) -> re.Pattern[str]:
    """Compile a term into a word-boundary regex; a phrase's words may be split by non-letters."""
    words = fold(term).split()
    if not words:
        raise ValueError("an urgent term must not be empty")
    prefix = r"\w*" if words[0].startswith("*") else r"(?<!\w)"
    suffix = r"\w*" if words[-1].endswith("*") else r"(?!\w)"
    body = r"\W+".join(re.escape(w.strip("*")) for w in words)
    return re.compile(prefix + body + suffix)


def find_urgent_terms(text: str, terms: Iterable[str] = DEFAULT_URGENT_TERMS) -> tuple[str, ...]:
    """Return the terms (without `*` markers) found in text, in the order of `terms`, each once."""
    if isinstance(terms, str):
        raise TypeError("terms must be a collection of strings, not one string")
    folded = fold(text)
    found: list[str] = []
    for term in terms:
        label = term.strip("*")
        if label not in found and _pattern(term).search(folded):
            found.append(label)
    return tuple(found)
