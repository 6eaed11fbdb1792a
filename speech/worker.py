"""The worker process's one Transcriber: loaded before the consumer starts, shared by its threads."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from speech.models import ModelError, ModelInfo, find_model, model_info
from speech.recognizer import Transcriber

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_transcriber: Transcriber | None = None


def shared_transcriber(model_path: Path) -> Transcriber:
    """The process-wide Transcriber for model_path; a different path (a new install) replaces it."""
    global _transcriber
    path = Path(model_path).resolve()
    with _lock:
        if _transcriber is None or _transcriber.model_path != path:
            if _transcriber is not None:
                logger.info("speech model changed to %s; the old one is released", path.name)
            _transcriber = Transcriber(path)
        return _transcriber


def preload_model(vosk_model_path: Path | None, data_dir: Path) -> ModelInfo | None:
    """Load the configured model now, so jobs never wait for it; None when there is none usable."""
    path = find_model(vosk_model_path, data_dir)
    if path is None:
        logger.warning("no speech model installed; voicemails wait in state no_model "
                       "(install one with `hotline speech install-model`)")
        return None
    try:
        info = model_info(path)
        shared_transcriber(info.path).load()
    except ModelError as exc:
        logger.error("speech model unusable, voicemails wait in state no_model: %s", exc)
        return None
    logger.info("speech model %s loaded (language %s, %d Hz)", info.name, info.language or "?",
                info.sample_rate)
    return info
