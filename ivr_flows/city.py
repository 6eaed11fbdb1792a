"""The city-wide entry: route a caller to a network by postal code or by the number of the Stadtbezirk.

Why this route: with more than 20 networks, a list of all Stadtteile (about 40, six words each)
alone takes longer than a minute, so the line never reads one. It asks one question that takes
three answers, each finished at once or announced with the Rautetaste:

1. The postal code (five digits; the entry ends by itself after the fifth). It is printed on every
   letter a caller gets. One active network lists it: routed at once. Several: the caller chooses
   by Stadtteil ("Für Bilk drücken Sie die 1."), at most four options at a time.
2. The number of the Stadtbezirk, 1 to 10, then the Rautetaste. Düsseldorf's ten Bezirke have
   numbers, not names; each holds a handful of networks, so one Bezirk's networks fit one menu
   whose options name the Stadtteile each serves ("Für Hamm, Volmerswerth und Flehe drücken Sie
   die 3."). A Bezirk with one network routes at once.
3. Neither known: the 0 and the Rautetaste lead to the callback path, where a person finds the right
   Anlaufstelle with the caller instead of a list read to someone who may hear badly.

Inside this five-digit entry a single key would wait in silence for the timeout, so every answer
shorter than five digits is announced with the Rautetaste, and the greeting before it leaves out
"jederzeit die Null" (the router names the 0 with the Rautetaste). Worst case for the full demo city,
no postal code, every prompt heard in full up to "Sie sind jetzt bei ...": 96 words, 38 seconds at
150 words per minute (47 with every pause); the 0 reaches the callback path after 36 words (the
city tests measure both). Only active networks are ever offered.
"""

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
from ivr_flows.speaking import Speaker, menu_prompts
from ivr_flows.state import CallState

POSTAL_CODE_DIGITS = 5
STADTBEZIRKE = range(1, 11)
T = TypeVar("T")


def _networks(ctx: Ctx) -> tuple[NetworkContent, ...]:
    networks = ctx.content.networks if isinstance(ctx.content, CityContent) else (ctx.content,)
    return tuple(n for n in networks if n.active)


def _in_stadtbezirk(network: NetworkContent, number: int) -> list[str]:
    return [s.name for s in network.stadtteile if s.stadtbezirk == number]


def _candidates(ctx: Ctx, state: CallState) -> list[NetworkContent]:
    """The networks the caller chooses from: those listing the postal code, or those in the Stadtbezirk."""
    if state.phase == "postal":
        found = [n for n in _networks(ctx) if state.digits in n.postal_codes]
    else:
        found = [n for n in _networks(ctx) if _in_stadtbezirk(n, state.choice)]
    return sorted(found, key=lambda n: n.name)


def _label(speaker: Speaker, network: NetworkContent, stadtbezirk: int | None) -> str:
    """The Stadtteile a network serves (in the Stadtbezirk, when one was chosen), as "A, B und C"."""
    names = _in_stadtbezirk(network, stadtbezirk) if stadtbezirk else [s.name for s in network.stadtteile]
    if not names:
        return network.name
    return ", ".join(names[:-1]) + speaker.text("list_and") + names[-1] if len(names) > 1 else names[0]


def _page(items: Sequence[T], page: int) -> tuple[Sequence[T], bool]:
    """Return the items of one menu page and whether more follow (last option then means "more")."""
    rest = items[(MAX_OPTIONS - 1) * page:]
    if len(rest) <= MAX_OPTIONS:
        return rest, False
    return rest[:MAX_OPTIONS - 1], True


def _render_city(ctx: Ctx, node: Node, state: CallState) -> Gather:
    speaker = ctx.speaker(state)
    if state.phase == "":
        # The 0 is always offered here (with the Rautetaste), so no extra hint after misses; only slower.
        gap = Pause(1 if state.misses == 0 else 2)
        entry = (speaker.say("city_code"), gap, speaker.say("city_no_code"), gap, speaker.say("city_neither"))
        return Gather(entry, num_digits=POSTAL_CODE_DIGITS, timeout=8, finish_on_key="#")
    if state.phase == "postal":
        heading = speaker.say("city_choose_postal")
        stadtbezirk = None
    else:
        heading = speaker.say("city_choose_stadtbezirk", number=state.choice)
        stadtbezirk = state.choice
    labels = [_label(speaker, n, stadtbezirk) for n in _candidates(ctx, state)]
    shown, more = _page(labels, state.item)
    if more:
        shown = [*shown, speaker.text("city_more")]
    entries: list[Prompt] = [speaker.say("menu_option", label=label, key=i + 1) for i, label in enumerate(shown)]
    return Gather((heading, Pause(1), *menu_prompts(speaker, entries, state.misses, back="city_back")))


def _handle_city(ctx: Ctx, node: Node, state: CallState, event: Event) -> StepResult:
    if state.phase == "":
        return _entry(ctx, node, state, event)
    shown, more = _page(_candidates(ctx, state), state.item)
    choices: dict[str, Callable[[], StepResult]] = {
        str(i + 1): partial(_route, ctx, node, state, network) for i, network in enumerate(shown)
    }
    if more:
        choices[str(MAX_OPTIONS)] = lambda: show(ctx, node, replace(state, item=state.item + 1, misses=0))
    choices["9"] = lambda: show(ctx, node, replace(state, phase="", item=0, choice=0, digits="", misses=0))
    return keys(ctx, node, state, event, choices, topic="topic_callback", back=False)


def _entry(ctx: Ctx, node: Node, state: CallState, event: Event) -> StepResult:
    """Answer the first question: a postal code, the number of a Stadtbezirk, or 0 for a callback."""
    digits = typed_digits(ctx, node, state, event)
    if isinstance(digits, StepResult):
        return digits
    speaker = ctx.speaker(state)
    if digits == "0":
        return to_callback(ctx, state, "topic_callback")
    if len(digits) == POSTAL_CODE_DIGITS:
        return _choose(ctx, node, state, replace(state, phase="postal", digits=digits),
                       speaker.say("city_unknown_code"))
    if digits.isdigit() and int(digits) in STADTBEZIRKE:
        return _choose(ctx, node, state, replace(state, phase="stadtbezirk", choice=int(digits)),
                       speaker.say("city_unknown_stadtbezirk", number=int(digits)))
    return miss(ctx, node, state, speaker.say("wrong_key", key=speaker.key_name(digits)))


def _choose(ctx: Ctx, node: Node, state: CallState, chosen: CallState, none_found: Prompt) -> StepResult:
    """Route to the one network found, offer the choice among several, or ask again when there is none."""
    networks = _candidates(ctx, chosen)
    if not networks:
        return miss(ctx, node, state, none_found)
    if len(networks) == 1:
        return _route(ctx, node, chosen, networks[0])
    return show(ctx, node, replace(chosen, misses=0))


def _route(ctx: Ctx, node: Node, state: CallState, network: NetworkContent) -> StepResult:
    routed = replace(state, network_id=network.network_id)
    lead = Lead(prompts=(ctx.speaker(routed).say("city_routed", network=network.name), Pause(1)))
    return go(ctx, routed, node.next or "", lead)


register("citywide", render=_render_city, handle=_handle_city)
