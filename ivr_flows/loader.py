"""Load flow definitions (TOML files or plain dicts) and reject every mistake with one clear error."""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ivr_flows.model import (
    AUTOMATIC_KINDS,
    GATHER_KINDS,
    GOODBYE_FROM,
    INFO_SOURCES,
    MAX_OPTIONS,
    NODE_KINDS,
    OPTIONS,
    PROMPT,
    RESERVED_KEYS,
    SOURCE,
    TARGET_KINDS,
    Flow,
    Node,
    Option,
)
from ivr_flows.prompts import PROMPTS

logger = logging.getLogger(__name__)

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
_HEAD_FIELDS = ("name", "version", "start", "main_menu", "callback")
_NODE_ID = re.compile(r"^[a-z][a-z0-9_]{0,31}$")

Report = Callable[[str | None, str | None, str], None]


class FlowError(ValueError):
    """A flow definition is invalid; the message lists every problem with file, node and field."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__(f"invalid flow definition {source}:\n" + "\n".join(f"  {p}" for p in problems))


def read_definition(path: str | Path) -> dict[str, Any]:
    """Read a TOML definition as a plain dict, merging in the file named by `flow.include`."""
    path = Path(path)
    data = _read_toml(path)
    head = data.get("flow")
    if isinstance(head, dict) and "include" in head:
        base = _read_toml(path.parent / f"{head['include']}.toml")
        own_head = {k: v for k, v in head.items() if k != "include"}
        data = {"flow": {**base.get("flow", {}), **own_head},
                "nodes": {**base.get("nodes", {}), **data.get("nodes", {})}}
    return data


def load_flow(path: str | Path) -> Flow:
    """Load and validate a flow from a TOML file."""
    return load_flow_from_mapping(read_definition(path), str(path))


def builtin_flow(name: str) -> Flow:
    """Load one of the shipped definitions, e.g. "standard" or "citywide"."""
    return load_flow(DEFINITIONS_DIR / f"{name}.toml")


def load_flow_from_mapping(data: Mapping[str, Any], source_name: str) -> Flow:
    """Validate a definition given as plain dicts (e.g. stored as JSON) and return the Flow."""
    problems: list[str] = []

    def report(node: str | None, field: str | None, message: str) -> None:
        where = "".join([f"node {node!r}" if node else "", ", " if node and field else "",
                         f"field {field!r}" if field else ""])
        problems.append(f"{source_name}: {where}: {message}" if where else f"{source_name}: {message}")

    head = _parse_head(data, report)
    nodes: dict[str, Node] = {}
    broken: set[str] = set()
    raw_nodes = data.get("nodes") if isinstance(data, Mapping) else None
    if not isinstance(raw_nodes, Mapping) or not raw_nodes:
        report(None, "nodes", "a flow needs a [nodes] table with at least one node")
    else:
        for node_id, raw in raw_nodes.items():
            node = _parse_node(str(node_id), raw, report)
            if node is None:
                broken.add(str(node_id))
            else:
                nodes[node.id] = node
    if all(isinstance(head.get(k), str) and head.get(k) for k in _HEAD_FIELDS if k != "version"):
        _check_graph(head, nodes, broken, report)
    if problems:
        raise FlowError(source_name, problems)
    flow = Flow(name=head["name"], version=head["version"], start=head["start"],
                main_menu=head["main_menu"], callback=head["callback"], nodes=nodes)
    logger.debug("loaded flow %s version %s from %s", flow.name, flow.version, source_name)
    return flow


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise FlowError(str(path), [f"{path}: cannot read file: {exc.strerror}"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise FlowError(str(path), [f"{path}: not valid TOML: {exc}"]) from exc


def _parse_head(data: Any, report: Report) -> dict[str, Any]:
    head = data.get("flow") if isinstance(data, Mapping) else None
    if not isinstance(head, Mapping):
        report(None, "flow", "a flow needs a [flow] table with " + ", ".join(_HEAD_FIELDS))
        return {}
    for key in data:
        if key not in ("flow", "nodes"):
            report(None, str(key), "unknown top-level table")
    for key in head:
        if key == "include":
            report(None, "flow.include", "includes must be resolved first (read_definition does it)")
        elif key not in _HEAD_FIELDS:
            report(None, f"flow.{key}", "unknown field")
    for key in _HEAD_FIELDS:
        value = head.get(key)
        if key == "version":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                report(None, "flow.version", "must be a whole number of at least 1")
        elif not isinstance(value, str) or not value:
            report(None, f"flow.{key}", "must be a non-empty text")
    return dict(head)


def _parse_node(node_id: str, raw: Any, report: Report) -> Node | None:
    if not _NODE_ID.match(node_id):
        report(node_id, None, "node ids are lower-case letters, digits and _ (at most 32)")
    if not isinstance(raw, Mapping):
        report(node_id, None, "a node must be a table")
        return None
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in NODE_KINDS:
        known = ", ".join(sorted(NODE_KINDS))
        report(node_id, "kind", f"unknown node kind {kind!r} (known: {known})")
        return None
    spec = NODE_KINDS[kind]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "kind":
            continue
        if key not in spec:
            report(node_id, str(key), f"unknown field for a {kind} node")
            continue
        ftype = spec[key][0]
        if ftype == OPTIONS:
            values[key] = _parse_options(node_id, value, report)
        elif not isinstance(value, str) or not value:
            report(node_id, key, "must be a non-empty text")
        elif ftype == PROMPT and value not in PROMPTS:
            report(node_id, key, f"unknown prompt key {value!r}")
        elif ftype == SOURCE and value not in INFO_SOURCES:
            report(node_id, key, f"unknown source {value!r} (known: {', '.join(sorted(INFO_SOURCES))})")
        else:
            values[key] = value
    for key, (_, required) in spec.items():
        if required and key not in raw:
            report(node_id, key, f"missing; a {kind} node needs it")
    return Node(id=node_id, kind=kind, **values)


def _parse_options(node_id: str, raw: Any, report: Report) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        report(node_id, "options", "must be a non-empty list of {key, label, next}")
        return ()
    options: list[Option] = []
    for i, item in enumerate(raw):
        field = f"options[{i}]"
        if not isinstance(item, Mapping) or set(item) != {"key", "label", "next"}:
            report(node_id, field, "must have exactly the fields key, label and next")
            continue
        key = str(item["key"])
        if key in RESERVED_KEYS:
            report(node_id, f"{field}.key", f"key {key!r} is reserved (0 * 9 #) and cannot be a content option")
        if item["label"] not in PROMPTS:
            report(node_id, f"{field}.label", f"unknown prompt key {item['label']!r}")
        if not isinstance(item["next"], str):
            report(node_id, f"{field}.next", "must be a node id")
        if any(o.key == key for o in options):
            report(node_id, f"{field}.key", f"duplicate key {key!r}")
        options.append(Option(key=key, label=str(item["label"]), next=str(item["next"])))
    if len(raw) > MAX_OPTIONS:
        report(node_id, "options", f"{len(raw)} content options; at most {MAX_OPTIONS} are allowed")
    keys = sorted(o.key for o in options)
    expected = [str(n) for n in range(1, len(options) + 1)]
    if keys != expected and not any(k in RESERVED_KEYS for k in keys) and len(set(keys)) == len(keys):
        report(node_id, "options", f"keys must be 1..{len(options)} without gaps, got {', '.join(keys)}")
    return tuple(options)


def _check_graph(head: Mapping[str, Any], nodes: Mapping[str, Node], broken: set[str],
                 report: Report) -> None:
    for key, kind in (("start", None), ("main_menu", "menu"), ("callback", "callback")):
        target = nodes.get(head[key])
        if target is None:
            if head[key] not in broken:
                report(None, f"flow.{key}", f"points to missing node {head[key]!r}")
        elif kind and target.kind != kind:
            report(None, f"flow.{key}", f"must point to a {kind} node, not a {target.kind} node")
        elif target.kind == "goodbye":
            report(None, f"flow.{key}", "a call cannot start with goodbye")
    for node in nodes.values():
        for field, target_id in node.targets():
            target = nodes.get(target_id)
            if target is None:
                if target_id not in broken:
                    report(node.id, field, f"points to missing node {target_id!r}")
                continue
            base_field = "options" if field.startswith("options") else field
            allowed = TARGET_KINDS.get((node.kind, base_field))
            if allowed and target.kind not in allowed:
                report(node.id, field, f"must point to a {' or '.join(sorted(allowed))} node, "
                                       f"not {target_id!r} ({target.kind})")
            elif target.kind == "goodbye" and (node.kind, base_field) not in GOODBYE_FROM:
                report(node.id, field, "goodbye may only follow a taken request or the caller's choice to end")
            if node.kind == "menu" and node.id != head["main_menu"] and target.kind == "menu" \
                    and target_id != head["main_menu"]:
                report(node.id, field, "more than 2 menu levels: a sub-menu may not lead to another sub-menu")
    refs = [head["start"], head["main_menu"], head["callback"]]
    refs += [target for node in nodes.values() for _, target in node.targets()]
    if all(ref in nodes for ref in refs):
        _check_reachability(head, nodes, report)


def _edges(head: Mapping[str, Any], node: Node) -> list[str]:
    edges = [target for _, target in node.targets()]
    if node.kind in GATHER_KINDS:
        edges.append(head["callback"])
        edges.append(head["main_menu"])
    return edges


def _check_reachability(head: Mapping[str, Any], nodes: Mapping[str, Node], report: Report) -> None:
    seen: set[str] = set()
    todo = [head["start"], head["callback"]]
    while todo:
        node_id = todo.pop()
        if node_id not in seen:
            seen.add(node_id)
            todo.extend(_edges(head, nodes[node_id]))
    for node_id in nodes:
        if node_id not in seen:
            report(node_id, None, "unreachable: no path from the start leads here")
    for node in nodes.values():
        if node.kind in AUTOMATIC_KINDS:
            cycle = _automatic_cycle(node.id, nodes)
            if cycle and cycle[0] == min(cycle[:-1]):
                report(node.id, None, "loop without exit: " + " -> ".join(cycle)
                       + " never waits for the caller")
    exits = {nid for nid, n in nodes.items() if n.kind == "goodbye"}
    changed = True
    while changed:
        before = len(exits)
        exits |= {nid for nid, n in nodes.items() if any(e in exits for e in _edges(head, n))}
        changed = len(exits) != before
    for node_id in nodes:
        if node_id in seen and node_id not in exits:
            report(node_id, None, "loop without exit: no goodbye can be reached from here")


def _automatic_cycle(start: str, nodes: Mapping[str, Node]) -> list[str] | None:
    """Return a cycle start -> ... -> start made only of nodes that never wait for the caller."""

    def walk(node_id: str, path: list[str]) -> list[str] | None:
        for _, target in nodes[node_id].targets():
            if nodes[target].kind not in AUTOMATIC_KINDS:
                continue
            if target == start:
                return [*path, start]
            if target not in path and (found := walk(target, [*path, target])):
                return found
        return None

    return walk(start, [start])
