"""Click-to-call: what the volunteer hears when the hotline connects them to a caller.

Twilio rings the volunteer's own phone. Only after they press 1 (a mailbox never does) is the
caller dialled, showing the network's line number, so the caller sees who is calling back.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivr_flows.actions import Action, Dial, Gather, Hangup
from ivr_flows.speaking import Speaker

CONNECT_KEY = "1"
PRESS_TIMEOUT_SECONDS = 10
DIAL_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Bridge:
    """A callback request that may be connected now: the caller's number and the line number to show."""

    caller: str
    line_number: str


def answered(speaker: Speaker, bridge: Bridge | None) -> tuple[Action, ...]:
    """The volunteer picked up: ask for the connect key, or say goodbye when the request is not theirs."""
    if bridge is None:
        return speaker.say("bridge_not_reserved"), Hangup()
    return (Gather(prompts=(speaker.say("bridge_intro"),), num_digits=1, timeout=PRESS_TIMEOUT_SECONDS),)


def pressed(speaker: Speaker, digits: str, bridge: Bridge | None) -> tuple[Action, ...]:
    """The volunteer pressed a key (empty: none): with the connect key, dial the caller."""
    if not digits:
        return speaker.say("bridge_no_input"), Hangup()
    if digits != CONNECT_KEY or bridge is None:
        return speaker.say("bridge_not_connected"), Hangup()
    return (speaker.say("bridge_connecting"),
            Dial(number=bridge.caller, caller_id=bridge.line_number, timeout=DIAL_TIMEOUT_SECONDS))


def dialed(speaker: Speaker, *, talked: bool) -> tuple[Action, ...]:
    """The call with the caller ended (or never started): remind the volunteer to log the attempt."""
    return speaker.say("bridge_ended" if talked else "bridge_not_answered"), Hangup()
