"""The one gateway to Twilio's REST API: the only place that builds a `twilio.rest.Client`."""

from __future__ import annotations

from typing import TypeAlias

from twilio.http import HttpClient
from twilio.rest import Client

from hotline.config import Settings

# The client's type, for the modules of this package that pass one around.
RestClient: TypeAlias = Client


class TwilioGateway:
    """Twilio's REST API for the account in the settings.

    One instance serves the app and its jobs. `transport` is the one seam for tests: they put a
    fake HTTP transport under the real client, so requests are built exactly as in production.
    """

    def __init__(self, settings: Settings, transport: HttpClient | None = None) -> None:
        self.settings = settings
        self.transport = transport

    @property
    def configured(self) -> bool:
        """Whether an account is set, so REST requests can be made at all."""
        return bool(self.settings.twilio_account_sid)

    def client(self) -> RestClient:
        """A REST client for the account (cheap: it opens no connection until a request)."""
        return RestClient(self.settings.twilio_account_sid, self.settings.twilio_auth_token,
                      http_client=self.transport)
