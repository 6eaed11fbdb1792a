"""Demo content: a city of networks in every Stadtbezirk, activities in the past, now and later, idempotent."""

from collections import Counter
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from hotline.cli.demo import NETWORKS, load_demo
from hotline.models import Activity, ActivityDraft, CallbackRequest, Network, NewcomerInfo, User
from hotline.services import activity_drafts
from hotline.services.line_content import load_line
from hotline.stadtteile import official_name, stadtteile
from ivr_flows.content import CityContent, NetworkContent
from ivr_flows.recurrence import Frequency, next_occurrence
from ivr_flows.schedule import BERLIN

from tests.support import demo_city

pytestmark = pytest.mark.slow


def test_demo_loads_a_city_with_every_stadtbezirk_and_accounts_for_three_networks(db_session):
    result = load_demo(db_session, today=date(2026, 11, 24))
    assert result.networks == len(NETWORKS) >= 20
    networks = db_session.scalars(select(Network).order_by(Network.slug)).all()
    assert {stadtteile()[name] for n in networks for name in n.stadtteile} == set(range(1, 11))
    numbers = [p.e164 for n in networks for p in n.phone_numbers]
    assert len(numbers) == len(set(numbers)) == len(networks)
    for network in networks:
        assert network.active
        assert network.stadtteile
        assert all(official_name(name) == name for name in network.stadtteile)
        assert network.postal_codes
        assert all("40210" <= code <= "40629" for code in network.postal_codes)
        assert network.address
        assert network.office_hours
        assert network.forwarding_number
        assert network.newcomer_info is not None
        assert network.activities
        # 0221 4710 xxx: the Bundesnetzagentur's range for film and television.
        assert all(p.e164.startswith("+492214710") for p in network.phone_numbers)
    staffed = {n.district: {u.role for u in n.users} for n in networks if n.users}
    assert staffed == dict.fromkeys(["Benrath", "Bilk", "Gerresheim"], {"volunteer", "begleitung"})
    shared = Counter(code for n in networks for code in n.postal_codes)
    assert {2, 3} <= set(shared.values())
    assert db_session.scalar(select(func.count()).select_from(CallbackRequest)) == 6
    admin = db_session.scalar(select(User).where(User.role == "admin"))
    assert admin is not None
    assert admin.networks == []


def test_the_three_first_networks_keep_their_numbers(db_session):
    load_demo(db_session, today=date(2026, 11, 24))
    lines = {n.slug: [p.e164 for p in n.phone_numbers] for n in db_session.scalars(select(Network))}
    assert (lines["bilk"], lines["gerresheim"], lines["benrath"]) == (
        ["+492214710100"], ["+492214710200"], ["+492214710300"])


def test_the_city_line_offers_the_demo_city_as_the_engine_tests_see_it(db_session):
    load_demo(db_session, today=date(2026, 11, 24))
    line = load_line(db_session, "+492214710999", audio_url=str)
    assert isinstance(line.content, CityContent)
    loaded = {(n.name, n.postal_codes, n.stadtteile) for n in line.content.networks}
    assert loaded == {(n.name, n.postal_codes, n.stadtteile) for n in demo_city().networks}


def test_demo_activities_lie_in_the_past_present_and_future(db_session):
    today = date(2026, 11, 24)
    load_demo(db_session, today=today)
    activities = db_session.scalars(select(Activity)).all()
    assert any(a.valid_until < today for a in activities)
    assert any(a.valid_from <= today <= a.valid_until for a in activities)
    assert any(a.valid_from > today for a in activities)


def test_bilk_reads_its_monthly_welcome_meeting_by_date_and_a_weekly_walk(db_session):
    load_demo(db_session, today=date(2026, 11, 24))
    line = load_line(db_session, "+492214710100", audio_url=str)
    assert isinstance(line.content, NetworkContent)
    schedule = line.content.welcome_meeting_schedule
    assert schedule is not None
    for now, expected in ((datetime(2026, 11, 24, tzinfo=BERLIN), datetime(2026, 12, 1, 15, 0, tzinfo=BERLIN)),
                          (datetime(2026, 12, 2, tzinfo=BERLIN), datetime(2027, 1, 5, 15, 0, tzinfo=BERLIN))):
        occurrence = next_occurrence(schedule, now)
        assert occurrence is not None
        assert occurrence.starts_at == expected  # the first Tuesday of the month
    walk = next(a for a in line.content.activities if a.title == "Spaziergang im Volksgarten")
    assert walk.frequency is Frequency.WEEKLY


def test_newcomer_text_carries_the_networks_principles(db_session):
    load_demo(db_session, today=date(2026, 11, 24))
    text = db_session.scalars(select(NewcomerInfo.text)).first()
    for phrase in ("keine Mitgliedschaft", "Ich für mich.", "Ich mit anderen für andere.",
                   "Sie entscheiden selbst", "Begrüßungstreffen"):
        assert phrase in text


def test_bilks_volunteer_has_a_proposal_waiting_for_the_begleitung(db_session):
    load_demo(db_session, today=date(2026, 11, 24))
    waiting = activity_drafts.waiting_for_review(db_session, None)
    assert [(draft.title, draft.author.email, draft.network.slug) for draft in waiting] == [
        ("Boule im Südpark", "ehrenamt.bilk@example.org", "bilk")]
    assert waiting[0].starts_at == datetime(2026, 11, 25, 15, 0, tzinfo=BERLIN)  # the next Wednesday
    line = load_line(db_session, "+492214710100", audio_url=str)
    assert "Boule im Südpark" not in [activity.title for activity in line.content.activities]


def test_loading_the_demo_twice_adds_nothing(db_session):
    load_demo(db_session, today=date(2026, 11, 24))
    again = load_demo(db_session, today=date(2026, 11, 25))
    assert (again.networks, again.users) == (0, 0)
    assert db_session.scalar(select(func.count()).select_from(Network)) == len(NETWORKS)
    assert db_session.scalar(select(func.count()).select_from(Activity)) == sum(len(n.activities) for n in NETWORKS)
    assert db_session.scalar(select(func.count()).select_from(ActivityDraft)) == 1
