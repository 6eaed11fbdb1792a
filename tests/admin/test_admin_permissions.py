"""Every admin route, for every role: allowed, forbidden, or not found for other networks' data."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from hotline.models import User

from tests.admin.routes import ROLES, ROUTES, route_path
from tests.factories import make_account


def _post_data(path: str, role: str) -> dict[str, str]:
    if path.endswith("/profil"):
        return {"display_name": role, "phone": ""}
    if path.endswith("/testanruf"):
        return {"event": "start"}
    return {}


@contextmanager
def undone(app):
    """Roll back whatever one request writes, so every route of a walk meets the same world."""
    connection = app.extensions["hotline.db"].sessions.kw["bind"]
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        savepoint.rollback()


# Each walk is one test over every route (one world instead of one per route keeps the suite fast);
# it requests them all and names every route that answered wrongly.

@pytest.mark.parametrize("role", ROLES)
@pytest.mark.slow  # the whole matrix, some 400 requests: `make test` runs it, the fast loop does not
def test_every_route_allows_or_refuses_each_role(app, login_as, world, extras, role):
    column = 2 + ROLES.index(role)
    wrong = []
    for route in ROUTES:
        method, template, expected = route[0], route[1], route[column]
        path = route_path(template, world, extras)
        with undone(app):
            web = login_as(role)
            response = web.get(path) if method == "GET" else web.post(path, _post_data(path, role))
        if response.status_code != expected:
            wrong.append(f"{method} {path}: {response.status_code}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_every_route_sends_anonymous_visitors_to_the_login(web, world, extras):
    wrong = []
    for method, template, *_ in ROUTES:
        path = route_path(template, world, extras)
        response = web.get(path) if method == "GET" else web.post(path)
        if response.status_code != 302 or not response.headers["Location"].startswith("/admin/login"):
            wrong.append(f"{method} {path}: {response.status_code} {response.headers.get('Location')}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.slow  # one request per form of the admin
def test_every_form_post_without_csrf_token_is_refused(login_as, world, extras):
    web = login_as("admin")
    wrong = []
    for template in [route[1] for route in ROUTES if route[0] == "POST"]:
        path = route_path(template, world, extras)
        response = web.client.post(path, data={})
        if response.status_code != 400 or "Formular ist abgelaufen" not in response.get_data(as_text=True):
            wrong.append(f"POST {path}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


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


def test_begleitung_manages_only_accounts_whose_networks_all_lie_within_hers(login_as, world, db_session):
    shared = make_account(db_session, networks=[world.bilk, world.benrath], display_name="Geteilt")
    db_session.commit()
    web = login_as("begleitung")
    assert web.post(f"/admin/personen/{shared.id}/passwort").status_code == 404
    assert web.post(f"/admin/personen/{shared.id}/deaktivieren").status_code == 404
    assert web.get(f"/admin/personen/{shared.id}").status_code == 404
    assert shared.email not in web.get("/admin/personen").get_data(as_text=True)
    response = web.post(f"/admin/personen/{world.volunteer.id}/passwort")
    assert response.status_code == 200
    assert "Passwort" in response.get_data(as_text=True)
