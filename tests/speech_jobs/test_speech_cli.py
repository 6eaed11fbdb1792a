"""`hotline speech ...` through app.test_cli_runner(): status, install-model, transcribe, backlog."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import speech.models
from hotline.models import Voicemail

from tests.speech.speech_support import korean_model_path
from tests.speech_jobs.speech_jobs_support import arrange, reload, silence_wav
from tests.support import free_port

pytestmark = pytest.mark.speech

PACKED_NAME = "vosk-model-small-ko-0.1"


@pytest.fixture(scope="module")
def korean_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Korean model packed as the model site packs its archives (one top folder)."""
    source = korean_model_path()
    archive = tmp_path_factory.mktemp("zip") / f"{PACKED_NAME}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                zf.write(path, f"{PACKED_NAME}/{path.relative_to(source).as_posix()}")
    return archive


@pytest.fixture
def bare_runner(make_app):
    """A CLI runner for an app without VOSK_MODEL_PATH: the model must come from the data dir."""
    return make_app(vosk_model_path=None).test_cli_runner()


def test_status_without_a_model_says_so(bare_runner):
    result = bare_runner.invoke(args=["speech", "status"])

    assert result.exit_code == 0, result.output
    assert "kein Modell installiert" in result.output


def test_install_from_file_then_status_names_the_model(bare_runner, korean_zip, settings):
    installed = bare_runner.invoke(args=["speech", "install-model", "small-de", "--from-file", str(korean_zip)])

    assert installed.exit_code == 0, installed.output
    assert f"Installiert: {PACKED_NAME} (Sprache ko, 16000 Hz)" in installed.output
    assert (settings.data_dir / "models" / "current").resolve().name == PACKED_NAME
    status = bare_runner.invoke(args=["speech", "status"])
    assert status.exit_code == 0, status.output
    assert f"Sprachmodell: {PACKED_NAME}" in status.output
    assert "Sprache: ko" in status.output
    assert "Abtastrate: 16000 Hz" in status.output


def test_install_without_internet_explains_what_to_do(bare_runner, monkeypatch):
    monkeypatch.setattr(speech.models, "MODEL_BASE_URL", f"http://127.0.0.1:{free_port()}/")

    result = bare_runner.invoke(args=["speech", "install-model"])

    assert result.exit_code == 1
    assert "Modell nicht installiert" in result.output
    assert "keine Internetverbindung" in result.output
    assert "--from-file" in result.output


def test_transcribe_prints_text_and_confidence_per_file(runner, synthesize, tmp_path):
    speech_file = synthesize()
    quiet = tmp_path / "quiet.wav"
    quiet.write_bytes(silence_wav(tmp_path))

    result = runner.invoke(args=["speech", "transcribe", str(speech_file), str(quiet)])

    assert result.exit_code == 0, result.output
    speech_line = next(line for line in result.output.splitlines() if line.startswith(f"{speech_file}: "))
    assert "[Konfidenz 0." in speech_line or "[Konfidenz 1.00" in speech_line
    assert f"{quiet}: (keine Sprache erkannt) [Konfidenz -, 3.0 s]" in result.output


def test_transcribe_reports_files_it_cannot_read(runner, tmp_path):
    not_audio = tmp_path / "notes.wav"
    not_audio.write_text("kein Ton")

    result = runner.invoke(args=["speech", "transcribe", str(not_audio)])

    assert result.exit_code == 1
    assert f"{not_audio}: Fehler: not a WAV file" in result.output
    assert "1 von 1 Dateien nicht abgeschrieben" in result.output


def test_backlog_works_off_pending_voicemails_in_process(runner, db_session, media, synthesize):
    voicemail_id, _ = arrange(db_session, media, synthesize().read_bytes())

    result = runner.invoke(args=["speech", "backlog"])

    assert result.exit_code == 0, result.output
    assert f"Nachricht {voicemail_id}: abgeschrieben" in result.output
    assert reload(db_session, Voicemail, voicemail_id).transcript
    assert runner.invoke(args=["speech", "backlog"]).output == "Keine Nachricht wartet.\n"
    assert "Nachrichten abgeschrieben: 1" in runner.invoke(args=["speech", "status"]).output
