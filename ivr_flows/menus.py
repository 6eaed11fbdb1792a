"""Node kinds the caller navigates: greeting, menu, activities, info, office hours, forward, goodbye."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from ivr_flows.actions import Dial, Gather, Hangup, Pause, Play, Prompt, Say
from ivr_flows.content import CityContent, NetworkContent
from ivr_flows.events import Event, ForwardResult
from ivr_flows.model import Node
from ivr_flows.recurrence import Recurrence, next_held, next_occurrence
from ivr_flows.runtime import Ctx, Lead, StepResult, answer, go, keys, register, show, to_callback
from ivr_flows.schedule import closed_reason, is_open, local_time, next_opening
from ivr_flows.speakable import speakable
from ivr_flows.speaking import SENTENCE_END, Speaker, hours_prompts, menu_prompts, spoken_date, spoken_time
from ivr_flows.state import CallState

logger = logging.getLogger(__name__)

NEWCOMER_WORDS = 70  # about 30 s of newcomer text before the options; more behind the 2
FRESH_DAYS = 7  # an offer entered or changed within a week is read without its date


def _enter_greeting(ctx: Ctx, node: Node, state: CallState, lead: Lead) -> StepResult:
    speaker = ctx.speaker(state)
    network = ctx.network(state)
    if isinstance(ctx.content, CityContent) and network is not None:
        # Routed from the city line, which greeted the caller, offered the 0 and named the
        # Anlaufstelle ("Sie sind jetzt bei ..."): one greeting per call, straight on to the menu.
        return go(ctx, state, node.next or "", lead)
    if network is None or node.prompt == "greeting_city":
        override = ctx.content.greeting if isinstance(ctx.content, CityContent) else None
        greeting = (Say(speakable(override)),) if override else (speaker.say(node.prompt or "greeting_city"),)
    elif network.greeting:
        # An edited greeting must still name the network.
        named = () if network.name in network.greeting else (speaker.say("greeting_named", network=network.name),)
        greeting = (*named, Say(speakable(network.greeting)))
    else:
        greeting = (speaker.say(node.prompt or "greeting", network=network.name),)
    # The city-wide router is a number entry, where a lone 0 would wait in silence: it names the 0 itself.
    zero = () if ctx.flow.nodes[node.next or ""].kind == "citywide" else (speaker.say("greeting_zero"),)
    return go(ctx, state, node.next or "", lead.then(*greeting, *zero, Pause(1)))


def _render_menu(ctx: Ctx, node: Node, state: CallState) -> Gather:
    speaker = ctx.speaker(state)
    intro = (speaker.say(node.intro), Pause(1)) if node.intro else ()
    entries = [speaker.option(o.label, o.key) for o in node.options]
    back = None if node.id == ctx.flow.main_menu else "menu_back"
    return Gather(intro + menu_prompts(speaker, entries, state.misses, back=back))


def _handle_menu(ctx: Ctx, node: Node, state: CallState, event: Event) -> StepResult:
    def choose(target: str) -> StepResult:
        if ctx.flow.nodes[target].kind == "goodbye":
            return go(ctx, replace(state, outcome="left"), target)
        return go(ctx, state, target)

    choices = {o.key: (lambda t=o.next: choose(t)) for o in node.options}
    return keys(ctx, node, state, event, choices, topic=node.topic or "topic_callback",
                back=node.id != ctx.flow.main_menu)


def _enter_activities(ctx: Ctx, node: Node, state: CallState, lead: Lead) -> StepResult:
    if not ctx.activities(state):
        return go(ctx, state, ctx.flow.main_menu, lead.then(ctx.speaker(state).say("activities_none"), Pause(1)))
    return show(ctx, node, state, lead)


def _render_activities(ctx: Ctx, node: Node, state: CallState) -> Gather:
    speaker = ctx.speaker(state)
    activities = ctx.activities(state)
    index = min(state.item, len(activities) - 1)
    activity, occurrence = activities[index].activity, activities[index].occurrence
    starts_at = occurrence.starts_at
    last = index == len(activities) - 1
    out: list[Prompt] = [speaker.say("activities_intro"), Pause(1)] if state.phase == "" else []
    if occurrence.cancelled:
        # A recording cannot know which date falls out: the cancellation is spoken instead of it.
        out.append(Say(speaker.text("activity_cancelled", title=speakable(activity.title),
                                    date=spoken_date(speaker, starts_at.date()))))
        held = next_held(activity.recurrence, starts_at)
        if held is not None:
            out.append(Say(speaker.text("activity_cancelled_next", date=spoken_date(speaker, held.starts_at),
                                        time=spoken_time(speaker, held.starts_at),
                                        place=speakable(activity.place))))
    elif activity.audio_url:
        out.append(Play(activity.audio_url))
    else:
        out.append(Say(speaker.text("activity", title=speakable(activity.title),
                                    date=spoken_date(speaker, starts_at), time=spoken_time(speaker, starts_at),
                                    place=speakable(activity.place))))
        if activity.description:
            out.append(Say(speakable(activity.description)))
        if activity.contact:
            out.append(Say(speaker.text("activity_contact", contact=speakable(activity.contact))))
    if (local_time(ctx.now).date() - activity.updated_on).days > FRESH_DAYS:
        # Only an older entry gains from its date: the caller may want to check it still holds.
        out.append(Say(speaker.text("activity_updated", date=spoken_date(speaker, activity.updated_on,
                                                                          weekday=False))))
    if last:
        out.append(speaker.say("activity_last"))
    out.append(Pause(1))
    if state.misses:
        # After a wrong key or silence the options again, not the whole offer: 2 (or *) repeats it.
        out = [speaker.say("options_again"), Pause(1)]
    entries = [speaker.say("activity_restart" if last else "activity_next"), speaker.say("activity_repeat"),
               speaker.say("activity_callback")]
    return Gather((*out, *menu_prompts(speaker, entries, state.misses, back="menu_back", zero_hint=False,
                                       repeat=False)))


def _handle_activities(ctx: Ctx, node: Node, state: CallState, event: Event) -> StepResult:
    activities = ctx.activities(state)
    if not activities:
        return _enter_activities(ctx, node, state, Lead())
    index = min(state.item, len(activities) - 1)
    choices = {
        "1": lambda: show(ctx, node, replace(state, item=(index + 1) % len(activities), phase="list", misses=0)),
        "2": lambda: show(ctx, node, replace(state, item=index, phase="list", misses=0)),
    }
    return keys(ctx, node, state, event, choices, topic="topic_activity",
                activity_id=activities[index].activity.id)


def _newcomer_text(network: NetworkContent | None) -> tuple[list[str], list[str]]:
    """The newcomer text in sentences: those heard first (about NEWCOMER_WORDS words) and the rest, behind a key."""
    paragraphs = network.newcomer_paragraphs if network else ()
    sentences = [s for p in paragraphs for s in SENTENCE_END.split(speakable(p).strip()) if s]
    first: list[str] = []
    words = 0
    for sentence in sentences:
        words += len(sentence.split())
        if first and words > NEWCOMER_WORDS:
            break
        first.append(sentence)
    return first, sentences[len(first):]


def _render_info(ctx: Ctx, node: Node, state: CallState) -> Gather:
    speaker = ctx.speaker(state)
    network = ctx.network(state)
    first, more = _newcomer_text(network)
    out: tuple[Prompt, ...]
    if state.phase == "more":
        out = tuple(Say(s) for s in more)
    else:
        # The date first: it is what a newcomer can act on.
        dated = _welcome_meeting(speaker, network.welcome_meeting_schedule, network.welcome_meeting,
                                 ctx.now) if network else ()
        text = tuple(Say(s) for s in first) or (speaker.say("newcomers_default"),)
        where = (*_address(speaker, network), *_next_open(ctx, speaker, network)) if network else ()
        out = (speaker.say("newcomers_intro"), *dated, *text, *where)
    if state.misses:
        # After a wrong key or silence the options again, not the whole text; * repeats the text.
        out = (speaker.say("options_again"),)
    entries = [speaker.say("info_offer")] + ([speaker.say("info_more")] if more and state.phase != "more" else [])
    return Gather((*out, Pause(1), *menu_prompts(speaker, entries, state.misses, back="menu_back", zero_hint=False)))


def _welcome_meeting(speaker: Speaker, schedule: Recurrence | None, note: str | None,
                     now: datetime) -> tuple[Prompt, ...]:
    """The next welcome meeting by its date (or its cancellation and the one after), then the note."""
    occurrence = next_occurrence(schedule, now) if schedule else None
    if schedule is None or occurrence is None:
        # Without a date to come, the note is what the Begleitung wrote about the meeting.
        return (speaker.say("newcomers_meeting", meeting=speakable(note)),) if note else ()
    out: list[Prompt] = []
    if occurrence.cancelled:
        out.append(speaker.say("newcomers_meeting_cancelled", date=spoken_date(speaker, occurrence.starts_at)))
        occurrence = next_held(schedule, occurrence.starts_at)
    if occurrence is not None:
        out.append(speaker.say("newcomers_meeting_date", date=spoken_date(speaker, occurrence.starts_at),
                               time=spoken_time(speaker, occurrence.starts_at)))
    if note:
        out.append(Say(speakable(note)))
    return tuple(out)


def _handle_info(ctx: Ctx, node: Node, state: CallState, event: Event) -> StepResult:
    topic = node.topic or "topic_callback"
    choices = {"1": lambda: to_callback(ctx, state, topic)}
    if _newcomer_text(ctx.network(state))[1] and state.phase != "more":
        choices["2"] = lambda: show(ctx, node, replace(state, phase="more", misses=0))
    return keys(ctx, node, state, event, choices, topic=topic)


def _enter_office_hours(ctx: Ctx, node: Node, state: CallState, lead: Lead) -> StepResult:
    network = ctx.network(state)
    state = replace(state, topic="topic_talk")
    if network is not None and is_open(network.office_hours, ctx.now):
        return go(ctx, state, node.open or "", lead)
    speaker = ctx.speaker(state)
    if network is None:
        return go(ctx, state, node.closed or "", lead.then(speaker.say("closed"), Pause(1)))
    reason = closed_reason(network.office_hours, local_time(ctx.now).date())
    closed = speaker.say("closed_today", reason=speakable(reason)) if reason else speaker.say("closed")
    prompts = (closed, *_next_open(ctx, speaker, network), *_address(speaker, network),
               *hours_prompts(speaker, network.office_hours), Pause(1))
    return go(ctx, state, node.closed or "", lead.then(*prompts))


def _next_open(ctx: Ctx, speaker: Speaker, network: NetworkContent) -> tuple[Prompt, ...]:
    """When the Anlaufstelle is next staffed: "Sie ist morgen ab 10 Uhr wieder besetzt." (nothing if never)."""
    opens = next_opening(network.office_hours, ctx.now)
    if opens is None or opens <= local_time(ctx.now):
        return ()  # never within three weeks, or staffed right now
    time = spoken_time(speaker, opens)
    days = (opens.date() - local_time(ctx.now).date()).days
    if days == 0:
        return (speaker.say("open_next_today", time=time),)
    if days == 1:
        return (speaker.say("open_next_tomorrow", time=time),)
    return (speaker.say("open_next", date=spoken_date(speaker, opens), time=time),)


def _address(speaker: Speaker, network: NetworkContent) -> tuple[Prompt, ...]:
    return (speaker.say("newcomers_where", address=speakable(network.address)),) if network.address.strip() else ()


def _enter_forward(ctx: Ctx, node: Node, state: CallState, lead: Lead) -> StepResult:
    network = ctx.network(state)
    if network is None or not network.forwarding_number:
        logger.warning("node %s: no forwarding number, taking the no-answer path", node.id)
        return go(ctx, state, node.no_answer or "", lead.then(ctx.speaker(state).say("forward_unavailable")))
    dial = Dial(network.forwarding_number, network.caller_id)
    return answer(lead.then(ctx.speaker(state).say("forward")), dial, state)


def _handle_forward(ctx: Ctx, node: Node, state: CallState, event: Event) -> StepResult:
    if isinstance(event, ForwardResult) and event.answered:
        return go(ctx, replace(state, outcome="talked"), node.next or "")
    return go(ctx, state, node.no_answer or "", Lead(prompts=(ctx.speaker(state).say("forward_no_answer"),)))


def _enter_goodbye(ctx: Ctx, node: Node, state: CallState, lead: Lead) -> StepResult:
    speaker = ctx.speaker(state)
    farewell: tuple[Prompt, ...] = (speaker.say(f"goodbye_{state.outcome or 'left'}"),)
    if state.outcome == "callback":
        farewell += (*_callback_times(ctx, speaker, state), speaker.say("goodbye_bye"))
    return answer(lead.then(*farewell), Hangup(), state)


def _callback_times(ctx: Ctx, speaker: Speaker, state: CallState) -> tuple[Prompt, ...]:
    """When we call back and from which number, so that the caller expects the call and picks up."""
    times = ctx.content.callback_times
    days = {(True, True): "callback_days_weekdays_no_holidays", (True, False): "callback_days_weekdays",
            (False, True): "callback_days_no_holidays", (False, False): "callback_days_all"}
    out: tuple[Prompt, ...] = (speaker.say("callback_when", days=speaker.text(days[times.quiet_sundays,
                                                                                  times.quiet_holidays]),
                                           start=times.first_hour, end=times.end_hour),)
    network = ctx.network(state)
    if network is not None and network.line_number:
        out += speaker.say_number("callback_from", network.line_number)
    return out


def _handle_goodbye(ctx: Ctx, node: Node, state: CallState, event: Event) -> StepResult:
    return StepResult((Hangup(),), state)


register("greeting", enter=_enter_greeting)
register("menu", render=_render_menu, handle=_handle_menu)
register("activities", enter=_enter_activities, render=_render_activities, handle=_handle_activities)
register("info", render=_render_info, handle=_handle_info)
register("office_hours", enter=_enter_office_hours)
register("forward", enter=_enter_forward, handle=_handle_forward)
register("goodbye", enter=_enter_goodbye, handle=_handle_goodbye)
