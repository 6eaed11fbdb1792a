"""The engine's shared machinery: context, answers, node dispatch, key handling and escalation."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from ivr_flows.actions import Action, Effect, Gather, Prompt, Terminal
from ivr_flows.content import CityContent, Content, NetworkContent
from ivr_flows.events import Digits, Event, NoInput
from ivr_flows.model import Flow, Node
from ivr_flows.schedule import ScheduledActivity, current_activities
from ivr_flows.speaking import Speaker, split_long
from ivr_flows.state import CallState

logger = logging.getLogger(__name__)

MAX_MISSES = 3  # the third no-input or wrong key leads to the callback path


@dataclass(frozen=True)
class StepResult:
    """What the line does next (ending with one Gather, Record, Dial or Hangup) and the new state."""

    actions: tuple[Action, ...]
    state: CallState


@dataclass(frozen=True)
class Ctx:
    """Everything fixed during one step: the flow, the content and the local time."""

    flow: Flow
    content: Content
    now: datetime
    _activities: dict[int | None, tuple[ScheduledActivity, ...]] = field(default_factory=dict, compare=False,
                                                                        repr=False)

    def activities(self, state: CallState) -> tuple[ScheduledActivity, ...]:
        """The activities of the call's network at this step's time (worked out once per step)."""
        network = self.network(state)
        key = network.network_id if network is not None else None
        if key not in self._activities:
            self._activities[key] = current_activities(network, self.now)
        return self._activities[key]

    def network(self, state: CallState) -> NetworkContent | None:
        """Return the network this call is about (on the city-wide line: once routed)."""
        if isinstance(self.content, NetworkContent):
            return self.content
        return self.content.network(state.network_id)

    def speaker(self, state: CallState) -> Speaker:
        """Return a Speaker with the overrides of the network (or the city-wide line)."""
        source: NetworkContent | CityContent = self.network(state) or self.content
        return Speaker(source.prompt_overrides, source.prompt_audio)


@dataclass(frozen=True)
class Lead:
    """Effects and prompts collected on the way to the node that will answer."""

    effects: tuple[Effect, ...] = ()
    prompts: tuple[Prompt, ...] = field(default=())

    def then(self, *prompts: Prompt) -> Lead:
        """Return this lead with more prompts."""
        return replace(self, prompts=self.prompts + prompts)

    def effect(self, effect: Effect) -> Lead:
        """Return this lead with one more effect."""
        return replace(self, effects=self.effects + (effect,))


Enter = Callable[[Ctx, Node, CallState, Lead], StepResult]
Handle = Callable[[Ctx, Node, CallState, Event], StepResult]
Render = Callable[[Ctx, Node, CallState], Gather]
Escalate = Callable[[Ctx, Node, CallState, Lead], StepResult]

ENTER: dict[str, Enter] = {}
HANDLE: dict[str, Handle] = {}
RENDER: dict[str, Render] = {}
ESCALATE: dict[str, Escalate] = {}


def register(kind: str, *, enter: Enter | None = None, handle: Handle | None = None,
             render: Render | None = None, escalate: Escalate | None = None) -> None:
    """Register how the engine enters, renders and answers a node kind."""
    pairs: list[tuple[dict[str, Any], object]]  # four signatures; each func goes into its own table
    pairs = [(ENTER, enter), (HANDLE, handle), (RENDER, render), (ESCALATE, escalate)]
    for table, func in pairs:
        if func is not None:
            table[kind] = func


def answer(lead: Lead, terminal: Terminal, state: CallState) -> StepResult:
    """Build the step result: effects, then prompts (inside a Gather, so keys interrupt them)."""
    if isinstance(terminal, Gather):
        terminal = replace(terminal, prompts=split_long(lead.prompts + terminal.prompts))
        return StepResult((*lead.effects, terminal), state)
    return StepResult((*lead.effects, *split_long(lead.prompts), terminal), state)


def go(ctx: Ctx, state: CallState, node_id: str, lead: Lead = Lead()) -> StepResult:
    """Move the call to a node and let that node answer (automatic nodes pass straight on)."""
    node = ctx.flow.nodes[node_id]
    state = replace(state, node=node_id, phase="", misses=0, item=0, choice=0, digits="")
    if node.kind == "menu":
        state = replace(state, topic="", activity_id=None)
    enter = ENTER.get(node.kind)
    return enter(ctx, node, state, lead) if enter else show(ctx, node, state, lead)


def show(ctx: Ctx, node: Node, state: CallState, lead: Lead = Lead()) -> StepResult:
    """Answer with the node's Gather as it looks in this state."""
    return answer(lead, RENDER[node.kind](ctx, node, state), state)


def to_callback(ctx: Ctx, state: CallState, topic: str, activity_id: int | None = None,
                lead: Lead = Lead()) -> StepResult:
    """Take the caller to the callback path, remembering what the callback is about."""
    return go(ctx, replace(state, topic=topic, activity_id=activity_id), ctx.flow.callback, lead)


def miss(ctx: Ctx, node: Node, state: CallState, reason: Prompt) -> StepResult:
    """Count a no-input or wrong key: say why and repeat slower; the third time escalate."""
    misses = state.misses + 1
    lead = Lead(prompts=(reason,))
    if misses >= MAX_MISSES:
        logger.info("node %s: %d misses, escalating", node.id, misses)
        escalate = ESCALATE.get(node.kind)
        if escalate:
            return escalate(ctx, node, state, lead)
        # Say why the line takes the caller elsewhere, rather than jump to the callback.
        lead = lead.then(ctx.speaker(state).say("escalate"))
        return to_callback(ctx, state, state.topic or node.topic or "topic_callback", state.activity_id, lead)
    return show(ctx, node, replace(state, misses=misses), lead)


def typed_digits(ctx: Ctx, node: Node, state: CallState, event: Event) -> str | StepResult:
    """The digits typed into a node that asks for several; or its answer to no input (a miss) or `*` (repeat)."""
    if is_no_input(event) or not isinstance(event, Digits):
        return miss(ctx, node, state, ctx.speaker(state).say("no_input"))
    if event.digits == "*":
        return show(ctx, node, replace(state, misses=0))
    return event.digits


def is_no_input(event: Event) -> bool:
    """Return True for a timeout or an empty key string."""
    return isinstance(event, NoInput) or (isinstance(event, Digits) and not event.digits)


def keys(ctx: Ctx, node: Node, state: CallState, event: Event,
         choices: Mapping[str, Callable[[], StepResult]], *, topic: str | None,
         activity_id: int | None = None, back: bool = True) -> StepResult:
    """Answer a key press in a Gather node: node choices first, then * repeat, 0 callback, 9 back."""
    speaker = ctx.speaker(state)
    if is_no_input(event):
        return miss(ctx, node, state, speaker.say("no_input"))
    if not isinstance(event, Digits):
        logger.warning("node %s: unexpected %s, repeating", node.id, type(event).__name__)
        return show(ctx, node, state)
    key = event.digits
    if key in choices:
        return choices[key]()
    if key == "*":
        return show(ctx, node, replace(state, misses=0))
    if key == "0" and topic is not None:
        return to_callback(ctx, state, topic, activity_id)
    if key == "9" and back:
        return go(ctx, state, ctx.flow.main_menu)
    return miss(ctx, node, state, speaker.say("wrong_key", key=speaker.key_name(key)))
