"""Fixtures of the fault tests: the admin tests' world (`world`, `login_as`, `extras`) as they are."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

# Reuse the admin tests' fixtures and route table instead of a second, drifting copy.
_ADMIN_TESTS = Path(__file__).resolve().parents[1] / "admin"
sys.path.insert(0, str(_ADMIN_TESTS))
_spec = importlib.util.spec_from_file_location("admin_test_fixtures", _ADMIN_TESTS / "conftest.py")
_fixtures = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]  # the spec of an existing file
sys.modules[_spec.name] = _fixtures  # its dataclass looks itself up there
_spec.loader.exec_module(_fixtures)  # type: ignore[union-attr]  # a file spec has a loader
world = _fixtures.world
login_as = _fixtures.login_as

from test_admin_permissions import extras  # noqa: E402, F401 - a fixture, used by name
