"""The suite's own rules: tests run the same from any clone, on any machine, in any order.

Shared fixtures come from the plugin modules of `tests.fixtures` (registered once, in
tests/conftest.py) and helpers are imported by package name, so no test edits `sys.path`, loads a
file by its path or imports another test module. No test names a path of one developer's machine.
Fuzzed text is what a client can send, and CI's Hypothesis runs depend on the commit alone.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings

from tests.strategies import client_characters, client_text

TESTS = Path(__file__).parent
# An absolute path into a home, the temp or the work folder: tests use tmp_path and paths relative
# to their own file instead. "../../tmp/x" (a path traversal attempt) is relative and allowed.
MACHINE_PATH = re.compile(r"(?:^|[\s\"'=:,(]|//)/(?:home|root|tmp|work|Users)/")
FILE_LOADERS = {"spec_from_file_location", "module_from_spec", "SourceFileLoader", "run_path"}


def _is_test_module(dotted: str) -> bool:
    return any(part.startswith("test_") or part == "conftest" for part in dotted.split("."))


def _characters_may_be_surrogates(call: ast.Call) -> bool:
    """A Hypothesis `characters(...)` call without a codec or an exclusion of surrogates ("Cs")."""
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    if "codec" in keywords:
        return False
    excluded = keywords.get("exclude_categories") or keywords.get("blacklist_categories")
    names = {node.value for node in ast.walk(excluded) if isinstance(node, ast.Constant)} if excluded else set()
    return not names & {"C", "Cs"}


def violations(source: str) -> list[str]:
    """What in one test file breaks the rules of this module's docstring, as 'line: problem'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and (
                node.value.id, node.attr) == ("sys", "path"):
            found.append(f"{line}: edits or reads sys.path")
        if isinstance(node, ast.ImportFrom) and node.module == "sys" and any(
                alias.name == "path" for alias in node.names):
            found.append(f"{line}: imports sys.path")
        name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
        if name in FILE_LOADERS:
            found.append(f"{line}: loads a module by file path ({name})")
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name in FILE_LOADERS:
                    found.append(f"{line}: loads a module by file path ({alias.name})")
                if _is_test_module(module) or _is_test_module(alias.name):
                    found.append(f"{line}: imports a test module ({module}.{alias.name})")
        if isinstance(node, ast.Import):
            found += [f"{line}: imports a test module ({alias.name})" for alias in node.names
                      if _is_test_module(alias.name)]
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if MACHINE_PATH.search(node.value):
                found.append(f"{line}: names a path of this machine ({node.value!r})")
            try:
                node.value.encode("utf-8")
            except UnicodeEncodeError:
                found.append(f"{line}: text no client can send (a lone surrogate)")
        if isinstance(node, ast.Call) and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "characters")
                or (isinstance(node.func, ast.Name) and node.func.id == "characters")
        ) and _characters_may_be_surrogates(node):
            found.append(f'{line}: characters() may draw lone surrogates; pass codec="utf-8"')
    return found


def test_no_test_file_breaks_the_rules():
    checked = [path for path in sorted(TESTS.rglob("*.py")) if path != Path(__file__)]  # this file: examples
    problems = [f"{path.relative_to(TESTS.parent)}:{problem}" for path in checked
                for problem in violations(path.read_text(encoding="utf-8"))]
    assert problems == []


@pytest.mark.parametrize(("source", "problem"), [
    ("import sys\nsys.path.insert(0, 'x')", "2: edits or reads sys.path"),
    ("from sys import path", "1: imports sys.path"),
    ("import importlib.util\nimportlib.util.spec_from_file_location('m', 'm.py')",
     "2: loads a module by file path (spec_from_file_location)"),
    ("from runpy import run_path", "1: loads a module by file path (run_path)"),
    ("from test_admin_permissions import ROUTES", "1: imports a test module (test_admin_permissions.ROUTES)"),
    ("from tests.admin import test_admin_permissions", "1: imports a test module (tests.admin.test_admin_permissions)"),
    ("from .test_x import y", "1: imports a test module (.test_x.y)"),
    ("import tests.conftest", "1: imports a test module (tests.conftest)"),
    ("SCHEMA = '/work/shared/twiml-schema'", "1: names a path of this machine ('/work/shared/twiml-schema')"),
    ("x = f'file:///home/anna/{name}'", "1: names a path of this machine ('file:///home/anna/')"),
    ("x = '\\ud800'", "1: text no client can send (a lone surrogate)"),
    ("st.characters()", '1: characters() may draw lone surrogates; pass codec="utf-8"'),
    ("st.characters(exclude_categories=['Lu'])", '1: characters() may draw lone surrogates; pass codec="utf-8"'),
])
def test_the_rules_find_each_kind_of_problem(source, problem):
    assert violations(source) == [problem]


@pytest.mark.parametrize("source", [
    "from tests.admin.routes import ROUTES",
    "from tests.support import poll",
    "def test_x(tmp_path):\n    (tmp_path / 'a.wav').write_bytes(b'')",
    "NAMES = ['../../../../tmp/x.wav', '/etc/passwd']",
    "env = {'PATH': '/usr/bin:/bin'}",
    "st.characters(codec='utf-8')",
    "st.characters(exclude_categories=('Cs',))",
])
def test_the_rules_let_ordinary_tests_pass(source):
    assert violations(source) == []


def test_ci_hypothesis_runs_depend_on_the_commit_alone():
    ci = hypothesis_settings.get_profile("ci")
    assert ci.derandomize
    assert ci.database is None


def test_the_ci_profile_is_active_exactly_in_ci():
    assert hypothesis_settings.default.derandomize == (os.environ.get("CI") == "true")


@hypothesis_settings(max_examples=200)
@given(client_text(max_size=20), client_characters)
def test_client_text_encodes_as_utf8(text, character):
    (text + character).encode("utf-8")
