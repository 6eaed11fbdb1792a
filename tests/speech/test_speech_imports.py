"""Import boundaries of speech: nothing heavy or web-related loads with the core modules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import speech

SPEECH_DIR = Path(speech.__file__).parent
FORBIDDEN = ("vosk", "flask", "sqlalchemy", "twilio", "hotline", "admin", "ivr_flows")
MODULES = sorted(path.stem for path in SPEECH_DIR.glob("*.py"))


@pytest.mark.slow
def test_every_module_leaves_vosk_and_the_rest_of_the_project_unloaded() -> None:
    imports = ", ".join(f"speech.{module}" for module in MODULES if module != "__init__")
    code = (
        f"import sys, {imports}\n"
        f"print(sorted(m for m in {FORBIDDEN!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=SPEECH_DIR.parent,
    )
    assert out.stdout.strip() == "[]"


def imported_modules(path: Path) -> list[tuple[str, bool]]:
    """(top-level module name, imported at module level?) for every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = set(map(id, tree.body))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module.split(".")[0], id(node) in top_level))
    return found


def test_only_the_recognizer_imports_vosk_and_only_lazily() -> None:
    importers = {}
    for path in sorted(SPEECH_DIR.glob("*.py")):
        for name, at_top in imported_modules(path):
            if name == "vosk":
                importers[path.name] = at_top
    assert importers == {"recognizer.py": False}


def test_no_module_imports_the_web_stack_or_other_project_packages() -> None:
    offenders = [
        (module, name)
        for module in MODULES
        for name, _ in imported_modules(SPEECH_DIR / f"{module}.py")
        if name in FORBIDDEN and name != "vosk"
    ]
    assert offenders == []
