"""Every event the code writes into the audit log has a German name on the Protokoll page."""

import ast
from pathlib import Path

from hotline.services.audit import ACTION_LABELS, OBJECT_LABELS

PROJECT = Path(__file__).resolve().parents[2]


def _recorded() -> tuple[set[str], set[str]]:
    """The action and object names of every `audit.record(session, action, object_type, ...)` call."""
    actions: set[str] = set()
    objects: set[str] = set()
    for folder in ("admin", "hotline"):
        for path in (PROJECT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                        and node.func.attr == "record" and isinstance(node.func.value, ast.Name) \
                        and node.func.value.id == "audit" and len(node.args) >= 3:
                    actions |= {c.value for c in ast.walk(node.args[1]) if isinstance(c, ast.Constant)}
                    objects |= {c.value for c in ast.walk(node.args[2]) if isinstance(c, ast.Constant)}
    return actions, objects


def test_every_recorded_action_and_kind_has_a_german_label():
    actions, objects = _recorded()
    assert len(actions) > 30  # the scan found the calls
    assert sorted(actions - set(ACTION_LABELS)) == []
    assert sorted(objects - set(OBJECT_LABELS)) == []
