"""What the caller (or Twilio on the caller's behalf) did since the last step."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CallStarted:
    """A call came in; the number is E.164 when callable, None when withheld or not callable."""

    caller_number: str | None


@dataclass(frozen=True)
class Digits:
    """The caller pressed keys (an empty string counts as no input)."""

    digits: str


@dataclass(frozen=True)
class NoInput:
    """A Gather timed out without a key press."""


@dataclass(frozen=True)
class RecordingFinished:
    """A Record ended; hung_up is True when the caller hung up to end it."""

    duration_seconds: int
    hung_up: bool


@dataclass(frozen=True)
class ForwardResult:
    """A Dial ended; answered is True when a person took the call."""

    answered: bool


@dataclass(frozen=True)
class CallEnded:
    """The call is over (status callback); lets the engine save a request still pending."""


Event = CallStarted | Digits | NoInput | RecordingFinished | ForwardResult | CallEnded
