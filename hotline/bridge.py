"""Click-to-call: Twilio rings the volunteer's own phone, then connects them to the caller.

The admin asks `ring_volunteer` to start the outgoing call through Twilio's REST API. When the
volunteer answers, Twilio fetches `/twilio/bridge/<id>/answer`: the volunteer presses 1 (so a
mailbox is never connected to the caller), and only then the caller's number is dialled with the
network's line number as caller ID. The caller's number appears only inside TwiML, never in a URL.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, request, url_for
from sqlalchemy.orm import Session
from twilio.base.exceptions import TwilioException
from twilio.http import HttpClient
from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse

from hotline import twiml, web_db
from hotline.config import Settings
from hotline.models import CallbackRequest, OutgoingCall, User
from hotline.services import audit
from hotline.twilio_auth import require_twilio_signature

logger = logging.getLogger(__name__)

bp = Blueprint("bridge", __name__, url_prefix="/twilio/bridge")

RING_TIMEOUT_SECONDS = 30
PRESS_TIMEOUT_SECONDS = 10
HTTP_CLIENT_KEY = "hotline.twilio_http_client"


class BridgeUnavailable(Exception):
    """Calling through the hotline is not possible; the message says why (German)."""


def init_app(app: Flask) -> None:
    """Register the bridge webhooks; tests may put a fake Twilio transport under HTTP_CLIENT_KEY."""
    app.register_blueprint(bp)
    app.extensions.setdefault(HTTP_CLIENT_KEY, None)


def unavailable_reason(settings: Settings, request_: CallbackRequest, user: User) -> str | None:
    """Why the call button cannot work (German), or None when it can."""
    if not settings.twilio_account_sid or not settings.public_base_url:
        return ("Anrufen über die Hotline ist nicht eingerichtet "
                "(TWILIO_ACCOUNT_SID und PUBLIC_BASE_URL fehlen).")
    if not user.phone:
        return "Tragen Sie zuerst Ihre eigene Telefonnummer im Profil ein."
    if request_.network is None or not request_.network.phone_numbers:
        return "Für dieses Netzwerk ist keine Hotline-Nummer eingetragen."
    if not request_.number:
        return "Die Nummer der anrufenden Person ist nicht bekannt."
    return None


@dataclass(frozen=True)
class StartedCall:
    """The outgoing call Twilio accepted."""

    sid: str


def ring_volunteer(session: Session, settings: Settings, request_: CallbackRequest, user: User,
                   http_client: HttpClient | None = None) -> StartedCall:
    """Ask Twilio to ring the volunteer's phone; answering leads into the bridge TwiML."""
    reason = unavailable_reason(settings, request_, user)
    if reason:
        raise BridgeUnavailable(reason)
    client = Client(settings.twilio_account_sid, settings.twilio_auth_token,
                    http_client=http_client)
    base = f"{settings.public_base_url}{bp.url_prefix}/{request_.id}"
    try:
        call = client.calls.create(
            to=user.phone,
            from_=_line_number(request_),
            url=f"{base}/answer",
            method="POST",
            status_callback=f"{base}/status",
            status_callback_method="POST",
            status_callback_event=["initiated", "answered", "completed"],
            timeout=RING_TIMEOUT_SECONDS,
        )
    except TwilioException as error:
        logger.warning("request %s: Twilio refused the outgoing call: %s", request_.id,
                       type(error).__name__)
        raise BridgeUnavailable("Twilio hat den Anruf nicht angenommen. Bitte später noch einmal "
                                "versuchen oder die Nummer selbst wählen.") from error
    session.add(OutgoingCall(call_sid=call.sid, request_id=request_.id))  # for the retention at Twilio
    audit.record(session, "call_started", "callback_request", request_.id, actor_id=user.id,
                 network_id=request_.network_id, call_sid=call.sid)
    logger.info("request %s: outgoing call %s to user %s", request_.id, call.sid, user.id)
    return StartedCall(sid=call.sid)


def _line_number(request_: CallbackRequest) -> str:
    return request_.network.phone_numbers[0].e164  # type: ignore[union-attr]


def _say(response: VoiceResponse, text: str) -> None:
    settings = current_app.extensions["hotline.settings"]
    # Volunteers hear the normal rate; callers get the slower one of hotline.twiml.
    response.say(text, language=twiml.LANGUAGE, voice=settings.voice)


def _bridgeable(request_id: int) -> CallbackRequest | None:
    request_ = web_db.session().get(CallbackRequest, request_id)
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
    dial = response.dial(caller_id=_line_number(request_), timeout=RING_TIMEOUT_SECONDS,
                         method="POST", action=url_for("bridge.dialed", request_id=request_id))
    dial.number(request_.number)
    audit.record(web_db.session(), "call_connected", "callback_request", request_.id,
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
