"""Requests to Twilio's REST API: what they fail with, deletes that count 404 as done, failures for the log."""

from __future__ import annotations

from collections.abc import Callable

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException

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
    return f"HTTP {error.status}" if isinstance(error, TwilioRestException) else type(error).__name__
