"""process_voicemail on the real Korean model: from a reported recording to a stored transcript."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from hotline.db import utcnow
from hotline.models import CallbackRequest, Voicemail
from hotline.twilio.client import TwilioGateway
from hotline.voicemail.pipeline import process_voicemail
from hotline.voicemail.upkeep import stuck_voicemails

from tests.speech_jobs.speech_jobs_support import FakeTwilioTransport, arrange, reload, silence_wav

pytestmark = pytest.mark.speech


def test_speech_becomes_a_transcript_with_word_confidences(app, settings, db_session, media, synthesize,
                                                           transport):
    audio = synthesize().read_bytes()
    voicemail_id, request_id = arrange(db_session, media, audio)
    settings = replace(settings, twilio_delete_recordings=True)

    twilio = TwilioGateway(settings, transport)
    assert process_voicemail(app.extensions["hotline.db"], settings, voicemail_id, twilio=twilio) is None

    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert voicemail.state == "transcribed"
    assert voicemail.transcript
    assert voicemail.error is None
    assert voicemail.transcript.split() == [w["word"] for w in voicemail.transcript_words]
    assert all(0 <= w["conf"] <= 1 and w["start"] <= w["end"] for w in voicemail.transcript_words)
    assert voicemail.transcript_confidence == pytest.approx(
        sum(w["conf"] for w in voicemail.transcript_words) / len(voicemail.transcript_words))
    assert voicemail.attempts == 1
    assert voicemail.local_path == f"recordings/{voicemail.recording_sid}.wav"
    assert (settings.data_dir / voicemail.local_path).read_bytes() == audio
    assert media.requests == [(f"/2010-04-01/Accounts/{settings.twilio_account_sid}/Recordings/"
                               f"{voicemail.recording_sid}.wav", True)]
    assert transport.deletes() == [f"https://api.twilio.com/2010-04-01/Accounts/{settings.twilio_account_sid}"
                                   f"/Recordings/{voicemail.recording_sid}.json"]
    assert transport.requests[0]["auth"] == (settings.twilio_account_sid, settings.twilio_auth_token)
    assert voicemail.remote_deleted_at is not None
    request = reload(db_session, CallbackRequest, request_id)
    assert (request.status, request.urgent) == ("open", False)


def test_silence_is_an_empty_transcript(app, settings, db_session, media, tmp_path):
    voicemail_id, _ = arrange(db_session, media, silence_wav(tmp_path))

    process_voicemail(app.extensions["hotline.db"], settings, voicemail_id)

    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert (voicemail.state, voicemail.transcript, voicemail.transcript_confidence,
            voicemail.transcript_words) == ("transcribed", "", None, [])


def test_corrupt_audio_fails_for_good_and_keeps_file_and_request(app, settings, db_session, media, transport):
    # A RIFF/WAVE file (so the download passes) in 32-bit float, which no telephone recording is.
    corrupt = b"RIFF" + (100).to_bytes(4, "little") + b"WAVEfmt " + (16).to_bytes(4, "little") + \
        bytes.fromhex("0300 0100 401f0000 007d0000 0400 2000") + b"data" + (64).to_bytes(4, "little") + b"\0" * 64
    voicemail_id, request_id = arrange(db_session, media, corrupt)

    process_voicemail(app.extensions["hotline.db"], replace(settings, twilio_delete_recordings=True),
                      voicemail_id, twilio=TwilioGateway(settings, transport))

    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert voicemail.state == "failed"
    assert "unsupported WAV encoding" in voicemail.error
    assert (settings.data_dir / voicemail.local_path).read_bytes() == corrupt
    assert transport.requests == []  # Twilio keeps its copy: ours is not usable
    request = reload(db_session, CallbackRequest, request_id)
    assert (request.status, request.voicemail_id) == ("open", voicemail_id)


def test_a_download_that_is_not_audio_fails_with_the_reason(app, settings, db_session, media):
    voicemail_id, request_id = arrange(db_session, media, b"<html>" + b"x" * 200 + b"</html>")

    process_voicemail(app.extensions["hotline.db"], settings, voicemail_id)

    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert voicemail.state == "failed"
    assert "did not return a WAV recording" in voicemail.error
    assert voicemail.local_path is None
    assert reload(db_session, CallbackRequest, request_id).status == "open"


def test_a_host_not_allowed_is_refused_without_a_request(app, settings, db_session, media):
    sid = "RE" + "a" * 32
    url = media.add(sid, b"RIFF", host="localhost")  # the same server, under a name not allowed
    voicemail_id, _ = arrange(db_session, media, b"", recording_sid=sid, source_url=url)

    process_voicemail(app.extensions["hotline.db"], settings, voicemail_id)

    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert voicemail.state == "failed"
    assert "not in the allowed recording hosts" in voicemail.error
    assert media.requests == []


def test_wrong_credentials_are_not_accepted_by_twilio(app, settings, db_session, media, synthesize):
    voicemail_id, _ = arrange(db_session, media, synthesize().read_bytes())

    process_voicemail(app.extensions["hotline.db"], replace(settings, twilio_auth_token="wrong"), voicemail_id)

    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert (voicemail.state, media.requests[0][1]) == ("failed", False)
    assert "HTTP 401" in voicemail.error


def test_a_missing_row_is_logged_and_skipped(app, settings, caplog):
    assert process_voicemail(app.extensions["hotline.db"], settings, 987654) is None
    assert "987654 no longer exists" in caplog.text


def test_running_twice_gives_one_transcript(app, settings, db_session, media, synthesize):
    voicemail_id, _ = arrange(db_session, media, synthesize().read_bytes())
    database = app.extensions["hotline.db"]

    process_voicemail(database, settings, voicemail_id)
    first = reload(db_session, Voicemail, voicemail_id).transcript
    process_voicemail(database, settings, voicemail_id)

    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert (voicemail.state, voicemail.transcript, voicemail.attempts) == ("transcribed", first, 1)
    assert len(media.requests) == 1


def test_a_failed_delete_at_twilio_does_not_block_and_is_retried(app, settings, db_session, media, synthesize):
    voicemail_id, _ = arrange(db_session, media, synthesize().read_bytes())
    settings = replace(settings, twilio_delete_recordings=True)
    database = app.extensions["hotline.db"]

    failing = TwilioGateway(settings, FakeTwilioTransport(delete_status=500))
    process_voicemail(database, settings, voicemail_id, twilio=failing)
    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert (voicemail.state, voicemail.remote_deleted_at) == ("transcribed", None)

    later = utcnow() + timedelta(minutes=settings.speech_stuck_minutes + 1)
    assert stuck_voicemails(db_session, settings, later) == [voicemail_id]
    working = FakeTwilioTransport()
    process_voicemail(database, settings, voicemail_id, twilio=TwilioGateway(settings, working))

    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert len(working.deletes()) == 1
    assert voicemail.remote_deleted_at is not None
    assert (voicemail.attempts, len(media.requests)) == (1, 1)
    assert stuck_voicemails(db_session, settings, later) == []


def test_without_a_model_it_waits_visibly_then_the_sweeper_finishes_it(app, settings, db_session, media,
                                                                       synthesize, model_dir):
    voicemail_id, _ = arrange(db_session, media, synthesize().read_bytes())
    settings = replace(settings, vosk_model_path=None)
    database = app.extensions["hotline.db"]

    process_voicemail(database, settings, voicemail_id)
    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert (voicemail.state, voicemail.transcript) == ("no_model", None)
    assert (settings.data_dir / voicemail.local_path).is_file()
    later = utcnow() + timedelta(minutes=6)
    assert stuck_voicemails(db_session, settings, later) == []

    (settings.data_dir / "models").mkdir()
    (settings.data_dir / "models" / "current").symlink_to(model_dir, target_is_directory=True)
    assert stuck_voicemails(db_session, settings, later) == [voicemail_id]
    process_voicemail(database, settings, voicemail_id)

    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert voicemail.state == "transcribed"
    assert voicemail.transcript
    assert (voicemail.attempts, len(media.requests)) == (2, 1)
