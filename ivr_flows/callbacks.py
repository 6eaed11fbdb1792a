"""The callback path: message with consent, callback without recording, number confirmation."""

from __future__ import annotations

import logging
from dataclasses import replace

from ivr_flows.actions import ConsentGiven, Gather, Hangup, Pause, PreferredTime, Prompt, Record, RequestCallback
from ivr_flows.events import Event, RecordingFinished
from ivr_flows.model import Node
from ivr_flows.numbers import spoken_tail
from ivr_flows.runtime import (
    Ctx,
    Lead,
    StepResult,
    answer,
    go,
    keys,
    miss,
    register,
    show,
    typed_digits,
)
from ivr_flows.speakable import speakable
from ivr_flows.speaking import menu_prompts
from ivr_flows.state import CallState

logger = logging.getLogger(__name__)

MIN_NUMBER_DIGITS = 6
MAX_NUMBER_DIGITS = 16


# Keys of the question when a callback suits, after the number is confirmed, and what the request stores.
WHEN_KEYS = {"1": "when_morning", "2": "when_afternoon", "3": "when_any"}


def activity_title(ctx: Ctx, state: CallState) -> str | None:
    """Return the title of the activity the caller asked about, or None."""
    network = ctx.network(state)
    if state.activity_id is None or network is None:
        return None
    return next((a.title for a in network.activities if a.id == state.activity_id), None)


def topic_text(ctx: Ctx, state: CallState) -> str:
    """Return the German topic of the callback request, naming the activity when there is one."""
    speaker = ctx.speaker(state)
    title = activity_title(ctx, state)
    if title is not None:
        return speaker.text("topic_activity", title=title)
    return speaker.text(state.topic or "topic_callback")


def _request(ctx: Ctx, state: CallState, number: str | None, *, confirmed: bool = False) -> RequestCallback:
    network = ctx.network(state)
    return RequestCallback(number=number, topic=topic_text(ctx, state), activity_id=state.activity_id,
                           with_message=state.recorded, network_id=network.network_id if network else None,
                           confirmed=confirmed)


def _enter_message(ctx: Ctx, node: Node, state: CallState, lead: Lead) -> StepResult:
    state = replace(state, topic=state.topic or node.topic or "topic_message")
    return show(ctx, node, state, lead)


def _render_message(ctx: Ctx, node: Node, state: CallState) -> Gather:
    speaker = ctx.speaker(state)
    entries = [speaker.say("consent_yes"), speaker.say("consent_no")]
    # A yes-or-no question on the way to the beep: 9 and * work here too, but are not announced,
    # which keeps the message path within 45 seconds.
    return Gather((speaker.say("consent"),
                   *menu_prompts(speaker, entries, state.misses, back=None, zero_hint=False, repeat=False)))


def _handle_message(ctx: Ctx, node: Node, state: CallState, event: Event) -> StepResult:
    if state.phase == "record":
        return _recording_finished(ctx, node, state, event)

    def record() -> StepResult:
        recording = replace(state, phase="record", consent=True, misses=0)
        lead = Lead(effects=(ConsentGiven(),), prompts=(ctx.speaker(state).say("record_start"),))
        return answer(lead, Record(), recording)

    choices = {"1": record, "2": lambda: go(ctx, state, node.decline or "")}
    return keys(ctx, node, state, event, choices, topic=state.topic)


def _escalate_message(ctx: Ctx, node: Node, state: CallState, lead: Lead) -> StepResult:
    # Silence is no consent: offer the callback without recording.
    return go(ctx, state, node.decline or "", lead.then(ctx.speaker(state).say("consent_declined")))


def _recording_finished(ctx: Ctx, node: Node, state: CallState, event: Event) -> StepResult:
    if not isinstance(event, RecordingFinished):
        logger.warning("node %s: expected a recording result, got %s", node.id, type(event).__name__)
        event = RecordingFinished(duration_seconds=0, hung_up=False)
    state = replace(state, recorded=event.duration_seconds > 0)
    if event.hung_up:
        done = replace(state, outcome="callback" if state.caller else "no_number")
        return StepResult((_request(ctx, done, state.caller), Hangup()), done)
    thanks = ctx.speaker(state).say("record_thanks" if state.recorded else "record_empty")
    return go(ctx, state, node.next or "", Lead(prompts=(thanks, Pause(1))))


def _enter_callback(ctx: Ctx, node: Node, state: CallState, lead: Lead) -> StepResult:
    state = replace(state, topic=state.topic or node.topic or "topic_callback")
    speaker = ctx.speaker(state)
    title = activity_title(ctx, state)
    # The caller hears which offer the callback is about, so a wrong key shows at once.
    intro = speaker.say("callback_intro") if title is None else speaker.say("callback_intro_activity",
                                                                            title=speakable(title))
    return go(ctx, state, node.next or "", lead.then(intro, Pause(1)))


def _enter_confirm(ctx: Ctx, node: Node, state: CallState, lead: Lead) -> StepResult:
    return show(ctx, node, replace(state, phase="ask" if state.caller else "enter"), lead)


def _render_confirm(ctx: Ctx, node: Node, state: CallState) -> Gather:
    speaker = ctx.speaker(state)
    if state.phase == "enter":
        return Gather((speaker.say("number_enter"),), num_digits=None, timeout=15, finish_on_key="#")
    if state.phase == "when":
        entries = [speaker.say(key) for key in WHEN_KEYS.values()]
        return Gather((speaker.say("when_question"), Pause(1),
                       *menu_prompts(speaker, entries, state.misses, back=None, zero_hint=False)))
    if state.phase == "readback":
        heading: tuple[Prompt, ...] = speaker.say_number("number_readback", state.digits)
        entries = [speaker.say("number_correct"), speaker.say("number_reenter")]
    else:
        heading = (speaker.say("number_known", digits=spoken_tail(state.caller or "")),)
        entries = [speaker.say("number_known_yes"), speaker.say("number_other")]
    return Gather((*heading, Pause(1), *menu_prompts(speaker, entries, state.misses, back=None, zero_hint=False)))


def _handle_confirm(ctx: Ctx, node: Node, state: CallState, event: Event) -> StepResult:
    if state.phase == "enter":
        return _number_entered(ctx, node, state, event)
    if state.phase == "when":
        when = {key: (lambda k=key: _preferred(ctx, node, state, WHEN_KEYS[k])) for key in WHEN_KEYS}
        return keys(ctx, node, state, event, {**when, "0": lambda: show(ctx, node, state)}, topic=None, back=False)
    confirmed = state.digits if state.phase == "readback" else state.caller
    choices = {
        "1": lambda: _confirmed(ctx, node, state, confirmed),
        "2": lambda: show(ctx, node, replace(state, phase="enter", digits="", misses=0)),
        # Already on the callback path: 0 just repeats.
        "0": lambda: show(ctx, node, state),
    }
    return keys(ctx, node, state, event, choices, topic=None, back=False)


def _number_entered(ctx: Ctx, node: Node, state: CallState, event: Event) -> StepResult:
    digits = typed_digits(ctx, node, state, event)
    if isinstance(digits, StepResult):
        return digits
    if not (digits.isdigit() and digits.startswith("0") and MIN_NUMBER_DIGITS <= len(digits) <= MAX_NUMBER_DIGITS):
        return miss(ctx, node, state, ctx.speaker(state).say("number_invalid"))
    return show(ctx, node, replace(state, phase="readback", digits=digits, misses=0))


def _escalate_confirm(ctx: Ctx, node: Node, state: CallState, lead: Lead) -> StepResult:
    if state.phase == "when":
        # The request is filed; no wish is a fine answer.
        return go(ctx, state, node.next or "", lead)
    # Take the request with what we have rather than hanging up on the caller or looping forever.
    number = state.digits if state.phase == "readback" else state.caller
    return _finish(ctx, node, state, number, lead)


def _confirmed(ctx: Ctx, node: Node, state: CallState, number: str | None) -> StepResult:
    # The request is filed now, so hanging up during the question below loses nothing.
    done = replace(state, outcome="callback")
    lead = Lead().effect(_request(ctx, done, number, confirmed=True))
    return show(ctx, node, replace(done, phase="when", misses=0), lead)


def _preferred(ctx: Ctx, node: Node, state: CallState, key: str) -> StepResult:
    wish = PreferredTime(ctx.speaker(state).text(f"{key}_label"))
    return go(ctx, state, node.next or "", Lead().effect(wish))


def _finish(ctx: Ctx, node: Node, state: CallState, number: str | None, lead: Lead) -> StepResult:
    # Without a number only a message the caller left can still lead to a callback.
    done = replace(state, outcome="callback" if number else "no_number" if state.recorded else "no_contact")
    return go(ctx, done, node.next or "", lead.effect(_request(ctx, done, number)))


register("message", enter=_enter_message, render=_render_message, handle=_handle_message,
         escalate=_escalate_message)
register("callback", enter=_enter_callback)
register("confirm_number", enter=_enter_confirm, render=_render_confirm, handle=_handle_confirm,
         escalate=_escalate_confirm)
