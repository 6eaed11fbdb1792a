"""Click-to-call's outgoing call: Twilio rings the volunteer's own phone (the bridge's first leg).

When the volunteer answers, Twilio fetches the bridge's TwiML under BRIDGE_PATH (hotline.web.bridge).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session
from twilio.base.exceptions import TwilioException

from hotline.config import Settings
from hotline.models import CallbackRequest, OutgoingCall, User
from hotline.services import audit
from hotline.twilio.client import TwilioGateway

logger = logging.getLogger(__name__)

BRIDGE_PATH = "/twilio/bridge"
RING_TIMEOUT_SECONDS = 30


class BridgeUnavailable(Exception):
    """Calling through the hotline is not possible; the message says why (German)."""


def unavailable_reason(settings: Settings, request_: CallbackRequest, user: User) -> str | None:
    """Why the call button cannot work (German), or None when it can."""
    if not settings.twilio_account_sid or not settings.public_base_url:
        # The settings' names belong in the log and the README, not in front of a volunteer.
        return ("Anrufen über die Hotline ist hier noch nicht eingerichtet. Bitte wählen Sie die Nummer "
                "selbst; die technische Betreuung kann es einrichten.")
    if not user.phone:
        return "Tragen Sie zuerst Ihre eigene Telefonnummer im Profil ein."
    if request_.network is None or not request_.network.phone_numbers:
        return "Für dieses Netzwerk ist keine Hotline-Nummer eingetragen."
    if not request_.number:
        return "Die Nummer der anrufenden Person ist nicht bekannt."
    return None


@dataclass(frozen=True)
class Ring:
    """What the outgoing call needs, read from the database before Twilio is asked."""

    request_id: int
    network_id: int | None
    volunteer_id: int
    volunteer_phone: str
    line_number: str


@dataclass(frozen=True)
class StartedCall:
    """The outgoing call Twilio accepted."""

    sid: str


def prepare_ring(settings: Settings, request_: CallbackRequest, user: User) -> Ring:
    """Read what ringing the volunteer needs; raise BridgeUnavailable (German reason) when it cannot work."""
    reason = unavailable_reason(settings, request_, user)
    if reason:
        raise BridgeUnavailable(reason)
    return Ring(request_id=request_.id, network_id=request_.network_id, volunteer_id=user.id,
                volunteer_phone=user.phone or "", line_number=line_number(request_))


def ring_volunteer(twilio: TwilioGateway, ring: Ring) -> StartedCall:
    """Ask Twilio to ring the volunteer's phone; answering leads into the bridge TwiML.

    A REST request: call it with no database transaction open.
    """
    base = f"{twilio.settings.public_base_url}{BRIDGE_PATH}/{ring.request_id}"
    try:
        call = twilio.client().calls.create(
            to=ring.volunteer_phone,
            from_=ring.line_number,
            url=f"{base}/answer",
            method="POST",
            status_callback=f"{base}/status",
            status_callback_method="POST",
            status_callback_event=["initiated", "answered", "completed"],
            timeout=RING_TIMEOUT_SECONDS,
        )
    except TwilioException as error:
        logger.warning("request %s: Twilio refused the outgoing call: %s", ring.request_id,
                       type(error).__name__)
        raise BridgeUnavailable("Der Telefondienst hat den Anruf gerade nicht angenommen. Bitte später "
                                "noch einmal versuchen oder die Nummer selbst wählen.") from error
    logger.info("request %s: outgoing call %s to user %s", ring.request_id, call.sid, ring.volunteer_id)
    return StartedCall(sid=call.sid)


def record_started_call(session: Session, ring: Ring, started: StartedCall) -> None:
    """Keep the started call (for the retention at Twilio) and audit it."""
    session.add(OutgoingCall(call_sid=started.sid, request_id=ring.request_id))
    audit.record(session, "call_started", "callback_request", ring.request_id, actor_id=ring.volunteer_id,
                 network_id=ring.network_id, call_sid=started.sid)


def line_number(request_: CallbackRequest) -> str:
    """The number the network's line answers, shown to both sides of the bridge."""
    assert request_.network is not None, "only requests of a network are bridged (checked before)"
    return request_.network.phone_numbers[0].e164
