"""Click-to-call: Twilio rings the volunteer's own phone, then connects them to the caller.

The admin asks `hotline.twilio.calls.ring_volunteer` to start the outgoing call. When the
volunteer answers, Twilio fetches `/twilio/bridge/<id>/answer`: the volunteer presses 1 (so a
mailbox is never connected to the caller), and only then the caller's number is dialled with the
network's line number as caller ID. The caller's number appears only inside TwiML, never in a URL.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, request, url_for
from twilio.twiml.voice_response import VoiceResponse

from hotline.models import CallbackRequest
from hotline.services import audit
from hotline.twilio.calls import BRIDGE_PATH, RING_TIMEOUT_SECONDS, line_number
from hotline.web import request_db, twiml
from hotline.web.signatures import require_twilio_signature

logger = logging.getLogger(__name__)

bp = Blueprint("bridge", __name__, url_prefix=BRIDGE_PATH)

PRESS_TIMEOUT_SECONDS = 10


def _say(response: VoiceResponse, text: str) -> None:
    settings = current_app.extensions["hotline.settings"]
    # Volunteers hear the normal rate; callers get the slower one of hotline.web.twiml.
    response.say(text, language=twiml.LANGUAGE, voice=settings.voice)


def _bridgeable(request_id: int) -> CallbackRequest | None:
    request_ = request_db.session().get(CallbackRequest, request_id)
    if request_ is None or request_.status != "claimed" or not request_.number:
        return None
    if request_.network is None or not request_.network.phone_numbers:
        return None
    return request_


@bp.post("/<int:request_id>/answer")
@require_twilio_signature
def answer(request_id: int) -> Response:
    """The volunteer picked up: ask for a 1 before connecting anyone."""
    response = VoiceResponse()
    if _bridgeable(request_id) is None:
        _say(response, "Dieser Rückruf ist nicht mehr für Sie reserviert. Auf Wiederhören.")
        response.hangup()
        return twiml.http_response(response)
    gather = response.gather(num_digits=1, timeout=PRESS_TIMEOUT_SECONDS, method="POST",
                             action=url_for("bridge.connect", request_id=request_id))
    _say(gather, "Hier ist die Hotline. Sie haben einen Rückruf gestartet. "
                 "Drücken Sie jetzt die 1, dann verbinde ich Sie mit der anrufenden Person.")
    _say(response, "Ich habe keine Eingabe gehört. Der Rückruf wird nicht verbunden. "
                   "Auf Wiederhören.")
    response.hangup()
    return twiml.http_response(response)


@bp.post("/<int:request_id>/connect")
@require_twilio_signature
def connect(request_id: int) -> Response:
    """The volunteer pressed a key: with 1, dial the caller from the network's line number."""
    response = VoiceResponse()
    request_ = _bridgeable(request_id)
    if request.form.get("Digits") != "1" or request_ is None:
        _say(response, "Der Rückruf wird nicht verbunden. Auf Wiederhören.")
        response.hangup()
        return twiml.http_response(response)
    _say(response, "Einen Moment, ich verbinde.")
    dial = response.dial(caller_id=line_number(request_), timeout=RING_TIMEOUT_SECONDS,
                         method="POST", action=url_for("bridge.dialed", request_id=request_id))
    dial.number(request_.number)
    audit.record(request_db.session(), "call_connected", "callback_request", request_.id,
                 network_id=request_.network_id)
    return twiml.http_response(response)


@bp.post("/<int:request_id>/dialed")
@require_twilio_signature
def dialed(request_id: int) -> Response:
    """The call with the caller ended (or never started): remind the volunteer to log it."""
    status = request.form.get("DialCallStatus", "")
    logger.info("request %s: bridged call ended with %s", request_id, status)
    response = VoiceResponse()
    if status == "completed":
        _say(response, "Das Gespräch ist beendet. Bitte tragen Sie das Ergebnis in der "
                       "Verwaltung ein. Vielen Dank.")
    else:
        _say(response, "Die angerufene Person hat nicht abgenommen. Bitte tragen Sie das "
                       "Ergebnis in der Verwaltung ein.")
    response.hangup()
    return twiml.http_response(response)


@bp.post("/<int:request_id>/status")
@require_twilio_signature
def status(request_id: int) -> Response:
    """Twilio's status callback for the outgoing call; only logged."""
    logger.info("request %s: outgoing call %s is %s", request_id,
                request.form.get("CallSid", "?"), request.form.get("CallStatus", "?"))
    return twiml.http_response(VoiceResponse())
