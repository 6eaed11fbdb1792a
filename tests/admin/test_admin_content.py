"""The Begleitung edits a network's content: activities, newcomer text, greeting, hours, prompts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hotline.models import Activity, AuditEvent, ClosureDay, Network, OfficeHours, PromptOverride

from tests.admin.admin_support import publish_activity
from tests.factories import make_activity

BERLIN = ZoneInfo("Europe/Berlin")


def _activity_form(**values: str) -> dict[str, str]:
    day = date.today() + timedelta(days=5)
    return {"title": "Kochen für alle", "description": "Wir kochen zusammen.", "day": day.isoformat(),
            "at": "15:30", "place": "Anlaufstelle", "valid_from": date.today().isoformat(),
            "valid_until": day.isoformat(), **values}


def _publish(web, network_id: int, kind: str) -> None:
    assert web.post(f"/admin/inhalte/{network_id}/entwurf/{kind}/veroeffentlichen").status_code == 302


def _audit_actions(db_session, network_id: int) -> list[str]:
    return list(db_session.scalars(select(AuditEvent.action).where(AuditEvent.network_id == network_id)
                                   .order_by(AuditEvent.id)))


def test_an_activity_is_added_in_duesseldorf_time_and_audited(login_as, world, db_session):
    web = login_as("begleitung")
    response = web.post(f"/admin/inhalte/{world.bilk.id}/angebote/neu", _activity_form())
    assert response.status_code == 302
    # Her entry is a draft: listed as not yet published, not on the line.
    assert db_session.scalars(select(Activity).where(Activity.network_id == world.bilk.id)).all() == []
    page = web.get(f"/admin/inhalte/{world.bilk.id}").get_data(as_text=True)
    waiting, on_line = page.split("Jetzt am Telefon zu hören")
    assert "Kochen für alle" in waiting.split('id="vorschlaege"')[1]
    assert "Kochen für alle" not in on_line
    publish_activity(web, world.bilk.id, "Kochen für alle")
    activity = db_session.scalars(select(Activity).where(Activity.network_id == world.bilk.id)).one()
    assert activity.title == "Kochen für alle"
    assert activity.starts_at.astimezone(BERLIN).time() == time(15, 30)
    assert (activity.entered_by_id, activity.published_by_id) == (world.begleitung.id, world.begleitung.id)
    assert _audit_actions(db_session, world.bilk.id)[-2:] == ["activity_draft_saved", "activity_published"]
    page = web.get(f"/admin/inhalte/{world.bilk.id}").get_data(as_text=True)
    current = page.split("Jetzt am Telefon zu hören")[1].split("Demnächst am Telefon")[0]
    assert "Kochen für alle" in current
    assert "Keine Entwürfe und keine Vorschläge." in page


def test_the_list_separates_current_upcoming_and_past_activities(login_as, world, db_session):
    today = date.today()
    now = datetime.now(BERLIN)
    make_activity(db_session, world.bilk, title="Jetzt", starts_at=now + timedelta(days=2))
    make_activity(db_session, world.bilk, title="Später", starts_at=now + timedelta(days=40),
                  valid_from=today + timedelta(days=20), valid_until=today + timedelta(days=40))
    make_activity(db_session, world.bilk, title="Gewesen", starts_at=now - timedelta(days=3),
                  valid_from=today - timedelta(days=10), valid_until=today + timedelta(days=3))
    db_session.commit()
    page = login_as("begleitung").get(f"/admin/inhalte/{world.bilk.id}").get_data(as_text=True)
    current, rest = page.split("Demnächst am Telefon")
    upcoming, past = rest.split("Vorbei (wird nicht mehr angesagt)")
    assert "Jetzt" in current
    assert "Später" not in current
    assert "Gewesen" not in current
    assert "Später" in upcoming
    assert "Gewesen" in past


@pytest.mark.parametrize(("values", "message"), [
    ({"title": ""}, "Bitte ausfüllen."),
    ({"place": ""}, "Bitte ausfüllen."),
    ({"title": "x" * 121}, "Höchstens 120 Zeichen."),
    ({"valid_from": (date.today() + timedelta(days=9)).isoformat()}, "„Ansagen ab“ muss vor „Ansagen bis“ liegen."),
    ({"day": "kein Datum"}, "Bitte ein Datum wählen oder so eintippen: 24.12.2026."),
])
def test_activity_form_errors_are_shown_and_nothing_is_saved(login_as, world, db_session, values, message):
    response = login_as("begleitung").post(f"/admin/inhalte/{world.bilk.id}/angebote/neu", _activity_form(**values))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db_session.scalars(select(Activity).where(Activity.network_id == world.bilk.id)).all() == []


def test_an_activity_is_edited_and_deleted(login_as, world, db_session):
    activity_id = make_activity(db_session, world.bilk, title="Alt").id
    db_session.commit()
    web = login_as("begleitung")
    path = f"/admin/inhalte/{world.bilk.id}/angebote/{activity_id}"
    assert 'value="Alt"' in web.get(path).get_data(as_text=True)
    assert web.post(path, _activity_form(title="Neu", place="Hof")).status_code == 302
    db_session.expire_all()
    live = db_session.get(Activity, activity_id)
    assert (live.title, live.place) == ("Alt", "Park")  # the line keeps the old one until she publishes
    assert 'value="Neu"' in web.get(path).get_data(as_text=True)  # the form shows the waiting change
    publish_activity(web, world.bilk.id, "Neu")
    db_session.expire_all()
    changed = db_session.get(Activity, activity_id)
    assert (changed.title, changed.place) == ("Neu", "Hof")
    assert web.post(path + "/loeschen").status_code == 302
    db_session.expire_all()
    assert db_session.get(Activity, activity_id) is None
    assert _audit_actions(db_session, world.bilk.id)[-3:] == ["activity_draft_saved", "activity_published",
                                                             "activity_deleted"]


def test_newcomer_text_is_saved_and_limited_for_the_phone(login_as, world, db_session):
    web = login_as("begleitung")
    path = f"/admin/inhalte/{world.bilk.id}/neu-hier"
    too_long = web.post(path, {"text": "Wort " * 301, "welcome_meeting": ""})
    assert "Höchstens 1500 Zeichen." in too_long.get_data(as_text=True)
    saved = web.post(path, {"text": "Willkommen!\n\nKommen Sie vorbei.", "welcome_meeting": "Dienstag"})
    assert saved.status_code == 302
    assert "Kommen Sie vorbei." in web.get(path).get_data(as_text=True)  # the form shows the draft
    db_session.expire_all()
    assert db_session.get(Network, world.bilk.id).newcomer_info is None
    _publish(web, world.bilk.id, "newcomer")
    db_session.expire_all()
    info = db_session.get(Network, world.bilk.id).newcomer_info
    assert (info.text, info.welcome_meeting) == ("Willkommen!\n\nKommen Sie vorbei.", "Dienstag")


def test_forwarding_number_is_stored_in_e164_and_no_spoken_input_is_offered(login_as, world, db_session):
    web = login_as("begleitung")
    path = f"/admin/inhalte/{world.bilk.id}/einstellungen"
    bad = web.post(path, {"greeting": "", "forwarding_number": "12"})
    assert "Diese Telefonnummer ist nicht gültig" in bad.get_data(as_text=True)
    assert web.post(path, {"greeting": "Hallo Bilk!", "forwarding_number": "0211 89 92 100"}).status_code == 302
    db_session.expire_all()
    network = db_session.get(Network, world.bilk.id)
    # The number is not spoken and holds at once; the greeting waits for its publishing.
    assert (network.greeting, network.forwarding_number) == (None, "+492118992100")
    _publish(web, world.bilk.id, "greeting")
    db_session.expire_all()
    assert db_session.get(Network, world.bilk.id).greeting == "Hallo Bilk!"
    page = web.get(path).get_data(as_text=True)
    assert 'value="0211 8992100"' in page
    # Every Gather takes keys only, so there is no setting that would pretend otherwise.
    assert "Spracheingabe" not in page


@pytest.mark.parametrize("number", ["1640", "20100000000000"])
def test_forwarding_numbers_the_database_cannot_keep_are_refused(login_as, world, db_session, number):
    # phonenumbers calls both valid for Germany, but E.164 has 8 to 15 digits (found by fuzzing).
    response = login_as("begleitung").post(f"/admin/inhalte/{world.bilk.id}/einstellungen",
                                           {"greeting": "", "forwarding_number": number})
    assert response.status_code == 200
    assert "Diese Telefonnummer ist nicht gültig" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Network, world.bilk.id).forwarding_number is None


@pytest.mark.parametrize(("path", "values"), [
    ("neu-hier", {"text": "Willkommen!\x1b[0m", "welcome_meeting": ""}),
    ("neu-hier", {"text": "", "welcome_meeting": "Dienstag\x00"}),
    ("einstellungen", {"greeting": "Hallo\x0b Bilk", "forwarding_number": ""}),
    ("angebote/neu", _activity_form(title="Kochen\x08")),
    ("ansagen/menu_repeat", {"text": "Noch einmal\x1f"}),
])
def test_control_characters_are_refused_because_the_phone_line_cannot_say_them(login_as, world, db_session,
                                                                                  path, values):
    # They would make the line's TwiML invalid XML (and PostgreSQL refuses NUL); found by fuzzing.
    response = login_as("begleitung").post(f"/admin/inhalte/{world.bilk.id}/{path}", values)
    assert response.status_code == 200
    assert "unsichtbare Steuerzeichen" in response.get_data(as_text=True)
    db_session.expire_all()
    network = db_session.get(Network, world.bilk.id)
    assert (network.newcomer_info, network.greeting) == (None, None)
    assert db_session.scalars(select(PromptOverride)).all() == []
    assert db_session.scalars(select(Activity).where(Activity.title.startswith("Kochen"))).all() == []


def test_office_hours_must_be_in_order_and_may_not_overlap(login_as, world, db_session):
    web = login_as("begleitung")
    path = f"/admin/inhalte/{world.bilk.id}/zeiten"
    assert web.post(path, {"weekday": "1", "opens": "10:00", "closes": "12:00"}).status_code == 302
    backwards = web.post(path, {"weekday": "2", "opens": "12:00", "closes": "10:00"})
    assert "Die Anlaufstelle muss öffnen, bevor sie schließt." in backwards.get_data(as_text=True)
    overlap = web.post(path, {"weekday": "1", "opens": "11:00", "closes": "13:00"})
    assert "überschneidet sich" in overlap.get_data(as_text=True)
    assert "Dienstag" in web.get(path).get_data(as_text=True)
    _publish(web, world.bilk.id, "hours")
    hours = db_session.scalars(select(OfficeHours).where(OfficeHours.network_id == world.bilk.id)).one()
    assert (hours.weekday, hours.opens, hours.closes) == (1, time(10), time(12))
    assert web.post(f"{path}/1/10:00/loeschen").status_code == 302
    assert web.post(f"{path}/1/10:00/loeschen").status_code == 404  # already gone from the draft
    _publish(web, world.bilk.id, "hours")
    db_session.expire_all()
    assert db_session.scalars(select(OfficeHours).where(OfficeHours.network_id == world.bilk.id)).all() == []


def test_closure_days_are_added_once_and_removed(login_as, world, db_session):
    web = login_as("begleitung")
    path = f"/admin/inhalte/{world.bilk.id}/schliesstage"
    day = (date.today() + timedelta(days=30)).isoformat()
    assert web.post(path, {"day": day, "reason": "Betriebsausflug"}).status_code == 302
    twice = web.post(path, {"day": day, "reason": ""})
    assert "schon als Schließtag eingetragen" in twice.get_data(as_text=True)
    assert "Betriebsausflug" in web.get(f"/admin/inhalte/{world.bilk.id}/zeiten").get_data(as_text=True)
    _publish(web, world.bilk.id, "hours")
    closure = db_session.scalars(select(ClosureDay).where(ClosureDay.network_id == world.bilk.id)).one()
    assert (closure.day.isoformat(), closure.reason) == (day, "Betriebsausflug")
    assert web.post(f"{path}/{day}/loeschen").status_code == 302
    _publish(web, world.bilk.id, "hours")
    db_session.expire_all()
    assert db_session.scalars(select(ClosureDay).where(ClosureDay.network_id == world.bilk.id)).all() == []


@pytest.mark.parametrize(("key", "text", "error"), [
    ("greeting", "Hallo {network}, schön!", None),
    ("greeting", "Hallo {name}!", "nur diese Platzhalter möglich: {network}"),
    ("menu_repeat", "Mit {} wiederholen", "Geschweifte Klammern { } sind in diesem Text nicht möglich."),
    ("menu_repeat", "x" * 601, "Höchstens 600 Zeichen."),
])
def test_prompt_texts_keep_to_the_placeholders_of_the_standard_text(login_as, world, db_session, key, text, error):
    web = login_as("begleitung")
    response = web.post(f"/admin/inhalte/{world.bilk.id}/ansagen/{key}", {"text": text})
    _publish(web, world.bilk.id, "prompts")
    override = db_session.scalars(select(PromptOverride).where(PromptOverride.network_id == world.bilk.id)).first()
    if error is None:
        assert response.status_code == 302
        assert (override.key, override.text) == (key, text)
    else:
        assert error in response.get_data(as_text=True)
        assert override is None


def test_the_standard_text_or_an_empty_text_removes_an_override(login_as, world, db_session):
    web = login_as("begleitung")
    path = f"/admin/inhalte/{world.bilk.id}/ansagen/menu_repeat"
    web.post(path, {"text": "Sterntaste: nochmal."})
    _publish(web, world.bilk.id, "prompts")
    assert db_session.scalars(select(PromptOverride.text)).all() == ["Sterntaste: nochmal."]
    web.post(path, {"text": ""})
    _publish(web, world.bilk.id, "prompts")
    db_session.expire_all()
    assert db_session.scalars(select(PromptOverride)).all() == []
    page = web.get(f"/admin/inhalte/{world.bilk.id}/ansagen/label_talk").get_data(as_text=True)
    assert "Diesen Text ändern Sie im" in page

