"""ivr_flows stays free of web, telephony, database and speech libraries."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "ivr_flows"
CLOCK_READS = ("datetime.now", "datetime.utcnow", "datetime.today", "date.today", "time.time")
FORBIDDEN = ("flask", "twilio", "sqlalchemy", "vosk", "requests", "hotline", "speech", "admin")


@pytest.mark.slow
def test_importing_ivr_flows_loads_no_framework():
    code = (
        "import sys, ivr_flows, ivr_flows.engine\n"
        "ivr_flows.builtin_flow('citywide')\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
        "print(','.join(bad))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PACKAGE.parent)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            check=True, timeout=60)
    assert result.stdout.strip() == ""


def test_no_module_imports_forbidden_packages_or_reads_the_clock():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not [n for n in names if n.split(".")[0] in FORBIDDEN], path
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                call = f"{node.value.id}.{node.attr}"
                assert call not in CLOCK_READS, f"{path}: {call} reads the clock"


def test_modules_stay_small():
    for path in PACKAGE.rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 300, path
