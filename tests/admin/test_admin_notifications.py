"""New requests e-mail the opted-in users of their network, through the outbox and a real (local) SMTP server."""

from __future__ import annotations

from dataclasses import replace
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from hotline import create_app
from hotline.db import Database
from hotline.mail import send_outbox
from hotline.models import OutboxMail, User
from hotline.services import notifications

from tests.factories import make_account


@pytest.fixture
def mail_app(settings, inbox, db_session):
    """An app whose settings name the local SMTP server, sharing the test's transaction."""
    app = create_app(replace(settings, smtp_host="127.0.0.1", smtp_port=inbox.port,
                             smtp_from="hotline@example.org", smtp_starttls=False,
                             public_base_url="https://hotline.example.org"))
    database: Database = app.extensions["hotline.db"]
    database.sessions.configure(bind=db_session.connection(),
                                join_transaction_mode="create_savepoint")
    yield app
    app.extensions["hotline.jobs"].queue.flush()


def test_new_request_mails_opted_in_users_of_its_network_only(mail_app, inbox, world, db_session):
    db_session.get(User, world.volunteer.id).notify_new_requests = True
    make_account(db_session, networks=[world.bilk], email="still@example.org")  # not opted in
    make_account(db_session, networks=[world.benrath], notify_new_requests=True,
                 email="benrath@example.org")
    make_account(db_session, networks=[world.bilk], notify_new_requests=True, active=False,
                 email="inactive@example.org")
    queued = notifications.announce_new_request(db_session, mail_app.extensions["hotline.settings"],
                                                world.request.id)
    db_session.commit()

    jobs = mail_app.extensions["hotline.jobs"]
    jobs.send_outbox()
    sent = jobs.queue.execute(jobs.queue.dequeue())

    assert queued == sent == 1
    assert [rcpt for rcpt, _ in inbox.messages] == [[world.volunteer.email]]
    mail = message_from_bytes(inbox.messages[0][1], policy=policy.default)
    body = mail.get_content()
    assert mail["Subject"] == "Neuer Rückrufwunsch – Netzwerk Bilk"
    assert f"https://hotline.example.org/admin/rueckrufe/{world.request.id}" in body
    # No caller data: neither the number (in any spelling) nor the topic or transcript.
    for secret in ("4710911", "47 10 91", "Neu hier", "rufen"):
        assert secret not in body


def test_without_smtp_host_mails_wait_in_the_outbox_and_go_once_it_is_set(
        settings, mail_app, inbox, world, db_session, caplog):
    db_session.get(User, world.volunteer.id).notify_new_requests = True
    notifications.announce_new_request(db_session, settings, world.request.id)
    db_session.commit()
    database = mail_app.extensions["hotline.db"]
    caplog.set_level("INFO", logger="hotline.mail")

    assert send_outbox(database, replace(settings, smtp_host="")) == 0
    assert "SMTP_HOST is not set; 1 e-mails wait in the outbox" in caplog.text
    mail = db_session.scalars(select(OutboxMail)).one()
    assert (mail.state, mail.attempts) == ("pending", 0)
    # Without a public address there is no link to follow, only the way in.
    assert "Bitte melden Sie sich in der Hotline-Verwaltung an." in mail.body
    assert "http" not in mail.body

    assert send_outbox(database, mail_app.extensions["hotline.settings"]) == 1
    assert [rcpt for rcpt, _ in inbox.messages] == [[world.volunteer.email]]


def test_profile_page_switches_notifications_on_and_off(login_as, world, db_session):
    web = login_as("volunteer")
    web.post("/admin/profil", {"display_name": "Vera", "phone": "0171 39200123",
                               "notify_new_requests": "y"})
    db_session.expire_all()
    user = db_session.get(User, world.volunteer.id)
    assert (user.notify_new_requests, user.phone) == (True, "+4917139200123")
    web.post("/admin/profil", {"display_name": "Vera", "phone": ""})
    db_session.expire_all()
    assert db_session.get(User, world.volunteer.id).notify_new_requests is False


def test_profile_refuses_a_phone_number_it_cannot_read(login_as, world):
    response = login_as("volunteer").post("/admin/profil", {"display_name": "V", "phone": "12"})
    assert "Telefonnummer ist nicht gültig" in response.get_data(as_text=True)


@pytest.mark.parametrize(("name", "message"), [("V" * 121, "Höchstens 120 Zeichen."),
                                               ("Vera\x00", "unsichtbare Steuerzeichen")])
def test_profile_checks_the_name_before_saving(login_as, world, db_session, name, message):
    # The profile used to save without running its validators (found by fuzzing the admin forms).
    response = login_as("volunteer").post("/admin/profil", {"display_name": name, "phone": ""})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(User, world.volunteer.id).display_name == "Vera Ehrenamt"
