"""Recorded prompts uploaded by the Begleitung: checked by content, stored under a fresh name.

A file is accepted only when its bytes are a PCM WAV (read with the stdlib `wave`) or an MP3
whose frame headers can be walked from start to end; the uploaded file name is never used, so
no path trick can place a file anywhere else. Every upload gets a new name, because Twilio
caches <Play> URLs; the replaced file is removed after the commit.
"""

from __future__ import annotations

import io
import logging
import re
import uuid
import wave
from dataclasses import dataclass
from pathlib import Path

from hotline.files.recordings import file_inside
from hotline.models import Network

logger = logging.getLogger(__name__)

AUDIO_DIR = "prompt-audio"  # under the data dir; served at GET /audio/<path>
MAX_BYTES = 5 * 1024 * 1024
MAX_SECONDS = 60.0
_SAFE_FOLDER = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")

# MPEG audio frame headers (ISO 11172-3 / 13818-3): bitrates in kbit/s by version and layer.
_BITRATES = {
    (1, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (1, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (1, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (2, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (2, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {1: (44100, 48000, 32000), 2: (22050, 24000, 16000), 25: (11025, 12000, 8000)}
_MIN_MP3_FRAMES = 3
_TRAILERS = (b"APETAGEX", b"LYRICSBEGIN")


class AudioRejected(ValueError):
    """The upload is not a usable recording; the message is German and meant for the form."""


@dataclass(frozen=True)
class CheckedAudio:
    """Audio that passed the checks: its bytes, the file extension to use and its length."""

    data: bytes
    extension: str
    seconds: float


def check_audio(data: bytes) -> CheckedAudio:
    """Check type (by content), size and duration; raise AudioRejected with the reason."""
    if len(data) > MAX_BYTES:
        raise AudioRejected("Die Datei ist zu groß. Erlaubt sind höchstens 5 MB.")
    if not data:
        raise AudioRejected("Die Datei ist leer.")
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        checked = CheckedAudio(data, "wav", _wav_seconds(data))
    else:
        seconds = _mp3_seconds(data)
        if seconds is None:
            raise AudioRejected("Das ist keine Aufnahme, die das Telefon abspielen kann. "
                                "Bitte laden Sie eine WAV- oder MP3-Datei hoch.")
        checked = CheckedAudio(data, "mp3", seconds)
    if checked.seconds <= 0:
        raise AudioRejected("Die Aufnahme ist leer.")
    if checked.seconds > MAX_SECONDS:
        raise AudioRejected(f"Die Aufnahme ist {checked.seconds:.0f} Sekunden lang. "
                            f"Erlaubt sind höchstens {MAX_SECONDS:.0f} Sekunden.")
    return checked


def _wav_seconds(data: bytes) -> float:
    try:
        with wave.open(io.BytesIO(data), "rb") as audio:
            rate, frames = audio.getframerate(), audio.getnframes()
    except (wave.Error, EOFError) as error:
        raise AudioRejected("Diese WAV-Datei kann das Telefon nicht abspielen. "
                            "Bitte speichern Sie sie als normale WAV-Datei (PCM) oder als MP3.") from error
    if rate <= 0:
        raise AudioRejected("Diese WAV-Datei ist beschädigt.")
    return frames / rate


def _mp3_seconds(data: bytes) -> float | None:
    """Length of an MP3 by walking its frame headers; None when the bytes are not MP3 frames."""
    position = _skip_id3v2(data)
    end = len(data) - (128 if data[-128:-125] == b"TAG" else 0)
    frames, seconds = 0, 0.0
    while position + 4 <= end:
        frame = _frame(data[position:position + 4])
        if frame is None:
            break
        length, duration = frame
        position += length
        frames += 1
        seconds += duration
    # Every byte up to the end (or a trailing tag) must belong to a frame; a last short frame is
    # tolerated because encoders sometimes cut the final one.
    if frames < _MIN_MP3_FRAMES or (position + 4 <= end and not data[position:].startswith(_TRAILERS)):
        return None
    return seconds


def _skip_id3v2(data: bytes) -> int:
    if data[:3] != b"ID3" or len(data) < 10:
        return 0
    size = 0
    for byte in data[6:10]:
        size = (size << 7) | (byte & 0x7F)
    return 10 + size + (10 if data[5] & 0x10 else 0)


def _frame(header: bytes) -> tuple[int, float] | None:
    """(frame length in bytes, duration in seconds) of an MPEG audio frame header, else None."""
    if header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version = {3: 1, 2: 2, 0: 25}.get((header[1] >> 3) & 0x03)
    layer = {3: 1, 2: 2, 1: 3}.get((header[1] >> 1) & 0x03)
    bitrate_index, rate_index = header[2] >> 4, (header[2] >> 2) & 0x03
    if version is None or layer is None or bitrate_index in (0, 15) or rate_index == 3:
        return None
    table = _BITRATES[(1, layer)] if version == 1 else _BITRATES[(2, 1 if layer == 1 else 2)]
    bitrate = table[bitrate_index] * 1000
    rate = _SAMPLE_RATES[version][rate_index]
    padding = (header[2] >> 1) & 0x01
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4, 384 / rate
    samples = 1152 if layer == 2 or version == 1 else 576
    return samples // 8 * bitrate // rate + padding, samples / rate


def audio_root(data_dir: Path) -> Path:
    """The folder the hotline serves recorded prompts from (GET /audio/...)."""
    return Path(data_dir) / AUDIO_DIR


def folder_of(network: Network) -> str:
    """The network's sub-folder: its slug when that is a plain name, else its id."""
    return network.slug if _SAFE_FOLDER.match(network.slug) else f"netzwerk-{network.id}"


def store(data_dir: Path, network: Network, audio: CheckedAudio) -> str:
    """Write the audio under a new random name; return its path relative to the audio folder."""
    relative = f"{folder_of(network)}/{uuid.uuid4().hex}.{audio.extension}"
    target = audio_root(data_dir) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(audio.data)
    partial.replace(target)
    logger.info("stored recorded prompt %s (%.1f s) for network %s", relative, audio.seconds, network.id)
    return relative


def remove(data_dir: Path, relative: str | None) -> None:
    """Delete a stored prompt file; paths outside the audio folder are ignored."""
    if not relative:
        return
    path = file_inside(audio_root(data_dir), relative)
    if path is None:
        logger.warning("refused to delete a prompt file outside the audio folder")
        return
    path.unlink(missing_ok=True)
    logger.info("removed recorded prompt %s", relative)
