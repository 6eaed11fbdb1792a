"""The "Ansagen" page in a real browser (Chromium via Playwright): a call's order, phone and tablet width, axe-core."""

from __future__ import annotations

import pytest

from tests.admin.admin_support import CALL_ORDER
from tests.admin.live_server import CHROMIUM_ARGS, add_bilk_and_its_begleitung, axe_violations, live_app, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def page(tmp_path, chromium_path):
    """The Begleitung of Bilk on the "Ansagen" page, in Chromium at tablet size."""
    from playwright.sync_api import sync_playwright

    with live_app(tmp_path) as (base, app):
        with app.extensions["hotline.db"].session_scope() as session:
            add_bilk_and_its_begleitung(session)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1024, "height": 768})
            log_in(page, base, "berta@example.org")
            page.get_by_role("link", name="Inhalte").click()
            page.get_by_role("link", name="Ansagen & Aufnahmen").click()
            yield page
            browser.close()


def test_the_parts_of_a_call_come_in_order_and_lead_to_changing_a_sentence(page):
    from playwright.sync_api import expect

    assert page.get_by_role("heading", level=2).all_inner_texts() == CALL_ORDER
    page.get_by_role("navigation", name="Teile des Anrufs").get_by_role("link", name="Wenn etwas nicht klappt").click()
    errors = page.get_by_role("region", name="Wenn etwas nicht klappt")
    escalate = errors.get_by_role("listitem").filter(has_text="Nach dem dritten fehlenden oder falschen Tastendruck")
    expect(escalate).to_contain_text("„Das hat jetzt dreimal nicht geklappt.“")
    escalate.get_by_role("link", name="Ändern").click()
    page.get_by_label("Eigener Text", exact=False).fill("Das hat leider nicht geklappt.")
    page.get_by_role("button", name="Text als Entwurf speichern").click()
    expect(page.get_by_text("Der Entwurf ist gespeichert.")).to_be_visible()
    changed = page.get_by_role("listitem").filter(has_text="Nach dem dritten fehlenden oder falschen Tastendruck")
    expect(changed).to_contain_text("„Das hat leider nicht geklappt.“")
    expect(changed).to_contain_text("Eigener Text")


@pytest.mark.parametrize("width", [375, 800])
def test_at_phone_and_tablet_width_nothing_scrolls_sideways_and_axe_finds_no_wcag_21_aa_violation(
        page, axe_source, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.reload()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert axe_violations(page, axe_source) == []
