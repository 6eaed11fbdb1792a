"""Recorded prompts (greetings, activities) for Twilio's <Play>: public, unsigned, never personal data.

Twilio fetches <Play> URLs without a signature, so only the Begleitung's recorded prompts live
here (under `<data dir>/prompt-audio/`), never callers' messages. File names should carry a
version (e.g. `bilk-greeting-3.mp3`): Twilio caches by the HTTP caching headers.
"""

from __future__ import annotations

from flask import Blueprint, current_app, send_from_directory

from hotline.files.prompt_audio import AUDIO_DIR

bp = Blueprint("audio", __name__)

CACHE_SECONDS = 24 * 3600


@bp.get("/audio/<path:name>")
def prompt(name: str):
    """Serve one recorded prompt (send_from_directory refuses paths outside the folder)."""
    folder = current_app.extensions["hotline.settings"].data_dir / AUDIO_DIR
    return send_from_directory(folder, name, max_age=CACHE_SECONDS)
