"""Every admin route, for every role: allowed, forbidden, or not found for other networks' data."""

from __future__ import annotations

from datetime import date, time

import pytest

from hotline.db import utcnow
from hotline.models import ClosureDay, FlowVersion, OfficeHours, UrgentTerm, User
from ivr_flows import builtin_flow

from factories import make_activity

ROLES = ("volunteer", "begleitung", "admin")
OK, REDIRECT = 200, 302

# (method, path, expected status for volunteer, begleitung, admin).
# {own}/{other}: a request in the user's network / in another network;
# {own_user}/{other_user}: a volunteer of the Begleitung's network / of another network;
# {own_net}/{other_net} and their {..._act} activity, {..._hours}, {..._closure}: content of the
# Begleitung's network / of another network; {term}: an urgent term.
CONTENT = "/admin/inhalte/{own_net}"
OTHER = "/admin/inhalte/{other_net}"
ROUTES = [
    ("GET", "/admin/", OK, OK, OK),
    ("GET", "/admin/rueckrufe/{own}", OK, OK, OK),
    ("GET", "/admin/rueckrufe/{other}", 404, 404, OK),
    ("GET", "/admin/rueckrufe/{own}/nachricht", OK, OK, OK),
    ("GET", "/admin/rueckrufe/{other}/nachricht", 404, 404, OK),
    ("POST", "/admin/rueckrufe/{own}/uebernehmen", REDIRECT, REDIRECT, REDIRECT),
    ("POST", "/admin/rueckrufe/{other}/uebernehmen", 404, 404, REDIRECT),
    ("POST", "/admin/rueckrufe/{own}/zurueckgeben", REDIRECT, REDIRECT, REDIRECT),
    ("POST", "/admin/rueckrufe/{other}/zurueckgeben", 404, 404, REDIRECT),
    ("POST", "/admin/rueckrufe/{own}/versuch", REDIRECT, REDIRECT, REDIRECT),
    ("POST", "/admin/rueckrufe/{other}/versuch", 404, 404, REDIRECT),
    ("POST", "/admin/rueckrufe/{own}/anrufen", REDIRECT, REDIRECT, REDIRECT),
    ("POST", "/admin/rueckrufe/{other}/anrufen", 404, 404, REDIRECT),
    ("POST", "/admin/rueckrufe/{own}/wieder-oeffnen", 403, REDIRECT, REDIRECT),
    ("POST", "/admin/rueckrufe/{other}/wieder-oeffnen", 403, 404, REDIRECT),
    ("POST", "/admin/rueckrufe/{own}/abschliessen", 403, REDIRECT, REDIRECT),
    ("POST", "/admin/rueckrufe/{other}/abschliessen", 403, 404, REDIRECT),
    ("GET", "/admin/profil", OK, OK, OK),
    ("POST", "/admin/profil", REDIRECT, REDIRECT, REDIRECT),
    ("GET", "/admin/passwort", OK, OK, OK),
    ("GET", "/admin/personen", 403, OK, OK),
    ("GET", "/admin/personen/neu", 403, OK, OK),
    ("GET", "/admin/personen/{own_user}", 403, OK, OK),
    ("GET", "/admin/personen/{other_user}", 403, 404, OK),
    ("POST", "/admin/personen/{own_user}/deaktivieren", 403, REDIRECT, REDIRECT),
    ("POST", "/admin/personen/{other_user}/deaktivieren", 403, 404, REDIRECT),
    ("POST", "/admin/personen/{own_user}/aktivieren", 403, REDIRECT, REDIRECT),
    ("POST", "/admin/personen/{other_user}/aktivieren", 403, 404, REDIRECT),
    ("POST", "/admin/personen/{own_user}/passwort", 403, OK, OK),
    ("POST", "/admin/personen/{other_user}/passwort", 403, 404, OK),
    ("GET", "/admin/uebersicht", 403, OK, OK),
    ("GET", "/admin/protokoll", 403, OK, OK),
    ("GET", "/admin/export/anrufe.csv", 403, OK, OK),
    ("GET", "/admin/export/rueckrufe.csv", 403, OK, OK),
    ("GET", "/admin/inhalte", 403, REDIRECT, OK),
    ("GET", CONTENT, 403, OK, OK),
    ("GET", OTHER, 403, 404, OK),
    ("GET", CONTENT + "/angebote/neu", 403, OK, OK),
    ("POST", CONTENT + "/angebote/neu", 403, OK, OK),
    ("POST", OTHER + "/angebote/neu", 403, 404, OK),
    ("GET", CONTENT + "/angebote/{own_act}", 403, OK, OK),
    ("GET", OTHER + "/angebote/{other_act}", 403, 404, OK),
    ("GET", CONTENT + "/angebote/{other_act}", 403, 404, 404),
    ("POST", CONTENT + "/angebote/{own_act}", 403, OK, OK),
    ("POST", CONTENT + "/angebote/{own_act}/loeschen", 403, REDIRECT, REDIRECT),
    ("POST", OTHER + "/angebote/{other_act}/loeschen", 403, 404, REDIRECT),
    ("POST", CONTENT + "/angebote/{own_act}/aufnahme", 403, REDIRECT, REDIRECT),
    ("POST", OTHER + "/angebote/{other_act}/aufnahme", 403, 404, REDIRECT),
    ("POST", CONTENT + "/angebote/{own_act}/aufnahme/entfernen", 403, REDIRECT, REDIRECT),
    ("POST", OTHER + "/angebote/{other_act}/aufnahme/entfernen", 403, 404, REDIRECT),
    ("GET", CONTENT + "/neu-hier", 403, OK, OK),
    ("GET", OTHER + "/neu-hier", 403, 404, OK),
    ("POST", CONTENT + "/neu-hier", 403, REDIRECT, REDIRECT),
    ("POST", OTHER + "/neu-hier", 403, 404, REDIRECT),
    ("GET", CONTENT + "/einstellungen", 403, OK, OK),
    ("GET", OTHER + "/einstellungen", 403, 404, OK),
    ("POST", CONTENT + "/einstellungen", 403, REDIRECT, REDIRECT),
    ("POST", OTHER + "/einstellungen", 403, 404, REDIRECT),
    ("GET", CONTENT + "/zeiten", 403, OK, OK),
    ("GET", OTHER + "/zeiten", 403, 404, OK),
    ("POST", CONTENT + "/zeiten", 403, OK, OK),
    ("POST", OTHER + "/zeiten", 403, 404, OK),
    ("POST", CONTENT + "/zeiten/{own_hours}/loeschen", 403, REDIRECT, REDIRECT),
    ("POST", OTHER + "/zeiten/{other_hours}/loeschen", 403, 404, REDIRECT),
    ("POST", CONTENT + "/zeiten/{other_hours}/loeschen", 403, 404, 404),
    ("POST", CONTENT + "/schliesstage", 403, OK, OK),
    ("POST", OTHER + "/schliesstage", 403, 404, OK),
    ("POST", CONTENT + "/schliesstage/{own_closure}/loeschen", 403, REDIRECT, REDIRECT),
    ("POST", OTHER + "/schliesstage/{other_closure}/loeschen", 403, 404, REDIRECT),
    ("GET", CONTENT + "/ansagen", 403, OK, OK),
    ("GET", OTHER + "/ansagen", 403, 404, OK),
    ("GET", CONTENT + "/ansagen/menu_repeat", 403, OK, OK),
    ("GET", CONTENT + "/ansagen/unbekannt", 403, 404, 404),
    ("POST", CONTENT + "/ansagen/menu_repeat", 403, REDIRECT, REDIRECT),
    ("POST", OTHER + "/ansagen/menu_repeat", 403, 404, REDIRECT),
    ("POST", CONTENT + "/ansagen/greeting_zero/aufnahme", 403, OK, OK),
    ("POST", OTHER + "/ansagen/greeting_zero/aufnahme", 403, 404, OK),
    ("POST", CONTENT + "/ansagen/date/aufnahme", 403, 404, 404),
    ("POST", CONTENT + "/ansagen/greeting_zero/aufnahme/entfernen", 403, REDIRECT, REDIRECT),
    ("POST", OTHER + "/ansagen/greeting_zero/aufnahme/entfernen", 403, 404, REDIRECT),
    ("GET", CONTENT + "/menue", 403, OK, OK),
    ("GET", OTHER + "/menue", 403, 404, OK),
    ("POST", CONTENT + "/menue", 403, OK, OK),
    ("POST", CONTENT + "/menue/freigeben", 403, REDIRECT, REDIRECT),
    ("POST", OTHER + "/menue/freigeben", 403, 404, REDIRECT),
    ("POST", CONTENT + "/menue/1/wiederherstellen", 403, REDIRECT, REDIRECT),
    ("POST", OTHER + "/menue/1/wiederherstellen", 403, 404, REDIRECT),
    ("POST", CONTENT + "/menue/99/wiederherstellen", 403, 404, 404),
    ("POST", CONTENT + "/menue/entwurf-verwerfen", 403, REDIRECT, REDIRECT),
    ("POST", OTHER + "/menue/entwurf-verwerfen", 403, 404, REDIRECT),
    ("GET", CONTENT + "/tastenkarte", 403, OK, OK),
    ("GET", OTHER + "/tastenkarte", 403, 404, OK),
    ("GET", CONTENT + "/testanruf", 403, OK, OK),
    ("GET", OTHER + "/testanruf", 403, 404, OK),
    ("POST", CONTENT + "/testanruf", 403, OK, OK),
    ("POST", OTHER + "/testanruf", 403, 404, OK),
    ("GET", "/admin/dringend", 403, OK, OK),
    ("POST", "/admin/dringend", 403, OK, OK),
    ("POST", "/admin/dringend/{term}/loeschen", 403, REDIRECT, REDIRECT),
    ("POST", "/admin/dringend/0/loeschen", 403, 404, 404),
    ("GET", "/admin/auskunft", 403, OK, OK),
    ("POST", "/admin/auskunft", 403, OK, OK),
    ("POST", "/admin/auskunft/export", 403, REDIRECT, REDIRECT),
    ("POST", "/admin/auskunft/loeschen", 403, REDIRECT, REDIRECT),
    ("POST", "/admin/logout", REDIRECT, REDIRECT, REDIRECT),
]


@pytest.fixture
def extras(world, db_session) -> dict[str, int]:
    """Content rows in both networks, a published menu version 1 each, and an urgent term."""
    ids: dict[str, int] = {}
    for side, network in (("own", world.bilk), ("other", world.benrath)):
        hours = OfficeHours(network_id=network.id, weekday=1, opens=time(10), closes=time(12))
        closure = ClosureDay(network_id=network.id, day=date(2030, 12, 24))
        db_session.add_all([hours, closure, FlowVersion(
            network_id=network.id, version=1, definition=builtin_flow("standard").to_mapping(),
            published=True, published_at=utcnow())])
        db_session.flush()
        ids.update({f"{side}_net": network.id, f"{side}_act": make_activity(db_session, network).id,
                    f"{side}_hours": hours.id, f"{side}_closure": closure.id})
    term = UrgentTerm(term="Testwort")
    db_session.add(term)
    db_session.commit()
    return {**ids, "term": term.id}


def _path(template: str, world, extras: dict[str, int]) -> str:
    return template.format(own=world.request.id, other=world.other_request.id,
                           own_user=world.volunteer.id, other_user=world.other_volunteer.id, **extras)


def _post_data(path: str, role: str) -> dict[str, str]:
    if path.endswith("/profil"):
        return {"display_name": role, "phone": ""}
    if path.endswith("/testanruf"):
        return {"event": "start"}
    return {}


@pytest.mark.parametrize(("method", "template", *ROLES), ROUTES,
                         ids=[f"{route[0]} {route[1]}" for route in ROUTES])
@pytest.mark.parametrize("role", ROLES)
def test_every_route_allows_or_refuses_each_role(login_as, world, extras, role, method, template,
                                                 volunteer, begleitung, admin):
    expected = {"volunteer": volunteer, "begleitung": begleitung, "admin": admin}[role]
    if role == "volunteer" and "/personen/{own_user}" in template:
        pass  # a volunteer is refused the page whoever it is about
    web = login_as(role)
    path = _path(template, world, extras)
    response = web.get(path) if method == "GET" else web.post(path, _post_data(path, role))
    assert response.status_code == expected, response.get_data(as_text=True)[:500]


@pytest.mark.parametrize(("method", "template"), [route[:2] for route in ROUTES])
def test_every_route_sends_anonymous_visitors_to_the_login(web, world, extras, method, template):
    path = _path(template, world, extras)
    response = web.get(path) if method == "GET" else web.post(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


@pytest.mark.parametrize("template", [route[1] for route in ROUTES if route[0] == "POST"])
def test_every_form_post_without_csrf_token_is_refused(login_as, world, extras, template):
    web = login_as("admin")
    response = web.client.post(_path(template, world, extras), data={})
    assert response.status_code == 400
    assert "Formular ist abgelaufen" in response.get_data(as_text=True)


def test_a_deactivated_account_is_refused_on_its_next_request(login_as, world, db_session):
    web = login_as("volunteer")
    db_session.get(User, world.volunteer.id).active = False
    db_session.commit()
    response = web.get("/admin/")
    assert response.status_code == 403
    assert "Ihr Zugang ist deaktiviert" in response.get_data(as_text=True)
    assert web.get("/admin/").status_code == 302  # logged out


def test_a_volunteer_may_not_open_another_network_s_audit_or_people_data(login_as, world):
    web = login_as("begleitung")
    page = web.get("/admin/personen").get_data(as_text=True)
    assert world.volunteer.email in page
    assert world.other_volunteer.email not in page
    assert world.admin.email not in page
