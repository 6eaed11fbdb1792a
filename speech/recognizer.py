"""Transcribe audio with Vosk; the only module importing vosk, and only when loading a model."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from speech.audio import Audio, load_audio, resample
from speech.models import ModelError, check_model, model_sample_rate

logger = logging.getLogger(__name__)

# Audio is fed to the recognizer in pieces of this length (seconds).
CHUNK_SECONDS = 0.5


@dataclass(frozen=True)
class Word:
    """One recognized word with its start and end time (seconds) and confidence (0..1)."""

    word: str
    start: float
    end: float
    conf: float


@dataclass(frozen=True)
class TranscriptResult:
    """Text, mean word confidence (None without words), the words, and the audio decoded."""

    text: str
    confidence: float | None
    words: tuple[Word, ...]
    duration_seconds: float
    truncated: bool


@dataclass(frozen=True)
class _LoadedModel:
    """A loaded vosk.Model, its sample rate, and vosk's recognizer class."""

    model: Any
    sample_rate: int
    recognizer_class: Any


class Transcriber:
    """One vosk.Model per process, shared by threads; each transcription gets its own recognizer."""

    def __init__(self, model_path: Path) -> None:
        """Remember the model path; nothing is loaded until load() or the first transcription."""
        self.model_path = Path(model_path)
        self._lock = threading.Lock()
        self._loaded: _LoadedModel | None = None

    @property
    def sample_rate(self) -> int:
        """The sample rate the model expects (loads the model if needed)."""
        return self._ensure_loaded().sample_rate

    @property
    def model(self) -> Any:
        """The loaded vosk.Model (loads it if needed)."""
        return self._ensure_loaded().model

    def load(self) -> None:
        """Load the model now (e.g. in a worker before it takes jobs) rather than on first use."""
        self._ensure_loaded()

    def _ensure_loaded(self) -> _LoadedModel:
        """Load the model once; later calls and other threads reuse it."""
        loaded = self._loaded
        if loaded is not None:
            return loaded
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded

    def _load(self) -> _LoadedModel:
        """Check the model directory and create the vosk.Model (takes seconds)."""
        check_model(self.model_path)
        rate = model_sample_rate(self.model_path)
        import vosk  # Imported here so that importing speech never loads vosk in a web process.

        vosk.SetLogLevel(-1)
        logger.info("loading Vosk model %s (%d Hz)", self.model_path, rate)
        try:
            model = vosk.Model(str(self.model_path))
        except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
            raise ModelError(f"Vosk could not load the model in {self.model_path}: {exc}") from exc
        return _LoadedModel(model=model, sample_rate=rate, recognizer_class=vosk.KaldiRecognizer)

    def transcribe(self, audio: Audio) -> TranscriptResult:
        """Resample to the model's rate and decode; silence gives empty text and no words."""
        loaded = self._ensure_loaded()
        rate = loaded.sample_rate
        pcm = resample(audio.samples, audio.sample_rate, rate).astype("<i2", copy=False).tobytes()
        recognizer = loaded.recognizer_class(loaded.model, float(rate))
        recognizer.SetWords(True)
        segments: list[dict[str, Any]] = []
        step = int(CHUNK_SECONDS * rate) * 2
        for offset in range(0, len(pcm), step):
            if recognizer.AcceptWaveform(pcm[offset : offset + step]):
                segments.append(json.loads(recognizer.Result()))
        segments.append(json.loads(recognizer.FinalResult()))
        return _build_result(segments, audio)

    def transcribe_file(self, path: Path, max_seconds: float | None = None) -> TranscriptResult:
        """Load a WAV file (at most `max_seconds`) and transcribe it."""
        return self.transcribe(load_audio(path, max_seconds))


def _build_result(segments: list[dict[str, Any]], audio: Audio) -> TranscriptResult:
    """Join Vosk's per-utterance JSON results into one TranscriptResult."""
    words = tuple(
        Word(
            word=str(w["word"]), start=float(w["start"]), end=float(w["end"]), conf=float(w["conf"])
        )
        for segment in segments
        for w in segment.get("result", ())
    )
    text = " ".join(t for t in (str(s.get("text", "")).strip() for s in segments) if t)
    confidence = sum(w.conf for w in words) / len(words) if words else None
    return TranscriptResult(
        text=text,
        confidence=confidence,
        words=words,
        duration_seconds=audio.duration_seconds,
        truncated=audio.truncated,
    )
