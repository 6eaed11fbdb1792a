"""Logging in: German messages, throttling, safe redirects, cookie flags, headers, passwords."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from hotline import create_app
from hotline.db import utcnow
from hotline.models import LoginFailure, User
from hotline.services import logins

from tests.admin.admin_support import PASSWORD, AdminClient


def test_login_with_right_password_opens_the_queue(web, world):
    response = web.login(world.volunteer.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    assert "Rückrufe" in web.get("/admin/").get_data(as_text=True)


def test_email_is_compared_without_case_and_spaces(web, world):
    assert web.login(f"  {world.volunteer.email.upper()} ").status_code == 302


def test_wrong_password_shows_a_german_message_and_is_recorded(web, world, db_session):
    response = web.login(world.volunteer.email, "falsch")
    assert response.status_code == 200
    assert "E-Mail-Adresse oder Passwort stimmen nicht." in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(LoginFailure)) == 1


def test_a_control_character_in_the_email_is_refused_in_german_not_stored(web, world, db_session):
    # PostgreSQL refuses a NUL in text: the form must stop it before a failure is recorded.
    response = web.login("erika\x00@example.org", "falsch")
    assert response.status_code == 200
    assert "unsichtbare Steuerzeichen" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(LoginFailure)) == 0


def test_five_failures_make_this_address_wait_for_this_account(web, world):
    for _ in range(5):
        assert web.login(world.volunteer.email, "falsch").status_code == 200
    response = web.login(world.volunteer.email, PASSWORD)
    assert response.status_code == 429
    assert "Zu viele Fehlversuche" in response.get_data(as_text=True)
    # Another account from the same place is not affected.
    assert web.login(world.begleitung.email, PASSWORD).status_code == 302


def test_a_deactivated_account_cannot_log_in(web, world, db_session):
    db_session.get(User, world.volunteer.id).active = False
    db_session.commit()
    assert web.login(world.volunteer.email).status_code == 200


@pytest.mark.parametrize(("next_url", "target"), [
    ("/admin/profil", "/admin/profil"),
    ("//evil.example/admin/", "/admin/"),
    ("https://evil.example/admin/", "/admin/"),
    ("/healthz", "/admin/"),
    ("/admin/profil%0D%0ALocation:%20https://evil.example/", "/admin/"),
    ("/admin/%0A//evil.example/", "/admin/"),
    ("/admin/profil%00", "/admin/"),
])
def test_login_follows_only_next_urls_inside_the_admin(web, world, next_url, target):
    response = web.login(world.volunteer.email, next_url=next_url)
    assert response.headers["Location"] == target


def test_anonymous_visit_remembers_the_page_for_after_login(web, world):
    response = web.get(f"/admin/rueckrufe/{world.request.id}")
    assert response.headers["Location"] == f"/admin/login?next=/admin/rueckrufe/{world.request.id}"


def test_session_cookie_is_httponly_and_lax(web, world):
    response = web.login(world.volunteer.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_behind_https(settings):
    app = create_app(replace(settings, public_base_url="https://hotline.example.org"))
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_admin_pages_send_security_headers(web):
    response = web.get("/admin/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self';" in csp  # static files only (the Testanruf keypad): no inline scripts
    assert "unsafe" not in csp
    assert "default-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_password_change_needs_the_current_password(login_as, world):
    web = login_as("volunteer")
    response = web.post("/admin/passwort", {"current": "falsch", "new": "ganz-neues-passwort",
                                            "repeated": "ganz-neues-passwort"})
    assert "Das bisherige Passwort stimmt nicht." in response.get_data(as_text=True)


def test_password_change_works_and_ends_other_sessions(app, login_as, world):
    web, other_device = login_as("volunteer"), login_as("volunteer")
    response = web.post("/admin/passwort", {"current": PASSWORD, "new": "ganz-neues-passwort",
                                            "repeated": "ganz-neues-passwort"})
    assert response.status_code == 302
    assert web.get("/admin/").status_code == 200
    assert other_device.get("/admin/").status_code == 302
    fresh = AdminClient(app.test_client())
    assert fresh.login(world.volunteer.email, "ganz-neues-passwort").status_code == 302


def test_logout_ends_the_session(login_as):
    web = login_as("volunteer")
    assert web.post("/admin/logout").status_code == 302
    assert web.get("/admin/").status_code == 302


def _session_cookie(web: AdminClient) -> str:
    cookie = web.client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _replay(app, cookie: str) -> AdminClient:
    stolen = AdminClient(app.test_client())
    stolen.client.set_cookie("session", cookie)
    return stolen


def test_a_cookie_kept_from_before_the_logout_no_longer_works(app, login_as):
    web = login_as("volunteer")
    cookie = _session_cookie(web)
    assert _replay(app, cookie).get("/admin/").status_code == 200
    web.post("/admin/logout")
    assert _replay(app, cookie).get("/admin/").status_code == 302


def test_a_cookie_kept_from_before_a_deactivation_no_longer_works(app, login_as, world):
    web = login_as("volunteer")
    cookie = _session_cookie(web)
    login_as("begleitung").post(f"/admin/personen/{world.volunteer.id}/deaktivieren")
    login_as("begleitung").post(f"/admin/personen/{world.volunteer.id}/aktivieren")
    assert _replay(app, cookie).get("/admin/").status_code == 302


def _login_from(web: AdminClient, address: str, email: str, password: str):
    return web.post("/admin/login", {"email": email, "password": password},
                    environ_base={"REMOTE_ADDR": address})


def test_one_address_hammering_an_account_does_not_lock_out_its_owner(web, world):
    for _ in range(logins.ACCOUNT_FREE_FAILURES):
        assert _login_from(web, "203.0.113.7", world.volunteer.email, "falsch").status_code == 200
    throttled = _login_from(web, "203.0.113.7", world.volunteer.email, PASSWORD)
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) == logins.FIRST_DELAY.total_seconds()
    assert "Bitte warten Sie" in throttled.get_data(as_text=True)
    assert _login_from(web, "198.51.100.2", world.volunteer.email, PASSWORD).status_code == 302


def test_one_address_cannot_try_passwords_on_any_number_of_accounts(web, world):
    for number in range(logins.ADDRESS_FREE_FAILURES):
        _login_from(web, "203.0.113.7", f"niemand{number}@example.org", "falsch")
    assert _login_from(web, "203.0.113.7", world.volunteer.email, PASSWORD).status_code == 429
    assert _login_from(web, "198.51.100.2", world.volunteer.email, PASSWORD).status_code == 302


def test_the_delay_doubles_with_each_further_failure(db_session, world):
    start = utcnow()
    for second in range(logins.ACCOUNT_FREE_FAILURES):
        logins.authenticate(db_session, world.volunteer.email, "falsch", "203.0.113.7",
                            now=start + timedelta(seconds=second))
    waits = []
    now = start + timedelta(seconds=logins.ACCOUNT_FREE_FAILURES)
    for _ in range(3):
        with pytest.raises(logins.LoginThrottled) as throttled:
            logins.authenticate(db_session, world.volunteer.email, "falsch", "203.0.113.7", now=now)
        waits.append(throttled.value.retry_after)
        now += timedelta(seconds=throttled.value.retry_after)
        logins.authenticate(db_session, world.volunteer.email, "falsch", "203.0.113.7", now=now)
    assert waits == [29, 60, 120]  # the first counted from the fifth failure, a second earlier


@pytest.mark.parametrize(("proxies", "recorded"), [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_behind_trusted_proxies_the_visitor_s_own_address_counts(settings, proxies, recorded):
    app = create_app(replace(settings, trusted_proxies=proxies))
    database = app.extensions["hotline.db"]
    try:
        AdminClient(app.test_client()).post("/admin/login", {"email": "niemand@example.org", "password": "falsch"},
                                            headers={"X-Forwarded-For": "203.0.113.7"})
        with database.session_scope() as session:
            ips = session.scalars(select(LoginFailure.ip).where(LoginFailure.email == "niemand@example.org"))
            assert list(ips) == [recorded]
            session.execute(delete(LoginFailure).where(LoginFailure.email == "niemand@example.org"))
    finally:
        database.dispose()


@pytest.mark.parametrize(("new", "message"), [
    ("passwort123", "zu leicht zu erraten"),
    ("Passwort2024!", "zu leicht zu erraten"),
    ("1234567890", "zu leicht zu erraten"),
    ("vera-ehrenamt-1", "Namen oder der E-Mail-Adresse"),
])
def test_a_common_or_personal_password_is_refused(login_as, world, new, message):
    web = login_as("volunteer")
    response = web.post("/admin/passwort", {"current": PASSWORD, "new": new, "repeated": new})
    assert message in response.get_data(as_text=True)
    assert web.get("/admin/").status_code == 200  # the old password's session is still valid


def test_a_password_built_from_the_e_mail_is_refused_on_reset(login_as, world):
    local_part = world.volunteer.email.split("@")[0]
    response = login_as("begleitung").post(f"/admin/personen/{world.volunteer.id}/passwort",
                                           {"password": f"{local_part}-hotline"}, follow_redirects=True)
    assert "Namen oder der E-Mail-Adresse" in response.get_data(as_text=True)
