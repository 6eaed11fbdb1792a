"""Callers who make mistakes: each with one task, pressing a wrong key one time in five, nothing one time in ten.

Every caller is simulated through the real engine with a fixed seed, so the figures are the same
on every run. Time is what the caller hears (150 words a minute, every prompt in full, plus the
pauses), plus the Gather's timeout when they press nothing and the ringing of a forwarded call.
(The hypothesis test in test_ivr_properties checks that random keys never drop a caller; this one
measures how many callers with a purpose get what they called for, and how fast.)

Measured with the 1,000 seeds below: 95.3 % reach their task within three minutes (message 90.5 %,
callback 99.1 %, offers 95.9 %, newcomer information 95.8 %), 99.9 % are at least promised a
callback; before the options were repeated without the text and the way to the beep was
shortened, the same callers reached 94.3 % and 99.6 %. (The newcomer information now also names
the welcome meeting, the address and the next opening; the callback path asks when a call suits,
after the request is filed, and key 1 answers it as a caller in a hurry would.)
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import pytest

from ivr_flows.actions import Dial, Hangup, Record, RequestCallback
from ivr_flows.events import Digits, ForwardResult, NoInput, RecordingFinished

from tests.ivr_flows.listening import seconds_heard

TASK_LIMIT = 180  # three minutes
CALL_LIMIT = 600  # a simulated caller gives up after ten minutes
WRONG_KEY, NO_KEY = 1 / 5, 1 / 10
TASKS = ("message", "callback", "offers", "network")
SEEDS = range(1000)  # 250 callers per task
KEYS = "0123456789*#"
MAIN_MENU_KEY = {"message": "3", "callback": "0", "offers": "1", "network": "2"}


@dataclass
class Outcome:
    """When (in seconds) the caller reached their task and was promised a callback; None: never."""

    task: str
    reached_at: float | None = None
    promised_at: float | None = None


def _reached(task: str, call) -> bool:
    if task == "message":
        return isinstance(call.terminal, Record)
    if task == "callback":
        return any(isinstance(a, RequestCallback) and a.number for a in call.last.actions)
    if task == "offers":
        return "Erzählcafé" in call.text
    return "Bei uns ist jeder willkommen." in call.text


def _intended(task: str, call) -> str:
    """The key a caller who knows what they want presses now."""
    state = call.last.state
    if state.node == "confirm":
        return "1"
    if state.node == "main":
        return MAIN_MENU_KEY[task]
    if task == "callback":
        return "0"
    if state.node == "message" and task == "message":
        return "1"
    return "9"  # back to the main menu


def simulate(start_call, task: str, seed: int, *, wrong_key: float = WRONG_KEY, no_key: float = NO_KEY) -> Outcome:
    """One caller with one task (`start_call` starts the call), until they hang up or the line does."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible simulation, not security
    call = start_call()
    outcome, clock = Outcome(task), 0.0
    while clock < CALL_LIMIT:
        clock += seconds_heard(call.last.actions)
        if outcome.reached_at is None and _reached(task, call):
            outcome.reached_at = clock
        if outcome.promised_at is None and any(isinstance(a, RequestCallback) for a in call.last.actions):
            outcome.promised_at = clock
        terminal = call.terminal
        if isinstance(terminal, Hangup) or (task == "message" and isinstance(terminal, Record)):
            break
        if isinstance(terminal, Record):
            # Not their task: they say nothing, and the silence ends the recording.
            call.send(RecordingFinished(duration_seconds=0, hung_up=False))
            clock += terminal.timeout
        elif isinstance(terminal, Dial):
            clock += terminal.timeout  # nobody answers at the office
            call.send(ForwardResult(answered=False))
        else:
            roll, intended = rng.random(), _intended(task, call)
            if roll < no_key:
                clock += terminal.timeout
                call.send(NoInput())
            elif roll < no_key + wrong_key:
                call.send(Digits(rng.choice([k for k in KEYS if k != intended])))
            else:
                call.send(Digits(intended))
    if task == "message" and outcome.reached_at is not None:
        outcome.promised_at = outcome.promised_at or outcome.reached_at  # recorded: the request follows
    return outcome


def _within(moment: float | None) -> bool:
    return moment is not None and moment <= TASK_LIMIT


@pytest.mark.slow  # a thousand simulated calls
def test_callers_who_make_mistakes_reach_their_task_or_at_least_a_callback(start_call, standard, network):
    outcomes = [simulate(lambda: start_call(standard, network), task, seed) for task in TASKS for seed in SEEDS]
    reached = Counter(o.task for o in outcomes if _within(o.reached_at))
    share = sum(reached.values()) / len(outcomes)
    per_task = ", ".join(f"{task} {reached[task] / len(SEEDS):.1%}" for task in TASKS)
    assert share >= 0.95, f"{share:.1%} reached their task within three minutes ({per_task})"
    helped = [o for o in outcomes if _within(o.reached_at) or o.promised_at is not None]
    promised = len(helped) / len(outcomes)
    assert promised >= 0.99, f"{promised:.1%} reached their task or were promised a callback"


@pytest.mark.parametrize("task", TASKS)
def test_a_caller_without_mistakes_reaches_the_task_within_a_minute_and_a_half(start_call, standard, network, task):
    outcome = simulate(lambda: start_call(standard, network), task, 0, wrong_key=0, no_key=0)
    assert outcome.reached_at is not None
    assert outcome.reached_at <= 90, f"{task}: {outcome.reached_at:.0f} s"
