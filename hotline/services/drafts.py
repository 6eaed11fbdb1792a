"""Drafts, publishing, history and restoring for every kind of a network's line content.

An edit in the admin makes a draft: a snapshot of that kind of content (the greeting, the
newcomer text, the hours and closure days, the prompt texts and recordings, the menu) kept in `content_version`.
The live tables keep holding what is published, so the phone line reads them as before and a
draft never reaches a caller. The Testanruf lays the drafts over the line. Publishing writes the snapshot to
the live tables (which bumps the content revision: the next call hears it) and keeps it as a
numbered version with author and time. Restoring publishes an old version's snapshot again as a
new version. The menu's live table is flow_version, where publishing adds a version (services.flows).
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import PurePosixPath
from typing import Any, cast

from sqlalchemy import delete, func, literal, select, union
from sqlalchemy.orm import Session

from hotline.models import Activity, ActivityDraft, ClosureDay, ContentVersion, Network, NewcomerInfo, OfficeHours
from hotline.models.network import ActivityFields
from hotline.services import audit, content, flows, prompts
from hotline.services.line_content import AudioUrl, Line, activity_on_line, load_network_line, paragraphs
from hotline.services.queue import in_networks
from ivr_flows import content as ivr
from ivr_flows.prompts import PROMPTS
from ivr_flows.recurrence import Frequency, Recurrence
from ivr_flows.schedule import BERLIN

logger = logging.getLogger(__name__)

Snapshot = dict[str, Any]
FREQUENCY_WORDS = {Frequency.ONCE: "einmal", Frequency.WEEKLY: "jede Woche", Frequency.BIWEEKLY: "alle zwei Wochen",
                   Frequency.MONTHLY_WEEKDAY: "jeden Monat am selben Wochentag",
                   Frequency.MONTHLY_DATE: "jeden Monat am selben Datum"}
# Activity drafts the Testanruf plays: the Begleitung's own and the proposals waiting for her.
PREVIEWED_STATES = ("draft", "proposed")
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


# --- greeting ---------------------------------------------------------------------------------

def _greeting_live(_session: Session, network: Network) -> Snapshot:
    return {"greeting": network.greeting or ""}


def _greeting_apply(_session: Session, network: Network, snapshot: Snapshot, _actor_id: int, _now: datetime) -> None:
    network.greeting = snapshot["greeting"] or None


def _greeting_overlay(line: ivr.NetworkContent, snapshot: Snapshot, _audio_url: AudioUrl) -> ivr.NetworkContent:
    return replace(line, greeting=snapshot["greeting"] or None)


def _greeting_wording(snapshot: Snapshot) -> list[str]:
    return [snapshot["greeting"] or "(die Standardbegrüßung)"]


# --- newcomer text ----------------------------------------------------------------------------

def _newcomer_live(_session: Session, network: Network) -> Snapshot:
    info = network.newcomer_info
    if info is None:
        return {"text": "", "welcome_meeting": "", "welcome": None}
    schedule = info.welcome_schedule
    return {"text": info.text, "welcome_meeting": info.welcome_meeting,
            "welcome": content.recurrence_snapshot(schedule) if schedule else None}


def welcome_schedule(snapshot: Snapshot) -> Recurrence | None:
    """When the welcome meeting of a newcomer snapshot takes place (None: no date entered)."""
    return content.recurrence_of(snapshot["welcome"]) if snapshot["welcome"] else None


def _newcomer_apply(_session: Session, network: Network, snapshot: Snapshot, _actor_id: int,
                    _now: datetime) -> None:
    if network.newcomer_info is None:
        network.newcomer_info = NewcomerInfo(network_id=network.id, text="")
    info, schedule = network.newcomer_info, welcome_schedule(snapshot)
    info.text, info.welcome_meeting = snapshot["text"], snapshot["welcome_meeting"]
    info.welcome_starts_at = schedule.first if schedule else None
    info.welcome_frequency = (schedule.frequency if schedule else Frequency.ONCE).value
    info.welcome_until = schedule.until if schedule else None
    info.welcome_cancelled = sorted(day.isoformat() for day in schedule.cancelled) if schedule else []


def _newcomer_overlay(line: ivr.NetworkContent, snapshot: Snapshot, _audio_url: AudioUrl) -> ivr.NetworkContent:
    return replace(line, newcomer_paragraphs=paragraphs(snapshot["text"]),
                   welcome_meeting=snapshot["welcome_meeting"] or None,
                   welcome_meeting_schedule=welcome_schedule(snapshot))


def _newcomer_wording(snapshot: Snapshot) -> list[str]:
    lines = list(paragraphs(snapshot["text"])) or ["(der Standardtext)"]
    schedule = welcome_schedule(snapshot)
    if schedule is not None:
        lines.append(f"Begrüßungstreffen: {_when_in_words(schedule)}")
    return lines + [f"Hinweis zum Begrüßungstreffen: {snapshot['welcome_meeting'] or '(keiner)'}"]


def _when_in_words(schedule: Recurrence) -> str:
    first = schedule.first.astimezone(BERLIN)
    words = f"ab {first:%d.%m.%Y, %H:%M} Uhr, {FREQUENCY_WORDS[schedule.frequency]}"
    if schedule.frequency is Frequency.ONCE:
        words = f"am {first:%d.%m.%Y, %H:%M} Uhr"
    if schedule.until:
        words += f", bis {schedule.until:%d.%m.%Y}"
    cancelled = ", ".join(f"{day:%d.%m.%Y}" for day in sorted(schedule.cancelled))
    return words + (f", fällt aus am {cancelled}" if cancelled else "")


# --- office hours and closure days ------------------------------------------------------------

def _hours_live(_session: Session, network: Network) -> Snapshot:
    return hours_snapshot(
        [(hours.weekday, hours.opens, hours.closes) for hours in network.office_hours],
        [(closure.day, closure.reason) for closure in network.closure_days])


def hours_snapshot(weekly: Collection[tuple[int, time, time]], closures: Collection[tuple[date, str]]
                   ) -> Snapshot:
    """Office hours and closure days as a snapshot, sorted so that equal content compares equal."""
    return {"weekly": [{"weekday": day, "opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M")}
                       for day, opens, closes in sorted(weekly)],
            "closures": [{"day": day.isoformat(), "reason": reason} for day, reason in sorted(closures)]}


def weekly_of(snapshot: Snapshot) -> list[tuple[int, time, time]]:
    """The weekly opening intervals of an hours snapshot."""
    return [(row["weekday"], time.fromisoformat(row["opens"]), time.fromisoformat(row["closes"]))
            for row in snapshot["weekly"]]


def closures_of(snapshot: Snapshot) -> list[tuple[date, str]]:
    """The closure days of an hours snapshot."""
    return [(date.fromisoformat(row["day"]), row["reason"]) for row in snapshot["closures"]]


def _hours_apply(session: Session, network: Network, snapshot: Snapshot, _actor_id: int,
                 _now: datetime) -> None:
    session.execute(delete(OfficeHours).where(OfficeHours.network_id == network.id))
    session.execute(delete(ClosureDay).where(ClosureDay.network_id == network.id))
    session.add_all(OfficeHours(network_id=network.id, weekday=day, opens=opens, closes=closes)
                    for day, opens, closes in weekly_of(snapshot))
    session.add_all(ClosureDay(network_id=network.id, day=day, reason=reason)
                    for day, reason in closures_of(snapshot))
    session.flush()
    session.refresh(network, ["office_hours", "closure_days"])


def _hours_overlay(line: ivr.NetworkContent, snapshot: Snapshot, _audio_url: AudioUrl) -> ivr.NetworkContent:
    weekly: dict[int, list[tuple[time, time]]] = {}
    for day, opens, closes in weekly_of(snapshot):
        weekly.setdefault(day, []).append((opens, closes))
    return replace(line, office_hours=ivr.OfficeHours(
        weekly={day: tuple(ranges) for day, ranges in weekly.items()},
        closures=dict(closures_of(snapshot))))


def _hours_wording(snapshot: Snapshot) -> list[str]:
    lines = [f"{WEEKDAYS[day]} {opens:%H:%M} bis {closes:%H:%M} Uhr" for day, opens, closes in weekly_of(snapshot)]
    lines += [f"Geschlossen am {day:%d.%m.%Y}" + (f" ({reason})" if reason else "")
              for day, reason in closures_of(snapshot)]
    return lines or ["(keine Öffnungszeiten, keine Schließtage)"]


# --- prompt texts and recordings -------------------------------------------------------------

def _prompts_live(session: Session, network: Network) -> Snapshot:
    own = sorted(prompts.overrides_of(session, network).items())
    return {"texts": {key: row.text for key, row in own if row.text and key in prompts.TEXT_KEYS},
            "audio": {key: row.audio_path for key, row in own if row.audio_path}}


def _prompts_apply(session: Session, network: Network, snapshot: Snapshot, _actor_id: int,
                   _now: datetime) -> None:
    live = _prompts_live(session, network)
    for key in sorted(set(live["texts"]) | set(snapshot["texts"])):
        if live["texts"].get(key) != snapshot["texts"].get(key):
            prompts.set_text(session, network, key, snapshot["texts"].get(key, ""))
    for key in sorted(set(live["audio"]) | set(snapshot["audio"])):
        if live["audio"].get(key) != snapshot["audio"].get(key):
            prompts.set_audio(session, network, key, snapshot["audio"].get(key))


def _prompts_overlay(line: ivr.NetworkContent, snapshot: Snapshot, audio_url: AudioUrl) -> ivr.NetworkContent:
    kept = {key: text for key, text in line.prompt_overrides.items() if key not in prompts.TEXT_KEYS}
    return replace(line, prompt_overrides={**kept, **snapshot["texts"]},
                   prompt_audio={key: audio_url(path) for key, path in snapshot["audio"].items()})


def _prompts_wording(snapshot: Snapshot) -> list[str]:
    texts, audio = snapshot["texts"], snapshot["audio"]
    # A recording is named by the start of its stored name: a new upload reads as a change.
    return [f"{prompts.situation_of(key)}: {texts.get(key, PROMPTS[key])}"
            + (f" (eigene Aufnahme {PurePosixPath(audio[key]).stem[:8]})" if key in audio else "")
            for key in prompts.NETWORK_KEYS if key in prompts.TEXT_KEYS or key in audio]


# --- activities -----------------------------------------------------------------------------
# Activities wait one by one (services.activity_drafts keeps them as rows, each published alone);
# a version here is the whole list as published at that moment, for the history and restoring.

def _activity_item(activity: ActivityFields, activity_id: int, updated_on: date, audio_path: str | None) -> Snapshot:
    return {"id": activity_id, "title": activity.title, "description": activity.description,
            "when": content.recurrence_snapshot(activity.recurrence), "place": activity.place,
            "valid_from": activity.valid_from.isoformat(),
            "valid_until": activity.valid_until.isoformat() if activity.valid_until else None,
            "contact": activity.contact, "audio_path": audio_path, "updated_on": updated_on.isoformat()}


def activities_snapshot(_session: Session, network: Network) -> Snapshot:
    """The network's live activities as a snapshot."""
    return {"activities": [_activity_item(activity, activity.id, activity.updated_at.astimezone(BERLIN).date(),
                                          activity.audio_path)
                           for activity in sorted(network.activities, key=lambda activity: activity.id)]}


def _unsaved_activity(item: Snapshot) -> Activity:
    """An activity with the fields of a snapshot's item, never added to a session."""
    rule = content.recurrence_of(item["when"])
    return Activity(title=item["title"], description=item["description"], starts_at=rule.first,
                    frequency=rule.frequency.value, repeat_until=rule.until,
                    cancelled_dates=sorted(day.isoformat() for day in rule.cancelled), place=item["place"],
                    valid_from=date.fromisoformat(item["valid_from"]),
                    valid_until=date.fromisoformat(item["valid_until"]) if item["valid_until"] else None,
                    contact=item["contact"], audio_path=item["audio_path"])


def _activities_apply(session: Session, network: Network, snapshot: Snapshot, actor_id: int, now: datetime) -> None:
    """Make the live activities those of the snapshot: keep, change, bring back or delete each."""
    live = {activity.id: activity for activity in network.activities}
    wanted = {item["id"] for item in snapshot["activities"]}
    for activity_id, gone in live.items():
        if activity_id not in wanted:
            # Its recording stays on disk: an older version may bring the activity back.
            session.delete(gone)
    for item in snapshot["activities"]:
        restored = _unsaved_activity(item)
        activity = live.get(item["id"])
        if activity is not None and _described(activity) == _described(restored):
            continue
        if activity is None:
            activity = Activity(network_id=network.id, entered_by_id=actor_id)
            session.add(activity)
        content.store_activity(activity, content.activity_data_of(restored))
        activity.audio_path = restored.audio_path
        activity.published_by_id, activity.published_at = actor_id, now
    session.flush()
    session.refresh(network, ["activities"])


def _described(activity: Activity) -> Snapshot:
    """What an activity says, without its id and date of change."""
    return _activity_item(activity, 0, date.min, activity.audio_path)


def _activities_overlay(line: ivr.NetworkContent, snapshot: Snapshot, audio_url: AudioUrl) -> ivr.NetworkContent:
    return replace(line, activities=tuple(
        activity_on_line(_unsaved_activity(item), item["id"], date.fromisoformat(item["updated_on"]),
                         audio_url(item["audio_path"]) if item["audio_path"] else None)
        for item in snapshot["activities"]))


def _activities_wording(snapshot: Snapshot) -> list[str]:
    lines = []
    for item in snapshot["activities"]:
        words = [item["title"], _when_in_words(content.recurrence_of(item["when"])), item["place"]]
        words += [text for text in (item["description"], item["contact"] and f"Kontakt: {item['contact']}") if text]
        if item["audio_path"]:
            words.append(f"eigene Aufnahme {PurePosixPath(item['audio_path']).stem[:8]}")
        lines.append(" – ".join(words))
    return lines or ["(keine Angebote)"]


def with_activity_drafts(snapshot: Snapshot, pending: Collection[ActivityDraft]) -> Snapshot:
    """The activities as they will be once the pending drafts are published (new ones get negative ids)."""
    items = {item["id"]: item for item in snapshot["activities"]}
    for draft in pending:
        if draft.activity_id is not None and draft.activity_id in items:
            kept = items[draft.activity_id]
            items[draft.activity_id] = _activity_item(draft, draft.activity_id,
                                                      draft.updated_at.astimezone(BERLIN).date(), kept["audio_path"])
        else:
            items[-draft.id] = _activity_item(draft, -draft.id, draft.updated_at.astimezone(BERLIN).date(), None)
    return {"activities": list(items.values())}


@contextmanager
def activities_versioned(session: Session, network: Network, *, author_id: int | None, actor_id: int,
                         now: datetime) -> Iterator[None]:
    """Keep the network's live activities as a new published version once the block has changed them.

    The list as it was before the block is kept as the first version if there is none yet.
    """
    before = activities_snapshot(session, network)
    yield
    session.flush()
    if _next_number(session, network.id, "activities") == 1:
        session.add(ContentVersion(network_id=network.id, kind="activities", number=1, state="published",
                                   snapshot=before, published_at=now))
        session.flush()
    session.refresh(network, ["activities"])
    version = ContentVersion(network_id=network.id, kind="activities", state="published",
                             number=_next_number(session, network.id, "activities"),
                             snapshot=activities_snapshot(session, network), author_id=author_id,
                             published_by_id=actor_id, published_at=now)
    session.add(version)
    session.flush()


# --- the main menu ---------------------------------------------------------------------------

def _menu_apply(session: Session, network: Network, snapshot: Snapshot, actor_id: int, now: datetime) -> None:
    flows.publish_menu(session, network, snapshot, actor_id=actor_id, now=now)


def _menu_wording(snapshot: Snapshot) -> list[str]:
    return [f"Taste {index}: {text}" for index, text in enumerate(flows.label_texts(snapshot).values(), start=1)]


Overlay = Callable[[Line, Snapshot, AudioUrl], Line]


def _on_content(overlay: Callable[[ivr.NetworkContent, Snapshot, AudioUrl], ivr.NetworkContent]) -> Overlay:
    return lambda line, snapshot, audio_url: replace(
        line, content=overlay(cast(ivr.NetworkContent, line.content), snapshot, audio_url))


def _menu_overlay(line: Line, snapshot: Snapshot, _audio_url: AudioUrl) -> Line:
    return flows.with_menu(line, snapshot)


@dataclass(frozen=True)
class Kind:
    """One kind of content: how to read it from the live tables, write it there, lay it over a line, word it."""

    name: str
    title: str
    live: Callable[[Session, Network], Snapshot]
    apply: Callable[[Session, Network, Snapshot, int, datetime], None]
    overlay: Overlay
    wording: Callable[[Snapshot], list[str]]


KINDS = {kind.name: kind for kind in (
    Kind("greeting", "Begrüßung", _greeting_live, _greeting_apply, _on_content(_greeting_overlay), _greeting_wording),
    Kind("newcomer", "Neu hier", _newcomer_live, _newcomer_apply, _on_content(_newcomer_overlay), _newcomer_wording),
    Kind("hours", "Zeiten", _hours_live, _hours_apply, _on_content(_hours_overlay), _hours_wording),
    Kind("prompts", "Ansagen & Aufnahmen", _prompts_live, _prompts_apply, _on_content(_prompts_overlay),
         _prompts_wording),
    Kind("menu", "Menü", flows.live_snapshot, _menu_apply, _menu_overlay, _menu_wording),
    Kind("activities", "Angebote", activities_snapshot, _activities_apply, _on_content(_activities_overlay),
         _activities_wording),
)}


# --- the mechanism ----------------------------------------------------------------------------

def draft_of(session: Session, network_id: int, kind: str) -> ContentVersion | None:
    """The network's unpublished draft of `kind`, if any."""
    return session.scalar(select(ContentVersion).where(
        ContentVersion.network_id == network_id, ContentVersion.kind == kind, ContentVersion.state == "draft"))


def drafts_of(session: Session, network_ids: Collection[int] | None) -> list[ContentVersion]:
    """The unpublished drafts of the networks (None: of all), by network and kind."""
    return list(session.scalars(
        select(ContentVersion).where(ContentVersion.state == "draft", in_networks(ContentVersion.network_id,
                                                                                  network_ids))
        .order_by(ContentVersion.network_id, ContentVersion.kind)))


def working_copy(session: Session, network: Network, kind: str) -> Snapshot:
    """What the form edits: the draft of `kind`, else the published content."""
    draft = draft_of(session, network.id, kind)
    return draft.snapshot if draft is not None else KINDS[kind].live(session, network)


def save_draft(session: Session, network: Network, kind: str, snapshot: Snapshot, *,
               actor_id: int) -> ContentVersion | None:
    """Keep `snapshot` as the draft of `kind`; None when it equals the published content (no draft then)."""
    draft = draft_of(session, network.id, kind)
    if snapshot == KINDS[kind].live(session, network):
        if draft is not None:
            session.delete(draft)
            session.flush()
        return None
    if draft is None:
        draft = ContentVersion(network_id=network.id, kind=kind, state="draft")
        session.add(draft)
    draft.snapshot, draft.author_id = snapshot, actor_id
    session.flush()
    audit.record(session, "draft_saved", "content_version", draft.id, actor_id=actor_id,
                 network_id=network.id, kind=kind)
    return draft


def discard(session: Session, network: Network, kind: str, *, actor_id: int) -> bool:
    """Throw the draft of `kind` away; False when there is none."""
    draft = draft_of(session, network.id, kind)
    if draft is None:
        return False
    audit.record(session, "draft_discarded", "content_version", draft.id, actor_id=actor_id,
                 network_id=network.id, kind=kind)
    session.delete(draft)
    session.flush()
    return True


def _next_number(session: Session, network_id: int, kind: str) -> int:
    newest = session.scalar(select(func.max(ContentVersion.number)).where(
        ContentVersion.network_id == network_id, ContentVersion.kind == kind))
    return (newest or 0) + 1


def _keep_first_state(session: Session, network: Network, kind: str, now: datetime) -> None:
    """Before the first publishing of `kind`, keep the content as it was, so that it can be restored."""
    if _next_number(session, network.id, kind) == 1:
        session.add(ContentVersion(network_id=network.id, kind=kind, number=1, state="published",
                                   snapshot=KINDS[kind].live(session, network), published_at=now))
        session.flush()


def publish(session: Session, network: Network, kind: str, *, actor_id: int,
            now: datetime) -> ContentVersion | None:
    """Make the draft of `kind` live for the next call; None when there is no draft."""
    draft = draft_of(session, network.id, kind)
    if draft is None:
        return None
    _keep_first_state(session, network, kind, now)
    KINDS[kind].apply(session, network, draft.snapshot, actor_id, now)
    draft.number = _next_number(session, network.id, kind)
    draft.state, draft.published_by_id, draft.published_at = "published", actor_id, now
    session.flush()
    audit.record(session, "content_published", "content_version", draft.id, actor_id=actor_id,
                 network_id=network.id, kind=kind, number=draft.number)
    logger.info("network %s published %s version %s", network.id, kind, draft.number)
    return draft


def history(session: Session, network_id: int) -> list[ContentVersion]:
    """Every published version of the network's content, newest first."""
    return list(session.scalars(
        select(ContentVersion).where(ContentVersion.network_id == network_id, ContentVersion.state == "published")
        .order_by(ContentVersion.published_at.desc(), ContentVersion.number.desc(), ContentVersion.id.desc())))


def published_version(session: Session, network_id: int, version_id: int) -> ContentVersion | None:
    """One published version of the network's content, or None."""
    return session.scalar(select(ContentVersion).where(
        ContentVersion.id == version_id, ContentVersion.network_id == network_id,
        ContentVersion.state == "published"))


def previous_of(session: Session, version: ContentVersion) -> ContentVersion | None:
    """The version of the same kind published just before `version`."""
    assert version.number is not None  # published versions have a number
    return session.scalar(select(ContentVersion).where(
        ContentVersion.network_id == version.network_id, ContentVersion.kind == version.kind,
        ContentVersion.state == "published", ContentVersion.number < version.number)
        .order_by(ContentVersion.number.desc()).limit(1))


def restore(session: Session, network: Network, version_id: int, *, actor_id: int,
            now: datetime) -> ContentVersion | None:
    """Publish an old version's content again, as a new version; None when there is no such version."""
    old = published_version(session, network.id, version_id)
    if old is None:
        return None
    KINDS[old.kind].apply(session, network, old.snapshot, actor_id, now)
    # What is live now, not the old snapshot: an activity brought back has a new id, and a later
    # restore of this version must find it by that id rather than replace it with another copy.
    restored = ContentVersion(network_id=network.id, kind=old.kind, number=_next_number(session, network.id, old.kind),
                              state="published", snapshot=KINDS[old.kind].live(session, network), author_id=actor_id,
                              published_by_id=actor_id, published_at=now, restored_from=old.number)
    session.add(restored)
    session.flush()
    audit.record(session, "content_restored", "content_version", restored.id, actor_id=actor_id,
                 network_id=network.id, kind=old.kind, number=restored.number, restored_from=old.number)
    return restored


@dataclass(frozen=True)
class Change:
    """One line of wording in a comparison: "gleich", "entfernt" or "neu"."""

    how: str
    text: str


def compare(kind: str, before: Snapshot | None, after: Snapshot) -> list[Change]:
    """The wording of two snapshots of `kind`, line by line: what stayed, what went, what came."""
    wording = KINDS[kind].wording
    old, new = (wording(before) if before is not None else []), wording(after)
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            changes += [Change("gleich", text) for text in old[i1:i2]]
            continue
        changes += [Change("entfernt", text) for text in old[i1:i2]]
        changes += [Change("neu", text) for text in new[j1:j2]]
    return changes


def only_changed(changes: Sequence[Change]) -> list[Change]:
    """The lines that went or came (long wordings such as all prompt texts are shown this way)."""
    return [change for change in changes if change.how != "gleich"]


def preview_line(session: Session, network: Network, draft: bool, *, audio_url: AudioUrl,
                 callback_times: ivr.CallbackTimes | None = None) -> Line:
    """The line as callers hear it now, or as it will sound once all the network's drafts are published.

    `callback_times`: the hours the line promises callbacks in (from the settings; the defaults when None).
    """
    line = load_network_line(session, network.id, audio_url=audio_url, callback_times=callback_times)
    if not draft:
        return line
    for pending in drafts_of(session, [network.id]):
        line = KINDS[pending.kind].overlay(line, pending.snapshot, audio_url)
    activities = list(session.scalars(select(ActivityDraft).where(
        ActivityDraft.network_id == network.id, ActivityDraft.state.in_(PREVIEWED_STATES)).order_by(ActivityDraft.id)))
    if activities:
        line = KINDS["activities"].overlay(
            line, with_activity_drafts(activities_snapshot(session, network), activities), audio_url)
    return line


def waiting(session: Session, network_ids: Collection[int] | None, *,
            activity_states: Collection[str] = PREVIEWED_STATES) -> list[tuple[Network, str]]:
    """What of the networks (None: of all) waits to be published: (network, kind).

    Activities count with a draft or proposal in `activity_states`: by default those the Testanruf
    plays; the notices leave out proposals, which the start page lists with who made them.
    """
    drafted = select(ContentVersion.network_id, ContentVersion.kind).where(
        ContentVersion.state == "draft", in_networks(ContentVersion.network_id, network_ids))
    activities = select(ActivityDraft.network_id, literal("activities")).where(
        ActivityDraft.state.in_(activity_states), in_networks(ActivityDraft.network_id, network_ids))
    pending = union(drafted, activities).subquery()
    return [(network, kind) for network, kind in session.execute(
        select(Network, pending.c.kind).join(pending, pending.c.network_id == Network.id)
        .order_by(Network.name, pending.c.kind))]
