"""The outbox sends each mail once, retries failures, gives up after the last try, and holds no
database transaction while it talks to the SMTP server."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from hotline.db import Database, utcnow
from hotline.jobs import create_jobs
from hotline.mail import send_outbox
from hotline.models import OutboxMail
from hotline.services import outbox

from tests.support import free_port

START = utcnow()
RECIPIENTS = ["anna@example.org", "bernd@example.org", "carla@example.org"]


@pytest.fixture
def smtp_settings(settings, inbox):
    """Settings naming the local SMTP server."""
    return replace(settings, smtp_host="127.0.0.1", smtp_port=inbox.port, smtp_from="hotline@example.org",
                   smtp_starttls=False)


@pytest.fixture
def database(app) -> Database:
    """The app's database, inside the test's transaction."""
    return app.extensions["hotline.db"]


def _put(database: Database, recipients=RECIPIENTS) -> None:
    with database.session_scope() as session:
        outbox.put_mails(session, recipients, "Neuer Rückrufwunsch", "Guten Tag")
        session.execute(OutboxMail.__table__.update().values(created_at=START, next_attempt_at=START))


def _received(inbox) -> list[str]:
    return [recipient for recipients, _ in inbox.messages for recipient in recipients]


def _rows(database: Database) -> list[tuple[str, str, int]]:
    with database.sessions() as session:
        return [(mail.recipient, mail.state, mail.attempts)
                for mail in session.scalars(select(OutboxMail).order_by(OutboxMail.id))]


def test_a_retry_after_a_refusal_mid_batch_sends_no_mail_twice(database, smtp_settings, inbox):
    _put(database)
    inbox.refuse = {"bernd@example.org"}

    assert send_outbox(database, smtp_settings, clock=lambda: START) == 2
    assert send_outbox(database, smtp_settings, clock=lambda: START) == 0  # Bernd's retry is not due yet
    assert _rows(database) == [("anna@example.org", "sent", 1), ("bernd@example.org", "pending", 1),
                               ("carla@example.org", "sent", 1)]
    with database.sessions() as session:
        assert "451" in session.scalars(select(OutboxMail.last_error).where(
            OutboxMail.recipient == "bernd@example.org")).one()

    later = START + outbox.RETRY_DELAYS[0]
    assert send_outbox(database, smtp_settings, clock=lambda: later) == 1
    assert send_outbox(database, smtp_settings, clock=lambda: later + timedelta(days=1)) == 0
    assert sorted(_received(inbox)) == RECIPIENTS  # each exactly once


def test_the_queued_job_sends_and_a_second_run_sends_nothing(smtp_settings, inbox, database):
    _put(database)
    jobs = create_jobs(smtp_settings, database)
    try:
        jobs.send_outbox()
        jobs.send_outbox()
        assert [jobs.queue.execute(jobs.queue.dequeue()) for _ in range(2)] == [3, 0]
    finally:
        jobs.queue.flush()
    assert sorted(_received(inbox)) == RECIPIENTS


def test_a_claimed_or_sent_mail_cannot_be_claimed_again(db_session):
    outbox.put_mails(db_session, ["anna@example.org"], "Betreff", "Text")
    mail_id = db_session.scalars(select(OutboxMail.id)).one()
    now = utcnow()

    assert outbox.claim(db_session, mail_id, now).recipient == "anna@example.org"
    assert outbox.claim(db_session, mail_id, now) is None  # another worker, or a retry
    outbox.mark_sent(db_session, mail_id, now)
    assert outbox.claim(db_session, mail_id, now + timedelta(days=1)) is None


def test_a_claim_that_runs_out_is_tried_again_so_nothing_is_lost(db_session):
    # The worker died between claiming and marking: the mail is tried once more.
    outbox.put_mails(db_session, ["anna@example.org"], "Betreff", "Text")
    mail_id = db_session.scalars(select(OutboxMail.id)).one()
    now = utcnow()
    outbox.claim(db_session, mail_id, now)

    assert outbox.claim(db_session, mail_id, now + outbox.CLAIM_DURATION - timedelta(seconds=1)) is None
    assert outbox.claim(db_session, mail_id, now + outbox.CLAIM_DURATION) is not None


def test_a_server_that_is_down_costs_an_attempt_and_fails_the_mail_after_the_last(
        database, smtp_settings, inbox, caplog):
    _put(database, RECIPIENTS[:1])
    down = replace(smtp_settings, smtp_port=free_port())
    now = START
    for attempt in range(1, outbox.MAX_ATTEMPTS):
        assert send_outbox(database, down, clock=lambda now=now: now) == 0
        assert _rows(database) == [("anna@example.org", "pending", attempt)]
        now += outbox.RETRY_DELAYS[attempt - 1]
    with database.sessions() as session:
        assert session.scalars(select(OutboxMail.last_error)).one().startswith("ConnectionRefusedError")

    caplog.set_level("ERROR", logger="hotline.services.outbox")
    assert send_outbox(database, down, clock=lambda: now) == 0
    assert _rows(database) == [("anna@example.org", "failed", outbox.MAX_ATTEMPTS)]
    assert f"failed after {outbox.MAX_ATTEMPTS} attempts" in caplog.text
    assert send_outbox(database, smtp_settings, clock=lambda: now + timedelta(days=1)) == 0
    assert inbox.messages == []


def test_a_server_that_is_down_keeps_the_rest_for_the_next_run(database, smtp_settings, inbox):
    _put(database)
    assert send_outbox(database, replace(smtp_settings, smtp_port=free_port()), clock=lambda: START) == 0
    assert [attempts for _, _, attempts in _rows(database)] == [1, 0, 0]

    later = START + outbox.RETRY_DELAYS[0]
    assert send_outbox(database, smtp_settings, clock=lambda: later) == 3
    assert sorted(_received(inbox)) == RECIPIENTS


def test_no_transaction_is_open_while_the_server_takes_a_mail(database, smtp_settings, inbox):
    open_transactions: set[int] = set()
    seen: list[int] = []

    def began(session: Session, transaction, *_args) -> None:
        if transaction.parent is None:
            open_transactions.add(id(transaction))

    def ended(session: Session, transaction) -> None:
        open_transactions.discard(id(transaction))

    _put(database)
    event.listen(Session, "after_transaction_create", began)
    event.listen(Session, "after_transaction_end", ended)
    inbox.on_data = lambda _recipients: seen.append(len(open_transactions))
    try:
        assert send_outbox(database, smtp_settings, clock=lambda: START) == 3
    finally:
        event.remove(Session, "after_transaction_create", began)
        event.remove(Session, "after_transaction_end", ended)
    assert seen == [0, 0, 0]


def test_on_sqlite_another_writer_commits_while_the_server_takes_a_mail(tmp_path, smtp_settings, inbox):
    path = tmp_path / "outbox.sqlite3"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    _put(database)
    outcomes: list[str] = []

    def write_meanwhile(_recipients: list[str]) -> None:
        # No waiting for a lock: a sender holding SQLite's write lock fails this at once.
        connection = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO urgent_term (term, created_at) VALUES (?, ?)",
                               (f"wort{len(outcomes)}", "2026-11-25 03:00:00"))
            connection.execute("COMMIT")
            outcomes.append("committed")
        except sqlite3.OperationalError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    inbox.on_data = write_meanwhile
    try:
        assert send_outbox(database, smtp_settings, clock=lambda: START) == 3
    finally:
        database.dispose()
    assert outcomes == ["committed"] * 3
