"""A fake Twilio transport holding an account's incoming phone numbers, under the real client."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from twilio.http import HttpClient
from twilio.http.response import Response

BASE = "https://hotline.example.org"
FALLBACK = "https://handler.twilio.com/twiml/EH" + "a" * 32


def number_json(account_sid: str, n: int, e164: str, **values: str) -> dict[str, Any]:
    """An IncomingPhoneNumber resource as Twilio's REST API returns it (webhooks empty unless given)."""
    sid = f"PN{n:032d}"
    return {"account_sid": account_sid, "sid": sid, "phone_number": e164, "friendly_name": e164,
            "voice_url": "", "voice_method": "POST", "status_callback": "", "status_callback_method": "POST",
            "voice_fallback_url": "", "voice_fallback_method": "POST", "voice_application_sid": "",
            "uri": f"/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers/{sid}.json", **values}


class FakeTwilioNumbers(HttpClient):
    """Lists the numbers and applies POSTed updates as Twilio does; remembers every request."""

    def __init__(self, numbers: list[dict[str, Any]], status: int = 200) -> None:
        super().__init__(logger=None, is_async=False)
        self.numbers = {number["sid"]: number for number in numbers}
        self.status = status
        self.requests: list[dict[str, Any]] = []

    def request(self, method, uri, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        """Answer GET IncomingPhoneNumbers.json and POST IncomingPhoneNumbers/PN….json."""
        self.requests.append({"method": method, "uri": uri, "data": data, "auth": auth})
        if self.status >= 400:
            return Response(self.status, json.dumps({"code": 20003, "message": "Authenticate",
                                                     "status": self.status}))
        path = urlsplit(uri).path
        if method == "GET" and path.endswith("/IncomingPhoneNumbers.json"):
            numbers = list(self.numbers.values())
            return Response(200, json.dumps({
                "incoming_phone_numbers": numbers, "next_page_uri": None, "page": 0, "page_size": 50,
                "first_page_uri": path, "previous_page_uri": None, "start": 0, "end": len(numbers), "uri": path,
            }))
        sid = path.rsplit("/", 1)[-1].removesuffix(".json")
        if method == "POST" and sid in self.numbers:
            names = {"VoiceUrl": "voice_url", "VoiceMethod": "voice_method", "StatusCallback": "status_callback",
                     "StatusCallbackMethod": "status_callback_method", "VoiceFallbackUrl": "voice_fallback_url",
                     "VoiceFallbackMethod": "voice_fallback_method", "VoiceApplicationSid": "voice_application_sid"}
            self.numbers[sid].update({names[key]: value for key, value in data.items()})
            return Response(200, json.dumps(self.numbers[sid]))
        return Response(404, json.dumps({"code": 20404, "message": "not found", "status": 404}))

    def posts(self) -> list[tuple[str, dict[str, str]]]:
        """(URI, form data) of each update sent."""
        return [(r["uri"], dict(r["data"])) for r in self.requests if r["method"] == "POST"]


def connected(account_sid: str, n: int, e164: str, **values: str) -> dict[str, Any]:
    """A number whose webhooks point at BASE, with the fallback set."""
    webhooks = {"voice_url": BASE + "/twilio/voice", "status_callback": BASE + "/twilio/status",
                "voice_fallback_url": FALLBACK}
    return number_json(account_sid, n, e164, **{**webhooks, **values})
