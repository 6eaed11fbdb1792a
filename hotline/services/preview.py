"""The "Testanruf": the admin steps a network's line in the browser with the phone line's engine.

The same engine, flow and content answer as on the phone, and the call state travels with each
request as it does in Twilio's URLs. Nothing is stored: effects (a callback request, consent,
a recording, forwarding) are described for the Begleitung instead of being carried out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from hotline.services.line_content import Line
from hotline.services.numbers import written
from ivr_flows import CallState, step
from ivr_flows.actions import (
    Break,
    ConsentGiven,
    Dial,
    Gather,
    Hangup,
    Pause,
    Play,
    PreferredTime,
    Prompt,
    Record,
    RequestCallback,
    Say,
)
from ivr_flows.events import CallStarted, Digits, Event, ForwardResult, NoInput, RecordingFinished

# A number from the range kept free for film and television: the preview's caller.
PREVIEW_CALLER = "+492214710999"
EVENTS = frozenset({"start", "key", "none", "hangup"})
RECORDED_SECONDS = 15


class PreviewError(ValueError):
    """The browser sent something the preview cannot step with."""


@dataclass(frozen=True)
class PreviewStep:
    """What the caller hears and what the line waits for; `state` goes back with the next request."""

    prompts: list[dict[str, Any]]
    wait: str
    state: str
    notes: list[str] = field(default_factory=list)
    node: str = ""

    def to_json(self) -> dict[str, Any]:
        """The answer for the browser."""
        return {"prompts": self.prompts, "wait": self.wait, "state": self.state, "notes": self.notes,
                "node": self.node}


def preview_step(line: Line, encoded_state: str, event_name: str, digits: str, now: datetime) -> PreviewStep:
    """Run one engine step as the phone line would; raise PreviewError (or StateError) on bad input."""
    if event_name not in EVENTS:
        raise PreviewError("unknown event")
    state = CallState() if event_name == "start" else CallState.decode(encoded_state)
    state = replace(state, caller=PREVIEW_CALLER)
    waiting = _waiting_for(line, state)
    if event_name == "hangup" and waiting != "record":
        return PreviewStep([], "end", "", ["Aufgelegt. Das Gespräch ist beendet."], state.node)
    event = _event(event_name, digits, waiting)
    result = step(line.flow, line.content, state, event, now)
    prompts: list[dict[str, Any]] = []
    notes: list[str] = []
    wait = "end"
    for action in result.actions:
        match action:
            case Say() | Break() | Play() | Pause():
                prompts.append(_prompt(action))
            case Gather():
                prompts.extend(_prompt(prompt) for prompt in action.prompts)
                wait = "keys" if action.num_digits == 1 else "number"
            case Record():
                notes.append("Hier würde die Aufnahme beginnen (nach dem Signalton, höchstens "
                             f"{action.max_length // 60} Minuten). Die Vorschau nimmt nichts auf: "
                             "Drücken Sie # für das Ende der Nachricht oder „auflegen“.")
                wait = "record"
            case Dial():
                notes.append(f"Hier würde der Anruf zur Anlaufstelle ({written(action.number)}) "
                             "weitergeleitet. Weiter mit „keine Eingabe“: so, als ob niemand abnimmt.")
                wait = "dial"
            case Hangup():
                notes.append("Hier legt die Hotline auf.")
            case RequestCallback():
                notes.append(f"Hier würde ein Rückrufwunsch gespeichert: „{action.topic}“ "
                             f"({'mit' if action.with_message else 'ohne'} Nachricht). "
                             "In der Vorschau wird nichts gespeichert.")
            case PreferredTime(text=text):
                notes.append(f"Hier würde die Wunschzeit „{text}“ vermerkt.")
            case ConsentGiven():
                notes.append("Hier würde die Zustimmung zur Aufnahme vermerkt.")
    encoded = replace(result.state, caller=None).encode() if wait != "end" else ""
    return PreviewStep(prompts, wait, encoded, notes, result.state.node)


def _waiting_for(line: Line, state: CallState) -> str:
    node = line.flow.nodes.get(state.node)
    if node is None:
        return "keys"
    if node.kind == "message" and state.phase == "record":
        return "record"
    return "dial" if node.kind == "forward" else "keys"


def _event(name: str, digits: str, waiting: str) -> Event:
    if name == "start":
        return CallStarted(PREVIEW_CALLER)
    if waiting == "record":
        # `#` ends the message; silence ends an empty one; hanging up ends the call.
        seconds = RECORDED_SECONDS if name == "key" else 0
        return RecordingFinished(duration_seconds=seconds, hung_up=name == "hangup")
    if waiting == "dial":
        return ForwardResult(answered=False)
    if name == "none":
        return NoInput()
    if len(digits) > 20 or any(ch not in "0123456789*#" for ch in digits):
        raise PreviewError("keys must be 0-9, * or #")
    return Digits(digits)


def _prompt(prompt: Prompt) -> dict[str, Any]:
    match prompt:
        case Say(text=text):
            return {"type": "say", "text": text}
        case Break(milliseconds=milliseconds):
            return {"type": "pause", "seconds": milliseconds / 1000}
        case Play(url=url):
            return {"type": "play", "url": url}
        case Pause(seconds=seconds):
            return {"type": "pause", "seconds": seconds}
    raise PreviewError("unknown prompt")
