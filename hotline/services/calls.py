"""Calls as Twilio reports them: the Call row, the path through the menu, and what the engine asked for."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, String, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hotline.db import DirectStatement, UTCDateTime, utcnow
from hotline.models import Activity, Call, CallbackRequest, CallStep
from hotline.models.calls import IN_PROGRESS
from hotline.services.line_content import Line, topic_text
from hotline.services.numbers import typed_e164
from ivr_flows import CallState, StepResult, step
from ivr_flows.actions import ConsentGiven, Effect, PreferredTime, RequestCallback
from ivr_flows.events import CallStarted, Digits, Event, ForwardResult, NoInput, RecordingFinished
from ivr_flows.prompts import PROMPTS

logger = logging.getLogger(__name__)

# Twilio's final call statuses; anything arriving after one of them is late and changes nothing.
FINAL_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})
# Stands in a step URL's state for the digits the caller typed, which wait in the Call row.
# Why a row and not encryption: Twilio keeps its request logs (with every URL) for months, and a
# row keyed by the CallSid can be cleared when the call ends, while a ciphertext in a log stays
# readable for as long as its key exists. The row is written only on the steps where the typed
# digits change, so the other steps still cost one statement.
TYPED_DIGITS_KEPT = "~"


@dataclass(frozen=True)
class TwilioCall:
    """What every Twilio request says about its call; `caller` is None when withheld or not callable."""

    call_sid: str
    caller: str | None
    called: str
    request_token: str | None = None


@dataclass(frozen=True)
class StepOutcome:
    """The engine's answer, and the callback requests this step created (to announce after the commit)."""

    result: StepResult
    new_request_ids: tuple[int, ...] = field(default=())


# Statements of the webhooks' hot path, built once: SQLAlchemy then reuses their compiled form.
_CALL_BY_SID = select(Call).where(Call.call_sid == bindparam("call_sid"))
_REQUEST_OF_CALL = select(CallbackRequest).where(CallbackRequest.call_id == bindparam("call_id"))
_steps = CallStep.__table__
_calls = Call.__table__


def _upsert(dialect_name: str) -> Any:
    """The INSERT of this dialect, which knows ON CONFLICT DO NOTHING."""
    return postgresql.insert if dialect_name == "postgresql" else sqlite.insert


def _next_position(call_id: ColumnElement[Any]) -> ScalarSelect[Any]:
    """The position after the call's last logged step; 0 for its first."""
    return (select(func.coalesce(func.max(_steps.c.position) + 1, 0)).where(_steps.c.call_id == call_id)
            .scalar_subquery())


# Run straight on the DBAPI cursor: every webhook runs these, and they name every value they write.
# A retried webhook carries the same idempotency token and is not logged twice.
_LOG_STEP = DirectStatement(lambda dialect: _upsert(dialect)(_steps).values(
    call_id=bindparam("call_id"), position=_next_position(bindparam("call_id")), node=bindparam("node"),
    event=bindparam("event"), request_token=bindparam("request_token"), at=bindparam("at", type_=UTCDateTime()),
).on_conflict_do_nothing().inline())
# A call's first webhook inserts its row; a retry or a callback that came first finds it there.
_NEW_CALL = DirectStatement(lambda dialect: _upsert(dialect)(_calls).values(
    call_sid=bindparam("call_sid"), from_number=bindparam("from_number"), to_number=bindparam("to_number"),
    network_id=bindparam("network_id"), status=bindparam("status"),
    started_at=bindparam("started_at", type_=UTCDateTime()),
).on_conflict_do_nothing().inline())
# Most steps only add to the log of a known call: one statement finds the call and logs the step.
# No row comes back when the call is unknown or the step a retry; the full path then decides.
_LOG_STEP_OF_KNOWN_CALL = DirectStatement(lambda dialect: _upsert(dialect)(_steps).from_select(
    ["call_id", "position", "node", "event", "request_token", "at"],
    select(
        _calls.c.id, _next_position(_calls.c.id),
        bindparam("node", type_=String()), bindparam("event", type_=String()),
        bindparam("request_token", type_=String()), bindparam("at", type_=UTCDateTime()),
    ).where(_calls.c.call_sid == bindparam("call_sid")),
).on_conflict_do_nothing().returning(_steps.c.id))


def insert_if_absent(session: Session, model: type[Any], values: dict[str, Any]) -> int | None:
    """INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL; return the new id, None on conflict."""
    table = model.__table__  # a plain table insert: the ORM's bulk machinery adds nothing here
    return session.scalar(_upsert(session.get_bind().dialect.name)(table).values(**values).on_conflict_do_nothing()
                          .returning(table.c.id))


def call_by_sid(session: Session, call_sid: str) -> Call | None:
    """The Call row of a CallSid, if Twilio has told us of it."""
    return session.scalars(_CALL_BY_SID, {"call_sid": call_sid}).one_or_none()


def ensure_call(session: Session, twilio: TwilioCall, network_id: int | None) -> Call:
    """The Call row of this CallSid, created on the first webhook (a retry or a late callback reuses it)."""
    call = call_by_sid(session, twilio.call_sid)
    if call is not None:
        return call
    created = session.scalars(_upsert(session.get_bind().dialect.name)(Call).values(
        call_sid=twilio.call_sid, from_number=twilio.caller, to_number=twilio.called, network_id=network_id,
    ).on_conflict_do_nothing().returning(Call)).one_or_none()
    return created if created is not None else session.scalars(_CALL_BY_SID, {"call_sid": twilio.call_sid}).one()


def url_state(state: CallState) -> CallState:
    """The state as it may travel in a URL: without the caller's number and without typed digits."""
    return replace(state, caller=None, digits=TYPED_DIGITS_KEPT if state.digits else "")


def take_step(session: Session, line: Line, twilio: TwilioCall, state: CallState, event: Event,
              now: datetime) -> StepOutcome:
    """Advance the call by one event: log the step, carry out the engine's effects, return its answer.

    `state` comes from a URL written with `url_state`: typed digits are read back from the Call row.
    """
    if state.digits == TYPED_DIGITS_KEPT:
        kept = call_by_sid(session, twilio.call_sid)
        state = replace(state, digits=(kept.typed_digits or "") if kept is not None else "")
    result = step(line.flow, line.content, state, event, now)
    typed_changed = result.state.digits != state.digits
    if isinstance(event, CallStarted):
        # Most calls start like this: two statements compiled once, straight on the cursor.
        _NEW_CALL.first(session, {
            "call_sid": twilio.call_sid, "from_number": twilio.caller, "to_number": twilio.called,
            "network_id": line.network_id, "status": IN_PROGRESS, "started_at": utcnow(),
        })
    needs_call_row = (
        any(isinstance(action, Effect) for action in result.actions)
        or result.state.network_id != state.network_id  # the city-wide line routed the caller
        or typed_changed
    )
    if not needs_call_row and _logged_for_known_call(session, twilio, result.state.node, event):
        return StepOutcome(result)
    call = ensure_call(session, twilio, line.network_id)
    _log_step(session, call, result.state.node, event, twilio.request_token)
    if call.network_id is None and result.state.network_id is not None:
        call.network_id = result.state.network_id  # the city-wide line routed the caller
    if typed_changed:
        call.typed_digits = result.state.digits or None
    new_requests: list[int] = []
    for action in result.actions:
        if isinstance(action, ConsentGiven):
            _remember_consent(session, line, call, result.state, now)
        elif isinstance(action, RequestCallback):
            created = save_callback_request(session, call, action)
            new_requests.extend([created] if created else [])
        elif isinstance(action, PreferredTime):
            request_for_call(session, call)[0].preferred_time = action.text[:200]
    return StepOutcome(result, tuple(new_requests))


def complete_call(session: Session, twilio: TwilioCall, status: str, duration: int | None,
                  now: datetime) -> int | None:
    """Record the status callback; make sure a caller who consented to a message is not lost.

    Returns the id of a callback request created here (the caller hung up before confirming).
    """
    call = ensure_call(session, twilio, None)
    if call.ended_at is not None:
        logger.info("call %s: late status %r ignored", call.call_sid, status)
        return None
    call.status = status
    if status not in FINAL_STATUSES:
        return None
    call.ended_at = now
    call.duration_seconds = duration
    call.typed_digits = None  # only needed while the call lasts
    if call.consent_at is None or call.from_number is None:
        # Nothing to call back: a withheld caller's recording brings its own request.
        return None
    request, created = request_for_call(session, call)
    return request.id if created else None


def request_for_call(session: Session, call: Call) -> tuple[CallbackRequest, bool]:
    """THE callback request of a call (unique per call), created from what the call knows if missing."""
    existing = session.scalars(_REQUEST_OF_CALL, {"call_id": call.id}).one_or_none()
    if existing is not None:
        return existing, False
    created = insert_if_absent(session, CallbackRequest, {
        "call_id": call.id, "network_id": call.network_id, "number": call.from_number,
        "topic": call.callback_topic or PROMPTS["topic_message"], "activity_id": call.callback_activity_id,
    })
    # None: the recording callback and the caller's last key press arrived at the same moment.
    return session.scalars(_REQUEST_OF_CALL, {"call_id": call.id}).one(), created is not None


def save_callback_request(session: Session, call: Call, wish: RequestCallback) -> int | None:
    """Create or update the callback request of this call; return its id when it was created."""
    request, created = request_for_call(session, call)
    number = wish.number if wish.number is None or wish.number.startswith("+") else typed_e164(wish.number)
    topic = wish.topic
    if wish.number and number is None:
        # Keep what was typed rather than lose it; a volunteer may still make sense of it.
        topic = f"{topic} (eingetippte Nummer unklar: {wish.number})"
    if number is not None:
        request.number = number
        request.number_confirmed = wish.confirmed
    request.topic = topic[:200]
    request.activity_id = _existing_activity(session, wish.activity_id)
    request.network_id = wish.network_id or call.network_id
    session.flush()
    return request.id if created else None


def _remember_consent(session: Session, line: Line, call: Call, state: CallState, now: datetime) -> None:
    call.consent_at = call.consent_at or now
    call.callback_topic = topic_text(line, state)[:200]
    call.callback_activity_id = _existing_activity(session, state.activity_id)


def _existing_activity(session: Session, activity_id: int | None) -> int | None:
    # An activity deleted during the call must not break the request.
    return activity_id if activity_id is not None and session.get(Activity, activity_id) is not None else None


def _logged_for_known_call(session: Session, twilio: TwilioCall, node: str, event: Event) -> bool:
    """Log the step in one statement; False when the call is unknown or the step a retry."""
    return _LOG_STEP_OF_KNOWN_CALL.first(session, {
        "call_sid": twilio.call_sid, "node": node[:80], "event": describe(event),
        "request_token": twilio.request_token, "at": utcnow(),
    }) is not None


def _log_step(session: Session, call: Call, node: str, event: Event, request_token: str | None) -> None:
    _LOG_STEP.first(session, {"call_id": call.id, "node": node[:80], "event": describe(event),
                              "request_token": request_token, "at": utcnow()})


def describe(event: Event) -> str:
    """A short, non-personal description of an event for the call log (typed numbers are not logged)."""
    match event:
        case CallStarted():
            return "call started"
        case NoInput() | Digits(digits=""):
            return "no input"
        case Digits(digits=digits) if len(digits) == 1:
            return f"key {digits}"
        case Digits(digits=digits):
            return f"{len(digits)} keys"
        case RecordingFinished(hung_up=True):
            return "hung up while recording"
        case RecordingFinished(duration_seconds=seconds):
            return f"recorded {seconds} s"
        case ForwardResult(answered=answered):
            return "forward answered" if answered else "forward not answered"
    return type(event).__name__
