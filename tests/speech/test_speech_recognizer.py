"""speech.recognizer on the real Korean Vosk model with speech synthesized by espeak-ng."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from speech.audio import AudioError, load_audio
from speech.models import ModelError
from speech.recognizer import Transcriber, TranscriptResult

from tests.speech.speech_support import write_wav

pytestmark = pytest.mark.speech


def assert_plausible(result: TranscriptResult) -> None:
    """Non-empty text made of the words, word confidences in 0..1, overall confidence their mean."""
    assert result.text.strip()
    assert result.words
    assert result.text.split() == [w.word for w in result.words]
    assert all(0.0 <= w.conf <= 1.0 for w in result.words)
    assert all(0.0 <= w.start <= w.end <= result.duration_seconds + 0.1 for w in result.words)
    assert result.confidence == pytest.approx(sum(w.conf for w in result.words) / len(result.words))


@pytest.fixture(scope="module")
def speech_result(transcriber: Transcriber, synthesize) -> TranscriptResult:
    """The transcript of the standard 8 kHz PCM clip, decoded once for the module."""
    return transcriber.transcribe_file(synthesize())


def test_8khz_pcm_speech_gives_a_transcript(speech_result: TranscriptResult) -> None:
    assert_plausible(speech_result)
    assert speech_result.truncated is False


def test_8khz_mulaw_speech_gives_the_same_kind_of_transcript(transcriber: Transcriber, synthesize) -> None:
    assert_plausible(transcriber.transcribe_file(synthesize(encoding="u-law")))


def test_transcripts_repeat_with_dither_off(
    transcriber: Transcriber, synthesize, speech_result: TranscriptResult
) -> None:
    assert transcriber.transcribe_file(synthesize()) == speech_result


def test_audio_already_at_the_model_rate_is_fed_unchanged(transcriber: Transcriber, synthesize, tmp_path: Path) -> None:
    audio = load_audio(synthesize())
    up = np.repeat(audio.samples, 2)  # crude 16 kHz copy: still speech, no resampling needed
    assert_plausible(transcriber.transcribe_file(write_wav(tmp_path / "16k.wav", up, 16000)))


def test_silence_is_an_empty_transcript_not_an_error(transcriber: Transcriber, tmp_path: Path) -> None:
    path = write_wav(tmp_path / "silence.wav", np.zeros(8000 * 3, dtype=np.int16), 8000)
    result = transcriber.transcribe_file(path)
    assert (result.text, result.words, result.confidence) == ("", (), None)
    assert result.duration_seconds == pytest.approx(3.0)


def test_duration_cap_is_reported(transcriber: Transcriber, synthesize) -> None:
    result = transcriber.transcribe_file(synthesize(), max_seconds=1.5)
    assert result.truncated is True
    assert result.duration_seconds == pytest.approx(1.5)


def test_non_audio_file_is_an_audio_error(transcriber: Transcriber, tmp_path: Path) -> None:
    path = tmp_path / "voicemail.wav"
    path.write_text("<Response><Say>not audio</Say></Response>")
    with pytest.raises(AudioError, match="not a WAV file"):
        transcriber.transcribe_file(path)


def test_threads_share_one_model_and_get_the_same_results(transcriber: Transcriber, synthesize) -> None:
    path = synthesize("안녕하세요. 감사합니다.", name="short")
    expected = transcriber.transcribe_file(path)
    model = transcriber.model
    results: list[TranscriptResult] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(transcriber.transcribe_file(path))
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [expected] * 3
    assert transcriber.model is model


def test_concurrent_first_use_loads_the_model_once(model_dir: Path, monkeypatch) -> None:
    transcriber = Transcriber(model_dir)
    calls: list[int] = []
    real_load = Transcriber._load

    def counting_load(self: Transcriber):
        calls.append(1)
        return real_load(self)

    monkeypatch.setattr(Transcriber, "_load", counting_load)
    threads = [threading.Thread(target=transcriber.load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert transcriber.sample_rate == 16000


def test_missing_model_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        Transcriber(tmp_path / "no-model").load()


def test_unloadable_model_is_a_model_error(tmp_path: Path) -> None:
    for name in ("am/final.mdl", "conf/model.conf", "graph/HCLG.fst"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"garbage")
    with pytest.raises(ModelError, match="could not load"):
        Transcriber(tmp_path).load()
