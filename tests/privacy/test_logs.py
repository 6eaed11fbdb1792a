"""Logs carry no full phone numbers and no call state."""

import logging

import pytest

from hotline.logs import RedactingFilter, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("callback for +492214710977 created", "callback for …77 created"),
        ("typed 0211123456", "typed …56"),
        ("POST /twilio/step/eyJuIjoiY29uZmlybSJ9 HTTP/1.1", "POST /twilio/step/… HTTP/1.1"),
        ("POST /twilio/recorded/eyJ9?x=1", "POST /twilio/recorded/…?x=1"),
        ("call CA0123456789abcdef0123456789abcdef advanced", "call CA0123456789abcdef0123456789abcdef advanced"),
        ("voicemail 42 state transcribed", "voicemail 42 state transcribed"),
        ("POST /twilio/voice HTTP/1.1", "POST /twilio/voice HTTP/1.1"),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected


def test_filter_rewrites_formatted_records():
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("hotline.test_logs")
    logger.addHandler(handler)
    try:
        logger.warning("request %s from %s", 7, "+4915112345678")
    finally:
        logger.removeHandler(handler)
    assert [record.getMessage() for record in records] == ["request 7 from …78"]
