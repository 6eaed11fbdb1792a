"""The menu engine: one pure, deterministic step of a call per caller event."""

from __future__ import annotations

import logging
from datetime import datetime

from ivr_flows import callbacks, city, menus  # noqa: F401  (they register the node kinds)
from ivr_flows.content import CityContent, Content
from ivr_flows.events import CallStarted, Event
from ivr_flows.model import Flow
from ivr_flows.runtime import HANDLE, Ctx, StepResult, go
from ivr_flows.schedule import local_time
from ivr_flows.state import CallState

logger = logging.getLogger(__name__)


def step(flow: Flow, content: Content, state: CallState, event: Event, now: datetime) -> StepResult:
    """Advance a call by one caller event; return what the line does next and the new state.

    `now` must be timezone-aware; the engine never reads the clock itself.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    ctx = Ctx(flow=flow, content=content, now=local_time(now))
    if isinstance(event, CallStarted):
        return go(ctx, CallState(caller=event.caller_number), flow.start)
    node = flow.nodes.get(state.node)
    if node is None:
        # A new flow version was published mid-call, or the state is from another line.
        logger.warning("flow %s has no node %r; starting over", flow.name, state.node)
        routed = state.network_id is not None or not isinstance(content, CityContent)
        fresh = CallState(caller=state.caller, network_id=state.network_id)
        return go(ctx, fresh, flow.main_menu if routed else flow.start)
    handle = HANDLE.get(node.kind)
    if handle is None:
        # Automatic nodes never wait for the caller; a state naming one is re-entered.
        return go(ctx, state, node.id)
    return handle(ctx, node, state, event)
