"""A job holds a lease on its voicemail: a killed worker's voicemail is taken up again within minutes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hotline.db import utcnow
from hotline.models import Voicemail
from hotline.voicemail.pipeline import LEASE, process_voicemail
from hotline.voicemail.upkeep import stuck_voicemails

from tests.speech_jobs.speech_jobs_support import arrange, reload, silence_wav


def test_a_killed_worker_s_voicemail_is_downloaded_once_soon_after_its_lease_ends(
        app, settings, db_session, media, tmp_path):
    settings = replace(settings, vosk_model_path=None)  # no model: the job stops after the download
    started = utcnow() - LEASE - timedelta(minutes=1)  # then the worker was killed mid-download
    voicemail_id, _ = arrange(db_session, media, silence_wav(tmp_path), attempts=1, attempted_at=started,
                              lease_until=started + LEASE)
    voicemail = reload(db_session, Voicemail, voicemail_id)
    partial = settings.data_dir / "recordings" / f".{voicemail.recording_sid}.wav.k1ll3d.part"
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"RIFF half a download")

    # Its job is gone, the lease is left: while it runs the sweeper waits, then starts it again.
    assert stuck_voicemails(db_session, settings, started + LEASE / 2) == []
    now = utcnow()
    assert now - started < timedelta(minutes=settings.speech_stuck_minutes)
    assert stuck_voicemails(db_session, settings, now) == [voicemail_id]

    process_voicemail(app.extensions["hotline.db"], settings, voicemail_id)
    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert (voicemail.state, voicemail.lease_until, len(media.requests)) == ("no_model", None, 1)
    assert not partial.exists()
    assert (settings.data_dir / voicemail.local_path).is_file()


def test_a_voicemail_under_a_live_lease_is_left_to_its_job(app, settings, db_session, media, tmp_path):
    now = utcnow()
    voicemail_id, _ = arrange(db_session, media, silence_wav(tmp_path), lease_until=now + LEASE)
    process_voicemail(app.extensions["hotline.db"], settings, voicemail_id)
    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert (voicemail.state, voicemail.attempts, media.requests) == ("reported", 0, [])
