"""Drafts in a real browser (Chromium via Playwright): a greeting heard in the Testanruf, published, restored."""

from __future__ import annotations

import pytest

from hotline.files.prompt_audio import audio_root, folder_of
from hotline.models import PromptOverride

from tests.admin.admin_support import write_wav
from tests.admin.live_server import CHROMIUM_ARGS, axe_violations, live_app, log_in
from tests.factories import make_account, make_line_number, make_network

pytestmark = pytest.mark.browser

FIRST, SECOND = "Willkommen bei den Bilker Nachbarn.", "Hallo aus Bilk, schön dass Sie anrufen."


@pytest.fixture
def page(tmp_path, chromium_path):
    """The Begleitung of Bilk (whose line has one recorded prompt), logged in, in Chromium at tablet size."""
    from playwright.sync_api import sync_playwright

    with live_app(tmp_path) as (base, app):
        with app.extensions["hotline.db"].session_scope() as session:
            bilk = make_network(session, name="Netzwerk Bilk")
            make_line_number(session, bilk, "+492214710100")
            # "Mit der 0 ..." is recorded: the Testanruf plays it between the spoken sentences.
            recording = f"{folder_of(bilk)}/null.wav"
            write_wav(audio_root(tmp_path) / recording, seconds=0.3)
            session.add(PromptOverride(network_id=bilk.id, key="greeting_zero", audio_path=recording))
            make_account(session, email="berta@example.org", networks=[bilk], role="begleitung",
                         display_name="Berta Begleitung")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 800, "height": 900})
            log_in(page, base, "berta@example.org")
            yield page
            browser.close()


def _draft_greeting(page, text: str) -> None:
    from playwright.sync_api import expect

    page.get_by_role("link", name="Inhalte").click()
    page.get_by_role("link", name="Begrüßung & Weiterleitung").click()
    page.get_by_label("Eigene Begrüßung", exact=False).fill(text)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Der Entwurf ist gespeichert.")).to_be_visible()


def _test_call_says(page, text: str, *, heard: bool) -> None:
    from playwright.sync_api import expect

    page.get_by_label("Vorlesen").uncheck()
    page.get_by_role("button", name="Anruf starten").click()
    prompts = page.locator("ol.prompts")
    expect(prompts).to_contain_text("Für Angebote und Treffen drücken Sie die 1.")
    if heard:
        expect(prompts).to_contain_text(text)
    else:
        expect(prompts).not_to_contain_text(text)


def _publish_greeting(page) -> None:
    from playwright.sync_api import expect

    page.get_by_role("link", name="Begrüßung & Weiterleitung").click()
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_text("Begrüßung: veröffentlicht.")).to_be_visible()


def test_a_draft_greeting_is_heard_in_the_testanruf_and_on_the_line_only_once_published(page):
    from playwright.sync_api import expect

    _draft_greeting(page, FIRST)
    expect(page.get_by_text("Noch nicht am Telefon")).to_be_visible()
    page.get_by_role("link", name="Im Testanruf anhören").click()
    _test_call_says(page, FIRST, heard=True)
    page.get_by_role("link", name="Wie Anrufende sie jetzt hören").click()
    _test_call_says(page, FIRST, heard=False)
    _publish_greeting(page)
    page.get_by_role("link", name="Testanruf", exact=True).click()
    _test_call_says(page, FIRST, heard=True)


def test_an_older_greeting_is_restored_after_confirming_and_shows_in_the_history(page):
    from playwright.sync_api import expect

    for text in (FIRST, SECOND):
        _draft_greeting(page, text)
        _publish_greeting(page)
    page.get_by_role("link", name="Verlauf").click()
    version = page.get_by_role("listitem").filter(has_text="Begrüßung, Version 2")
    expect(version).to_contain_text("veröffentlicht von Berta Begleitung")
    version.get_by_role("link", name="Änderungen ansehen").click()
    expect(page.locator("ul.changes")).to_contain_text(FIRST)
    page.get_by_role("link", name="Diese Fassung wiederherstellen").click()
    expect(page.get_by_role("heading", name="Begrüßung: Version 2 wiederherstellen?")).to_be_visible()
    expect(page.locator("ul.changes")).to_contain_text(f"entfällt: {SECOND}")
    page.get_by_role("button", name="Ja, wiederherstellen").click()
    expect(page.get_by_text("Version 2 gilt wieder (jetzt als Version 4)")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Begrüßung, Version 4")).to_contain_text(
        "stellt Version 2 wieder her")
    page.get_by_role("link", name="Testanruf", exact=True).click()
    _test_call_says(page, FIRST, heard=True)


# The browser's speech engine is a device: it is replaced by one that notes each text and is done
# at once; recordings really play, and are noted as they start.
LISTENER = """
window.heard = [];
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
  speak(utterance) { window.heard.push("say: " + utterance.text); setTimeout(() => utterance.onend(), 10); },
  cancel() {},
}});
const play = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function () { window.heard.push("play: " + this.src); return play.call(this); };
"""


def test_the_testanruf_plays_texts_and_recordings_one_after_another_as_the_phone_does(page):
    from playwright.sync_api import expect

    page.add_init_script(LISTENER)
    page.get_by_role("link", name="Inhalte").click()
    page.get_by_role("link", name="Testanruf", exact=True).first.click()
    page.get_by_role("button", name="Anruf starten").click()
    prompts = page.locator("ol.prompts")
    expect(prompts).to_contain_text("Für Angebote und Treffen drücken Sie die 1.")
    in_order = page.evaluate("""() => [...document.querySelectorAll("ol.prompts li:not(.pause)")].map((li) =>
        li.querySelector("audio") ? "play: " + li.querySelector("audio").src : "say: " + li.textContent)""")
    assert any(entry.startswith("play: ") and entry.endswith("/null.wav") for entry in in_order)
    page.wait_for_function("expected => window.heard.length === expected", arg=len(in_order))
    assert page.evaluate("() => window.heard") == in_order


@pytest.mark.parametrize("width", [375, 800])
def test_draft_and_history_pages_fit_phone_and_tablet_width_and_pass_axe(page, axe_source, width):
    from playwright.sync_api import expect

    _draft_greeting(page, FIRST)
    _publish_greeting(page)
    _draft_greeting(page, SECOND)
    page.set_viewport_size({"width": width, "height": 900})
    for link in ("Begrüßung & Weiterleitung", "Verlauf"):
        page.get_by_role("link", name=link).click()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        assert axe_violations(page, axe_source) == []
    page.get_by_role("link", name="Änderungen ansehen").first.click()
    expect(page.locator("ul.changes")).to_contain_text(FIRST)
    assert axe_violations(page, axe_source) == []
    page.goto(page.url.split("/admin/")[0] + "/admin/")
    expect(page.get_by_text("Noch nicht veröffentlicht:")).to_be_visible()
    assert axe_violations(page, axe_source) == []
