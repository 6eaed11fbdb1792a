"""What a withheld caller types (postal code, callback number) never travels in a URL Twilio logs."""

from __future__ import annotations

import base64
import re

from sqlalchemy import select

from hotline.models import Call, CallbackRequest
from ivr_flows import CallState

from tests.voice_support import CITY_LINE

POSTAL_CODE = "40223"  # shared by Bilk and Gerresheim below: the caller then chooses, the code is kept
FIRST_NUMBER, SECOND_NUMBER = "02214710888", "02214710777"
_STATE_IN_PATH = re.compile(r"/twilio/(?:step|recorded|dialed)/([^/?]+)")


def _decoded(url: str) -> str:
    """The URL with its state decoded, as anyone reading Twilio's request log could decode it."""
    match = _STATE_IN_PATH.search(url)
    if match is None:
        return url
    encoded = match.group(1)
    raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    state = CallState.decode(encoded)
    return f"{url} {raw} {state}"


def test_a_withheld_callers_typed_digits_are_in_no_url_of_the_journey(bilk, gerresheim, phone, db_session):
    gerresheim.postal_codes = [*gerresheim.postal_codes, POSTAL_CODE]
    db_session.commit()
    call = phone(to=CITY_LINE, caller="anonymous").dial().press(POSTAL_CODE)
    assert "Bitte wählen Sie Ihren Stadtteil." in call.text
    call.press("1", "3", "1").record(seconds=15)
    call.press(FIRST_NUMBER)
    assert "Sie haben eingegeben: null zwo zwo" in call.text  # read back from the Call row
    call.press("2", SECOND_NUMBER)
    assert "Sie haben eingegeben: null zwo zwo" in call.text
    call.press("1", "2")
    assert call.doc.find("Hangup") is not None

    db_session.expire_all()
    [request] = db_session.scalars(select(CallbackRequest))
    assert request.number == "+49" + SECOND_NUMBER[1:]
    assert request.network_id == bilk.id
    assert len(call.urls) >= 8
    typed = (POSTAL_CODE, FIRST_NUMBER, SECOND_NUMBER, FIRST_NUMBER[1:], SECOND_NUMBER[1:], "4710")
    for url in call.urls:
        decoded = _decoded(url)
        assert not any(digits in decoded for digits in typed), decoded


def test_typed_digits_are_forgotten_when_the_call_ends(bilk, phone, db_session):
    call = phone(caller="anonymous").dial().press("0", FIRST_NUMBER)
    db_session.expire_all()
    assert db_session.scalar(select(Call.typed_digits)) == FIRST_NUMBER  # only while the call lasts
    call.hang_up()
    db_session.expire_all()
    assert db_session.scalar(select(Call.typed_digits)) is None
