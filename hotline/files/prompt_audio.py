"""Recorded prompts uploaded by the Begleitung: decoded, re-encoded, stored under a fresh name.

An upload is decoded with libsndfile (soundfile: WAV, MP3 and the other formats it reads), and
what is stored is a WAV the server writes from the decoded samples, never the uploaded bytes:
data hidden before or after the audio does not survive. The uploaded file name is never used, so
no path trick can place a file anywhere else. Every upload gets a new name, because Twilio caches
<Play> URLs; the replaced file is removed after the commit.
"""

from __future__ import annotations

import io
import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile
import soxr

from hotline.models import Network

logger = logging.getLogger(__name__)

AUDIO_DIR = "prompt-audio"  # under the data dir; served at GET /audio/<path>
MAX_BYTES = 5 * 1024 * 1024
MAX_SECONDS = 60.0
# Twilio plays to the phone at 8 kHz; 16 kHz keeps a margin and the files small.
STORED_MAX_RATE = 16000
_SAFE_FOLDER = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


class AudioRejected(ValueError):
    """The upload is not a usable recording; the message is German and meant for the form."""


@dataclass(frozen=True)
class CheckedAudio:
    """Audio that passed the checks: the WAV bytes to store, the file extension and its length."""

    data: bytes
    extension: str
    seconds: float


def check_audio(data: bytes) -> CheckedAudio:
    """Check size and duration and re-encode as mono 16-bit WAV; raise AudioRejected with the reason."""
    if len(data) > MAX_BYTES:
        raise AudioRejected("Die Datei ist zu groß. Erlaubt sind höchstens 5 MB.")
    if not data:
        raise AudioRejected("Die Datei ist leer.")
    samples, rate = _decoded(data)
    seconds = len(samples) / rate
    if seconds <= 0:
        raise AudioRejected("Die Aufnahme ist leer.")
    if seconds > MAX_SECONDS:
        raise AudioRejected(f"Die Aufnahme ist {seconds:.0f} Sekunden lang. "
                            f"Erlaubt sind höchstens {MAX_SECONDS:.0f} Sekunden.")
    mono = samples.mean(axis=1)
    if rate > STORED_MAX_RATE:
        mono, rate = soxr.resample(mono, rate, STORED_MAX_RATE), STORED_MAX_RATE
    output = io.BytesIO()
    soundfile.write(output, mono, rate, subtype="PCM_16", format="WAV")
    return CheckedAudio(output.getvalue(), "wav", seconds)


def _decoded(data: bytes) -> tuple[np.ndarray, int]:
    """The samples (frames x channels, float) and the rate; at most a second more than allowed."""
    try:
        with soundfile.SoundFile(io.BytesIO(data)) as audio:
            rate = audio.samplerate
            # Read no more than can be allowed: a tiny file may unpack into hours of audio.
            samples = audio.read(frames=int((MAX_SECONDS + 1) * rate), dtype="float64", always_2d=True)
    except (soundfile.SoundFileError, RuntimeError) as error:
        if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
            raise AudioRejected("Diese WAV-Datei kann das Telefon nicht abspielen. Bitte speichern "
                                "Sie sie als normale WAV-Datei (PCM) oder als MP3.") from error
        raise AudioRejected("Das ist keine Aufnahme, die das Telefon abspielen kann. "
                            "Bitte laden Sie eine WAV- oder MP3-Datei hoch.") from error
    if rate <= 0:
        raise AudioRejected("Diese Aufnahme ist beschädigt.")
    return samples, rate


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

