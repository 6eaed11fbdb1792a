"""How a typed text will be spoken, and what a voice cannot say, shown beside the field before saving."""

from __future__ import annotations

import pytest

from tests.admin.live_server import CHROMIUM_ARGS, add_bilk_and_its_begleitung, axe_violations, live_app, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def page(tmp_path, chromium_path):
    """The Begleitung of Bilk, logged in, on her network's content pages (Chromium)."""
    from playwright.sync_api import sync_playwright

    with live_app(tmp_path) as (base, app):
        with app.extensions["hotline.db"].session_scope() as session:
            add_bilk_and_its_begleitung(session)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1024, "height": 768})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            log_in(page, base, "berta@example.org")
            page.get_by_role("link", name="Inhalte").click()
            yield page
            browser.close()
        assert errors == []


def test_an_activity_shows_how_it_will_be_spoken_while_typing(page):
    from playwright.sync_api import expect

    page.get_by_role("link", name="Neues Angebot eintragen").click()
    description = page.get_by_label("Beschreibung (optional, kurz)")
    description.fill("Treffpunkt Bachstr. 5, z. B. ab 14:30 Uhr. Tel. 0211 123456")
    preview = page.locator("#description-gesprochen")
    expect(preview).to_contain_text("Am Telefon: „Treffpunkt Bachstraße 5, zum Beispiel ab 14 Uhr 30. "
                                    "Telefon null zwo eins eins, eins zwo drei, vier fünf sechs“")
    expect(preview.locator("li")).to_have_count(0)
    expect(description).to_have_attribute("aria-describedby", "description-gesprochen")


def test_words_and_signs_a_voice_cannot_say_are_warned_about_before_saving(page, axe_source):
    from playwright.sync_api import expect

    page.get_by_role("link", name="Neues Angebot eintragen").click()
    page.get_by_label("Titel (wird zuerst angesagt)").fill("Walking-Event & Brunch")
    warnings = page.locator("#title-gesprochen li")
    expect(warnings).to_have_text([
        "Englische Wörter spricht die Stimme deutsch aus: Brunch, Event, Walking.",
        "Diese Zeichen kann die Stimme nicht sprechen: &.",
    ])
    page.get_by_label("Titel (wird zuerst angesagt)").fill("Spaziergang und Frühstück")
    expect(warnings).to_have_count(0)
    assert axe_violations(page, axe_source) == []


def test_the_welcome_meeting_date_is_shown_as_words(page):
    from playwright.sync_api import expect

    page.get_by_role("link", name="Neu hier").click()
    page.get_by_label("Hinweis zum Begrüßungstreffen", exact=False).fill("am Dienstag, 5.1., 15 Uhr, info@bilk.de")
    preview = page.locator("#welcome_meeting-gesprochen")
    expect(preview).to_contain_text("am Dienstag, dem fünften Januar, 15 Uhr, info ät bilk Punkt de")
    expect(preview.locator("li")).to_have_text(["E-Mail- und Internetadressen werden Zeichen für Zeichen "
                                                "vorgelesen; am Telefon ist eine Telefonnummer leichter zu merken."])
