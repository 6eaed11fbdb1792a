"""Menu versions of a network's line: drafts checked by the engine's loader, publishing, restoring.

The Begleitung chooses which of the standard options the main menu offers, in which order, and
their label texts. A draft is one unpublished FlowVersion (at most one per network); publishing
makes it the newest published version, which the phone line uses. Published versions are never
changed: restoring copies an old one as a new, newest version.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.models import FlowVersion, Network
from hotline.services import audit, line_content, prompts
from hotline.services.line_content import AudioUrl, Line
from ivr_flows import FlowError, builtin_flow, load_flow_from_mapping
from ivr_flows.content import NetworkContent
from ivr_flows.model import GATHER_KINDS, MAX_OPTIONS, NODE_KINDS, REF
from ivr_flows.prompts import PROMPTS

logger = logging.getLogger(__name__)

BASE_FLOW = "standard"
LABEL_MAX = 100
# The words on the printed key card, by the option's label key.
SHORT_NAMES = {"label_activities": "Angebote", "label_newcomers": "Neu hier",
               "label_message": "Nachricht", "label_talk": "Gespräch"}
FIXED_KEYS = (("0", "Rückruf", "Jemand von uns ruft Sie zurück."),
              ("*", "Wiederholen", "Die Ansage noch einmal hören."),
              ("9", "Hauptmenü", "Zurück zur ersten Auswahl."))


class MenuError(ValueError):
    """A menu the line cannot use; `problems` are German sentences for the form."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(self.problems))


@dataclass(frozen=True)
class MenuChoice:
    """One standard option as the form shows it: offered or not, its position and label text."""

    label_key: str
    offered: bool
    position: int
    label_text: str


def standard_options() -> dict[str, str]:
    """The standard main-menu options: label key -> target node, most used first."""
    flow = builtin_flow(BASE_FLOW)
    return {option.label: option.next for option in flow.nodes[flow.main_menu].options}


def draft_of(session: Session, network_id: int) -> FlowVersion | None:
    """The network's unpublished draft, if any."""
    return session.scalar(select(FlowVersion).where(FlowVersion.network_id == network_id,
                                                    FlowVersion.published.is_(False)))


def published_versions(session: Session, network_id: int) -> list[FlowVersion]:
    """Every published version of the network's menu, newest first."""
    return list(session.scalars(
        select(FlowVersion).where(FlowVersion.network_id == network_id, FlowVersion.published)
        .order_by(FlowVersion.version.desc())))


def _next_version(session: Session, network_id: int) -> int:
    newest = session.scalar(select(func.max(FlowVersion.version)).where(FlowVersion.network_id == network_id))
    return (newest or 0) + 1


def current_choices(session: Session, network: Network) -> list[MenuChoice]:
    """The form's starting point: the draft, else the newest published menu, else the standard."""
    versions = published_versions(session, network.id)
    source = draft_of(session, network.id) or (versions[0] if versions else None)
    own = prompts.overrides_of(session, network)
    texts = {key: own[key].text for key in own if own[key].text}
    options: list[str] = list(standard_options())
    if source is not None:
        main = source.definition["nodes"][source.definition["flow"]["main_menu"]]
        offered = [option["label"] for option in main["options"]]
        texts.update(source.label_texts)
    else:
        offered = options
    order = offered + [key for key in options if key not in offered]
    return [MenuChoice(key, key in offered, order.index(key) + 1, texts.get(key) or PROMPTS[key])
            for key in options]


def build_definition(choices: Sequence[MenuChoice], version: int) -> dict[str, Any]:
    """The standard flow with the chosen options (keys 1..n); nodes no option leads to are dropped."""
    definition = builtin_flow(BASE_FLOW).to_mapping()
    targets = standard_options()
    chosen = sorted((c for c in choices if c.offered), key=lambda c: c.position)
    head = definition["flow"]
    head["version"] = version
    definition["nodes"][head["main_menu"]]["options"] = [
        {"key": str(index), "label": choice.label_key, "next": targets[choice.label_key]}
        for index, choice in enumerate(chosen, start=1)]
    reachable = _reachable(definition)
    definition["nodes"] = {nid: node for nid, node in definition["nodes"].items() if nid in reachable}
    return definition


def _reachable(definition: dict[str, Any]) -> set[str]:
    head, nodes = definition["flow"], definition["nodes"]
    seen: set[str] = set()
    todo = [head["start"], head["callback"]]
    while todo:
        node_id = todo.pop()
        if node_id in seen or node_id not in nodes:
            continue
        seen.add(node_id)
        node = nodes[node_id]
        todo += [node[name] for name, (ftype, _) in NODE_KINDS[node["kind"]].items()
                 if ftype == REF and name in node]
        todo += [option["next"] for option in node.get("options", ())]
        if node["kind"] in GATHER_KINDS:
            todo += [head["callback"], head["main_menu"]]
    return seen


def check_choices(choices: Sequence[MenuChoice]) -> dict[str, list[str]]:
    """German problems by label key ("" for the whole menu); empty when the choices are usable."""
    problems: dict[str, list[str]] = {}
    offered = [c for c in choices if c.offered]
    if not offered:
        problems.setdefault("", []).append("Bitte bieten Sie mindestens eine Auswahl an.")
    if len(offered) > MAX_OPTIONS:
        problems.setdefault("", []).append(f"Höchstens {MAX_OPTIONS} Auswahlmöglichkeiten sind erlaubt.")
    for choice in offered:
        if sum(other.position == choice.position for other in offered) > 1:
            problems.setdefault(choice.label_key, []).append(
                "Diese Stelle ist doppelt vergeben. Jede Auswahl braucht ihre eigene Stelle.")
        if not choice.label_text.strip():
            problems.setdefault(choice.label_key, []).append("Bitte geben Sie einen Text ein.")
        elif len(choice.label_text) > LABEL_MAX:
            problems.setdefault(choice.label_key, []).append(f"Höchstens {LABEL_MAX} Zeichen.")
        else:
            try:
                prompts.check_text(choice.label_key, choice.label_text)
            except prompts.PromptError as error:
                problems.setdefault(choice.label_key, []).append(str(error))
    return problems


def german_problems(error: FlowError) -> list[str]:
    """The loader's findings, told in German (one sentence per kind of problem)."""
    found: list[str] = []
    for problem in error.problems:
        if "at most" in problem:
            text = f"Höchstens {MAX_OPTIONS} Auswahlmöglichkeiten sind erlaubt."
        elif "non-empty list" in problem:
            text = "Bitte bieten Sie mindestens eine Auswahl an."
        elif "unreachable" in problem:
            text = "Ein Teil der Ansage wäre am Telefon nicht mehr erreichbar."
        elif "loop without exit" in problem:
            text = "Anrufende kämen aus einem Teil der Ansage nicht mehr heraus."
        else:
            text = "Das Menü passt nicht zu den Regeln der Telefonansage."
        if text not in found:
            found.append(text)
    return found


def _validated(definition: dict[str, Any], source: str) -> None:
    try:
        load_flow_from_mapping(definition, source)
    except FlowError as error:
        logger.info("menu refused by the loader: %d problems", len(error.problems))
        raise MenuError(german_problems(error)) from error


def save_draft(session: Session, network: Network, choices: Sequence[MenuChoice], *,
               actor_id: int) -> FlowVersion:
    """Check the menu with the engine's loader and keep it as the network's draft."""
    problems = check_choices(choices)
    if problems:
        raise MenuError([text for texts in problems.values() for text in texts])
    draft = draft_of(session, network.id)
    version = draft.version if draft is not None else _next_version(session, network.id)
    definition = build_definition(choices, version)
    _validated(definition, "Entwurf")
    if draft is None:
        draft = FlowVersion(network_id=network.id, version=version, published=False)
        session.add(draft)
    draft.definition = definition
    draft.label_texts = {c.label_key: " ".join(c.label_text.split()) for c in choices if c.offered}
    draft.author_id = actor_id
    session.flush()
    audit.record(session, "flow_draft_saved", "flow_version", draft.id, actor_id=actor_id,
                 network_id=network.id, version=draft.version)
    return draft


def publish_draft(session: Session, network: Network, *, actor_id: int, now: datetime) -> FlowVersion | None:
    """Make the draft the newest published version (None: there is no draft)."""
    draft = draft_of(session, network.id)
    if draft is None:
        return None
    _validated(draft.definition, f"flow_version {draft.id}")
    newest = session.scalar(select(func.max(FlowVersion.version)).where(FlowVersion.network_id == network.id))
    if newest is not None and draft.version < newest:
        # A version was restored after the draft was started: the draft comes after it.
        draft.version = newest + 1
        draft.definition = _numbered(draft.definition, draft.version)
    draft.published, draft.published_at, draft.author_id = True, now, actor_id
    _apply_labels(session, network, draft.label_texts)
    session.flush()
    audit.record(session, "flow_published", "flow_version", draft.id, actor_id=actor_id,
                 network_id=network.id, version=draft.version)
    logger.info("network %s published menu version %s", network.id, draft.version)
    return draft


def restore_version(session: Session, network: Network, version: int, *, actor_id: int,
                    now: datetime) -> FlowVersion | None:
    """Publish a copy of an old published version as the newest one (None: no such version)."""
    old = session.scalar(select(FlowVersion).where(
        FlowVersion.network_id == network.id, FlowVersion.version == version, FlowVersion.published))
    if old is None:
        return None
    number = _next_version(session, network.id)
    restored = FlowVersion(network_id=network.id, version=number, definition=_numbered(old.definition, number),
                           label_texts=dict(old.label_texts), published=True, published_at=now,
                           author_id=actor_id)
    session.add(restored)
    _apply_labels(session, network, restored.label_texts)
    session.flush()
    audit.record(session, "flow_restored", "flow_version", restored.id, actor_id=actor_id,
                 network_id=network.id, version=number, restored_from=version)
    return restored


def discard_draft(session: Session, network: Network, *, actor_id: int) -> bool:
    """Throw the draft away; False when there is none."""
    draft = draft_of(session, network.id)
    if draft is None:
        return False
    audit.record(session, "flow_draft_discarded", "flow_version", draft.id, actor_id=actor_id,
                 network_id=network.id)
    session.delete(draft)
    session.flush()
    return True


def _numbered(definition: dict[str, Any], version: int) -> dict[str, Any]:
    copied = copy.deepcopy(definition)
    copied["flow"]["version"] = version
    return copied


def _apply_labels(session: Session, network: Network, labels: dict[str, str]) -> None:
    for key, text in labels.items():
        prompts.set_text(session, network, key, text)


def preview_line(session: Session, network: Network, draft: bool, *, audio_url: AudioUrl) -> Line:
    """The line as a caller would hear it now, or with the draft published (same content)."""
    line = line_content.load_network_line(session, network.id, audio_url=audio_url)
    pending = draft_of(session, network.id) if draft else None
    if pending is None:
        return line
    labels = {key: text for key, text in pending.label_texts.items() if text != PROMPTS[key]}
    network_content = cast(NetworkContent, line.content)
    content = replace(network_content, prompt_overrides={**network_content.prompt_overrides, **labels})
    return Line(load_flow_from_mapping(pending.definition, "Entwurf"), content, network.id)


@dataclass(frozen=True)
class KeyCardEntry:
    """One line of the printed key card: "1 = Angebote" and the spoken label."""

    key: str
    name: str
    text: str


def key_card(line: Line) -> list[KeyCardEntry]:
    """The keys of the line's (published) main menu, then the keys that mean the same everywhere."""
    overrides = line.content.prompt_overrides
    main = line.flow.nodes[line.flow.main_menu]
    entries = []
    for option in main.options:
        text = overrides.get(option.label) or PROMPTS[option.label]
        entries.append(KeyCardEntry(option.key, SHORT_NAMES.get(option.label, text), text[:1].upper() + text[1:]))
    return entries + [KeyCardEntry(*fixed) for fixed in FIXED_KEYS]
