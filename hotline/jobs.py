"""The job queue: huey on SQLite under the data dir by default, on Redis when REDIS_URL is set.

The database is the source of truth; the queue is only a trigger. Jobs take ids, open their own
session and tolerate rows that are gone.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import timedelta

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper
from redis import ConnectionPool

from hotline.config import Settings
from hotline.db import Database, utcnow
from hotline.files.recordings import delete_recording_files
from hotline.mail import send_outbox as send_outbox_mails
from hotline.services import callbacks, logins, worker_health
from hotline.services.retention import RetentionPolicy, purge_expired
from hotline.twilio import erasure
from hotline.twilio.call_logs import delete_twilio_call_logs
from hotline.twilio.client import TwilioGateway
from hotline.voicemail import upkeep

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Jobs:
    """The queue and the tasks registered on it (calling a task enqueues it)."""

    queue: Huey
    release_stale_claims: TaskWrapper
    send_outbox: TaskWrapper
    purge_login_failures: TaskWrapper
    process_voicemail: TaskWrapper
    sweep_voicemails: TaskWrapper
    reconcile_recordings: TaskWrapper
    purge_expired_data: TaskWrapper
    erase_at_twilio: TaskWrapper
    heartbeat: TaskWrapper


def create_jobs(settings: Settings, database: Database, twilio: TwilioGateway | None = None) -> Jobs:
    """Create the queue for these settings and register every task on it."""
    twilio = twilio or TwilioGateway(settings)
    queue = _create_queue(settings)

    # Through the queue rather than from the scheduler's thread, so a fresh heartbeat proves that
    # jobs are taken from the queue, not only that the worker process exists.
    @queue.periodic_task(crontab(minute="*"), name="heartbeat", timeout=60)
    def heartbeat() -> None:
        """Record the worker's sign of life for /healthz and `hotline doctor`."""
        with database.session_scope() as session:
            worker_health.record_heartbeat(session, utcnow())

    @queue.periodic_task(crontab(minute="*"), name="release_stale_claims", timeout=60)
    def release_stale_claims() -> list[int]:
        """Return callback requests whose claim has run out to the open queue."""
        with database.session_scope() as session:
            return callbacks.release_stale_claims(
                session, now=utcnow(), timeout=timedelta(minutes=settings.claim_timeout_minutes)
            )

    # Enqueued after the commit of whatever put mails in the outbox; every minute as well, so a lost
    # enqueue or a failed attempt only delays a mail. No queue retries: each row keeps its own.
    @queue.periodic_task(crontab(minute="*"), name="send_outbox", timeout=600)
    def send_outbox() -> int:
        """Send the e-mails in the outbox that are due."""
        return send_outbox_mails(database, settings)

    # Passing failures (network, Twilio answering 5xx) are retried after 30 s, 1, 2, 4 and 8 min;
    # after that the sweeper takes the voicemail up again. Huey enforces the timeout in process
    # workers; thread workers only check it between tasks, so hotline.voicemail.pipeline bounds its own steps.
    @queue.task(name="process_voicemail", retries=5, retry_delay=30, retry_backoff=2, timeout=900)
    def process_voicemail(voicemail_id: int) -> None:
        """Download, keep and transcribe one voicemail, as far as its state says is left to do."""
        from hotline.voicemail import pipeline  # loads speech: the web process never imports it

        urgent_request_id = pipeline.process_voicemail(database, settings, voicemail_id, twilio=twilio)
        if urgent_request_id is not None:
            send_outbox()  # the urgent notice went into the outbox with the flag

    @queue.periodic_task(crontab(minute="*/5"), name="sweep_voicemails", timeout=60)
    def sweep_voicemails() -> list[int]:
        """Enqueue voicemails again whose job was lost, or that can go on now (a model arrived)."""
        with database.session_scope() as session:
            voicemail_ids = upkeep.stuck_voicemails(session, settings, utcnow())
        for voicemail_id in voicemail_ids:
            process_voicemail(voicemail_id)
        if voicemail_ids:
            logger.info("sweeper enqueued %d voicemails again", len(voicemail_ids))
        return voicemail_ids

    @queue.periodic_task(crontab(minute="23"), name="reconcile_recordings", timeout=300)
    def reconcile_recordings() -> int:
        """Ask Twilio for recordings of the last two days we never heard of, and process them."""
        found = upkeep.reconcile(database, settings, twilio, utcnow(), upkeep.RECONCILE_HOURS)
        for voicemail_id in found.voicemail_ids:
            process_voicemail(voicemail_id)
        if found.mails:
            send_outbox()
        return len(found.voicemail_ids)

    @queue.periodic_task(crontab(minute="7"), name="purge_login_failures", timeout=60)
    def purge_login_failures() -> int:
        """Forget failed logins that no longer count for throttling."""
        with database.session_scope() as session:
            return logins.purge_old_failures(session, now=utcnow())

    @queue.periodic_task(crontab(minute="17", hour="3"), name="purge_expired_data", timeout=600)
    def purge_expired_data() -> int:
        """Delete personal data past its retention period; files go once the rows are committed."""
        # Twilio's copies first: the local purge may delete the rows that name them.
        delete_twilio_call_logs(database, twilio, now=utcnow())
        with database.session_scope() as session:
            result = purge_expired(session, retention_policy(settings), now=utcnow())
        removed = delete_recording_files(settings.data_dir, result.audio_files)
        left_behind = upkeep.left_behind_recordings(database, settings.data_dir, utcnow())
        if left_behind:
            logger.warning("removing %d recordings that no voicemail needs any more", len(left_behind))
        return removed + delete_recording_files(settings.data_dir, left_behind)

    # Enqueued after the commit of an erasure; every 15 minutes as well, until Twilio has let go
    # of everything (a failure stays written down and is tried again).
    @queue.periodic_task(crontab(minute="*/15"), name="erase_at_twilio", timeout=600)
    def erase_at_twilio() -> int:
        """Delete at Twilio the call logs and recordings of erased callers."""
        return erasure.erase_at_twilio(database, twilio)

    return Jobs(
        queue=queue,
        erase_at_twilio=erase_at_twilio,
        purge_expired_data=purge_expired_data,
        release_stale_claims=release_stale_claims,
        process_voicemail=process_voicemail,
        sweep_voicemails=sweep_voicemails,
        reconcile_recordings=reconcile_recordings,
        send_outbox=send_outbox,
        purge_login_failures=purge_login_failures,
        heartbeat=heartbeat,
    )


def retention_policy(settings: Settings) -> RetentionPolicy:
    """The retention periods the settings ask for."""
    return RetentionPolicy(
        audio_days=settings.retention_audio_days,
        transcript_days=settings.retention_transcript_days,
        number_days=settings.retention_number_days,
        call_log_days=settings.retention_call_log_days,
    )


def _create_queue(settings: Settings) -> Huey:
    # Results are not stored: every outcome a person needs is written to the database.
    if settings.redis_url:
        return RedisHuey(settings.queue_name, connection_pool=_redis_pool(settings.redis_url), results=False)
    return SqliteHuey(settings.queue_name, filename=str(settings.queue_path), results=False)


@functools.cache
def _redis_pool(url: str) -> ConnectionPool:
    """One connection pool per Redis URL and process, shared by every app and worker thread."""
    return ConnectionPool.from_url(url)


def queue_length(settings: Settings, timeout: float = 5) -> int:
    """How many jobs wait in the queue; raises when the backend does not answer within `timeout`."""
    # A queue of its own with short timeouts: the shared Redis pool would wait for a dead server.
    queue: Huey
    if settings.redis_url:
        pool = ConnectionPool.from_url(settings.redis_url, socket_connect_timeout=timeout, socket_timeout=timeout)
        queue = RedisHuey(settings.queue_name, connection_pool=pool, results=False)
    else:
        queue = SqliteHuey(settings.queue_name, filename=str(settings.queue_path), results=False,
                           timeout=timeout)
    return int(queue.pending_count())


def run_worker(jobs: Jobs, threads: int) -> None:
    """Consume jobs (and run periodic ones) until interrupted."""
    # The first heartbeat at once, not at the next full minute: /healthz and the doctor see a
    # freshly started worker right away.
    jobs.heartbeat()
    consumer = jobs.queue.create_consumer(workers=threads, worker_type="thread", periodic=True)
    logger.info("worker starting with %d threads on queue %s", threads, jobs.queue.name)
    consumer.run()
