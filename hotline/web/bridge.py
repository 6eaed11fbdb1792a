"""Click-to-call: Twilio rings the volunteer's own phone, then connects them to the caller.

The admin asks `hotline.twilio.calls.ring_volunteer` to start the outgoing call. When the
volunteer answers, Twilio fetches `/twilio/bridge/<id>/answer`: the volunteer presses 1 (so a
mailbox is never connected to the caller), and only then the caller's number is dialled with the
network's line number as caller ID. What the volunteer hears is `ivr_flows.bridge`, in the
network's own wording. The caller's number appears only inside TwiML, never in a URL.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from flask import Blueprint, Response, current_app, request, url_for

from hotline.line_cache import LineCache
from hotline.models import CallbackRequest
from hotline.services import audit
from hotline.twilio.calls import BRIDGE_PATH, line_number
from hotline.web import request_db, twiml, urls
from hotline.web.signatures import require_twilio_signature
from ivr_flows import bridge
from ivr_flows.actions import Action, Dial
from ivr_flows.speaking import Speaker

logger = logging.getLogger(__name__)

bp = Blueprint("bridge", __name__, url_prefix=BRIDGE_PATH)


@bp.post("/<int:request_id>/answer")
@require_twilio_signature
def answer(request_id: int) -> Response:
    """The volunteer picked up: ask for a 1 before connecting anyone."""
    request_ = request_db.session().get(CallbackRequest, request_id)
    return _render(bridge.answered(_speaker(request_), _bridge(request_)), request_id)


@bp.post("/<int:request_id>/connect")
@require_twilio_signature
def connect(request_id: int) -> Response:
    """The volunteer pressed a key (or none): with 1, dial the caller from the network's line number."""
    request_ = request_db.session().get(CallbackRequest, request_id)
    actions = bridge.pressed(_speaker(request_), request.form.get("Digits", ""), _bridge(request_))
    if request_ is not None and any(isinstance(action, Dial) for action in actions):
        audit.record(request_db.session(), "call_connected", "callback_request", request_.id,
                     network_id=request_.network_id)
    return _render(actions, request_id)


@bp.post("/<int:request_id>/dialed")
@require_twilio_signature
def dialed(request_id: int) -> Response:
    """The call with the caller ended (or never started): remind the volunteer to log it."""
    status = request.form.get("DialCallStatus", "")
    logger.info("request %s: bridged call ended with %s", request_id, status)
    request_ = request_db.session().get(CallbackRequest, request_id)
    return _render(bridge.dialed(_speaker(request_), talked=status == "completed"), request_id)


@bp.post("/<int:request_id>/status")
@require_twilio_signature
def status(request_id: int) -> Response:
    """Twilio's status callback for the outgoing call; only logged."""
    logger.info("request %s: outgoing call %s is %s", request_id,
                request.form.get("CallSid", "?"), request.form.get("CallStatus", "?"))
    return twiml.http_response(twiml.empty())


def _bridge(request_: CallbackRequest | None) -> bridge.Bridge | None:
    """The request as the bridge may connect it now: claimed, with a caller and a line number."""
    if request_ is None or request_.status != "claimed" or not request_.number:
        return None
    if request_.network is None or not request_.network.phone_numbers:
        return None
    return bridge.Bridge(caller=request_.number, line_number=line_number(request_))


def _speaker(request_: CallbackRequest | None) -> Speaker:
    """The network's own wording and recordings (from the line its callers hear), else the standard texts."""
    if request_ is None or request_.network is None or not request_.network.phone_numbers:
        return Speaker({}, {})
    lines: LineCache = current_app.extensions["hotline.lines"]
    _revision, line = lines.line(request_db.session(), line_number(request_), url_base=request.host_url,
                                 audio_url=urls.prompt_audio)
    return Speaker(line.content.prompt_overrides, line.content.prompt_audio)


def _render(actions: Sequence[Action], request_id: int) -> Response:
    settings = current_app.extensions["hotline.settings"]
    targets = twiml.Urls(step=url_for("bridge.connect", request_id=request_id),
                         dialed=url_for("bridge.dialed", request_id=request_id))
    # The volunteer hears the normal speaking rate: the slower one is for callers, many of whom are
    # hard of hearing, while the volunteer knows the line and is waiting to be connected.
    document = twiml.render(actions, targets, settings.voice, rate=None)
    return twiml.http_response(twiml.checked_xml(document))
