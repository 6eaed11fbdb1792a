"""Demo content: three real neighbourhoods, activities in the past, now and later, idempotent."""

from datetime import date

import pytest
from sqlalchemy import func, select

from hotline.cli.demo import load_demo
from hotline.models import Activity, CallbackRequest, Network, NewcomerInfo, User

pytestmark = pytest.mark.slow


def test_demo_creates_three_networks_with_numbers_hours_and_accounts(db_session):
    result = load_demo(db_session, today=date(2026, 11, 24))
    assert result.networks == 3
    networks = db_session.scalars(select(Network).order_by(Network.slug)).all()
    assert [n.district for n in networks] == ["Benrath", "Bilk", "Gerresheim"]
    for network in networks:
        assert network.phone_numbers
        assert network.office_hours
        assert network.forwarding_number
        assert {u.role for u in network.users} == {"volunteer", "begleitung"}
    assert db_session.scalar(select(func.count()).select_from(CallbackRequest)) == 6
    admin = db_session.scalar(select(User).where(User.role == "admin"))
    assert admin is not None
    assert admin.networks == []


def test_demo_activities_lie_in_the_past_present_and_future(db_session):
    today = date(2026, 11, 24)
    load_demo(db_session, today=today)
    activities = db_session.scalars(select(Activity)).all()
    assert any(a.valid_until < today for a in activities)
    assert any(a.valid_from <= today <= a.valid_until for a in activities)
    assert any(a.valid_from > today for a in activities)


def test_newcomer_text_carries_the_networks_principles(db_session):
    load_demo(db_session, today=date(2026, 11, 24))
    text = db_session.scalars(select(NewcomerInfo.text)).first()
    for phrase in ("keine Mitgliedschaft", "Ich für mich.", "Ich mit anderen für andere.",
                   "Sie entscheiden selbst", "Begrüßungstreffen"):
        assert phrase in text


def test_loading_the_demo_twice_adds_nothing(db_session):
    load_demo(db_session, today=date(2026, 11, 24))
    again = load_demo(db_session, today=date(2026, 11, 25))
    assert (again.networks, again.users) == (0, 0)
    assert db_session.scalar(select(func.count()).select_from(Network)) == 3
    assert db_session.scalar(select(func.count()).select_from(Activity)) == 12
