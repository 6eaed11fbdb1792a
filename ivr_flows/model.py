"""A flow is data: a versioned set of nodes the engine walks through."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

REF, PROMPT, OPTIONS, SOURCE = "ref", "prompt", "options", "source"

# kind -> field -> (field type, required)
NODE_KINDS: Mapping[str, Mapping[str, tuple[str, bool]]] = {
    "greeting": {"next": (REF, True), "prompt": (PROMPT, False)},
    "menu": {"options": (OPTIONS, True), "intro": (PROMPT, False), "topic": (PROMPT, False)},
    "activities": {},
    "info": {"source": (SOURCE, True), "offer": (REF, True), "topic": (PROMPT, True)},
    "message": {"next": (REF, True), "decline": (REF, True), "topic": (PROMPT, False)},
    "callback": {"next": (REF, True), "topic": (PROMPT, False)},
    "confirm_number": {"next": (REF, True)},
    "forward": {"next": (REF, True), "no_answer": (REF, True)},
    "office_hours": {"open": (REF, True), "closed": (REF, True)},
    "citywide": {"next": (REF, True)},
    "goodbye": {},
}

# (kind, field) -> node kinds the reference may point to; the engine relies on these.
TARGET_KINDS: Mapping[tuple[str, str], frozenset[str]] = {
    ("message", "next"): frozenset({"confirm_number"}),
    ("message", "decline"): frozenset({"callback"}),
    ("callback", "next"): frozenset({"confirm_number"}),
    ("confirm_number", "next"): frozenset({"goodbye"}),
    ("forward", "next"): frozenset({"goodbye"}),
    ("info", "offer"): frozenset({"callback"}),
    ("citywide", "next"): frozenset({"greeting", "menu"}),
}
# Only these may lead to a goodbye: after a request was taken, a talk ended, or the caller chose to end.
GOODBYE_FROM = frozenset({("confirm_number", "next"), ("forward", "next"), ("menu", "options")})

# Nodes that continue at once without waiting for the caller.
AUTOMATIC_KINDS = frozenset({"greeting", "office_hours", "callback"})
# Nodes that wait for keys, where 0 means callback.
GATHER_KINDS = frozenset({"menu", "activities", "info", "message", "citywide"})
INFO_SOURCES = frozenset({"newcomers"})
RESERVED_KEYS = frozenset({"0", "*", "9", "#"})
MAX_OPTIONS = 4


@dataclass(frozen=True)
class Option:
    """One content option of a menu: its key, the prompt key of its label and the target node."""

    key: str
    label: str
    next: str


@dataclass(frozen=True)
class Node:
    """One step of a flow; which fields are used depends on `kind` (see NODE_KINDS)."""

    id: str
    kind: str
    next: str | None = None
    options: tuple[Option, ...] = ()
    prompt: str | None = None
    intro: str | None = None
    topic: str | None = None
    source: str | None = None
    offer: str | None = None
    decline: str | None = None
    no_answer: str | None = None
    open: str | None = None
    closed: str | None = None

    def targets(self) -> list[tuple[str, str]]:
        """Return (field, node id) for every node this node can lead to explicitly."""
        refs = [(f"options[{i}].next", o.next) for i, o in enumerate(self.options)]
        for name, (ftype, _) in NODE_KINDS.get(self.kind, {}).items():
            value = getattr(self, name)
            if ftype == REF and value is not None:
                refs.append((name, value))
        return refs

    def to_mapping(self) -> dict[str, Any]:
        """Return the node as a plain dict, as stored in a definition."""
        data: dict[str, Any] = {"kind": self.kind}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("id", "kind") or value in (None, ()):
                continue
            if f.name == "options":
                value = [{"key": o.key, "label": o.label, "next": o.next} for o in value]
            data[f.name] = value
        return data


@dataclass(frozen=True)
class Flow:
    """A validated flow definition: name, version, the special nodes and all nodes by id."""

    name: str
    version: int
    start: str
    main_menu: str
    callback: str
    nodes: Mapping[str, Node]

    def to_mapping(self) -> dict[str, Any]:
        """Return the flow as plain dicts and lists (JSON-ready), loadable by load_flow_from_mapping."""
        head = {"name": self.name, "version": self.version, "start": self.start,
                "main_menu": self.main_menu, "callback": self.callback}
        return {"flow": head, "nodes": {nid: node.to_mapping() for nid, node in self.nodes.items()}}
