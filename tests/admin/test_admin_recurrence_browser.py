"""The Begleitung enters a weekly activity on a tablet, publishes it and hears its cancelled first date in the
Testanruf."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ivr_flows.speaking import Speaker, spoken_date

from tests.admin.live_server import CHROMIUM_ARGS, add_bilk_and_its_begleitung, axe_violations, live_app, log_in

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}


def test_begleitung_enters_a_weekly_activity_on_a_tablet(tmp_path, chromium_path, axe_source):
    from playwright.sync_api import expect, sync_playwright

    first = date.today() + timedelta(days=3)
    with live_app(tmp_path) as (base, app):
        with app.extensions["hotline.db"].session_scope() as session:
            add_bilk_and_its_begleitung(session)

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=TABLET, has_touch=True)
            log_in(page, base, "berta@example.org")
            page.get_by_role("link", name="Inhalte").click()
            page.get_by_role("link", name="Neues Angebot eintragen").click()

            page.get_by_label("Titel (wird zuerst angesagt)").fill("Singkreis")
            page.get_by_label("Datum (bei Wiederholung: der erste Termin)").fill(first.isoformat())
            page.get_by_label("Uhrzeit").fill("15:00")
            last_date = page.get_by_label("Letzter Termin (optional; leer lassen: ohne Ende)")
            expect(last_date).to_be_hidden()  # a one-off has no last date
            page.get_by_label("jede Woche").tap()
            expect(last_date).to_be_visible()
            page.get_by_role("button", name="Ausfalltermin eintragen").tap()
            # The page came back with an empty line for the date and everything typed so far.
            expect(page.get_by_label("Titel (wird zuerst angesagt)")).to_have_value("Singkreis")
            expect(page.get_by_label("jede Woche")).to_be_checked()
            page.get_by_label("Fällt aus am (Termin 1)").fill(first.isoformat())
            page.get_by_label("Ort", exact=True).fill("Gemeindesaal")
            assert axe_violations(page, axe_source) == []
            assert page.evaluate("() => document.documentElement.scrollWidth") <= TABLET["width"]
            page.get_by_role("button", name="Als Entwurf speichern").tap()
            expect(page.get_by_text("Der Entwurf ist gespeichert.")).to_be_visible()
            page.get_by_role("button", name="Veröffentlichen").tap()
            expect(page.get_by_text("„Singkreis“ ist veröffentlicht.")).to_be_visible()
            live = page.locator("ul.activities > li").filter(has_text="Singkreis")
            expect(live).to_contain_text("Fällt aus")
            expect(live).to_contain_text("jede Woche")

            page.get_by_role("link", name="Testanruf", exact=True).first.tap()
            page.get_by_label("Vorlesen").uncheck()
            page.get_by_role("button", name="Anruf starten").tap()
            page.get_by_role("button", name="1", exact=True).tap()
            speaker = Speaker({}, {})
            prompts = page.locator("ol.prompts")
            expect(prompts).to_contain_text(f"Singkreis fällt am {spoken_date(speaker, first)} aus.")
            expect(prompts).to_contain_text(
                f"Das nächste Mal ist es am {spoken_date(speaker, first + timedelta(days=7))}, um 15 Uhr. "
                "Ort: Gemeindesaal.")
            browser.close()
