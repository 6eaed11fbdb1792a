"""Managing volunteers, and the Begleitung's overview, audit log and CSV exports."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from hotline.db import utcnow
from hotline.models import AuditEvent, User
from hotline.services import audit, stats

from tests.admin.admin_support import AdminClient
from tests.factories import make_activity, make_attempt, make_call, make_callback, make_voicemail


def _user(db_session, email: str) -> User:
    db_session.expire_all()
    return db_session.scalar(select(User).where(User.email == email))


def test_begleitung_creates_a_volunteer_of_its_network_and_sees_the_password_once(
        app, login_as, world, db_session):
    web = login_as("begleitung")
    form = {"email": "Neu@Example.org", "display_name": "Nora Neu", "phone": "0211 1234567",
            "role": "admin"}
    refused = web.post("/admin/personen/neu", {**form, "networks": [str(world.benrath.id)]})
    assert "Diese Auswahl ist für Ihr Konto nicht möglich." in refused.get_data(as_text=True)
    assert _user(db_session, "neu@example.org") is None

    response = web.post("/admin/personen/neu", {**form, "networks": [str(world.bilk.id)]})
    assert response.status_code == 200
    password = re.search(r'<p class="password-once">([^<]+)</p>',
                         response.get_data(as_text=True)).group(1)
    created = _user(db_session, "neu@example.org")
    assert created.role == "volunteer"  # the Begleitung cannot create other roles
    assert [n.id for n in created.networks] == [world.bilk.id]
    assert created.phone == "+492111234567"
    assert AdminClient(app.test_client()).login("neu@example.org", password).status_code == 302


def test_begleitung_resets_a_password_and_deactivates(app, login_as, world, db_session):
    web = login_as("begleitung")
    response = web.post(f"/admin/personen/{world.volunteer.id}/passwort")
    password = re.search(r'<p class="password-once">([^<]+)</p>', response.get_data(
        as_text=True)).group(1)
    assert AdminClient(app.test_client()).login(world.volunteer.email, password).status_code == 302
    web.post(f"/admin/personen/{world.volunteer.id}/deaktivieren")
    assert _user(db_session, world.volunteer.email).active is False
    web.post(f"/admin/personen/{world.volunteer.id}/aktivieren")
    assert _user(db_session, world.volunteer.email).active is True


def test_a_volunteer_who_also_belongs_to_another_network_is_left_to_the_admin(
        login_as, world, db_session):
    volunteer = db_session.get(User, world.volunteer.id)
    volunteer.networks = [world.bilk, world.benrath]
    db_session.commit()
    response = login_as("begleitung").post(f"/admin/personen/{world.volunteer.id}", {
        "display_name": "Vera V.", "phone": "", "networks": [str(world.bilk.id)]})
    assert response.status_code == 404
    unchanged = _user(db_session, world.volunteer.email)
    assert unchanged.display_name == "Vera Ehrenamt"
    assert {n.id for n in unchanged.networks} == {world.bilk.id, world.benrath.id}


def test_admin_assigns_roles_and_networks(login_as, world, db_session):
    login_as("admin").post(f"/admin/personen/{world.other_volunteer.id}", {
        "display_name": "Olaf", "phone": "", "role": "begleitung",
        "networks": [str(world.bilk.id), str(world.benrath.id)]})
    changed = _user(db_session, world.other_volunteer.email)
    assert changed.role == "begleitung"
    assert {n.id for n in changed.networks} == {world.bilk.id, world.benrath.id}


def test_nobody_deactivates_themselves(login_as, world, db_session):
    response = login_as("admin").post(f"/admin/personen/{world.admin.id}/deaktivieren",
                                      follow_redirects=True)
    assert "Ihr eigenes Konto können Sie nicht deaktivieren." in response.get_data(as_text=True)
    assert _user(db_session, world.admin.email).active is True


def test_overview_draws_charts_from_the_data(login_as, world, db_session):
    call = make_call(db_session, network_id=world.bilk.id)
    from hotline.models import CallStep

    db_session.add_all([CallStep(call_id=call.id, position=0, node="main", event="start"),
                        CallStep(call_id=call.id, position=1, node="activities", event="1")])
    make_call(db_session, network_id=world.benrath.id)  # another network: not counted
    make_voicemail(db_session, network_id=world.bilk.id, state="failed")
    db_session.commit()
    page = login_as("begleitung").get("/admin/uebersicht").get_data(as_text=True)
    assert page.count("<svg") == 5
    assert "<title>Hauptmenü: 1</title>" in page
    assert "<title>Angebote: 1</title>" in page
    assert "<title>fehlgeschlagen: 1</title>" in page
    assert "<title>1–4 Std.: 1</title>" in page  # the 3-hour-old request of Bilk


def test_the_overview_shows_where_callers_give_up_in_the_menus_words(login_as, world, db_session):
    from hotline.models import CallStep

    now = utcnow()
    paths = [["welcome", "main", "message"], ["welcome", "main", "message"], ["welcome", "main"], []]
    for path in paths:
        call = make_call(db_session, network_id=world.bilk.id, started_at=now - timedelta(minutes=9),
                         ended_at=now - timedelta(minutes=8))
        db_session.add_all([CallStep(call_id=call.id, position=position, node=node, event="start")
                            for position, node in enumerate(path)])
    asked = make_call(db_session, network_id=world.bilk.id, ended_at=now)  # left a request: not given up
    db_session.add(CallStep(call_id=asked.id, position=0, node="confirm", event="start"))
    make_callback(db_session, network_id=world.bilk.id, call_id=asked.id)
    make_call(db_session, network_id=world.bilk.id)  # still going: not given up
    db_session.commit()

    numbers = stats.overview(db_session, {world.bilk.id}, now=now)
    assert numbers.given_up_at == [("Nachricht aufsprechen", 2), ("Hauptmenü", 1), ("vor der Begrüßung", 1)]
    assert sum(count for _, count in numbers.given_up_per_day) == 4
    page = login_as("begleitung").get("/admin/uebersicht").get_data(as_text=True)
    assert "<title>Nachricht aufsprechen: 2</title>" in page
    for node in ("message", "confirm", "main"):
        assert f">{node}<" not in page
        assert f"<title>{node}:" not in page


def test_median_time_to_first_attempt(db_session, world):
    now = utcnow()
    for hours in (1, 2, 6):
        request = make_callback(db_session, network_id=world.bilk.id,
                                created_at=now - timedelta(hours=10))
        make_attempt(db_session, request, at=now - timedelta(hours=10) + timedelta(hours=hours))
        make_attempt(db_session, request, at=now)  # later attempts do not count
    numbers = stats.overview(db_session, {world.bilk.id}, now=now)
    assert numbers.median_to_first_attempt == timedelta(hours=2)
    assert sum(count for _, count in numbers.calls_per_day) == 0
    assert len(numbers.calls_per_day) == 14


def test_audit_log_shows_own_networks_only(login_as, world):
    login_as("admin").get(f"/admin/rueckrufe/{world.other_request.id}")
    login_as("volunteer").get(f"/admin/rueckrufe/{world.request.id}")
    page = login_as("begleitung").get("/admin/protokoll").get_data(as_text=True)
    assert f'href="/admin/rueckrufe/{world.request.id}">Rückruf für 0221 4710911</a>' in page
    assert f"/admin/rueckrufe/{world.other_request.id}" not in page
    assert "Vera Ehrenamt" in page
    assert "hat geöffnet" in page


def test_the_audit_log_names_people_and_things_and_filters_them(login_as, world, db_session):
    activity = make_activity(db_session, world.bilk, title="Spaziergang im Volksgarten")
    db_session.get(User, world.volunteer.id).display_name = "Erika Schmitz"
    audit.record(db_session, "activity_changed", "activity", activity.id, actor_id=world.begleitung.id,
                 network_id=world.bilk.id)
    audit.record(db_session, "user_changed", "user", world.volunteer.id, actor_id=world.begleitung.id)
    audit.record(db_session, "activity_deleted", "activity", 999_999, actor_id=world.begleitung.id,
                 network_id=world.bilk.id, title="Boule am Rhein")
    db_session.commit()
    login_as("volunteer").get(f"/admin/rueckrufe/{world.request.id}")
    web = login_as("begleitung")
    page = web.get("/admin/protokoll").get_data(as_text=True)
    for name in ("Angebot Spaziergang im Volksgarten", "Erika Schmitz", "Angebot Boule am Rhein"):
        assert name in page
    assert "Konto 1" not in page

    only_erika = web.get(f"/admin/protokoll?person={world.volunteer.id}").get_data(as_text=True)
    assert "hat geöffnet" in only_erika
    assert "Spaziergang im Volksgarten" not in only_erika
    only_activities = web.get("/admin/protokoll?art=activity").get_data(as_text=True)
    assert "Spaziergang im Volksgarten" in only_activities
    assert "hat geöffnet" not in only_activities
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    assert "Keine Einträge für diese Auswahl" in web.get(f"/admin/protokoll?von={tomorrow}").get_data(as_text=True)
    assert "Keine Einträge für diese Auswahl" in web.get(
        f"/admin/protokoll?netzwerk={world.benrath.id}").get_data(as_text=True)
    # Unreadable filters are ignored rather than answered with an error.
    assert web.get("/admin/protokoll?von=gestern&person=x&art=nix").status_code == 200


@pytest.mark.parametrize(("path", "header"), [
    ("/admin/export/anrufe.csv", "Beginn;Ende;Dauer (Sekunden);Netzwerk;Anrufer"),
    ("/admin/export/rueckrufe.csv", "Eingang;Netzwerk;Nummer;Thema"),
])
def test_csv_exports_cover_own_networks_and_are_audited(login_as, world, db_session, path, header):
    make_call(db_session, network_id=world.bilk.id, from_number="+492214710955")
    make_call(db_session, network_id=world.benrath.id, from_number="+492214710966")
    make_callback(db_session, network_id=world.bilk.id, topic="=HYPERLINK(\"x\")")
    db_session.commit()
    response = login_as("begleitung").get(path)
    text = response.data.decode("utf-8-sig")
    assert response.mimetype == "text/csv"
    assert text.startswith(header)
    assert "Netzwerk Benrath" not in text
    assert "4710966" not in text
    assert "Netzwerk Bilk" in text
    assert "\n=" not in text
    assert ";=" not in text
    assert db_session.scalar(select(AuditEvent).where(AuditEvent.action == "exported"))


def test_the_call_export_writes_numbers_and_states_in_german(login_as, world, db_session):
    make_call(db_session, network_id=world.bilk.id, from_number="+492214710955", status="completed",
              started_at=utcnow() - timedelta(hours=2))
    make_call(db_session, network_id=world.bilk.id, from_number=None, status="no-answer",
              started_at=utcnow() - timedelta(hours=1))
    db_session.commit()
    rows = login_as("begleitung").get("/admin/export/anrufe.csv").data.decode("utf-8-sig").splitlines()
    assert [row.split(";")[4:] for row in rows[1:]] == [
        ["unterdrückt", "0221 4710100", "nicht angenommen"],
        ["0221 4710955", "0221 4710100", "beendet"],
    ]
