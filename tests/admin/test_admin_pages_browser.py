"""Every admin page in a real browser (Chromium via Playwright): axe-core finds no WCAG 2.1 AA
violation, and on a 375 px phone the header folds away and no table scrolls sideways."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

import pytest

from hotline.db import utcnow
from hotline.models import OfficeHours

from tests.admin.live_server import CHROMIUM_ARGS, axe_violations, live_app, log_in
from tests.factories import (
    make_account,
    make_activity,
    make_attempt,
    make_call,
    make_callback,
    make_line_number,
    make_network,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
TABLET = {"width": 1024, "height": 768}


@dataclass(frozen=True)
class Site:
    """The live app's address and the ids its pages need."""

    base: str
    network: int
    request: int
    activity: int
    volunteer: int


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A live app with a network, its content, a request with history, and one account per role."""
    data_dir = tmp_path_factory.mktemp("pages")
    with live_app(data_dir) as (base, app):
        with app.extensions["hotline.db"].session_scope() as session:
            bilk = make_network(session, slug="bilk", name="Netzwerk Bilk", stadtteile=["Bilk"])
            make_line_number(session, bilk, "+492114710100")
            session.add(OfficeHours(network_id=bilk.id, weekday=0, opens=time(10), closes=time(12)))
            volunteer = make_account(session, email="erika@example.org", networks=[bilk],
                                     display_name="Erika Schmitz")
            make_account(session, email="berta@example.org", networks=[bilk], role="begleitung",
                         display_name="Berta Begleitung")
            make_account(session, email="kora@example.org", role="admin", display_name="Kora Koordination")
            activity = make_activity(session, bilk, title="Spaziergang im Volksgarten")
            call = make_call(session, network_id=bilk.id, ended_at=utcnow())
            request = make_callback(session, network_id=bilk.id, number="+492114710911", call_id=call.id,
                                    topic="Neu hier", created_at=utcnow() - timedelta(hours=3))
            make_attempt(session, request, outcome="not_reached", user_id=volunteer.id, note="Besetzt")
            make_call(session, network_id=bilk.id, ended_at=utcnow())  # hung up without a request
            ids = Site(base, bilk.id, request.id, activity.id, volunteer.id)
        yield ids


def _pages(site: Site) -> list[str]:
    content = f"/admin/inhalte/{site.network}"
    return [
        "/admin/", "/admin/meine-rueckrufe", "/admin/erledigt", f"/admin/rueckrufe/{site.request}",
        "/admin/profil", "/admin/passwort", "/admin/personen", "/admin/personen/neu",
        f"/admin/personen/{site.volunteer}", "/admin/uebersicht", "/admin/protokoll",
        content, f"{content}/angebote/neu", f"{content}/angebote/{site.activity}", f"{content}/neu-hier",
        f"{content}/einstellungen", f"{content}/zeiten", f"{content}/ansagen", f"{content}/ansagen/greeting",
        f"{content}/menue", f"{content}/tastenkarte", f"{content}/testanruf", f"{content}/anschrift",
        "/admin/netzwerke", "/admin/netzwerke/neu", f"/admin/netzwerke/{site.network}",
        f"/admin/netzwerke/{site.network}/deaktivieren", "/admin/dringend", "/admin/auskunft",
        "/admin/rueckrufe/999999",  # the error page
    ]


def _log_in(page, base: str, email: str) -> None:
    log_in(page, base, email)
    page.wait_for_url(f"{base}/admin/")


@pytest.fixture
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("screen", [TABLET, PHONE], ids=["tablet", "phone"])
def test_every_admin_page_has_no_wcag_21_aa_violations(site, browser, axe_source, screen):
    page = browser.new_page(viewport=screen)
    page.goto(f"{site.base}/admin/login")
    found = {"/admin/login": axe_violations(page, axe_source)}
    _log_in(page, site.base, "kora@example.org")
    for path in _pages(site):
        page.goto(site.base + path)
        found[path] = axe_violations(page, axe_source)
    data_request = page.goto(f"{site.base}/admin/auskunft")
    assert data_request.ok
    page.get_by_label("Telefonnummer").fill("0211 4710911")
    page.get_by_role("button", name="Suchen").click()
    found["/admin/auskunft (Ergebnis)"] = axe_violations(page, axe_source)
    assert {path: violations for path, violations in found.items() if violations} == {}


def test_the_begleitungs_pages_fit_a_phone(site, browser):
    page = browser.new_page(viewport=PHONE)
    _log_in(page, site.base, "berta@example.org")
    content = f"/admin/inhalte/{site.network}"
    for path in ("/admin/", "/admin/personen", "/admin/protokoll", "/admin/uebersicht", f"{content}/zeiten",
                 f"{content}/ansagen", f"{content}/menue", f"/admin/rueckrufe/{site.request}"):
        page.goto(site.base + path)
        assert page.locator("header.top").bounding_box()["height"] < 100, path
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], path

    page.get_by_role("button", name="Menü").click()
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Protokoll").click()
    page.wait_for_url(f"{site.base}/admin/protokoll")


def test_without_javascript_the_header_shows_its_links(site, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=PHONE, java_script_enabled=False).new_page()
        _log_in(page, site.base, "berta@example.org")
        expect(page.get_by_role("button", name="Menü")).to_be_hidden()
        expect(page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Protokoll")
               ).to_be_visible()
        browser.close()


def test_the_login_puts_the_cursor_in_the_email_field_and_the_tab_has_an_icon(site, browser):
    page = browser.new_page(viewport=TABLET)
    page.goto(f"{site.base}/admin/login")
    assert page.evaluate("() => document.activeElement.id") == "email"
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(site.base + icon).ok


def test_without_javascript_the_test_call_says_it_needs_it_instead_of_a_dead_keypad(site, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        for javascript in (False, True):
            page = browser.new_context(viewport=TABLET, java_script_enabled=javascript).new_page()
            _log_in(page, site.base, "berta@example.org")
            page.goto(f"{site.base}/admin/inhalte/{site.network}/testanruf")
            needs_it = page.get_by_text("Der Testanruf braucht JavaScript")
            keypad = page.get_by_role("group", name="Tastenfeld")
            if javascript:
                expect(needs_it).to_be_hidden()
                expect(keypad).to_be_visible()
            else:
                expect(needs_it).to_be_visible()
                expect(keypad).to_be_hidden()
        browser.close()
