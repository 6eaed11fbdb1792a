"""Fixtures for the voicemail job: the speech tests' real Korean model and espeak-ng audio, a fake
Twilio media server, a fake Twilio REST transport, and an app wired to them (and to the local SMTP server)."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from speech_jobs_support import FakeTwilioTransport, MediaServer

from hotline import create_app
from hotline.config import Settings
from hotline.db import Database

# Reuse the speech tests' fixtures (model copy with dither 0, synthesized speech) as they are.
_SPEECH_TESTS = Path(__file__).resolve().parents[1] / "speech"
sys.path.insert(0, str(_SPEECH_TESTS))
_spec = importlib.util.spec_from_file_location("speech_test_fixtures", _SPEECH_TESTS / "conftest.py")
_fixtures = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]  # the spec of an existing file
_spec.loader.exec_module(_fixtures)  # type: ignore[union-attr]  # a file spec has a loader
model_dir = _fixtures.model_dir
synthesize = _fixtures.synthesize


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
