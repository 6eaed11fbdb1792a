"""Fixtures for the voicemail job (besides the speech plugin's real Korean model and espeak-ng audio): a fake
Twilio media server, a fake Twilio REST transport, and an app wired to them (and to the local SMTP server)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from hotline import create_app
from hotline.config import Settings
from hotline.db import Database

from tests.speech_jobs.speech_jobs_support import FakeTwilioTransport, MediaServer


@pytest.fixture
def media(settings: Settings):
    """Twilio's recordings media API, played by a local HTTP server with Basic auth."""
    with MediaServer(settings.twilio_account_sid, settings.twilio_auth_token) as server:
        yield server


@pytest.fixture
def settings(settings: Settings, model_dir: Path, inbox) -> Settings:
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
