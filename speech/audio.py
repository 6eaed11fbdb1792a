"""Read telephone recordings (WAV 16-bit PCM or G.711 mu-law) into int16 samples; resample."""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import soxr

logger = logging.getLogger(__name__)

WAVE_FORMAT_PCM = 0x0001
WAVE_FORMAT_MULAW = 0x0007
WAVE_FORMAT_EXTENSIBLE = 0xFFFE
_SUPPORTED_TAGS = {WAVE_FORMAT_PCM: 2, WAVE_FORMAT_MULAW: 1}  # format tag -> bytes per sample
_MAX_HEADER_CHUNKS = 64


class AudioError(Exception):
    """The file is not audio this pipeline can read; retrying cannot help (a permanent error)."""


@dataclass(frozen=True, eq=False)
class Audio:
    """Mono int16 samples, their rate and duration, and whether the duration cap cut the input."""

    samples: np.ndarray
    sample_rate: int
    duration_seconds: float
    truncated: bool


@dataclass(frozen=True)
class _Format:
    """The parts of a WAV `fmt ` chunk the reader needs."""

    tag: int
    channels: int
    sample_rate: int
    block_align: int


def _mulaw_table() -> np.ndarray:
    """Build the 256-entry G.711 mu-law to linear int16 decoding table."""
    codes = ~np.arange(256, dtype=np.int32) & 0xFF
    sign = codes & 0x80
    exponent = (codes >> 4) & 0x07
    mantissa = codes & 0x0F
    magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
    return np.where(sign != 0, -magnitude, magnitude).astype(np.int16)


MULAW_TABLE = _mulaw_table()


def decode_mulaw(data: bytes) -> np.ndarray:
    """Decode G.711 mu-law bytes into int16 samples."""
    return MULAW_TABLE[np.frombuffer(data, dtype=np.uint8)]


def load_audio(path: Path | str, max_seconds: float | None = None) -> Audio:
    """Read a WAV file into mono int16 samples (at most `max_seconds`); the file is only read."""
    path = Path(path)
    if max_seconds is not None and max_seconds <= 0:
        raise ValueError("max_seconds must be positive")
    try:
        with path.open("rb") as stream:
            fmt, data_size = _read_header(stream)
            frames_available = data_size // fmt.block_align
            frames_wanted = frames_available
            if max_seconds is not None:
                frames_wanted = min(frames_available, max(1, int(max_seconds * fmt.sample_rate)))
            data = stream.read(frames_wanted * fmt.block_align)
    except OSError as exc:
        raise AudioError(f"{path.name}: cannot read file ({exc.strerror or exc})") from exc
    frames_read = len(data) // fmt.block_align
    if frames_read == 0:
        raise AudioError(f"{path.name}: the WAV file contains no audio frames")
    data = data[: frames_read * fmt.block_align]
    samples = _to_mono(_decode(data, fmt.tag), fmt.channels)
    truncated = frames_read < frames_available
    if truncated:
        logger.info(
            "%s: audio cut to %.1f s of %.1f s",
            path.name,
            frames_read / fmt.sample_rate,
            frames_available / fmt.sample_rate,
        )
    return Audio(
        samples=samples,
        sample_rate=fmt.sample_rate,
        duration_seconds=len(samples) / fmt.sample_rate,
        truncated=truncated,
    )


def _read_header(stream: BinaryIO) -> tuple[_Format, int]:
    """Walk the RIFF chunks up to `data`; return the format and the byte size of the data chunk."""
    riff = stream.read(12)
    if len(riff) < 12 or riff[:4] != b"RIFF" or riff[8:12] != b"WAVE":
        raise AudioError("not a WAV file (no RIFF/WAVE header)")
    fmt: _Format | None = None
    for _ in range(_MAX_HEADER_CHUNKS):
        header = stream.read(8)
        if len(header) < 8:
            raise AudioError("truncated WAV header: no data chunk found")
        chunk_id, size = header[:4], struct.unpack("<I", header[4:])[0]
        if chunk_id == b"fmt ":
            fmt = _parse_fmt(stream.read(size))
            stream.read(size & 1)
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioError("malformed WAV: data chunk before fmt chunk")
            return fmt, _data_size(stream, size)
        else:
            stream.seek(size + (size & 1), 1)
    raise AudioError("malformed WAV: too many chunks before the data chunk")


def _data_size(stream: BinaryIO, declared: int) -> int:
    """Bytes of sample data present; streaming writers leave the size at 0 or 0xFFFFFFFF."""
    start = stream.tell()
    end = stream.seek(0, 2)
    stream.seek(start)
    available = end - start
    if declared in (0, 0xFFFFFFFF):
        return available
    if declared > available:
        logger.warning(
            "WAV data chunk shorter than its header says (%d of %d bytes); using what is there",
            available,
            declared,
        )
    return min(declared, available)


def _parse_fmt(body: bytes) -> _Format:
    """Validate a `fmt ` chunk body and accept only 16-bit PCM or 8-bit mu-law, mono or stereo."""
    if len(body) < 16:
        raise AudioError("truncated WAV header: fmt chunk too short")
    tag, channels, rate, _, block_align, bits = struct.unpack("<HHIIHH", body[:16])
    if tag == WAVE_FORMAT_EXTENSIBLE:
        if len(body) < 26:
            raise AudioError("truncated WAV header: extensible fmt chunk too short")
        tag = struct.unpack("<H", body[24:26])[0]  # SubFormat GUID starts with the plain tag
    if tag not in _SUPPORTED_TAGS:
        raise AudioError(
            f"unsupported WAV encoding (format tag {tag:#06x}); expected 16-bit PCM or 8-bit mu-law"
        )
    width = _SUPPORTED_TAGS[tag]
    if bits != width * 8:
        raise AudioError(f"unsupported sample width: {bits} bits (expected {width * 8})")
    if channels not in (1, 2):
        raise AudioError(f"unsupported channel count: {channels} (expected mono or stereo)")
    if rate <= 0:
        raise AudioError("malformed WAV: sample rate is zero")
    if block_align != width * channels:
        raise AudioError(
            f"malformed WAV: block align {block_align} does not match "
            f"{channels} channel(s) of {width} byte(s)"
        )
    return _Format(tag=tag, channels=channels, sample_rate=rate, block_align=block_align)


def _decode(data: bytes, tag: int) -> np.ndarray:
    """Turn interleaved sample bytes into int16 values."""
    if tag == WAVE_FORMAT_MULAW:
        return decode_mulaw(data)
    return np.frombuffer(data, dtype="<i2").astype(np.int16)


def _to_mono(samples: np.ndarray, channels: int) -> np.ndarray:
    """Downmix interleaved stereo by averaging the channels.

    Twilio's dual-channel recordings put each party on its own channel; averaging keeps every voice
    (at most 6 dB quieter, which the recognizer's feature normalisation absorbs), whereas rejecting
    the file would lose a message for good.
    """
    if channels == 1:
        return samples
    pairs = samples.reshape(-1, channels).astype(np.int32)
    return (pairs.sum(axis=1) // channels).astype(np.int16)


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Resample int16 mono samples with soxr (HQ); returns the input itself when rates match."""
    if from_rate <= 0 or to_rate <= 0:
        raise ValueError("sample rates must be positive")
    if from_rate == to_rate:
        return samples
    return soxr.resample(samples.astype(np.int16, copy=False), from_rate, to_rate, quality="HQ")
