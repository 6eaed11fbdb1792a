"""Import boundaries: the web process never loads Vosk, and persistence knows no Flask or Twilio."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def _loaded(code: str, modules: tuple[str, ...], env: dict[str, str] | None = None) -> list[str]:
    probe = f"{code}\nimport sys\nprint(sorted(m for m in {modules!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    return eval(result.stdout.strip().splitlines()[-1])  # noqa: S307 - our own printed list


@pytest.mark.slow
def test_the_web_app_never_loads_the_speech_model(tmp_path):
    code = (
        "from hotline import create_app\n"
        "app = create_app()\n"
        "app.test_client().get('/healthz')\n"
    )
    env = {"HOTLINE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    assert _loaded(code, ("vosk", "speech.recognizer", "hotline.voicemail.pipeline"), env) == []


@pytest.mark.slow
def test_models_and_database_code_need_neither_flask_nor_twilio():
    code = "import hotline.db, hotline.models, hotline.services.retention, hotline.services.data_requests"
    assert _loaded(code, ("flask", "twilio", "vosk")) == []


def _modules_importing(package: str) -> list[str]:
    found = []
    for folder in ("hotline", "admin", "ivr_flows", "speech", "scripts", "benchmarks"):
        for path in sorted((PROJECT / folder).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            if package not in source:  # parsing only the files that name it keeps the test quick
                continue
            for node in ast.walk(ast.parse(source)):
                names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                if any(name == package or name.startswith(package + ".") for name in names):
                    found.append(path.relative_to(PROJECT).as_posix())
    return sorted(set(found))


def test_exactly_one_module_builds_the_twilio_rest_client():
    assert _modules_importing("twilio.rest") == ["hotline/twilio/client.py"]
