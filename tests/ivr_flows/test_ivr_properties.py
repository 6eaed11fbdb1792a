"""Random callers: whatever keys they press or leave out, the line answers sensibly and never drops them."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivr_flows import CallState, builtin_flow, step
from ivr_flows.actions import TERMINALS, Dial, Gather, Hangup, Record, RequestCallback, Say
from ivr_flows.events import CallStarted, Digits, ForwardResult, NoInput, RecordingFinished

BERLIN = ZoneInfo("Europe/Berlin")
FLOWS = {"standard": builtin_flow("standard"), "citywide": builtin_flow("citywide")}

KEYS = st.sampled_from(list("0123456789*#")) | st.text("0123456789*#", max_size=14) | st.none()
CHOICES = st.lists(st.tuples(KEYS, st.integers(0, 200), st.booleans()), max_size=40)
MOMENTS = st.integers(0, 24 * 30).map(lambda h: datetime(2025, 6, 1, tzinfo=BERLIN) + timedelta(hours=h))


def _content(flow_name, make_network, make_city):
    return make_city() if flow_name == "citywide" else make_network()


def _said(actions) -> list[str]:
    out = []
    for action in actions:
        prompts = action.prompts if isinstance(action, Gather) else (action,)
        out.extend(p.text for p in prompts if isinstance(p, Say))
    return out


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flow_name=st.sampled_from(sorted(FLOWS)), caller=st.none() | st.just("+492111234567"),
       choices=CHOICES, now=MOMENTS)
def test_random_callers_are_never_dropped(make_network, make_city, flow_name, caller, choices, now):
    flow = FLOWS[flow_name]
    content = _content(flow_name, make_network, make_city)
    result = step(flow, content, CallState(), CallStarted(caller), now)
    requested = False
    for key, duration, flag in [*choices, (None, 0, False)]:
        actions = result.actions
        assert actions, "empty answer"
        assert isinstance(actions[-1], TERMINALS)
        assert sum(isinstance(a, TERMINALS) for a in actions) == 1
        assert all(len(text) < 3000 for text in _said(actions))
        requested = requested or any(isinstance(a, RequestCallback) for a in actions)
        if isinstance(actions[-1], Hangup):
            assert requested or result.state.outcome in ("talked", "left"), "hung up on the caller"
            break
        terminal = actions[-1]
        if isinstance(terminal, Record):
            event = RecordingFinished(duration, hung_up=flag)
        elif isinstance(terminal, Dial):
            event = ForwardResult(answered=flag)
        else:
            event = NoInput() if key is None else Digits(key)
        state = CallState.decode(result.state.encode())
        result = step(flow, content, state, event, now)
