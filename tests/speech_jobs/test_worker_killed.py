"""A worker killed with SIGKILL mid-transcription: after a restart every voicemail is transcribed once."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

from sqlalchemy import func, select, update

from hotline.config import Settings
from hotline.db import Database, utcnow
from hotline.jobs import create_jobs
from hotline.models import Voicemail

from factories import make_voicemail

MESSAGES = 3


def _start_worker(env, cwd):
    return subprocess.Popen(
        [sys.executable, "-c", "from hotline.cli import main; main()", "worker", "--threads", "1"],
        env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def _states(database):
    with database.session_scope() as session:
        return dict(session.execute(select(Voicemail.id, Voicemail.state)).all())


def _wait(database, done, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        states = _states(database)
        if done(states):
            return states
        time.sleep(0.1)
    return _states(database)


def test_killed_worker_leaves_nothing_untranscribed_or_twice(tmp_path, model_dir, media, synthesize, settings):
    env = {**os.environ, "HOTLINE_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}",
           "VOSK_MODEL_PATH": str(model_dir), "TWILIO_RECORDING_HOSTS": "127.0.0.1",
           "TWILIO_ACCOUNT_SID": settings.twilio_account_sid, "TWILIO_AUTH_TOKEN": settings.twilio_auth_token,
           "TWILIO_DELETE_RECORDINGS": "false"}
    env.pop("REDIS_URL", None)
    worker_settings = Settings.from_env(env, read_dotenv=False)
    database = Database(worker_settings.database_url)
    database.upgrade()
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

    first = _start_worker(env, tmp_path)
    try:
        # Kill it the moment a message is on disk but not yet transcribed: mid-job.
        states = _wait(database, lambda s: "downloaded" in s.values(), seconds=60)
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
    assert "downloaded" in states.values(), states
    assert list(states.values()).count("transcribed") < MESSAGES

    # The lost job's row looks stuck once the sweeper's limit has passed.
    with database.session_scope() as session:
        long_ago = utcnow() - timedelta(hours=1)
        session.execute(update(Voicemail).where(Voicemail.state != "transcribed")
                        .values(state_changed_at=long_ago, attempted_at=long_ago))
    jobs.sweep_voicemails()
    second = _start_worker(env, tmp_path)
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
