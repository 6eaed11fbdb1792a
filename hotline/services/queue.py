"""Reading the callback queue: what a user may see, in which order, and a caller's history."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, select, true
from sqlalchemy.orm import Session, selectinload

from hotline.models import CallbackRequest, Network, User, Voicemail

# How far back "3. Anruf in 7 Tagen" counts.
HISTORY_WINDOW = timedelta(days=7)
HISTORY_LIMIT = 20


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
    """Requests `user_id` has claimed and not finished yet."""
    return list(session.scalars(
        _requests(network_ids)
        .where(CallbackRequest.status == "claimed", CallbackRequest.claimed_by_id == user_id)
        .order_by(CallbackRequest.claimed_at)
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


def networks_in_scope(session: Session, network_ids: Collection[int] | None) -> list[Network]:
    """The networks a user may work with, by name."""
    return list(session.scalars(
        select(Network).where(in_networks(Network.id, network_ids)).order_by(Network.name)
    ))
