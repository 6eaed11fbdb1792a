"""Call state travels in a URL path segment: it must round-trip and reject garbage clearly."""

from __future__ import annotations

import base64
import contextlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivr_flows import CallState, StateError

from tests.strategies import client_text

STATES = st.builds(
    CallState,
    node=st.sampled_from(["", "main", "confirm", "router"]),
    phase=st.sampled_from(["", "ask", "enter", "readback", "record", "stadtbezirk"]),
    caller=st.none() | st.just("+492111234567"),
    network_id=st.none() | st.integers(0, 10**6),
    misses=st.integers(0, 3),
    item=st.integers(0, 50),
    choice=st.integers(0, 12),
    digits=st.text("0123456789", max_size=16),
    consent=st.booleans(),
    recorded=st.booleans(),
    topic=st.sampled_from(["", "topic_message", "topic_activity"]),
    activity_id=st.none() | st.integers(0, 10**9),
    outcome=st.sampled_from(["", "callback", "no_number", "talked"]),
)


@given(STATES)
def test_state_round_trips_as_short_url_safe_text(state):
    encoded = state.encode()
    assert re.fullmatch(r"[A-Za-z0-9_-]*", encoded)
    assert len(encoded) < 300
    assert CallState.decode(encoded) == state


def test_fresh_state_is_tiny():
    assert CallState(node="main").encode() == "eyJuIjoibWFpbiJ9"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("garbage", [
    "!!!", "a", "x" * 2000, _b64(b"not json"), _b64(b"[1, 2]"), _b64(b'{"zz": 1}'),
    _b64(b'{"m": "three"}'), _b64(b'{"k": 1}'), _b64(b'{"n": 5}'), _b64(b'{"w": true}'),
    _b64(b'{"i": -1}'), _b64(b"\xff\xfe"),
])
def test_garbage_raises_state_error(garbage):
    with pytest.raises(StateError):
        CallState.decode(garbage)


@pytest.mark.slow  # fuzzing
@given(client_text(max_size=200))
def test_decode_never_raises_anything_but_state_error(text):
    with contextlib.suppress(StateError):
        CallState.decode(text)
