"""The account's incoming phone numbers and whether their webhooks point at this service.

`hotline twilio numbers` and `connect`, and `hotline doctor`, ask Twilio through here. Every URL is
compared exactly: Twilio signs requests with the URL it has, and the hotline checks signatures
against PUBLIC_BASE_URL, so a URL that differs in any character fails every call.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from hotline.twilio.client import TwilioGateway

logger = logging.getLogger(__name__)

VOICE_PATH = "/twilio/voice"
STATUS_PATH = "/twilio/status"


@dataclass(frozen=True)
class IncomingNumber:
    """One of the account's numbers, with the webhook settings Twilio has for it."""

    sid: str
    e164: str
    voice_url: str
    voice_method: str
    status_callback: str
    status_callback_method: str
    voice_fallback_url: str
    voice_fallback_method: str
    # When set, Twilio ignores the voice URLs and asks this TwiML App instead.
    voice_application_sid: str

    def voice_connected(self, public_base_url: str) -> bool:
        """Whether incoming calls reach this service's voice webhook by POST."""
        return (not self.voice_application_sid and self.voice_url == public_base_url + VOICE_PATH
                and self.voice_method == "POST")

    def status_connected(self, public_base_url: str) -> bool:
        """Whether call status changes reach this service's status webhook by POST."""
        return self.status_callback == public_base_url + STATUS_PATH and self.status_callback_method == "POST"


def incoming_numbers(twilio: TwilioGateway) -> list[IncomingNumber]:
    """The account's incoming numbers, in E.164 order (raises what a Twilio request raises)."""
    numbers = [
        IncomingNumber(
            sid=number.sid or "", e164=number.phone_number or "",
            voice_url=number.voice_url or "", voice_method=(number.voice_method or "").upper(),
            status_callback=number.status_callback or "",
            status_callback_method=(number.status_callback_method or "").upper(),
            voice_fallback_url=number.voice_fallback_url or "",
            voice_fallback_method=(number.voice_fallback_method or "").upper(),
            voice_application_sid=number.voice_application_sid or "",
        )
        for number in twilio.client().incoming_phone_numbers.stream()
    ]
    return sorted(numbers, key=lambda number: number.e164)


def wanted_webhooks(number: IncomingNumber, public_base_url: str, fallback_url: str | None) -> dict[str, str]:
    """The settings (Twilio's parameter names) that would connect `number`; empty when it is connected."""
    wanted = {
        "VoiceUrl": (number.voice_url, public_base_url + VOICE_PATH),
        "VoiceMethod": (number.voice_method, "POST"),
        "StatusCallback": (number.status_callback, public_base_url + STATUS_PATH),
        "StatusCallbackMethod": (number.status_callback_method, "POST"),
        # Twilio would keep sending calls to the TwiML App instead of the voice URL.
        "VoiceApplicationSid": (number.voice_application_sid, ""),
    }
    if fallback_url is not None:
        wanted["VoiceFallbackUrl"] = (number.voice_fallback_url, fallback_url)
        wanted["VoiceFallbackMethod"] = (number.voice_fallback_method, "POST")
    return {name: value for name, (current, value) in wanted.items() if current != value}


def connect_number(twilio: TwilioGateway, number: IncomingNumber, changes: dict[str, str]) -> None:
    """Set the given webhook settings (from `wanted_webhooks`) on the number at Twilio."""
    parameters = {
        "VoiceUrl": "voice_url", "VoiceMethod": "voice_method", "StatusCallback": "status_callback",
        "StatusCallbackMethod": "status_callback_method", "VoiceApplicationSid": "voice_application_sid",
        "VoiceFallbackUrl": "voice_fallback_url", "VoiceFallbackMethod": "voice_fallback_method",
    }
    twilio.client().incoming_phone_numbers(number.sid).update(
        **{parameters[name]: value for name, value in changes.items()}
    )
    logger.info("connected number %s: %s", number.sid, ", ".join(sorted(changes)))
