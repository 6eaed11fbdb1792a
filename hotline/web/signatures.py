"""Only Twilio may call the /twilio/ endpoints: every request must carry a valid signature."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import abort, current_app, request
from twilio.request_validator import RequestValidator

logger = logging.getLogger(__name__)


def signed_url() -> str:
    """The URL Twilio signed: PUBLIC_BASE_URL plus the path when set (behind a proxy), else ours."""
    settings = current_app.extensions["hotline.settings"]
    if not settings.public_base_url:
        return request.url
    query = request.query_string.decode("latin-1")
    return settings.public_base_url + request.script_root + request.path + (f"?{query}" if query else "")


def is_valid_twilio_request() -> bool:
    """Check X-Twilio-Signature over the URL and every POST parameter."""
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return False
    settings = current_app.extensions["hotline.settings"]
    validator = RequestValidator(settings.twilio_auth_token)
    return validator.validate(signed_url(), request.form, signature)  # every value of a repeated parameter


def require_twilio_signature(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answer 403 unless the request is signed by Twilio with our auth token."""

    @functools.wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not is_valid_twilio_request():
            logger.warning("rejected unsigned or forged request to %s", request.path)
            abort(403)
        return view(*args, **kwargs)

    return checked
