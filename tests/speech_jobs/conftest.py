"""Fixtures for the voicemail job (besides the speech plugin's real Korean model and espeak-ng audio): a fake
Twilio media server, a fake Twilio REST transport, a local SMTP server, and an app wired to them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from hotline import create_app
from hotline.config import Settings
from hotline.db import Database

from tests.speech_jobs.speech_jobs_support import FakeTwilioTransport, MediaServer, free_port


class Inbox:
    """What the local SMTP server received: (recipients, raw message) pairs."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def inbox():
    """A real SMTP server on this machine, collecting what it is sent."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port  # type: ignore[attr-defined]
    yield handler
    controller.stop()


@pytest.fixture
def media(settings: Settings):
    """Twilio's recordings media API, played by a local HTTP server with Basic auth."""
    with MediaServer(settings.twilio_account_sid, settings.twilio_auth_token) as server:
        yield server


@pytest.fixture
def settings(settings: Settings, model_dir: Path, inbox: Inbox) -> Settings:
    """Test settings with the Korean model, the loopback media host and the local SMTP server.

    Deleting at Twilio is off here because jobs run through the queue cannot be handed the fake
    transport; the tests about deletion switch it on and pass the transport themselves.
    """
    return replace(settings, vosk_model_path=model_dir, twilio_recording_hosts=("127.0.0.1",),
                   twilio_delete_recordings=False, smtp_host="127.0.0.1", smtp_port=inbox.port,
                   smtp_from="hotline@example.org", smtp_starttls=False,
                   public_base_url="https://hotline.example.org")


@pytest.fixture
def transport() -> FakeTwilioTransport:
    """A fake transport for the real twilio REST client."""
    return FakeTwilioTransport()


@pytest.fixture
def make_app(settings: Settings, db_session):
    """Build an app for changed settings, sharing the test's transaction."""
    apps = []

    def make(**changes):
        app = create_app(replace(settings, **changes))
        database: Database = app.extensions["hotline.db"]
        database.sessions.configure(bind=db_session.connection(), join_transaction_mode="create_savepoint")
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["hotline.jobs"].queue.flush()
