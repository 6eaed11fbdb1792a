"""The coordinator's Netzwerke pages in a real browser (Chromium via Playwright), checked with axe-core."""

from __future__ import annotations

import pytest

from tests.admin.live_server import CHROMIUM_ARGS, axe_violations, live_app, log_in
from tests.factories import make_account, make_line_number, make_network

pytestmark = pytest.mark.browser

@pytest.fixture
def coordinator_site(tmp_path):
    """A live app with one network (Bilk, with a number) and the coordinator's admin account."""
    with live_app(tmp_path) as (base, app):
        with app.extensions["hotline.db"].session_scope() as session:
            bilk = make_network(session, slug="bilk", name="Netzwerk Bilk", stadtteile=["Bilk"])
            make_line_number(session, bilk, "+492214710100")
            make_account(session, email="koordination@example.org", role="admin", display_name="Kora Koordination")
            make_account(session, email="berta@example.org", role="begleitung", display_name="Berta Begleitung")
        yield base


@pytest.fixture
def page(coordinator_site, chromium_path):
    """A logged-in coordinator's page in Chromium at tablet size."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        log_in(page, coordinator_site, "koordination@example.org")
        page.get_by_role("link", name="Netzwerke").click()
        yield page
        browser.close()


def _fill_new_network(page, numbers: str) -> None:
    page.get_by_role("link", name="Neues Netzwerk anlegen").click()
    page.get_by_label("Name", exact=False).first.fill("Netzwerk Flingern")
    page.get_by_label("Kurzname", exact=False).fill("flingern")
    page.get_by_label("Telefonnummern", exact=False).fill(numbers)
    page.get_by_role("group", name="Stadtbezirk 2").get_by_label("Flingern-Nord").check()
    page.get_by_role("group", name="Stadtbezirk 2").get_by_label("Flingern-Süd").check()
    page.get_by_label("Berta Begleitung").check()
    page.get_by_role("button", name="Speichern").click()


def test_the_coordinator_creates_a_network_and_sees_it_listed(page):
    from playwright.sync_api import expect

    _fill_new_network(page, "0211 5550100\n+49 211 5550101")
    expect(page.get_by_text("Das Netzwerk „Netzwerk Flingern“ ist angelegt.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Netzwerk Flingern")
    expect(row).to_contain_text("Flingern-Nord, Flingern-Süd")
    expect(row).to_contain_text("0211 5550100")
    expect(row).to_contain_text("0211 5550101")


def test_a_duplicate_number_shows_the_german_error_next_to_the_field(page):
    from playwright.sync_api import expect

    _fill_new_network(page, "0221 4710100")
    error = page.locator("#phone_numbers + p.errors")
    expect(error).to_have_text("Die Nummer 0221 4710100 gehört schon zum Netzwerk „Netzwerk Bilk“ (bilk).")


def test_deactivation_asks_for_confirmation(page):
    from playwright.sync_api import expect

    page.get_by_role("link", name="Netzwerk Bilk").click()
    page.get_by_role("link", name="Deaktivieren …").click()
    expect(page.get_by_role("heading", name="„Netzwerk Bilk“ wirklich deaktivieren?")).to_be_visible()
    page.get_by_role("link", name="Abbrechen").click()
    page.get_by_role("link", name="Deaktivieren …").click()
    page.get_by_role("button", name="Ja, deaktivieren").click()
    expect(page.get_by_text("ist deaktiviert")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Netzwerk Bilk")).to_contain_text("deaktiviert")


def test_the_list_and_the_edit_page_have_no_wcag_21_aa_violations(page, axe_source):
    assert axe_violations(page, axe_source) == []
    page.get_by_role("link", name="Netzwerk Bilk").click()
    assert axe_violations(page, axe_source) == []


def test_at_375_px_no_table_scrolls_sideways_on_the_list(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    overflowing = page.evaluate(
        "() => [...document.querySelectorAll('table')]"
        ".filter(t => t.getBoundingClientRect().right > innerWidth || t.scrollWidth > t.clientWidth + 1).length")
    assert overflowing == 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
