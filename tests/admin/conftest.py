"""Admin fixtures: a small world of two networks, logged-in clients, CSRF-aware form posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from admin_support import AdminClient, write_wav

from hotline.db import utcnow
from hotline.models import CallbackRequest, Network, User

from factories import make_account, make_callback, make_line_number, make_network, make_voicemail


@dataclass
class World:
    """Two networks, people in each, and a waiting request with a message in each."""

    bilk: Network
    benrath: Network
    volunteer: User
    begleitung: User
    admin: User
    other_volunteer: User
    request: CallbackRequest
    other_request: CallbackRequest

    def person(self, role: str) -> User:
        return {"volunteer": self.volunteer, "begleitung": self.begleitung,
                "admin": self.admin}[role]


@pytest.fixture
def world(db_session, settings) -> World:
    bilk = make_network(db_session, name="Netzwerk Bilk")
    benrath = make_network(db_session, name="Netzwerk Benrath")
    make_line_number(db_session, bilk, "+492214710100")
    make_line_number(db_session, benrath, "+492214710300")
    volunteer = make_account(db_session, networks=[bilk], display_name="Vera Ehrenamt",
                             phone="+4917139200123")
    begleitung = make_account(db_session, networks=[bilk], role="begleitung",
                              display_name="Berta Begleitung")
    admin = make_account(db_session, role="admin", display_name="Anna Admin")
    other_volunteer = make_account(db_session, networks=[benrath], display_name="Olaf Benrath")
    requests = []
    for network in (bilk, benrath):
        audio = write_wav(Path(settings.data_dir) / "recordings" / f"{network.slug}.wav")
        voicemail = make_voicemail(db_session, network_id=network.id, state="transcribed",
                                   local_path=str(audio.relative_to(settings.data_dir)),
                                   transcript="bitte rufen sie mich an",
                                   transcript_words=[
                                       {"word": "bitte", "start": 0.0, "end": 0.3, "conf": 0.95},
                                       {"word": "rufen", "start": 0.3, "end": 0.6, "conf": 0.42},
                                       {"word": "sie", "start": 0.6, "end": 0.7, "conf": 0.9},
                                       {"word": "mich", "start": 0.7, "end": 0.9, "conf": 0.88},
                                       {"word": "an", "start": 0.9, "end": 1.0, "conf": 0.7},
                                   ])
        requests.append(make_callback(db_session, network_id=network.id, number="+492214710911",
                                      voicemail_id=voicemail.id, topic="Neu hier",
                                      created_at=utcnow() - timedelta(hours=3)))
    db_session.commit()
    return World(bilk, benrath, volunteer, begleitung, admin, other_volunteer, *requests)


@pytest.fixture
def web(client) -> AdminClient:
    """An anonymous admin client."""
    return AdminClient(client)


@pytest.fixture
def login_as(app, world):
    """Log in a fresh client as one of the world's roles (or a given user)."""

    def login(who: str | User) -> AdminClient:
        user = world.person(who) if isinstance(who, str) else who
        web = AdminClient(app.test_client())
        response = web.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return web

    return login
