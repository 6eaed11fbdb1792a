"""The voicemail job through the real queue (SQLite file queue and Redis): retries with backoff,
duplicates, the sweeper after a killed worker, and a real `hotline worker` with the model preloaded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from hotline.db import Database, utcnow
from hotline.jobs import create_jobs
from hotline.models import Voicemail

from tests.factories import make_voicemail
from tests.speech_jobs.speech_jobs_support import arrange, reload, speech_worker_variables
from tests.support import poll, run_worker, worker_environment

pytestmark = pytest.mark.speech


def run_queue(jobs) -> int:
    """Execute everything enqueued now; return how many tasks ran."""
    ran = 0
    while (task := jobs.queue.dequeue()) is not None:
        jobs.queue.execute(task)
        ran += 1
    return ran


def test_download_failing_twice_is_retried_with_backoff(make_app, queue_backend, db_session, media, synthesize):
    jobs = make_app(redis_url=queue_backend).extensions["hotline.jobs"]
    voicemail_id, _ = arrange(db_session, media, b"")
    sid = reload(db_session, Voicemail, voicemail_id).recording_sid
    media.add(sid, synthesize().read_bytes(), fail_times=2)

    jobs.process_voicemail(voicemail_id)
    assert run_queue(jobs) == 1
    delays = []
    for _ in range(2):
        voicemail = reload(db_session, Voicemail, voicemail_id)
        assert (voicemail.state, voicemail.transcript) == ("reported", None)
        assert "HTTP 500" in voicemail.error
        (task,) = jobs.queue.scheduled()
        delays.append(round((task.eta - utcnow().replace(tzinfo=None)).total_seconds()))
        (due,) = jobs.queue.read_schedule(task.eta)
        jobs.queue.execute(due, timestamp=due.eta)

    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert (voicemail.state, voicemail.attempts, voicemail.error) == ("transcribed", 3, None)
    assert voicemail.transcript
    assert jobs.queue.scheduled() == []
    assert len(jobs.queue) == 0
    assert len(media.requests) == 3
    assert delays == [pytest.approx(30, abs=2), pytest.approx(60, abs=2)]


def test_duplicate_jobs_give_exactly_one_transcript(make_app, queue_backend, db_session, media, synthesize):
    jobs = make_app(redis_url=queue_backend).extensions["hotline.jobs"]
    voicemail_id, _ = arrange(db_session, media, synthesize().read_bytes())

    jobs.process_voicemail(voicemail_id)
    jobs.process_voicemail(voicemail_id)
    assert run_queue(jobs) == 2

    voicemail = reload(db_session, Voicemail, voicemail_id)
    assert (voicemail.state, voicemail.attempts, len(media.requests)) == ("transcribed", 1, 1)


def test_sweeper_restarts_a_voicemail_a_killed_worker_left_behind(make_app, queue_backend, db_session, media,
                                                                  synthesize, settings):
    jobs = make_app(redis_url=queue_backend).extensions["hotline.jobs"]
    audio = synthesize().read_bytes()
    long_ago = utcnow() - timedelta(minutes=settings.speech_stuck_minutes + 5)
    recordings = settings.data_dir / "recordings"
    recordings.mkdir()
    stuck_id, _ = arrange(db_session, media, audio, state="downloaded", state_changed_at=long_ago,
                          attempted_at=long_ago, attempts=1)
    stuck = reload(db_session, Voicemail, stuck_id)
    (recordings / f"{stuck.recording_sid}.wav").write_bytes(audio)
    stuck.local_path = f"recordings/{stuck.recording_sid}.wav"
    fresh = make_voicemail(db_session, state="reported")  # reported a moment ago: its job is on its way
    db_session.commit()

    assert jobs.sweep_voicemails.call_local() == [stuck_id]
    assert run_queue(jobs) == 1
    assert jobs.sweep_voicemails.call_local() == []

    voicemail = reload(db_session, Voicemail, stuck_id)
    assert (voicemail.state, voicemail.attempts) == ("transcribed", 2)
    assert voicemail.transcript
    assert media.requests == []  # the kept copy was used, never downloaded again
    assert reload(db_session, Voicemail, fresh.id).state == "reported"


def test_hotline_worker_preloads_the_model_and_transcribes(tmp_path, queue_backend, model_dir, media, synthesize,
                                                           settings):
    env, worker_settings, database = worker_environment(tmp_path, queue_backend, **speech_worker_variables(
        model_dir, settings))
    with database.session_scope() as session:
        voicemail = make_voicemail(session)
        voicemail.source_url = media.add(voicemail.recording_sid, synthesize().read_bytes())
        voicemail_id = voicemail.id
    jobs = create_jobs(worker_settings, database)
    jobs.queue.flush()
    jobs.process_voicemail(voicemail_id)

    try:
        state, output, returncode = run_worker(
            env, tmp_path, threads=2, stop_seconds=30,
            wait=lambda: poll(lambda: _state(database, voicemail_id), lambda state: state == "transcribed",
                              seconds=60, interval=0.3),
        )
    finally:
        jobs.queue.flush()
    with database.session_scope() as session:
        transcript = session.get(Voicemail, voicemail_id).transcript
    database.dispose()
    assert state == "transcribed", output
    assert transcript
    assert f"speech model {model_dir.name} loaded" in output
    assert output.index("speech model") < output.index("worker starting")
    assert returncode == 0, output


def _state(database: Database, voicemail_id: int) -> str | None:
    try:
        with database.session_scope() as session:
            return session.get(Voicemail, voicemail_id).state
    except OperationalError:  # the worker holds the write lock for a moment
        return None
