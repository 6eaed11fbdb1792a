"""Every admin route, for every role: allowed, forbidden, or not found for other networks' data."""

from __future__ import annotations

import pytest

from hotline.models import User

from tests.admin.routes import ROLES, ROUTES, route_path


def _post_data(path: str, role: str) -> dict[str, str]:
    if path.endswith("/profil"):
        return {"display_name": role, "phone": ""}
    if path.endswith("/testanruf"):
        return {"event": "start"}
    return {}


@pytest.mark.parametrize(("method", "template", *ROLES), ROUTES,
                         ids=[f"{route[0]} {route[1]}" for route in ROUTES])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.slow  # the whole matrix, some 400 requests: `make test` runs it, the fast loop does not
def test_every_route_allows_or_refuses_each_role(login_as, world, extras, role, method, template,
                                                 volunteer, begleitung, admin):
    expected = {"volunteer": volunteer, "begleitung": begleitung, "admin": admin}[role]
    if role == "volunteer" and "/personen/{own_user}" in template:
        pass  # a volunteer is refused the page whoever it is about
    web = login_as(role)
    path = route_path(template, world, extras)
    response = web.get(path) if method == "GET" else web.post(path, _post_data(path, role))
    assert response.status_code == expected, response.get_data(as_text=True)[:500]


@pytest.mark.parametrize(("method", "template"), [route[:2] for route in ROUTES])
def test_every_route_sends_anonymous_visitors_to_the_login(web, world, extras, method, template):
    path = route_path(template, world, extras)
    response = web.get(path) if method == "GET" else web.post(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


@pytest.mark.parametrize("template", [route[1] for route in ROUTES if route[0] == "POST"])
@pytest.mark.slow  # one request per form of the admin
def test_every_form_post_without_csrf_token_is_refused(login_as, world, extras, template):
    web = login_as("admin")
    response = web.client.post(route_path(template, world, extras), data={})
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
