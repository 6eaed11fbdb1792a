"""The main menu of a network's line: the options offered, their order and words, checked by the engine's loader.

The Begleitung chooses which of the standard options the main menu offers, in which order, and
their label texts. Like all content it is edited as a draft and published through services.drafts
(kind "menu", snapshot: the offered label keys in order and the label texts that differ from the
standard). Publishing adds the newest published FlowVersion, which the phone line uses; published
FlowVersions are never changed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.models import FlowVersion, Network
from hotline.services import prompts
from hotline.services.line_content import Line
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


def newest_published(session: Session, network_id: int) -> FlowVersion | None:
    """The network's menu as the phone line uses it (None: the standard menu)."""
    return session.scalar(select(FlowVersion).where(FlowVersion.network_id == network_id, FlowVersion.published)
                          .order_by(FlowVersion.version.desc()).limit(1))


def _offered(definition: dict[str, Any]) -> list[str]:
    return [option["label"] for option in definition["nodes"][definition["flow"]["main_menu"]]["options"]]


def _own_labels(labels: dict[str, str]) -> dict[str, str]:
    return {key: text for key, text in labels.items() if text != PROMPTS[key]}


def live_snapshot(session: Session, network: Network) -> dict[str, Any]:
    """The published menu as a snapshot: offered label keys in order, label texts other than the standard."""
    version = newest_published(session, network.id)
    if version is None:
        return {"options": list(standard_options()), "labels": {}}
    return {"options": _offered(version.definition), "labels": _own_labels(version.label_texts)}


def choices_of(snapshot: dict[str, Any]) -> list[MenuChoice]:
    """The form's rows for a menu snapshot: every standard option, offered ones first in their order."""
    options: list[str] = list(standard_options())
    offered = list(snapshot["options"])
    order = offered + [key for key in options if key not in offered]
    return [MenuChoice(key, key in offered, order.index(key) + 1, snapshot["labels"].get(key) or PROMPTS[key])
            for key in options]


def label_texts(snapshot: dict[str, Any]) -> dict[str, str]:
    """What the menu of a snapshot says for each offered option."""
    return {key: snapshot["labels"].get(key) or PROMPTS[key] for key in snapshot["options"]}


def definition_of(snapshot: dict[str, Any], version: int) -> dict[str, Any]:
    """The flow of a menu snapshot, numbered `version`."""
    return build_definition(choices_of(snapshot), version)


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


def menu_snapshot(choices: Sequence[MenuChoice]) -> dict[str, Any]:
    """Check the chosen menu (also with the engine's loader) and return it as a draft's snapshot."""
    problems = check_choices(choices)
    if problems:
        raise MenuError([text for texts in problems.values() for text in texts])
    chosen = sorted((c for c in choices if c.offered), key=lambda c: c.position)
    snapshot = {"options": [c.label_key for c in chosen],
                "labels": _own_labels({c.label_key: " ".join(c.label_text.split()) for c in chosen})}
    _validated(definition_of(snapshot, 1), "Entwurf")
    return snapshot


def publish_menu(session: Session, network: Network, snapshot: dict[str, Any], *, actor_id: int,
                 now: datetime) -> FlowVersion:
    """Add the snapshot's menu as the newest published version and use its label texts."""
    newest = session.scalar(select(func.max(FlowVersion.version)).where(FlowVersion.network_id == network.id))
    number = (newest or 0) + 1
    definition = definition_of(snapshot, number)
    _validated(definition, "Entwurf")
    version = FlowVersion(network_id=network.id, version=number, definition=definition,
                          label_texts=label_texts(snapshot), published=True, published_at=now, author_id=actor_id)
    session.add(version)
    for key, text in version.label_texts.items():
        prompts.set_text(session, network, key, text)
    session.flush()
    logger.info("network %s published menu version %s", network.id, number)
    return version


def with_menu(line: Line, snapshot: dict[str, Any]) -> Line:
    """The line with the snapshot's menu and label texts instead of the published ones."""
    content = cast(NetworkContent, line.content)
    kept = {key: text for key, text in content.prompt_overrides.items() if key not in prompts.MENU_LABEL_KEYS}
    content = replace(content, prompt_overrides={**kept, **snapshot["labels"]})
    return Line(load_flow_from_mapping(definition_of(snapshot, 1), "Entwurf"), content, line.network_id)


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
