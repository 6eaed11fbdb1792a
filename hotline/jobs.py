"""The job queue: huey on SQLite under the data dir by default, on Redis when REDIS_URL is set.

The database is the source of truth; the queue is only a trigger. Jobs take ids, open their own
session and tolerate rows that are gone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper

from hotline.config import Settings
from hotline.db import Database, utcnow
from hotline.services import callbacks

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Jobs:
    """The queue and the tasks registered on it (calling a task enqueues it)."""

    queue: Huey
    release_stale_claims: TaskWrapper


def create_jobs(settings: Settings, database: Database) -> Jobs:
    """Create the queue for these settings and register every task on it."""
    queue = _create_queue(settings)

    @queue.periodic_task(crontab(minute="*"), name="release_stale_claims", timeout=60)
    def release_stale_claims() -> list[int]:
        """Return callback requests whose claim has run out to the open queue."""
        with database.session_scope() as session:
            return callbacks.release_stale_claims(
                session, now=utcnow(), timeout=timedelta(minutes=settings.claim_timeout_minutes)
            )

    return Jobs(queue=queue, release_stale_claims=release_stale_claims)


def _create_queue(settings: Settings) -> Huey:
    # Results are not stored: every outcome a person needs is written to the database.
    if settings.redis_url:
        return RedisHuey(settings.queue_name, url=settings.redis_url, results=False)
    return SqliteHuey(settings.queue_name, filename=str(settings.queue_path), results=False)


def run_worker(jobs: Jobs, threads: int) -> None:
    """Consume jobs (and run periodic ones) until interrupted."""
    consumer = jobs.queue.create_consumer(workers=threads, worker_type="thread", periodic=True)
    logger.info("worker starting with %d threads on queue %s", threads, jobs.queue.name)
    consumer.run()
