"""What a line speaks: a network's (or the city-wide line's) flow and content, read from the database."""

from __future__ import annotations

import functools
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hotline.models import Activity, FlowVersion, Network, PhoneNumber, PromptOverride
from hotline.models.network import ActivityFields
from hotline.stadtteile import stadtteile
from ivr_flows import CallState, Flow, FlowError, builtin_flow, load_flow_from_mapping
from ivr_flows import content as ivr
from ivr_flows.schedule import BERLIN
from ivr_flows.speaking import Speaker

logger = logging.getLogger(__name__)

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

AudioUrl = Callable[[str], str]


@dataclass(frozen=True)
class Line:
    """The flow and content of the line a caller dialled; `network_id` is None on the city-wide line."""

    flow: Flow
    content: ivr.NetworkContent | ivr.CityContent
    network_id: int | None


@functools.cache
def _builtin(name: str) -> Flow:
    return builtin_flow(name)


def load_line(session: Session, called: str, *, audio_url: AudioUrl,
              callback_times: ivr.CallbackTimes | None = None) -> Line:
    """Load the line of the active network owning the called number; any other number gets the city-wide line.

    `audio_url` turns a stored audio path into the URL Twilio plays it from; `callback_times` are
    the hours volunteers call back in (from the settings; the defaults when None).
    """
    callback_times = callback_times or ivr.CallbackTimes()
    # A deactivated network keeps its numbers, and they answer as the city-wide line does.
    owner = session.scalar(select(PhoneNumber.network_id).join(Network)
                           .where(PhoneNumber.e164 == called.strip(), Network.active))
    networks = _load_networks(session, owner)
    overrides = _prompt_overrides(session, [network.id for network in networks])
    contents = tuple(
        replace(_network_content(network, called, overrides.get(network.id, ()), audio_url),
                callback_times=callback_times)
        for network in networks
    )
    if owner is not None:
        return Line(_published_flow(session, owner, "standard"), contents[0], owner)
    city = ivr.CityContent(networks=contents, callback_times=callback_times)
    return Line(_published_flow(session, None, "citywide"), city, None)


def load_network_line(session: Session, network_id: int, *, audio_url: AudioUrl,
                      callback_times: ivr.CallbackTimes | None = None) -> Line:
    """Load one network's line as a caller of its first number hears it (for the admin's preview)."""
    network = _load_networks(session, network_id)[0]
    called = network.phone_numbers[0].e164 if network.phone_numbers else ""
    content = replace(_network_content(network, called, _prompt_overrides(session, [network_id]).get(network_id, ()),
                                       audio_url), callback_times=callback_times or ivr.CallbackTimes())
    return Line(_published_flow(session, network_id, "standard"), content, network_id)


def topic_text(line: Line, state: CallState) -> str:
    """The German topic of a callback request for the call in `state` (as the engine words it)."""
    network = line.content if isinstance(line.content, ivr.NetworkContent) else line.content.network(
        state.network_id)
    speaker = Speaker(network.prompt_overrides, {}) if network else Speaker({}, {})
    if state.activity_id is not None and network is not None:
        for activity in network.activities:
            if activity.id == state.activity_id:
                return speaker.text("topic_activity", title=activity.title)
    return speaker.text(state.topic or "topic_message")


def _load_networks(session: Session, network_id: int | None) -> list[Network]:
    query = select(Network).options(
        selectinload(Network.phone_numbers),
        selectinload(Network.office_hours),
        selectinload(Network.closure_days),
        selectinload(Network.activities),
        selectinload(Network.newcomer_info),
    )
    # The city-wide line (network_id None) routes to active networks only.
    query = query.where(Network.id == network_id) if network_id is not None else query.where(Network.active)
    return list(session.scalars(query.order_by(Network.name)))


def _prompt_overrides(session: Session, network_ids: list[int]) -> dict[int, list[PromptOverride]]:
    found: dict[int, list[PromptOverride]] = defaultdict(list)
    for override in session.scalars(select(PromptOverride).where(PromptOverride.network_id.in_(network_ids))):
        found[override.network_id].append(override)
    return found


def _published_flow(session: Session, network_id: int | None, fallback: str) -> Flow:
    """The newest published flow version of a network (None: of the city-wide line), else a shipped one."""
    owner = FlowVersion.network_id == network_id if network_id is not None else FlowVersion.network_id.is_(None)
    version = session.scalar(
        select(FlowVersion).where(owner, FlowVersion.published).order_by(FlowVersion.version.desc()).limit(1)
    )
    if version is None:
        return _builtin(fallback)
    try:
        return load_flow_from_mapping(version.definition, f"flow_version {version.id}")
    except FlowError:
        # Publishing validates too; a broken stored version must still leave a working line.
        logger.exception("published flow version %s is invalid; using the shipped %s flow", version.id, fallback)
        return _builtin(fallback)


def _network_content(network: Network, called: str, overrides: Iterable[PromptOverride],
                     audio_url: AudioUrl) -> ivr.NetworkContent:
    numbers = [number.e164 for number in network.phone_numbers]
    # Twilio only shows numbers of our account as caller ID: the one dialled, else the network's own.
    caller_id = called if called in numbers or not numbers else numbers[0]
    newcomer = network.newcomer_info
    overrides = list(overrides)
    known = stadtteile()
    return ivr.NetworkContent(
        network_id=network.id,
        # Spoken after "Anlaufstelle": "... der Anlaufstelle Bilk", not "Netzwerk Bilk".
        name=network.district,
        address=network.address,
        greeting=network.greeting or None,
        activities=tuple(_activity(activity, audio_url) for activity in network.activities),
        newcomer_paragraphs=paragraphs(newcomer.text) if newcomer else (),
        welcome_meeting=(newcomer.welcome_meeting or None) if newcomer else None,
        welcome_meeting_schedule=newcomer.welcome_schedule if newcomer else None,
        office_hours=_office_hours(network),
        forwarding_number=network.forwarding_number,
        caller_id=caller_id,
        # Click-to-call rings the caller from the network's first number (hotline.twilio.calls).
        line_number=numbers[0] if numbers else None,
        prompt_overrides={o.key: o.text for o in overrides if o.text},
        prompt_audio={o.key: audio_url(o.audio_path) for o in overrides if o.audio_path},
        postal_codes=frozenset(network.postal_codes),
        stadtteile=tuple(ivr.Stadtteil(name, known[name]) for name in network.stadtteile if name in known),
        active=network.active,
    )


def _activity(activity: Activity, audio_url: AudioUrl) -> ivr.Activity:
    return activity_on_line(activity, activity.id, activity.updated_at.astimezone(BERLIN).date(),
                            audio_url(activity.audio_path) if activity.audio_path else None)


def activity_on_line(fields: ActivityFields, activity_id: int, updated_on: date,
                     audio_url: str | None) -> ivr.Activity:
    """An activity (live or a draft of one) as the line reads it."""
    # Only the rule is kept: the line computes the next date at each call, so a cached line never goes stale.
    recurrence = fields.recurrence
    return ivr.Activity(
        id=activity_id,
        title=fields.title,
        description=fields.description,
        starts_at=fields.starts_at,
        place=fields.place,
        valid_from=fields.valid_from,
        valid_until=fields.valid_until,
        updated_on=updated_on,
        audio_url=audio_url,
        frequency=recurrence.frequency,
        until=recurrence.until,
        cancelled=recurrence.cancelled,
        contact=fields.contact,
    )


def _office_hours(network: Network) -> ivr.OfficeHours:
    weekly: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for hours in network.office_hours:
        weekly[hours.weekday].append((hours.opens, hours.closes))
    return ivr.OfficeHours(
        weekly={day: tuple(ranges) for day, ranges in weekly.items()},
        closures={closure.day: closure.reason for closure in network.closure_days},
    )


def paragraphs(text: str) -> tuple[str, ...]:
    """The paragraphs of a text (an empty line starts one), as the line reads them."""
    return tuple(part.strip() for part in _PARAGRAPH_BREAK.split(text) if part.strip())
