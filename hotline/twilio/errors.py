"""Requests to Twilio's REST API: what they fail with, deletes that count 404 as done, failures for the log."""

from __future__ import annotations

from collections.abc import Callable

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.response import Response

# What a request to Twilio can fail with: Twilio's answer, or the network on the way.
TWILIO_FAILURES = (TwilioException, requests.RequestException)


def delete_at_twilio(delete: Callable[[], object]) -> None:
    """Run one DELETE at Twilio; Twilio answering 404 (already gone there) is what we want."""
    try:
        delete()
    except TwilioRestException as exc:
        if exc.status != 404:
            raise


def failure_reason(error: Exception) -> str:
    """The HTTP status or the kind of error, for the log: Twilio's message may quote numbers."""
    if isinstance(error, TwilioRestException):
        return f"HTTP {error.status}"
    # A list request that fails carries Twilio's response instead (twilio.base.page).
    response = error.args[1] if len(error.args) > 1 else None
    if isinstance(error, TwilioException) and isinstance(response, Response):
        return f"HTTP {response.status_code}"
    return type(error).__name__
