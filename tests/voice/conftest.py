"""Fixtures for the phone line: a network with a line, a fixed clock, and a caller who follows the TwiML.

Every TwiML document a test receives goes through `check_twiml`: status 200, text/xml, valid against
the TwiML schema, under 64 kB, every <Say> under 3,000 characters.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest
from lxml import etree
from sqlalchemy import event

from hotline.models import ClosureDay, Network, NewcomerInfo, OfficeHours, PhoneNumber

from tests.factories import make_activity
from tests.voice_support import (
    BILK_LINE,
    BILK_OFFICE,
    GERRESHEIM_LINE,
    TUESDAY_OPEN,
    Phone,
    assert_valid_twiml,
    load_twiml_schema,
)


@pytest.fixture(scope="session")
def twiml_schema() -> etree.XMLSchema:
    """The TwiML XML Schema, compiled once."""
    return load_twiml_schema()


@pytest.fixture
def check_twiml(twiml_schema):
    """Check an HTTP answer from a /twilio/ URL: 200, text/xml, valid TwiML; return the parsed root."""

    def check(response) -> ET.Element:
        assert response.status_code == 200, response.text
        assert response.mimetype == "text/xml"
        return assert_valid_twiml(twiml_schema, response.data)

    return check


@pytest.fixture
def clock(app):
    """The webhooks' clock, set to TUESDAY_OPEN; assign `clock.now` to move it."""

    class Clock:
        now = TUESDAY_OPEN

    app.extensions["hotline.clock"] = lambda: Clock.now
    return Clock


@pytest.fixture
def bilk(db_session) -> Network:
    """Bilk: a line number, Tuesday and Friday office hours, two current and one expired activity."""
    network = Network(
        slug="bilk", name="Netzwerk Bilk", district="Bilk", postal_codes=["40223", "40225"],
        forwarding_number=BILK_OFFICE,
        phone_numbers=[PhoneNumber(e164=BILK_LINE)],
        office_hours=[OfficeHours(weekday=1, opens=time(10), closes=time(12)),
                      OfficeHours(weekday=4, opens=time(10), closes=time(12))],
        closure_days=[ClosureDay(day=date(2026, 12, 8), reason="Betriebsausflug")],
        newcomer_info=NewcomerInfo(text="Bei uns ist jede und jeder willkommen.\n\nSie brauchen keine "
                                   "Mitgliedschaft.", welcome_meeting="am Donnerstag um 15 Uhr"),
    )
    db_session.add(network)
    db_session.flush()
    today = TUESDAY_OPEN.date()
    make_activity(db_session, network, title="Erzählcafé", place="Stadtteilzentrum",
                  starts_at=TUESDAY_OPEN + timedelta(days=1, hours=4), valid_from=today - timedelta(days=7),
                  valid_until=today + timedelta(days=7))
    make_activity(db_session, network, title="Spaziergang im Volksgarten", place="Volksgarten",
                  starts_at=TUESDAY_OPEN + timedelta(days=3), valid_from=today - timedelta(days=7),
                  valid_until=today + timedelta(days=7))
    make_activity(db_session, network, title="Sommerfest", place="Hof",
                  starts_at=TUESDAY_OPEN - timedelta(days=90), valid_from=today - timedelta(days=120),
                  valid_until=today - timedelta(days=89))
    db_session.commit()
    return network


@pytest.fixture
def gerresheim(db_session) -> Network:
    """A second network, for the city-wide line."""
    network = Network(slug="gerresheim", name="Netzwerk Gerresheim", district="Gerresheim",
                      postal_codes=["40625", "40627"], phone_numbers=[PhoneNumber(e164=GERRESHEIM_LINE)])
    db_session.add(network)
    db_session.commit()
    return network


@pytest.fixture
def phone(twilio, check_twiml, clock):
    """Start a caller: `phone(to=..., caller=...)` returns a Phone (not yet dialled)."""

    def start(**values: str) -> Phone:
        return Phone(twilio, check_twiml, **values)

    return start


@pytest.fixture
def spy_jobs(app, db_session):
    """Replace the queue's tasks with spies; `spy_jobs.log` shows commits and enqueues in order."""
    log: list[object] = []
    database = app.extensions["hotline.db"]

    def committed(_session) -> None:
        log.append("commit")

    event.listen(database.sessions, "after_commit", committed)
    jobs = app.extensions["hotline.jobs"]
    app.extensions["hotline.jobs"] = replace(jobs, process_voicemail=lambda vid: log.append(("process", vid)),
                                             send_outbox=lambda: log.append("send_outbox"))
    yield SimpleNamespace(log=log)
    event.remove(database.sessions, "after_commit", committed)
    app.extensions["hotline.jobs"] = jobs
