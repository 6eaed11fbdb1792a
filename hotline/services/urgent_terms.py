"""The words that mark a transcribed message as urgent (see speech.urgency).

The global terms, for every network, are the admin's; a network's Begleitung adds and removes
terms of her own networks. `scope` is the actor's networks (None: an admin, every network).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Set

from sqlalchemy import or_, select
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


def terms_in_scope(session: Session, scope: Set[int] | None) -> list[UrgentTerm]:
    """The global terms and those of the networks in `scope`, alphabetically."""
    statement = select(UrgentTerm)
    if scope is not None:
        statement = statement.where(or_(UrgentTerm.network_id.is_(None), UrgentTerm.network_id.in_(sorted(scope))))
    return sorted(session.scalars(statement), key=lambda term: _folded(term.term))


def may_change(term: UrgentTerm, scope: Set[int] | None) -> bool:
    """Whether someone with `scope` may remove `term` (global terms: admins only)."""
    return scope is None or (term.network_id is not None and term.network_id in scope)


def _folded(term: str) -> str:
    return term.casefold().translate(_FOLD).strip("*")


def add_term(session: Session, raw: str, *, network_id: int | None, scope: Set[int] | None,
             actor_id: int) -> UrgentTerm:
    """Add a word or phrase for one network (None: all); refuse empty, odd or duplicate terms.

    Umlauts and case do not count; a network's term that is already global is a duplicate too.
    """
    if scope is not None and (network_id is None or network_id not in scope):
        raise TermError("Diese Auswahl ist für Ihr Konto nicht möglich.")
    term = " ".join(raw.split())
    if not term.strip("*"):
        raise TermError("Bitte geben Sie ein Wort ein.")
    if len(term) > TERM_MAX:
        raise TermError(f"Höchstens {TERM_MAX} Zeichen.")
    if not _TERM.match(term):
        raise TermError("Bitte nur Wörter eingeben. Ein * ist nur am Anfang oder Ende möglich.")
    if any(_folded(other.term) == _folded(term) and other.term.startswith("*") == term.startswith("*")
           and other.term.endswith("*") == term.endswith("*")
           for other in terms_in_scope(session, None if network_id is None else {network_id})):
        raise TermError("Dieses Wort steht schon in der Liste.")
    added = UrgentTerm(term=term, network_id=network_id)
    session.add(added)
    session.flush()
    audit.record(session, "urgent_term_added", "urgent_term", added.id, actor_id=actor_id,
                 network_id=network_id, term=term)
    return added


def remove_term(session: Session, term_id: int, *, scope: Set[int] | None, actor_id: int) -> bool:
    """Remove a term; False when it does not exist or is not the actor's to remove."""
    term = session.get(UrgentTerm, term_id)
    if term is None or not may_change(term, scope):
        return False
    audit.record(session, "urgent_term_removed", "urgent_term", term.id, actor_id=actor_id,
                 network_id=term.network_id, term=term.term)
    session.delete(term)
    session.flush()
    return True
