"""Fixtures for the speech tests: the real Korean Vosk model (loaded once) and synthesized speech."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from speech_support import KOREAN_TEXT, korean_model_path, require_tools

from speech.recognizer import Transcriber


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the Korean model with dithering off, so transcripts repeat exactly.

    Large files are symlinked rather than copied (only conf/mfcc.conf changes).
    """
    source = korean_model_path()
    target = tmp_path_factory.mktemp("model") / "ko-nodither"
    shutil.copytree(source, target, copy_function=os.symlink)
    mfcc = target / "conf" / "mfcc.conf"
    lines = [line for line in mfcc.read_text().splitlines() if not line.startswith("--dither")]
    mfcc.unlink()
    mfcc.write_text("\n".join([*lines, "--dither=0"]) + "\n")
    return target


@pytest.fixture(scope="session")
def transcriber(model_dir: Path) -> Transcriber:
    """One loaded Transcriber for the whole session (loading takes seconds)."""
    result = Transcriber(model_dir)
    result.load()
    return result


@pytest.fixture(scope="session")
def synthesize(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Return a function making 8 kHz mono speech with espeak-ng + sox (PCM or mu-law)."""
    workdir = tmp_path_factory.mktemp("speech")

    def make(
        text: str = KOREAN_TEXT,
        *,
        voice: str = "ko",
        encoding: str = "signed-integer",
        name: str = "speech",
    ) -> Path:
        require_tools("espeak-ng", "sox")
        raw = workdir / f"{name}-raw.wav"
        out = workdir / f"{name}-8k-{encoding}.wav"
        if not out.exists():
            subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True)
            bits = ["-b", "16"] if encoding == "signed-integer" else []
            subprocess.run(
                ["sox", str(raw), "-r", "8000", "-c", "1", "-e", encoding, *bits, str(out)],
                check=True,
            )
        return out

    return make
