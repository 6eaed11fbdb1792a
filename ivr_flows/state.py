"""Per-call state that travels between two webhook requests inside the action URL."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, fields
from typing import Any

MAX_ENCODED_LENGTH = 1024


class StateError(ValueError):
    """The encoded call state is not one this engine wrote."""


@dataclass(frozen=True)
class CallState:
    """Where a call stands: node, sub-step, retries and what the caller has told us so far."""

    node: str = ""
    phase: str = ""
    caller: str | None = None
    network_id: int | None = None
    misses: int = 0
    item: int = 0
    choice: int = 0
    digits: str = ""
    consent: bool = False
    recorded: bool = False
    topic: str = ""
    activity_id: int | None = None
    outcome: str = ""

    def encode(self) -> str:
        """Return the state as a short URL-safe ASCII string (base64url of compact JSON, no padding)."""
        # No MAC of our own: the state sits in the action URL, and Twilio signs the whole URL on
        # every request, which the hotline verifies before decoding.
        data = {_SHORT[f.name]: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) != f.default}
        raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, encoded: str) -> CallState:
        """Parse a string written by `encode`; raise StateError on anything else."""
        if not isinstance(encoded, str) or len(encoded) > MAX_ENCODED_LENGTH:
            raise StateError("call state missing or too long")
        try:
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            data = json.loads(raw.decode("utf-8"))
        except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
            raise StateError(f"call state is not valid base64url JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise StateError("call state is not a JSON object")
        values: dict[str, Any] = {}
        for short, value in data.items():
            name = _LONG.get(short)
            if name is None:
                raise StateError(f"unknown call state field {short!r}")
            if not _TYPE_CHECKS[name](value):
                raise StateError(f"call state field {name!r} has a wrong value: {value!r}")
            values[name] = value
        return cls(**values)


_SHORT = {
    "node": "n", "phase": "p", "caller": "c", "network_id": "w", "misses": "m", "item": "i",
    "choice": "h", "digits": "d", "consent": "k", "recorded": "r", "topic": "t",
    "activity_id": "a", "outcome": "o",
}
_LONG = {short: name for name, short in _SHORT.items()}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**12


def _is_text(value: object) -> bool:
    return isinstance(value, str) and len(value) <= 64


_TYPE_CHECKS = {
    "node": _is_text, "phase": _is_text, "digits": _is_text, "topic": _is_text, "outcome": _is_text,
    "caller": lambda v: v is None or _is_text(v),
    "network_id": lambda v: v is None or _is_int(v),
    "activity_id": lambda v: v is None or _is_int(v),
    "misses": _is_int, "item": _is_int, "choice": _is_int,
    "consent": lambda v: isinstance(v, bool), "recorded": lambda v: isinstance(v, bool),
}
