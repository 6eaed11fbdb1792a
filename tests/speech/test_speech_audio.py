"""speech.audio: Twilio-style WAV files, mu-law, downmix, duration cap, errors, resampling."""

from __future__ import annotations

import hashlib
import struct
import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from speech.audio import AudioError, decode_mulaw, load_audio, resample

from tests.speech.speech_support import require_tools, write_wav


def wav_bytes(
    tag: int,
    channels: int,
    rate: int,
    bits: int,
    data: bytes,
    *,
    extensible: bool = False,
    data_size: int | None = None,
) -> bytes:
    """Build a RIFF/WAVE file by hand (format tag, optional WAVE_FORMAT_EXTENSIBLE wrapper)."""
    block_align = channels * bits // 8
    head = struct.pack(
        "<HHIIHH",
        0xFFFE if extensible else tag,
        channels,
        rate,
        rate * block_align,
        block_align,
        bits,
    )
    if extensible:
        guid_tail = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        head += struct.pack("<HHI", 22, bits, 0) + struct.pack("<H", tag) + guid_tail
    size = len(data) if data_size is None else data_size
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(head)) + head + b"data" + struct.pack("<I", size) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_reads_8khz_mono_pcm_exactly(tmp_path: Path) -> None:
    samples = (np.sin(np.arange(8000) / 5) * 10000).astype(np.int16)
    audio = load_audio(write_wav(tmp_path / "a.wav", samples, 8000))
    assert audio.sample_rate == 8000
    assert audio.samples.dtype == np.int16
    np.testing.assert_array_equal(audio.samples, samples)
    assert audio.duration_seconds == pytest.approx(1.0)
    assert audio.truncated is False


@pytest.mark.slow
@settings(max_examples=40, database=None, deadline=None)
@given(arrays(np.int16, st.integers(1, 3000)), st.sampled_from([8000, 16000, 44100]))
def test_any_pcm_samples_round_trip(samples: np.ndarray, rate: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        audio = load_audio(write_wav(Path(tmp) / "x.wav", samples, rate))
    np.testing.assert_array_equal(audio.samples, samples)
    assert audio.sample_rate == rate


def test_mulaw_table_known_values() -> None:
    decoded = decode_mulaw(bytes([0xFF, 0x7F, 0x00, 0x80, 0xFE, 0x7E, 0xEF]))
    assert decoded.tolist() == [0, 0, -32124, 32124, 8, -8, 132]


@pytest.mark.speech
def test_mulaw_wav_decodes_like_sox(tmp_path: Path) -> None:
    require_tools("sox")
    every_code = bytes(range(256)) * 4
    src = tmp_path / "ulaw.wav"
    src.write_bytes(wav_bytes(7, 1, 8000, 8, every_code))
    ref = tmp_path / "ref.wav"
    subprocess.run(["sox", str(src), "-e", "signed-integer", "-b", "16", str(ref)], check=True)
    with wave.open(str(ref)) as w:
        expected = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    audio = load_audio(src)
    np.testing.assert_array_equal(audio.samples, expected)
    assert audio.sample_rate == 8000


@pytest.mark.speech
def test_sox_mulaw_recording_is_read(synthesize) -> None:
    audio = load_audio(synthesize(encoding="u-law"))
    assert audio.sample_rate == 8000
    assert audio.duration_seconds > 1
    assert np.abs(audio.samples).max() > 1000


def test_extensible_pcm_is_read(tmp_path: Path) -> None:
    samples = np.array([1, -2, 300, -32768, 32767], dtype=np.int16)
    path = tmp_path / "ext.wav"
    path.write_bytes(wav_bytes(1, 1, 8000, 16, samples.tobytes(), extensible=True))
    np.testing.assert_array_equal(load_audio(path).samples, samples)


def test_stereo_is_downmixed_by_averaging(tmp_path: Path) -> None:
    left = np.array([1000, -1000, 32767, -32768], dtype=np.int16)
    right = np.array([0, -3000, 32767, -32768], dtype=np.int16)
    interleaved = np.column_stack([left, right]).ravel()
    audio = load_audio(write_wav(tmp_path / "s.wav", interleaved, 8000, channels=2))
    assert audio.samples.tolist() == [500, -2000, 32767, -32768]
    assert audio.duration_seconds == pytest.approx(4 / 8000)


def test_duration_cap_truncates_and_reports_it(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "long.wav", np.ones(8000 * 5, dtype=np.int16), 8000)
    capped = load_audio(path, max_seconds=2)
    assert len(capped.samples) == 16000
    assert capped.truncated is True
    assert capped.duration_seconds == pytest.approx(2.0)
    assert load_audio(path, max_seconds=5).truncated is False


def test_streaming_header_without_size_reads_to_end_of_file(tmp_path: Path) -> None:
    samples = np.arange(100, dtype=np.int16)
    path = tmp_path / "stream.wav"
    path.write_bytes(wav_bytes(1, 1, 8000, 16, samples.tobytes(), data_size=0xFFFFFFFF))
    np.testing.assert_array_equal(load_audio(path).samples, samples)


def test_short_data_chunk_uses_what_is_there(tmp_path: Path) -> None:
    samples = np.arange(100, dtype=np.int16)
    path = tmp_path / "short.wav"
    path.write_bytes(wav_bytes(1, 1, 8000, 16, samples.tobytes(), data_size=1000))
    np.testing.assert_array_equal(load_audio(path).samples, samples)


def test_original_file_is_never_modified(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "keep.wav", np.arange(20000, dtype=np.int16), 8000)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    load_audio(path, max_seconds=1)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


PCM = np.arange(50, dtype=np.int16).tobytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a WAV file"),
        (b"ID3\x03\x00 this is an mp3", "not a WAV file"),
        (b"RIFF\x00\x00\x00\x00WAVE", "no data chunk"),
        (wav_bytes(1, 1, 8000, 16, PCM)[:30], "fmt chunk too short"),
        (wav_bytes(1, 1, 8000, 16, b""), "no audio frames"),
        (wav_bytes(1, 1, 8000, 8, PCM), "sample width: 8 bits"),
        (wav_bytes(1, 1, 8000, 24, PCM[:48]), "sample width: 24 bits"),
        (wav_bytes(6, 1, 8000, 8, PCM), "format tag 0x0006"),
        (wav_bytes(3, 1, 8000, 32, PCM), "format tag 0x0003"),
        (wav_bytes(1, 6, 8000, 16, PCM[:96]), "channel count: 6"),
        (wav_bytes(1, 1, 0, 16, PCM), "sample rate is zero"),
        (b"RIFF\x20\x00\x00\x00WAVEdata\x04\x00\x00\x00\x00\x00\x00\x00", "data chunk before fmt"),
        (wav_bytes(1, 1, 8000, 16, PCM, extensible=True)[:40], "extensible fmt chunk too short"),
    ],
    ids=[
        "empty",
        "mp3",
        "header-only",
        "cut-fmt",
        "no-frames",
        "8-bit",
        "24-bit",
        "a-law",
        "float",
        "6-channels",
        "zero-rate",
        "data-first",
        "cut-extensible",
    ],
)
def test_unreadable_files_raise_audio_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError, match=message):
        load_audio(path)


def test_missing_file_raises_audio_error(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="cannot read"):
        load_audio(tmp_path / "nope.wav")


def test_resample_doubles_length_and_keeps_pitch() -> None:
    t = np.arange(8000) / 8000
    tone = (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16)
    up = resample(tone, 8000, 16000)
    assert up.dtype == np.int16
    assert len(up) == 16000
    spectrum = np.abs(np.fft.rfft(up.astype(np.float64)))
    assert np.argmax(spectrum) * 16000 / len(up) == pytest.approx(440, abs=2)


def test_resample_same_rate_is_identity() -> None:
    samples = np.arange(10, dtype=np.int16)
    assert resample(samples, 8000, 8000) is samples


def test_resample_rejects_bad_rates() -> None:
    with pytest.raises(ValueError, match="positive"):
        resample(np.zeros(10, dtype=np.int16), 0, 16000)
