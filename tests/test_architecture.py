"""Import boundaries: the web process never loads Vosk, and persistence knows no Flask or Twilio."""

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def _loaded(code: str, modules: tuple[str, ...], env: dict[str, str] | None = None) -> list[str]:
    probe = f"{code}\nimport sys\nprint(sorted(m for m in {modules!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    return eval(result.stdout.strip().splitlines()[-1])  # noqa: S307 - our own printed list


def test_the_web_app_never_loads_the_speech_model(tmp_path):
    code = (
        "from hotline import create_app\n"
        "app = create_app()\n"
        "app.test_client().get('/healthz')\n"
    )
    env = {"HOTLINE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    assert _loaded(code, ("vosk", "speech.recognizer", "hotline.voicemail.pipeline"), env) == []


def test_models_and_database_code_need_neither_flask_nor_twilio():
    code = "import hotline.db, hotline.models, hotline.services.retention, hotline.services.data_requests"
    assert _loaded(code, ("flask", "twilio", "vosk")) == []
