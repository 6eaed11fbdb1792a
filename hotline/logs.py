"""Logs without personal data: phone numbers are shortened, call state is left out of URLs."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from gunicorn.glogging import Logger as GunicornLogger

if TYPE_CHECKING:
    from gunicorn.glogging import _AtomsDict  # the stubs' name for the access log's fields

# A stand-alone run of 6+ digits, optionally with a leading plus: a phone number, not part of a SID.
_PHONE_NUMBER = re.compile(r"(?<![\w+])\+?\d{6,15}(?!\w)")
# Twilio step URLs carry the call's state in their last path segment (it may hold typed digits).
_STATE_SEGMENT = re.compile(r"(/twilio/[\w-]+/)[^/?\s]+")


def redact(text: str) -> str:
    """Replace phone numbers by their last two digits and drop call state from Twilio URLs."""
    text = _STATE_SEGMENT.sub(r"\1…", text)
    return _PHONE_NUMBER.sub(lambda match: "…" + match.group()[-2:], text)


class RedactingFilter(logging.Filter):
    """A handler filter that redacts every record before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message in place; never drop a record."""
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """Log to stderr with timestamps, every line redacted (web processes and the worker)."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Alembic announces every plugin it loads on each start; only its warnings matter here.
    logging.getLogger("alembic").setLevel(max(level, logging.WARNING))
    install_redaction()


def install_redaction(logger: logging.Logger | None = None) -> None:
    """Add the redacting filter to every handler of `logger` (default: the root logger)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


class RedactingGunicornLogger(GunicornLogger):
    """Gunicorn's logger, with call state and phone numbers kept out of access and error logs."""

    def setup(self, cfg) -> None:  # noqa: ANN001 - gunicorn's config object
        """Set up gunicorn's handlers, then redact everything they write."""
        super().setup(cfg)
        install_redaction(self.access_log)
        install_redaction(self.error_log)

    def atoms(self, resp, req, environ, request_time) -> _AtomsDict:  # noqa: ANN001
        """Gunicorn's access log fields, with the request line and path redacted."""
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U"):
            atoms[key] = redact(str(atoms[key]))
        return atoms
