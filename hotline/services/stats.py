"""Numbers for the overview page: calls, menu choices, waiting callbacks, transcripts."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.models import Call, CallbackAttempt, CallbackRequest, CallStep, Voicemail
from hotline.services.queue import in_networks
from ivr_flows.schedule import BERLIN

CALL_DAYS = 14
MENU_DAYS = 30
MENU_TOP = 8
MEDIAN_DAYS = 30
# (label, lower bound inclusive) in ascending order; each bucket ends where the next begins.
AGE_BUCKETS = (
    ("unter 1 Std.", timedelta(0)),
    ("1–4 Std.", timedelta(hours=1)),
    ("4–24 Std.", timedelta(hours=4)),
    ("1–3 Tage", timedelta(days=1)),
    ("über 3 Tage", timedelta(days=3)),
)
# The menu's steps (nodes of ivr_flows/definitions) as the Begleitung knows them.
STEP_NAMES = {
    "city_welcome": "Begrüßung (stadtweit)",
    "router": "Netzwerk finden",
    "welcome": "Begrüßung",
    "main": "Hauptmenü",
    "activities": "Angebote",
    "newcomers": "Neu hier",
    "message": "Nachricht aufsprechen",
    "talk": "Gespräch",
    "forward": "Weiterleitung",
    "callback": "Rückrufwunsch",
    "confirm": "Nummer bestätigen",
    "goodbye": "Verabschiedung",
}
OTHER_STEP = "anderer Schritt"
BEFORE_FIRST_STEP = "vor der Begrüßung"
VOICEMAIL_GROUPS = (
    ("in Arbeit", ("reported", "downloaded")),
    ("wartet auf Sprachmodell", ("no_model",)),
    ("fehlgeschlagen", ("failed",)),
    ("fertig", ("transcribed",)),
)


@dataclass(frozen=True)
class Overview:
    """Everything the overview page shows, as (label, count) pairs and one duration."""

    calls_per_day: list[tuple[date, int]]
    menu_choices: list[tuple[str, int]]
    open_by_age: list[tuple[str, int]]
    median_to_first_attempt: timedelta | None
    voicemails: list[tuple[str, int]]
    given_up_per_day: list[tuple[date, int]]
    given_up_at: list[tuple[str, int]]


def overview(session: Session, network_ids: Collection[int] | None, *, now: datetime) -> Overview:
    """Collect the overview numbers for the given networks (None: all)."""
    return Overview(
        calls_per_day=_calls_per_day(session, network_ids, now),
        menu_choices=_menu_choices(session, network_ids, now),
        open_by_age=_open_by_age(session, network_ids, now),
        median_to_first_attempt=_median_to_first_attempt(session, network_ids, now),
        voicemails=_voicemails(session, network_ids),
        **_given_up(session, network_ids, now),
    )


def step_name(node: str) -> str:
    """A menu step's German name."""
    return STEP_NAMES.get(node, OTHER_STEP)


def _call_days(now: datetime) -> list[date]:
    today = now.astimezone(BERLIN).date()
    return [today - timedelta(days=offset) for offset in range(CALL_DAYS - 1, -1, -1)]


def _per_day(days: list[date], moments: Iterable[datetime]) -> list[tuple[date, int]]:
    # Counted in Python: "which local day" is awkward to express the same way on both backends.
    counts = Counter(moment.astimezone(BERLIN).date() for moment in moments)
    return [(day, counts.get(day, 0)) for day in days]


def _calls_per_day(session: Session, network_ids: Collection[int] | None, now: datetime) -> list[tuple[date, int]]:
    days = _call_days(now)
    since = datetime.combine(days[0], datetime.min.time(), BERLIN)
    started = session.scalars(
        select(Call.started_at).where(Call.started_at >= since,
                                      in_networks(Call.network_id, network_ids))
    )
    return _per_day(days, started)


def _given_up(session: Session, network_ids: Collection[int] | None, now: datetime) -> dict[str, list]:
    """Ended calls that left no callback request: per day, and per step where the caller hung up."""
    days = _call_days(now)
    since = datetime.combine(days[0], datetime.min.time(), BERLIN)
    given_up = select(Call.id).where(
        Call.started_at >= since, Call.ended_at.is_not(None),
        in_networks(Call.network_id, network_ids),
        ~select(CallbackRequest.id).where(CallbackRequest.call_id == Call.id).exists(),
    )
    calls = session.execute(select(Call.id, Call.started_at).where(Call.id.in_(given_up))).all()
    # Ordered by position, so each call's last step is the one kept.
    last_steps = dict(session.execute(
        select(CallStep.call_id, CallStep.node).where(CallStep.call_id.in_(given_up))
        .order_by(CallStep.call_id, CallStep.position)
    ).all())
    places = Counter(step_name(last_steps[call_id]) if call_id in last_steps else BEFORE_FIRST_STEP
                     for call_id, _ in calls)
    return {"given_up_per_day": _per_day(days, (started for _, started in calls)),
            # Most first; ties by name, so the order does not depend on the database's row order.
            "given_up_at": sorted(places.items(), key=lambda place: (-place[1], place[0]))}


def _menu_choices(session: Session, network_ids: Collection[int] | None, now: datetime) -> list[tuple[str, int]]:
    rows = session.execute(
        select(CallStep.node, func.count())
        .join(Call, Call.id == CallStep.call_id)
        .where(Call.started_at >= now - timedelta(days=MENU_DAYS),
               in_networks(Call.network_id, network_ids))
        .group_by(CallStep.node)
        .order_by(func.count().desc(), CallStep.node)
        .limit(MENU_TOP)
    )
    return [(step_name(node), count) for node, count in rows]


def _open_by_age(session: Session, network_ids: Collection[int] | None, now: datetime) -> list[tuple[str, int]]:
    created = session.scalars(
        select(CallbackRequest.created_at).where(
            CallbackRequest.status.in_(("open", "claimed")),
            in_networks(CallbackRequest.network_id, network_ids),
        )
    )
    counts = Counter(_bucket(now - moment) for moment in created)
    return [(label, counts.get(label, 0)) for label, _ in AGE_BUCKETS]


def _bucket(age: timedelta) -> str:
    label = AGE_BUCKETS[0][0]
    for name, lower in AGE_BUCKETS:
        if age >= lower:
            label = name
    return label


def _median_to_first_attempt(session: Session, network_ids: Collection[int] | None, now: datetime) -> timedelta | None:
    rows = session.execute(
        select(CallbackRequest.created_at, func.min(CallbackAttempt.at))
        .join(CallbackAttempt, CallbackAttempt.request_id == CallbackRequest.id)
        .where(CallbackRequest.created_at >= now - timedelta(days=MEDIAN_DAYS),
               in_networks(CallbackRequest.network_id, network_ids))
        .group_by(CallbackRequest.id, CallbackRequest.created_at)
    ).all()
    # min() keeps the column type, so both values are aware UTC datetimes on every backend.
    waits = [first - created for created, first in rows]
    if not waits:
        return None
    return timedelta(seconds=statistics.median(wait.total_seconds() for wait in waits))


def _voicemails(session: Session, network_ids: Collection[int] | None) -> list[tuple[str, int]]:
    counts = dict(session.execute(
        select(Voicemail.state, func.count())
        .where(in_networks(Voicemail.network_id, network_ids))
        .group_by(Voicemail.state)
    ).all())
    return [(label, sum(counts.get(state, 0) for state in states))
            for label, states in VOICEMAIL_GROUPS]
