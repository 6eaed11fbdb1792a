"""The job queue runs real tasks on both backends: SQLite file under the data dir, and Redis."""

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from hotline import create_app
from hotline.db import utcnow
from hotline.jobs import create_jobs
from hotline.models import AuditEvent, CallbackRequest

from tests.factories import make_callback, make_user
from tests.support import poll, run_worker, worker_environment


def _claimed(session, user, minutes_ago):
    return make_callback(session, status="claimed", claimed_by_id=user.id,
                         claimed_at=utcnow() - timedelta(minutes=minutes_ago))


def test_release_stale_claims_runs_through_the_queue(settings, queue_backend, db_session):
    app = create_app(replace(settings, redis_url=queue_backend))
    database = app.extensions["hotline.db"]
    database.sessions.configure(
        bind=db_session.connection(), join_transaction_mode="create_savepoint"
    )
    jobs = app.extensions["hotline.jobs"]
    user = make_user(db_session)
    stale, fresh = _claimed(db_session, user, 90), _claimed(db_session, user, 5)
    db_session.commit()

    jobs.release_stale_claims()
    assert len(jobs.queue) == 1
    released = jobs.queue.execute(jobs.queue.dequeue())
    jobs.queue.flush()

    assert released == [stale.id]
    db_session.expire_all()
    assert db_session.get(CallbackRequest, stale.id).status == "open"
    assert db_session.get(CallbackRequest, fresh.id).status == "claimed"
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "claim_expired"))
    assert event.object_id == stale.id


@pytest.mark.slow
def test_worker_command_consumes_enqueued_jobs(tmp_path, queue_backend):
    env, settings, database = worker_environment(tmp_path, queue_backend, CLAIM_TIMEOUT_MINUTES="30")
    with database.session_scope() as session:
        request_id = _claimed(session, make_user(session), 60).id
    jobs = create_jobs(settings, database)
    jobs.queue.flush()
    jobs.release_stale_claims()

    try:
        status, output, returncode = run_worker(
            env, tmp_path, threads=1, stop_seconds=20,
            wait=lambda: poll(lambda: _status(database, request_id), lambda status: status == "open", seconds=20),
        )
    finally:
        jobs.queue.flush()
        database.dispose()
    assert status == "open", output
    assert returncode == 0, output


def _status(database, request_id):
    with database.session_scope() as session:
        return session.get(CallbackRequest, request_id).status
