"""New requests e-mail the opted-in users of their network, through a real (local) SMTP server."""

from __future__ import annotations

import socket
from dataclasses import replace
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from hotline import create_app
from hotline.db import Database
from hotline.models import User
from hotline.services import notifications

from tests.factories import make_account, make_callback


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def inbox():
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def mail_app(settings, inbox, db_session):
    """An app whose settings name the local SMTP server, sharing the test's transaction."""
    _, port = inbox
    app = create_app(replace(settings, smtp_host="127.0.0.1", smtp_port=port,
                             smtp_from="hotline@example.org", smtp_starttls=False,
                             public_base_url="https://hotline.example.org"))
    database: Database = app.extensions["hotline.db"]
    database.sessions.configure(bind=db_session.connection(),
                                join_transaction_mode="create_savepoint")
    yield app
    app.extensions["hotline.jobs"].queue.flush()


def test_new_request_mails_opted_in_users_of_its_network_only(mail_app, inbox, world, db_session):
    handler, _ = inbox
    db_session.get(User, world.volunteer.id).notify_new_requests = True
    make_account(db_session, networks=[world.bilk], email="still@example.org")  # not opted in
    make_account(db_session, networks=[world.benrath], notify_new_requests=True,
                 email="benrath@example.org")
    make_account(db_session, networks=[world.bilk], notify_new_requests=True, active=False,
                 email="inactive@example.org")
    db_session.commit()

    jobs = mail_app.extensions["hotline.jobs"]
    jobs.notify_new_request(world.request.id)
    sent = jobs.queue.execute(jobs.queue.dequeue())

    assert sent == 1
    assert [rcpt for rcpt, _ in handler.messages] == [[world.volunteer.email]]
    mail = message_from_bytes(handler.messages[0][1], policy=policy.default)
    body = mail.get_content()
    assert mail["Subject"] == "Neuer Rückrufwunsch – Netzwerk Bilk"
    assert f"https://hotline.example.org/admin/rueckrufe/{world.request.id}" in body
    # No caller data: neither the number (in any spelling) nor the topic or transcript.
    for secret in ("4710911", "47 10 91", "Neu hier", "rufen"):
        assert secret not in body


def test_without_smtp_host_notifications_are_skipped_with_a_log_line(settings, db_session, caplog):
    request = make_callback(db_session)
    caplog.set_level("INFO", logger="hotline.services.notifications")
    assert notifications.notify_new_request(db_session, request.id, settings) == 0
    assert "SMTP_HOST is not set" in caplog.text


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
