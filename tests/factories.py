"""Tiny factories for rows the tests arrange; each returns a flushed, valid object."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlalchemy.orm import Session

from hotline.db import utcnow
from hotline.models import (
    Activity,
    Call,
    CallbackAttempt,
    CallbackRequest,
    Network,
    PhoneNumber,
    User,
    Voicemail,
)

_sequence = itertools.count(1)


def make_network(session: Session, **values) -> Network:
    """A network with a unique slug."""
    n = next(_sequence)
    network = Network(**{"slug": f"netz-{n}", "name": f"Netzwerk {n}", "district": f"Bezirk {n}",
                         **values})
    session.add(network)
    session.flush()
    return network


def make_user(session: Session, **values) -> User:
    """A volunteer with a unique e-mail address (password hash is not a real hash)."""
    n = next(_sequence)
    user = User(**{"email": f"person{n}@example.org", "password_hash": "x", "role": "volunteer",
                   **values})
    session.add(user)
    session.flush()
    return user


def make_call(session: Session, **values) -> Call:
    """An incoming call with a unique CallSid."""
    n = next(_sequence)
    call = Call(**{"call_sid": f"CA{n:032d}", "from_number": "+492214710999",
                   "to_number": "+492214710100", **values})
    session.add(call)
    session.flush()
    return call


def make_voicemail(session: Session, **values) -> Voicemail:
    """A reported voicemail with a unique RecordingSid."""
    n = next(_sequence)
    voicemail = Voicemail(**{"recording_sid": f"RE{n:032d}",
                             "source_url": f"https://api.twilio.com/r/RE{n}", **values})
    session.add(voicemail)
    session.flush()
    return voicemail


def make_callback(session: Session, **values) -> CallbackRequest:
    """An open callback request."""
    request = CallbackRequest(**{"number": "+492214710999", "topic": "Rückruf", **values})
    session.add(request)
    session.flush()
    return request


def make_activity(session: Session, network: Network, **values) -> Activity:
    """An activity valid from today for a week."""
    today = date.today()
    activity = Activity(**{"network_id": network.id, "title": "Spaziergang", "place": "Park",
                           "starts_at": utcnow() + timedelta(days=1), "valid_from": today,
                           "valid_until": today + timedelta(days=7), **values})
    session.add(activity)
    session.flush()
    return activity


def make_account(session: Session, *, password: str = "richtig-geheim-1", networks=(),  # noqa: S107 - test accounts
                 **values) -> User:
    """A user who can log in with `password` (a cheap hash, so tests stay fast)."""
    from werkzeug.security import generate_password_hash

    return make_user(session, password_hash=generate_password_hash(password, "pbkdf2:sha256:1000"),
                     networks=list(networks), **values)


def make_line_number(session: Session, network: Network, e164: str) -> PhoneNumber:
    """A number that rings `network`'s line."""
    number = PhoneNumber(network_id=network.id, e164=e164, label="Anlaufstelle")
    session.add(number)
    session.flush()
    session.refresh(network)
    return number


def make_attempt(session: Session, request: CallbackRequest, **values) -> CallbackAttempt:
    """A logged attempt to call back."""
    attempt = CallbackAttempt(**{"request_id": request.id, "outcome": "not_reached", **values})
    session.add(attempt)
    session.flush()
    return attempt
