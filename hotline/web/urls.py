"""Absolute URLs as Twilio must call them (PUBLIC_BASE_URL when set, for a service behind a proxy)."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for


def external(endpoint: str, **values: Any) -> str:
    """An absolute URL for `endpoint`: PUBLIC_BASE_URL when set, else the request's host."""
    base = current_app.extensions["hotline.settings"].public_base_url
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def prompt_audio(path: str) -> str:
    """The URL Twilio plays a recorded prompt from (a path under the prompt audio folder)."""
    return external("audio.prompt", name=path)
