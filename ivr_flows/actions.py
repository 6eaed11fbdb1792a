"""Telephony-neutral actions the engine returns; the Twilio adapter turns them into TwiML."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Say:
    """Speak plain German text; the adapter adds voice, language de-DE and (for callers) prosody 90 %."""

    text: str


@dataclass(frozen=True)
class Pause:
    """Stay silent for a few seconds, e.g. between menu options."""

    seconds: int = 1


@dataclass(frozen=True)
class Break:
    """A short pause inside speech (SSML break), e.g. between the groups of a phone number read back.

    The adapter joins the Says around it into one spoken sentence; unlike Pause it is no silence of
    its own, just the breath a person takes between "null zwo eins eins" and "eins zwo drei".
    """

    milliseconds: int = 300


@dataclass(frozen=True)
class Play:
    """Play a recorded prompt (the content supplied an audio URL instead of synthesized speech)."""

    url: str


Prompt = Say | Break | Play | Pause


@dataclass(frozen=True)
class Gather:
    """Play the prompts (a key press interrupts them) and wait for keys.

    Menus use num_digits=1, timeout 8 and no finish key, so that `#` arrives as a key of its own;
    number entry uses num_digits=None, finish_on_key "#" and timeout 15. The adapter should set
    actionOnEmptyResult so that silence comes back as NoInput, and keep input="dtmf".
    """

    prompts: tuple[Prompt, ...]
    num_digits: int | None = 1
    timeout: int = 8
    finish_on_key: str = ""


@dataclass(frozen=True)
class Record:
    """Record the caller's message after a beep; `#`, silence or hanging up ends it."""

    max_length: int = 180
    # Older callers pause to think (or to find their number): 10 s of silence, not Twilio's 5.
    timeout: int = 10
    finish_on_key: str = "#"
    beep: bool = True


@dataclass(frozen=True)
class Dial:
    """Forward the call to a person, showing the Anlaufstelle's number; never recorded."""

    number: str
    caller_id: str | None
    timeout: int = 25


@dataclass(frozen=True)
class Hangup:
    """End the call; only emitted after the caller left or a request was taken."""


@dataclass(frozen=True)
class RequestCallback:
    """Effect: store a callback request in the network's queue.

    `number` is the caller's E.164 number or the digits typed on the keypad (national format,
    to be normalised by the hotline), or None when no number could be obtained. `with_message`
    is True when the recording of this call belongs to the request. `network_id` names the
    network (on the city-wide line: the one the caller was routed to, or None).
    """

    number: str | None
    topic: str
    activity_id: int | None
    with_message: bool
    network_id: int | None = None
    # False when the request was filed without the caller pressing 1 for the number (silence, hang-up).
    confirmed: bool = False


@dataclass(frozen=True)
class PreferredTime:
    """Effect: the caller said (by key) when a callback suits them, e.g. "vormittags"; for the call's request."""

    text: str


@dataclass(frozen=True)
class ConsentGiven:
    """Effect: the caller pressed 1 and agreed that the message is recorded."""


Terminal = Gather | Record | Dial | Hangup
Effect = RequestCallback | PreferredTime | ConsentGiven
Action = Prompt | Terminal | Effect
TERMINALS = (Gather, Record, Dial, Hangup)
