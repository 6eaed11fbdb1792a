"""Line content is cached per process and reloaded as soon as anything the line speaks changes."""

from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from hotline.line_cache import LineCache
from hotline.models import Activity, Call
from hotline.models.content_revision import ContentRevision
from ivr_flows.schedule import BERLIN, current_activities

from tests.factories import make_activity, make_call, make_network

LINE = "+492214710100"


def _revision(session):
    return session.scalar(select(ContentRevision.revision))


def _audio_url(path):
    return f"https://example.org/audio/{path}"


def test_every_kind_of_content_change_bumps_the_revision(db_session):
    network = make_network(db_session)
    added = _revision(db_session)
    activity = make_activity(db_session, network)
    assert _revision(db_session) == added + 1
    activity.title = "Neuer Titel"
    db_session.flush()
    assert _revision(db_session) == added + 2
    db_session.execute(update(Activity).values(place="Saal"))
    assert _revision(db_session) == added + 3
    db_session.delete(activity)
    db_session.flush()
    assert _revision(db_session) == added + 4


def test_calls_and_unchanged_objects_leave_the_revision_alone(db_session):
    network = make_network(db_session)
    before = _revision(db_session)
    make_call(db_session, network_id=network.id)
    network.name = network.name  # touched, not changed
    db_session.flush()
    assert _revision(db_session) == before
    assert db_session.scalars(select(Call)).one()


def test_cache_serves_the_same_line_until_content_changes(db_session):
    network = make_network(db_session)
    make_activity(db_session, network, title="Erzählcafé")
    db_session.flush()
    cache = LineCache()
    first = cache.line(db_session, LINE, url_base="http://localhost/", audio_url=_audio_url)
    assert cache.line(db_session, LINE, url_base="http://localhost/", audio_url=_audio_url) == first

    make_activity(db_session, network, title="Boule", valid_from=date.today())
    db_session.expire_all()  # as the next request's fresh session would see it
    revision, reloaded = cache.line(db_session, LINE, url_base="http://localhost/", audio_url=_audio_url)
    assert (revision, reloaded) != first
    assert revision == _revision(db_session)
    titles = {a.title for n in reloaded.content.networks for a in n.activities}
    assert {"Erzählcafé", "Boule"} <= titles


def test_a_call_that_began_with_a_cached_revision_is_served_without_asking_the_database(db_session, tmp_path):
    network = make_network(db_session)
    db_session.flush()
    cache = LineCache()
    revision, line = cache.line(db_session, LINE, url_base="http://localhost/", audio_url=_audio_url)
    make_activity(db_session, network, title="Boule", valid_from=date.today())
    db_session.flush()
    # A database that cannot be reached: the cached line must come without asking it.
    with Session(create_engine(f"sqlite:///{tmp_path / 'missing' / 'unreachable.sqlite3'}")) as unreachable:
        assert cache.line(unreachable, LINE, url_base="http://localhost/", audio_url=_audio_url,
                          seen_revision=revision) == (revision, line)
        with pytest.raises(OperationalError):
            cache.line(unreachable, LINE, url_base="http://localhost/", audio_url=_audio_url,
                       seen_revision=revision + 1)
    newer, _ = cache.line(db_session, LINE, url_base="http://localhost/", audio_url=_audio_url,
                          seen_revision=revision + 1)
    assert newer == _revision(db_session) > revision


def test_a_cached_line_reads_the_next_date_of_a_recurring_activity_anew_each_day(db_session):
    network = make_network(db_session)
    make_activity(db_session, network, title="Singkreis", frequency="weekly", valid_until=None,
                  starts_at=datetime(2025, 6, 4, 15, 0, tzinfo=BERLIN), valid_from=date(2025, 6, 1))
    _, line = LineCache().line(db_session, LINE, url_base="http://localhost/", audio_url=_audio_url)
    content = line.content.network(network.id)
    next_dates = [current_activities(content, datetime(2025, 6, day, 16, 0, tzinfo=BERLIN))[0].occurrence
                  .starts_at.date() for day in (3, 4)]
    assert next_dates == [date(2025, 6, 4), date(2025, 6, 11)]
