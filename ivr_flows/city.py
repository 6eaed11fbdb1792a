"""The city-wide entry: route a caller to a network by postal code or by a district menu."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import TypeVar

from ivr_flows.actions import Gather, Pause, Prompt
from ivr_flows.content import CityContent, NetworkContent
from ivr_flows.events import Event
from ivr_flows.model import MAX_OPTIONS, Node
from ivr_flows.runtime import (
    Ctx,
    Lead,
    StepResult,
    go,
    keys,
    miss,
    register,
    show,
    to_callback,
    typed_digits,
)
from ivr_flows.speaking import menu_prompts
from ivr_flows.state import CallState

POSTAL_CODE_DIGITS = 5
T = TypeVar("T")


def _networks(ctx: Ctx) -> tuple[NetworkContent, ...]:
    return ctx.content.networks if isinstance(ctx.content, CityContent) else (ctx.content,)


def _districts(ctx: Ctx) -> list[str]:
    return sorted({n.district for n in _networks(ctx)})


def _candidates(ctx: Ctx, state: CallState) -> list[NetworkContent]:
    if state.digits:
        found = [n for n in _networks(ctx) if state.digits in n.postal_codes]
    else:
        districts = _districts(ctx)
        district = districts[state.choice] if state.choice < len(districts) else None
        found = [n for n in _networks(ctx) if n.district == district]
    return sorted(found, key=lambda n: n.name)


def _page(items: Sequence[T], page: int) -> tuple[Sequence[T], bool]:
    """Return the items of one menu page and whether more follow (last option then means "more")."""
    rest = items[(MAX_OPTIONS - 1) * page:]
    if len(rest) <= MAX_OPTIONS:
        return rest, False
    return rest[:MAX_OPTIONS - 1], True


def _render_city(ctx: Ctx, node: Node, state: CallState) -> Gather:
    speaker = ctx.speaker(state)
    if state.phase == "":
        hint = (speaker.say("menu_zero"), Pause(2)) if state.misses >= 2 else ()
        return Gather((*hint, speaker.say("city_code"), Pause(1), speaker.say("city_no_code")),
                      num_digits=POSTAL_CODE_DIGITS, timeout=8, finish_on_key="#")
    if state.phase == "districts":
        heading = speaker.say("city_districts")
        labels = [speaker.text("city_district", district=d) for d in _districts(ctx)]
    else:
        heading = speaker.say("city_networks")
        labels = [speaker.text("city_network", network=n.name) for n in _candidates(ctx, state)]
    shown, more = _page(labels, state.item)
    if more:
        shown = [*shown, speaker.text("city_more")]
    entries: list[Prompt] = [speaker.say("menu_option", label=label, key=i + 1) for i, label in enumerate(shown)]
    return Gather((heading, Pause(1), *menu_prompts(speaker, entries, state.misses, back="city_back")))


def _handle_city(ctx: Ctx, node: Node, state: CallState, event: Event) -> StepResult:
    if state.phase == "":
        return _postal_code(ctx, node, state, event)
    districts = _districts(ctx)
    items: Sequence[object] = districts if state.phase == "districts" else _candidates(ctx, state)
    shown, more = _page(items, state.item)
    base = (MAX_OPTIONS - 1) * state.item
    choices: dict[str, Callable[[], StepResult]] = {}
    for i in range(len(shown)):
        if state.phase == "districts":
            choices[str(i + 1)] = partial(_district_chosen, ctx, node, state, base + i)
        else:
            network = shown[i]
            assert isinstance(network, NetworkContent)  # outside "districts" the page holds _candidates
            choices[str(i + 1)] = partial(_route, ctx, node, state, network)
    if more:
        choices[str(MAX_OPTIONS)] = lambda: show(ctx, node, replace(state, item=state.item + 1, misses=0))
    choices["9"] = lambda: show(ctx, node, replace(state, phase="", item=0, digits="", misses=0))
    return keys(ctx, node, state, event, choices, topic="topic_callback", back=False)


def _postal_code(ctx: Ctx, node: Node, state: CallState, event: Event) -> StepResult:
    digits = typed_digits(ctx, node, state, event)
    if isinstance(digits, StepResult):
        return digits
    speaker = ctx.speaker(state)
    if digits == "0":
        return to_callback(ctx, state, "topic_callback")
    if digits == "1" and _districts(ctx):
        return show(ctx, node, replace(state, phase="districts", misses=0))
    if len(digits) == 1:
        return miss(ctx, node, state, speaker.say("wrong_key", key=speaker.key_name(digits)))
    found = [n for n in _networks(ctx) if digits in n.postal_codes]
    if len(digits) != POSTAL_CODE_DIGITS or not found:
        return miss(ctx, node, state, speaker.say("city_unknown_code"))
    if len(found) == 1:
        return _route(ctx, node, state, found[0])
    return show(ctx, node, replace(state, phase="networks", digits=digits, misses=0))


def _district_chosen(ctx: Ctx, node: Node, state: CallState, index: int) -> StepResult:
    chosen = replace(state, phase="networks", choice=index, digits="", item=0, misses=0)
    networks = _candidates(ctx, chosen)
    if len(networks) == 1:
        return _route(ctx, node, state, networks[0])
    return show(ctx, node, chosen)


def _route(ctx: Ctx, node: Node, state: CallState, network: NetworkContent) -> StepResult:
    routed = replace(state, network_id=network.network_id)
    lead = Lead(prompts=(ctx.speaker(routed).say("city_routed", network=network.name), Pause(1)))
    return go(ctx, routed, node.next or "", lead)


register("citywide", render=_render_city, handle=_handle_city)
