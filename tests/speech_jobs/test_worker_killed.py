"""A worker killed with SIGKILL mid-transcription: after a restart every voicemail is transcribed once."""

import signal
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from hotline.db import utcnow
from hotline.jobs import create_jobs
from hotline.models import Voicemail

from tests.factories import make_voicemail
from tests.speech_jobs.speech_jobs_support import speech_worker_variables
from tests.support import poll, start_worker, worker_environment

pytestmark = pytest.mark.speech

MESSAGES = 3


def _states(database):
    with database.session_scope() as session:
        return dict(session.execute(select(Voicemail.id, Voicemail.state)).all())


def _wait(database, done, seconds):
    return poll(lambda: _states(database), done, seconds=seconds, interval=0.1)


def test_killed_worker_leaves_nothing_untranscribed_or_twice(tmp_path, model_dir, media, synthesize, settings):
    env, worker_settings, database = worker_environment(tmp_path, **speech_worker_variables(model_dir, settings))
    audio = synthesize().read_bytes()
    with database.session_scope() as session:
        ids = []
        for _ in range(MESSAGES):
            voicemail = make_voicemail(session)
            voicemail.source_url = media.add(voicemail.recording_sid, audio)
            ids.append(voicemail.id)
    jobs = create_jobs(worker_settings, database)
    for voicemail_id in ids:
        jobs.process_voicemail(voicemail_id)

    first = start_worker(env, tmp_path, threads=1)
    try:
        # Kill it the moment a message is on disk but not yet transcribed: mid-job.
        states = _wait(database, lambda s: "downloaded" in s.values(), seconds=60)
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
    assert "downloaded" in states.values(), states
    assert list(states.values()).count("transcribed") < MESSAGES

    # The lost job's row looks stuck once its lease and the sweeper's limit have passed.
    with database.session_scope() as session:
        long_ago = utcnow() - timedelta(hours=1)
        session.execute(update(Voicemail).where(Voicemail.state != "transcribed")
                        .values(state_changed_at=long_ago, attempted_at=long_ago, lease_until=long_ago))
    jobs.sweep_voicemails()
    second = start_worker(env, tmp_path, threads=1)
    try:
        states = _wait(database, lambda s: set(s.values()) == {"transcribed"}, seconds=120)
    finally:
        second.send_signal(signal.SIGINT)
        output = second.communicate(timeout=30)[0]
        jobs.queue.flush()
    with database.session_scope() as session:
        transcripts = session.scalars(select(Voicemail.transcript)).all()
        rows = session.scalar(select(func.count()).select_from(Voicemail))
    database.dispose()
    assert set(states.values()) == {"transcribed"}, output
    assert rows == MESSAGES
    assert all(transcripts)
