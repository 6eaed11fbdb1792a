"""Reading the callback queue: what a user may see, in which order, and a caller's history."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, func, select, true
from sqlalchemy.orm import Session, selectinload

from hotline.models import AuditEvent, CallbackRequest, Network, User, Voicemail
from hotline.services import audit
from hotline.services.callbacks import OUTCOME_LABELS

# How far back "3. Anruf in 7 Tagen" counts.
HISTORY_WINDOW = timedelta(days=7)
HISTORY_LIMIT = 20
# The "Erledigt" list shows this many; older ones stay in the exports.
DONE_LIMIT = 50


def network_ids_of(user: User) -> frozenset[int] | None:
    """The networks whose data `user` may see; None means all (admins)."""
    if user.role == "admin":
        return None
    return frozenset(network.id for network in user.networks)


def in_networks(column: SQLColumnExpression[int | None], network_ids: Collection[int] | None) -> ColumnElement[bool]:
    """A condition limiting `column` (a network id) to `network_ids`; None allows every network."""
    if network_ids is None:
        return true()
    return column.in_(sorted(network_ids))


def _requests(network_ids: Collection[int] | None) -> Select[CallbackRequest]:
    return (
        select(CallbackRequest)
        .where(in_networks(CallbackRequest.network_id, network_ids))
        .options(selectinload(CallbackRequest.network), selectinload(CallbackRequest.attempts))
    )


def open_requests(session: Session, network_ids: Collection[int] | None) -> list[CallbackRequest]:
    """Open requests, urgent first, then the longest waiting."""
    return list(session.scalars(
        _requests(network_ids)
        .where(CallbackRequest.status == "open")
        .order_by(CallbackRequest.urgent.desc(), CallbackRequest.created_at, CallbackRequest.id)
    ))


def claimed_by(session: Session, user_id: int, network_ids: Collection[int] | None
               ) -> list[CallbackRequest]:
    """Requests `user_id` has claimed and not finished yet, the next one to call first."""
    return list(session.scalars(
        _requests(network_ids)
        .where(CallbackRequest.status == "claimed", CallbackRequest.claimed_by_id == user_id)
        .order_by(func.coalesce(CallbackRequest.retry_at, CallbackRequest.claimed_at), CallbackRequest.id)
    ))


def done_requests(session: Session, network_ids: Collection[int] | None, *, limit: int = DONE_LIMIT
                  ) -> list[CallbackRequest]:
    """The most recently finished requests."""
    return list(session.scalars(
        _requests(network_ids)
        .where(CallbackRequest.status == "done")
        .order_by(CallbackRequest.done_at.desc(), CallbackRequest.id.desc())
        .limit(limit)
    ))


def flagged_requests(session: Session, network_ids: Collection[int] | None
                     ) -> list[CallbackRequest]:
    """Requests waiting for the Begleitung's decision."""
    return list(session.scalars(
        _requests(network_ids)
        .where(CallbackRequest.status == "flagged")
        .order_by(CallbackRequest.updated_at)
    ))


def get_request(session: Session, request_id: int, network_ids: Collection[int] | None
                ) -> CallbackRequest | None:
    """A request by id, or None when it does not exist or belongs to a network not in scope."""
    return session.scalar(_requests(network_ids).where(CallbackRequest.id == request_id))


def voicemail_of(session: Session, request: CallbackRequest) -> Voicemail | None:
    """The message the caller left with this request, if any."""
    if request.voicemail_id is None:
        return None
    return session.get(Voicemail, request.voicemail_id)


@dataclass(frozen=True)
class CallerHistory:
    """Earlier requests from the same number in the same network."""

    calls_in_window: int  # this request included
    earlier: list[CallbackRequest]


def caller_history(session: Session, request: CallbackRequest) -> CallerHistory:
    """How often this number asked this network before, and those earlier requests."""
    if request.number is None or request.network_id is None:
        return CallerHistory(calls_in_window=1, earlier=[])
    earlier = list(session.scalars(
        select(CallbackRequest)
        .where(
            CallbackRequest.number == request.number,
            CallbackRequest.network_id == request.network_id,
            CallbackRequest.id != request.id,
            CallbackRequest.created_at <= request.created_at,
        )
        .order_by(CallbackRequest.created_at.desc())
        .limit(HISTORY_LIMIT)
    ))
    since = request.created_at - HISTORY_WINDOW
    in_window = sum(1 for other in earlier if other.created_at >= since)
    return CallerHistory(calls_in_window=in_window + 1, earlier=earlier)


@dataclass(frozen=True)
class HistoryEntry:
    """One step in a request's history: when, who (empty for the caller or the system), what."""

    at: datetime
    who: str
    what: str
    note: str = ""
    retry_at: datetime | None = None


# Opening a request is in the audit log; attempts are told from their own rows, with the note.
_NOT_IN_HISTORY = ("viewed", "attempt_logged")


def history_of(session: Session, request: CallbackRequest) -> list[HistoryEntry]:
    """Who did what and when with this request, oldest first, starting with the caller's call."""
    events = list(session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == "callback_request", AuditEvent.object_id == request.id,
               AuditEvent.action.not_in(_NOT_IN_HISTORY))
        .order_by(AuditEvent.at, AuditEvent.id)
    ))
    user_ids = {event.actor_id for event in events} | {attempt.user_id for attempt in request.attempts}
    names = people_names(session, {user_id for user_id in user_ids if user_id is not None})
    entries = [HistoryEntry(request.created_at, "", "Rückrufwunsch eingegangen"
                            + (" (mit Nachricht)" if request.voicemail_id else ""))]
    entries += [HistoryEntry(event.at, _name(names, event.actor_id),
                             audit.ACTION_LABELS.get(event.action, "hat etwas geändert"))
                for event in events]
    entries += [HistoryEntry(attempt.at, _name(names, attempt.user_id),
                             f"Anrufversuch: {OUTCOME_LABELS[attempt.outcome]}",
                             note=attempt.note, retry_at=attempt.retry_at)
                for attempt in request.attempts]
    return sorted(entries, key=lambda entry: entry.at)


def people_names(session: Session, user_ids: Collection[int]) -> dict[int, str]:
    """Each user's name as colleagues know it (the e-mail address when no name is set)."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(User.id, User.display_name, User.email).where(User.id.in_(sorted(user_ids)))
    ).all()
    return {user_id: display_name or email for user_id, display_name, email in rows}


def _name(names: dict[int, str], user_id: int | None) -> str:
    if user_id is None:
        return "automatisch"
    return names.get(user_id, "ein gelöschtes Konto")


def networks_in_scope(session: Session, network_ids: Collection[int] | None) -> list[Network]:
    """The networks a user may work with, by name."""
    return list(session.scalars(
        select(Network).where(in_networks(Network.id, network_ids)).order_by(Network.name)
    ))
