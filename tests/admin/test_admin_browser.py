"""A volunteer's journey in a real browser (Chromium via Playwright) at tablet and phone size: log in,
claim a callback, play the message, not reached with a retry time, reached; checked with axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from hotline.db import utcnow
from hotline.models import AuditEvent, CallbackRequest

from tests.admin.admin_support import PASSWORD, write_wav
from tests.admin.live_server import CHROMIUM_ARGS, add_bilk_and_its_begleitung, axe_violations, live_app, log_in
from tests.factories import make_account, make_callback, make_line_number, make_network, make_voicemail
from tests.support import poll

pytestmark = pytest.mark.browser


def _wait_until(condition, timeout: float = 10.0) -> None:
    # Polled from Python: page.wait_for_function evaluates a string, which the admin's CSP
    # (no scripts, no eval) rightly refuses.
    assert poll(condition, bool, seconds=timeout, interval=0.05), "condition not met in time"


# Where volunteers work: a tablet held upright, and a phone.
SCREENS = {"tablet": {"width": 768, "height": 1024}, "phone": {"width": 375, "height": 667}}

# Each radio button and checkbox with the box of its label, its caption and itself.
_CHOICE_BOXES = """() => [...document.querySelectorAll('input[type=radio], input[type=checkbox]')].map(input => {
  const label = input.closest('label');
  const box = element => { const r = element.getBoundingClientRect();
                           return [r.left, r.top, r.right, r.bottom]; };
  return {name: label ? label.textContent.trim() : input.id, label: label && box(label),
          caption: label && label.querySelector('span') && box(label.querySelector('span')),
          control: box(input)};
})"""


def _inside(inner: list[float], outer: list[float]) -> bool:
    return (inner[0] >= outer[0] and inner[1] >= outer[1]
            and inner[2] <= outer[2] and inner[3] <= outer[3])


def assert_choices_are_one_target(page) -> None:
    """Each radio's and checkbox's caption and control lie inside their own label's box."""
    choices = page.evaluate(_CHOICE_BOXES)
    assert choices, "no radio buttons or checkboxes on the page"
    for choice in choices:
        assert choice["label"], f"{choice['name']}: not inside a label"
        assert choice["caption"], f"{choice['name']}: no caption in its label"
        assert _inside(choice["caption"], choice["label"]), f"{choice['name']}: caption outside its label"
        assert _inside(choice["control"], choice["label"]), f"{choice['name']}: control outside its label"


def _audio_plays(session, request_id: int) -> int:
    return len(session.scalars(select(AuditEvent).where(
        AuditEvent.action == "audio_played", AuditEvent.object_id == request_id)).all())


@pytest.mark.parametrize("screen", SCREENS)
def test_volunteer_claims_listens_and_tries_twice_on_tablet_and_phone(tmp_path, chromium_path, axe_source,
                                                                      screen):
    from playwright.sync_api import expect, sync_playwright

    with live_app(tmp_path) as (base, app):
        database = app.extensions["hotline.db"]
        with database.session_scope() as session:
            bilk = make_network(session, name="Netzwerk Bilk")
            make_line_number(session, bilk, "+492214710100")
            make_account(session, email="vera@example.org", networks=[bilk],
                         display_name="Vera Ehrenamt")
            audio = write_wav(tmp_path / "recordings" / "message.wav", seconds=3)
            voicemail = make_voicemail(session, network_id=bilk.id, state="transcribed",
                                       local_path=str(audio.relative_to(tmp_path)),
                                       transcript="bitte um Rückruf",
                                       transcript_words=[{"word": "bitte", "conf": 0.9},
                                                         {"word": "um", "conf": 0.3},
                                                         {"word": "Rückruf", "conf": 0.8}])
            request_id = make_callback(session, network_id=bilk.id, number="+492214710911",
                                       voicemail_id=voicemail.id, topic="Neu hier",
                                       created_at=utcnow() - timedelta(hours=2)).id

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path,
                                                 args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=SCREENS[screen])
            page.goto(f"{base}/admin/")
            page.get_by_label("E-Mail-Adresse").fill("vera@example.org")
            page.get_by_label("Passwort").fill(PASSWORD)
            page.get_by_role("button", name="Anmelden").click()
            expect(page.get_by_role("heading", name="Rückrufe")).to_be_visible()
            assert axe_violations(page, axe_source) == []

            page.get_by_text("0221 4710911").click()
            page.get_by_role("button", name="Ich rufe zurück").click()
            expect(page.get_by_text("Der Rückruf gehört jetzt Ihnen")).to_be_visible()
            expect(page.locator("p.transcript mark")).to_have_text("um")
            assert_choices_are_one_target(page)
            assert axe_violations(page, axe_source) == []
            with database.session_scope() as session:
                assert _audio_plays(session, request_id) == 0  # opening the page is not listening

            audio_element = page.locator("audio")
            audio_element.evaluate("a => { a.muted = true; return a.play(); }")
            _wait_until(lambda: audio_element.evaluate("a => a.currentTime") > 0.2)
            assert audio_element.evaluate("a => a.duration") == pytest.approx(3, abs=0.1)
            audio_element.evaluate("a => { a.currentTime = 2.5; }")  # seeking needs Range
            _wait_until(lambda: audio_element.evaluate("a => a.currentTime") >= 2.5)

            # The caption is the target: tapping the words chooses that outcome and no other.
            page.locator("label.choice", has_text="nicht erreicht").locator("span").click()
            expect(page.get_by_label("nicht erreicht")).to_be_checked()
            expect(page.get_by_label("erreicht", exact=True)).not_to_be_checked()
            page.get_by_label("Notiz (optional)").fill("Niemand da, morgen nochmal")
            page.get_by_role("button", name="Eintragen").click()
            expect(page.get_by_text("Der Rückruf bleibt bei Ihnen")).to_be_visible()

            page.get_by_role("link", name="Meine Rückrufe").first.click()
            expect(page.get_by_text("nochmal versuchen:")).to_be_visible()
            assert axe_violations(page, axe_source) == []
            page.get_by_text("0221 4710911").click()
            page.get_by_label("erreicht", exact=True).check()
            page.get_by_role("button", name="Eintragen").click()
            expect(page.get_by_text("Danke! Der Rückruf ist erledigt.")).to_be_visible()
            page.get_by_role("link", name="Erledigt").click()
            expect(page.get_by_text("0221 4710911")).to_be_visible()
            assert axe_violations(page, axe_source) == []
            assert page.evaluate("() => document.documentElement.scrollWidth") <= SCREENS[screen]["width"]
            browser.close()

        with database.session_scope() as session:
            request = session.get(CallbackRequest, request_id)
            assert (request.status, request.attempt_count) == ("done", 1)
            assert [(a.outcome, a.note) for a in request.attempts] == [
                ("not_reached", "Niemand da, morgen nochmal"), ("reached", "")]
            assert _audio_plays(session, request_id) == 1


def test_begleitung_adds_an_activity_and_hears_it_in_the_test_call(tmp_path, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    with live_app(tmp_path) as (base, app):
        with app.extensions["hotline.db"].session_scope() as session:
            add_bilk_and_its_begleitung(session)
        day = (utcnow() + timedelta(days=3)).date()

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1024, "height": 768})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("response", lambda response: errors.append(response.url)
                    if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
            log_in(page, base, "berta@example.org")
            page.get_by_role("link", name="Inhalte").click()
            page.get_by_role("link", name="Neues Angebot eintragen").click()
            page.get_by_label("Titel (wird zuerst angesagt)").fill("Boule am Rhein")
            page.get_by_label("Beschreibung (optional, kurz)").fill("Kugeln bringen wir mit.")
            page.get_by_label("Datum (bei Wiederholung: der erste Termin)").fill(day.isoformat())
            page.get_by_label("Uhrzeit").fill("15:00")
            page.get_by_label("Ort", exact=True).fill("Rheinwiesen")
            page.get_by_label("Am Telefon ansagen bis", exact=False).fill(day.isoformat())
            page.get_by_role("button", name="Als Entwurf speichern").click()
            expect(page.get_by_text("Der Entwurf ist gespeichert.")).to_be_visible()

            page.get_by_role("link", name="Testanruf mit Entwürfen").click()
            page.get_by_label("Vorlesen").uncheck()
            page.get_by_role("button", name="Anruf starten").click()
            prompts = page.locator("ol.prompts")
            expect(prompts).to_contain_text("Für Angebote und Treffen drücken Sie die 1.")
            page.get_by_role("button", name="1", exact=True).click()
            expect(prompts).to_contain_text("Boule am Rhein")
            expect(prompts).to_contain_text("Kugeln bringen wir mit.")
            browser.close()
        assert errors == []
