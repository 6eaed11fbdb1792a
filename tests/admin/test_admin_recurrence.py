"""The Begleitung enters recurring activities and the welcome meeting: rule, end date, cancelled dates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hotline.models import Activity, Network
from ivr_flows.recurrence import Frequency, Recurrence

from tests.admin.admin_support import publish_activity
from tests.factories import make_activity

BERLIN = ZoneInfo("Europe/Berlin")
FIRST = date.today() + timedelta(days=1)


def _weekly(**values: str) -> dict[str, str]:
    return {"title": "Singkreis", "description": "", "day": FIRST.isoformat(), "at": "15:00",
            "frequency": "weekly", "repeat_until": "", "place": "Gemeindesaal",
            "valid_from": date.today().isoformat(), "valid_until": "", **values}


def _publish_newcomer(web, network_id: int) -> None:
    assert web.post(f"/admin/inhalte/{network_id}/entwurf/newcomer/veroeffentlichen").status_code == 302


def _activities(db_session, network_id: int) -> list[Activity]:
    db_session.expire_all()
    return list(db_session.scalars(select(Activity).where(Activity.network_id == network_id)))


def test_a_weekly_activity_with_an_end_and_a_cancelled_date_is_saved(login_as, world, db_session):
    cancelled, last = FIRST + timedelta(days=7), FIRST + timedelta(days=28)
    web = login_as("begleitung")
    response = web.post(f"/admin/inhalte/{world.bilk.id}/angebote/neu",
                        _weekly(repeat_until=last.strftime("%d.%m.%Y"), **{"cancelled-0": cancelled.isoformat()}))
    assert response.status_code == 302
    assert _activities(db_session, world.bilk.id) == []  # a draft until she publishes it
    publish_activity(web, world.bilk.id, "Singkreis")
    [activity] = _activities(db_session, world.bilk.id)
    assert activity.recurrence == Recurrence(datetime.combine(FIRST, time(15), BERLIN), Frequency.WEEKLY,
                                             last, frozenset({cancelled}))
    assert activity.valid_until is None


@pytest.mark.parametrize(("values", "message"), [
    ({"cancelled-0": (FIRST + timedelta(days=3)).isoformat()},
     f"Am {FIRST + timedelta(days=3):%d.%m.%Y} ist nach dieser Regel kein Termin. Bitte prüfen Sie den Ausfalltermin."),
    ({"repeat_until": (FIRST - timedelta(days=1)).isoformat()},
     "„Letzter Termin“ darf nicht vor dem ersten Termin liegen."),
    ({"cancelled-0": "nächste Woche"}, "Bitte ein Datum wählen oder so eintippen: 24.12.2026."),
    ({"frequency": "täglich"}, "Bitte wählen Sie, wie oft es stattfindet."),
])
def test_recurrence_errors_are_german_and_keep_what_was_typed(login_as, world, db_session, values, message):
    response = login_as("begleitung").post(f"/admin/inhalte/{world.bilk.id}/angebote/neu", _weekly(**values))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert 'value="Singkreis"' in page
    assert 'value="Gemeindesaal"' in page
    for typed in values.values():
        if typed != "täglich":
            assert f'value="{typed}"' in page
    assert _activities(db_session, world.bilk.id) == []


def test_cancelled_dates_are_added_and_removed_without_saving_or_losing_input(login_as, world, db_session):
    web = login_as("begleitung")
    path = f"/admin/inhalte/{world.bilk.id}/angebote/neu"
    second, third = FIRST + timedelta(days=7), FIRST + timedelta(days=14)
    added = web.post(path, _weekly(title="Erst halb fertig", ausfall_neu="1",
                                   **{"cancelled-0": second.isoformat()})).get_data(as_text=True)
    assert 'name="cancelled-0"' in added
    assert 'name="cancelled-1"' in added
    assert 'value="Erst halb fertig"' in added
    removed = web.post(path, _weekly(ausfall_weg="0", **{"cancelled-0": second.isoformat(),
                                                          "cancelled-1": third.isoformat()})).get_data(as_text=True)
    assert second.isoformat() not in removed
    assert f'name="cancelled-0" type="date" value="{third.isoformat()}"' in removed
    assert 'name="cancelled-1"' not in removed
    assert _activities(db_session, world.bilk.id) == []


def test_editing_shows_the_rule_and_a_one_off_keeps_no_end_date(login_as, world, db_session):
    activity = make_activity(db_session, world.bilk, title="Frühstück", frequency="monthly_weekday",
                             repeat_until=FIRST + timedelta(days=90), valid_until=None,
                             cancelled_dates=[(FIRST + timedelta(days=28)).isoformat()])
    db_session.commit()
    web = login_as("begleitung")
    path = f"/admin/inhalte/{world.bilk.id}/angebote/{activity.id}"
    page = web.get(path).get_data(as_text=True)
    assert 'checked id="frequency-3" name="frequency" type="radio" value="monthly_weekday"' in page
    assert f'value="{(FIRST + timedelta(days=28)).isoformat()}"' in page
    assert web.post(path, _weekly(frequency="once", repeat_until=FIRST.isoformat())).status_code == 302
    [unchanged] = _activities(db_session, world.bilk.id)
    assert (unchanged.title, unchanged.frequency) == ("Frühstück", "monthly_weekday")  # the change waits
    publish_activity(web, world.bilk.id, "Singkreis")
    [changed] = _activities(db_session, world.bilk.id)
    assert changed.id == activity.id
    assert (changed.frequency, changed.repeat_until, changed.cancelled_dates) == ("once", None, [])


def test_the_list_shows_each_activity_once_in_order_of_its_next_date(login_as, world, db_session):
    now = datetime.now(BERLIN)
    make_activity(db_session, world.bilk, title="Einmaliges Fest", starts_at=now + timedelta(days=3),
                  valid_until=None)
    make_activity(db_session, world.bilk, title="Wöchentlicher Singkreis", starts_at=now - timedelta(days=12),
                  frequency="weekly", valid_from=date.today() - timedelta(days=20), valid_until=None)
    make_activity(db_session, world.bilk, title="Beendeter Malkurs", starts_at=now - timedelta(days=30),
                  frequency="weekly", repeat_until=date.today() - timedelta(days=2),
                  valid_from=date.today() - timedelta(days=40), valid_until=None)
    db_session.commit()
    page = login_as("begleitung").get(f"/admin/inhalte/{world.bilk.id}").get_data(as_text=True)
    current, rest = page.split("Demnächst am Telefon")
    assert current.count("Wöchentlicher Singkreis") == 1
    assert current.index("Wöchentlicher Singkreis") < current.index("Einmaliges Fest")
    assert "jede Woche" in current
    assert "Beendeter Malkurs" in rest.split("Vorbei (wird nicht mehr angesagt)")[1]


def test_the_welcome_meeting_gets_a_recurring_date_and_keeps_its_note(login_as, world, db_session):
    web = login_as("begleitung")
    path = f"/admin/inhalte/{world.bilk.id}/neu-hier"
    form = {"text": "", "welcome_meeting": "Im Stadtteilzentrum.", "welcome_day": FIRST.isoformat(),
            "welcome_at": "", "welcome_frequency": "monthly_weekday"}
    missing_time = web.post(path, form).get_data(as_text=True)
    assert "Bitte auch eine Uhrzeit wählen." in missing_time
    assert "Im Stadtteilzentrum." in missing_time
    assert web.post(path, {**form, "welcome_at": "15:00"}).status_code == 302
    assert 'checked id="welcome_frequency-3"' in web.get(path).get_data(as_text=True)  # the draft
    _publish_newcomer(web, world.bilk.id)
    db_session.expire_all()
    info = db_session.get(Network, world.bilk.id).newcomer_info
    assert info.welcome_schedule == Recurrence(datetime.combine(FIRST, time(15), BERLIN),
                                               Frequency.MONTHLY_WEEKDAY)
    assert info.welcome_meeting == "Im Stadtteilzentrum."
    assert 'checked id="welcome_frequency-3"' in web.get(path).get_data(as_text=True)
    assert web.post(path, {**form, "welcome_day": "", "welcome_at": ""}).status_code == 302
    _publish_newcomer(web, world.bilk.id)
    db_session.expire_all()
    assert db_session.get(Network, world.bilk.id).newcomer_info.welcome_schedule is None
