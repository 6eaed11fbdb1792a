"""The Begleitung's list of words that mark a transcribed message as urgent (see speech.urgency)."""

from __future__ import annotations

import logging
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.models import UrgentTerm
from hotline.services import audit

logger = logging.getLogger(__name__)

TERM_MAX = 100
# Words and phrases; `*` only at the very start or end ("*schmerz*" finds "Kopfschmerzen").
_TERM = re.compile(r"^\*?[^\W\d_](?:[\w\s'-]*[^\W_])?\*?$")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


class TermError(ValueError):
    """A term that cannot be added; the message is German and meant for the form."""


def all_terms(session: Session) -> list[UrgentTerm]:
    """Every term, alphabetically."""
    return sorted(session.scalars(select(UrgentTerm)), key=lambda term: _folded(term.term))


def _folded(term: str) -> str:
    return term.casefold().translate(_FOLD).strip("*")


def add_term(session: Session, raw: str, *, actor_id: int) -> UrgentTerm:
    """Add a word or phrase; refuse empty, odd or duplicate terms (umlauts and case do not count)."""
    term = " ".join(raw.split())
    if not term.strip("*"):
        raise TermError("Bitte geben Sie ein Wort ein.")
    if len(term) > TERM_MAX:
        raise TermError(f"Höchstens {TERM_MAX} Zeichen.")
    if not _TERM.match(term):
        raise TermError("Bitte nur Wörter eingeben. Ein * ist nur am Anfang oder Ende möglich.")
    if any(_folded(other.term) == _folded(term) and other.term.startswith("*") == term.startswith("*")
           and other.term.endswith("*") == term.endswith("*") for other in all_terms(session)):
        raise TermError("Dieses Wort steht schon in der Liste.")
    added = UrgentTerm(term=term)
    session.add(added)
    session.flush()
    audit.record(session, "urgent_term_added", "urgent_term", added.id, actor_id=actor_id, term=term)
    return added


def remove_term(session: Session, term_id: int, *, actor_id: int) -> bool:
    """Remove a term; False when it does not exist."""
    term = session.get(UrgentTerm, term_id)
    if term is None:
        return False
    audit.record(session, "urgent_term_removed", "urgent_term", term.id, actor_id=actor_id, term=term.term)
    session.delete(term)
    session.flush()
    return True
