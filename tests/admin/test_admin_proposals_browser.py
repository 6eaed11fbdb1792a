"""Volunteers propose activities on a tablet, the Begleitung hears them in the Testanruf and publishes or
gives them back (Chromium via Playwright); the line reads what she published (signed Twilio webhooks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from flask import Flask

from hotline.models import Network
from ivr_flows.recurrence import Frequency
from ivr_flows.speaking import Speaker, spoken_date

from tests.admin.live_server import CHROMIUM_ARGS, add_bilk_and_its_begleitung, axe_violations, live_app, log_in
from tests.factories import make_account, make_activity, make_network
from tests.support import TwilioClient
from tests.voice_support import BERLIN, BILK_LINE, TUESDAY_OPEN, Phone, assert_valid_twiml, load_twiml_schema

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
TODAY = TUESDAY_OPEN.date()  # Tuesday 1 December 2026, the app's clock
WEDNESDAY = TODAY + timedelta(days=1)
SPEAKER = Speaker({}, {})


def said(day: date) -> str:
    """A date as the line says it: "Mittwoch, dem zweiten Dezember"."""
    return spoken_date(SPEAKER, day)


BOULE_ON_WEDNESDAY = f"Boule im Park. Am {said(WEDNESDAY)}, um 15 Uhr. Ort: Südpark am Kiosk."


@dataclass
class Site:
    """The live app, its clock (shared by the admin and the line) and Bilk's ids."""

    base: str
    app: Flask
    bilk: int
    erika: int
    now: datetime = TUESDAY_OPEN

    def call_activities(self, at: datetime) -> str:
        """What a caller of Bilk's line hears after pressing 1 (activities) at `at`."""
        self.now = at
        schema = load_twiml_schema()

        def check(response):
            assert response.status_code == 200
            return assert_valid_twiml(schema, response.data)

        twilio = TwilioClient(self.app.test_client(), "live-test-token")
        try:
            return Phone(twilio, check, to=BILK_LINE).dial().press("1").text
        finally:
            self.now = TUESDAY_OPEN


@pytest.fixture
def site(tmp_path):
    """Bilk with its Begleitung Berta and its volunteer Erika; Gerresheim with its volunteer Gerd."""
    with live_app(tmp_path) as (base, app):
        with app.extensions["hotline.db"].session_scope() as session:
            bilk = add_bilk_and_its_begleitung(session)
            erika = make_account(session, email="erika@example.org", networks=[bilk], display_name="Erika Schmitz")
            gerresheim = make_network(session, name="Netzwerk Gerresheim", district="Gerresheim")
            make_account(session, email="gerd@example.org", networks=[gerresheim], display_name="Gerd Gerresheim")
            make_account(session, email="greta@example.org", networks=[gerresheim], role="begleitung",
                         display_name="Greta Begleitung")
            site = Site(base, app, bilk.id, erika.id)
        app.extensions["hotline.clock"] = lambda: site.now
        yield site


@pytest.fixture
def tablet(chromium_path):
    """Open a new tablet-sized touch browser window for one person: `tablet()` returns its page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield lambda: browser.new_context(viewport=TABLET, has_touch=True).new_page()
        browser.close()


def _open_my_activities(page) -> None:
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Meine Angebote").tap()


def _propose_boule(page) -> None:
    """From Meine Angebote: propose a weekly Boule, on Wednesdays at 15:00 from tomorrow."""
    from playwright.sync_api import expect

    page.get_by_role("link", name="Neues Angebot vorschlagen").tap()
    page.get_by_label("Titel (wird zuerst angesagt)").fill("Boule im Park")
    page.get_by_label("Beschreibung (optional, kurz)").fill("Wir spielen Boule, Kugeln sind da.")
    page.get_by_label("Datum (bei Wiederholung: der erste Termin)").fill(WEDNESDAY.isoformat())
    page.get_by_label("Uhrzeit").fill("15:00")
    page.get_by_label("jede Woche").tap()
    page.get_by_label("Ort", exact=True).fill("Südpark am Kiosk")
    page.get_by_label("Kontakt (optional").fill("Erika Schmitz")
    page.get_by_role("button", name="Vorschlag an die Begleitung senden").tap()
    expect(page.get_by_text("Danke! Ihr Vorschlag ist bei der Begleitung.")).to_be_visible()


def _card(page, title: str):
    """The card of an activity (or proposal) in the page's lists."""
    return page.locator("ul.activities > li").filter(has_text=title)


def _testanruf_activities(page) -> None:
    """Start the Testanruf on the open page, silently, and choose the activities."""
    from playwright.sync_api import expect

    page.get_by_label("Vorlesen").uncheck()
    page.get_by_role("button", name="Anruf starten").tap()
    expect(page.locator("ol.prompts")).to_contain_text("Für Angebote und Treffen drücken Sie die 1.")
    page.get_by_role("button", name="1", exact=True).tap()


def test_a_volunteers_proposal_is_heard_in_the_testanruf_published_and_read_on_the_line(site, tablet):
    from playwright.sync_api import expect

    erika = tablet()
    log_in(erika, site.base, "erika@example.org")
    _open_my_activities(erika)
    _propose_boule(erika)
    waiting = _card(erika, "Boule im Park")
    expect(waiting).to_contain_text("Wartet auf die Begleitung")
    expect(waiting).to_contain_text("Mi, 02.12.2026, 15:00 · Südpark am Kiosk · jede Woche")
    expect(erika.get_by_role("heading", name="Noch nicht am Telefon (1)")).to_be_visible()
    assert "Boule im Park" not in site.call_activities(TUESDAY_OPEN)

    berta = tablet()
    log_in(berta, site.base, "berta@example.org")
    notice = berta.get_by_role("region", name="Vorschläge")
    expect(notice).to_contain_text("Ein Vorschlag für die Angebote wartet auf Sie:")
    expect(notice).to_contain_text("Boule im Park (Netzwerk Bilk, von Erika Schmitz)")
    notice.get_by_role("link", name="Boule im Park").tap()
    proposal = _card(berta, "Boule im Park")
    expect(proposal).to_contain_text("Eingetragen von Erika Schmitz")
    expect(proposal).to_contain_text("Wartet auf die Begleitung")

    berta.get_by_role("link", name="Testanruf mit Entwürfen").tap()
    _testanruf_activities(berta)
    prompts = berta.locator("ol.prompts")
    expect(prompts).to_contain_text(BOULE_ON_WEDNESDAY)
    expect(prompts).to_contain_text("Wir spielen Boule, Kugeln sind da.")
    expect(prompts).to_contain_text("Kontakt: Erika Schmitz.")
    berta.get_by_role("link", name="Wie Anrufende sie jetzt hören").tap()
    _testanruf_activities(berta)
    expect(prompts).to_contain_text("Zurzeit sind keine Angebote eingetragen.")
    expect(prompts).not_to_contain_text("Boule im Park")

    berta.get_by_role("link", name="Angebote", exact=True).tap()
    _card(berta, "Boule im Park").get_by_role("button", name="Veröffentlichen").tap()
    expect(berta.get_by_text("„Boule im Park“ ist veröffentlicht.")).to_be_visible()
    expect(berta.get_by_role("heading", name="Noch nicht veröffentlicht (0)")).to_be_visible()
    berta.get_by_role("link", name="Rückrufe", exact=True).tap()
    expect(berta.get_by_role("region", name="Vorschläge")).to_have_count(0)

    assert BOULE_ON_WEDNESDAY in site.call_activities(TUESDAY_OPEN)
    # On Thursday the first date is past: the line reads the next Wednesday.
    next_week = site.call_activities(TUESDAY_OPEN + timedelta(days=2))
    assert f"Boule im Park. Am {said(WEDNESDAY + timedelta(days=7))}, um 15 Uhr. Ort: Südpark am Kiosk." in next_week

    erika.reload()
    expect(erika.get_by_role("heading", name="Noch nicht am Telefon (0)")).to_be_visible()
    expect(erika.get_by_role("heading", name="Am Telefon zu hören (1)")).to_be_visible()
    live = _card(erika, "Boule im Park")
    expect(live).to_contain_text("Mi, 02.12.2026, 15:00 · Südpark am Kiosk")
    expect(live).to_contain_text("jede Woche")
    expect(live).to_contain_text("Eingetragen von Erika Schmitz")
    expect(live).to_contain_text("veröffentlicht von Berta Begleitung am Di, 01.12.2026, 10:30")


def test_a_volunteer_of_another_network_sees_nothing_of_bilks_proposal(site, tablet):
    from playwright.sync_api import expect

    with site.app.extensions["hotline.db"].session_scope() as session:
        cafe = make_activity(session, session.get(Network, site.bilk), title="Erzählcafé",
                             starts_at=TUESDAY_OPEN + timedelta(days=2), valid_from=TODAY,
                             valid_until=TODAY + timedelta(days=7), entered_by_id=site.erika).id
    erika = tablet()
    log_in(erika, site.base, "erika@example.org")
    _open_my_activities(erika)
    _propose_boule(erika)
    proposal = erika.get_by_role("link", name="Boule im Park").get_attribute("href")
    expect(erika.get_by_role("heading", name="Am Telefon zu hören (1)")).to_be_visible()

    gerd = tablet()
    log_in(gerd, site.base, "gerd@example.org")
    _open_my_activities(gerd)
    expect(gerd.get_by_role("heading", name="Noch nicht am Telefon (0)")).to_be_visible()
    expect(gerd.get_by_role("heading", name="Am Telefon zu hören (0)")).to_be_visible()
    expect(gerd.locator("main")).not_to_contain_text("Boule")
    expect(gerd.locator("main")).not_to_contain_text("Erzählcafé")
    bilk = f"/admin/inhalte/{site.bilk}"
    for path in (proposal, f"{bilk}/angebote/neu", f"{bilk}/angebote/{cafe}"):
        assert gerd.goto(site.base + path).status == 404, path
        expect(gerd.locator("main")).not_to_contain_text("Boule")
    for staff_only in (bilk, f"{bilk}/testanruf?fassung=entwurf"):  # refused to every volunteer
        assert gerd.goto(site.base + staff_only).status == 403, staff_only
        expect(gerd.locator("main")).not_to_contain_text("Boule")

    greta = tablet()
    log_in(greta, site.base, "greta@example.org")
    expect(greta.get_by_role("heading", name="Rückrufe")).to_be_visible()
    expect(greta.get_by_role("region", name="Vorschläge")).to_have_count(0)


def test_a_volunteer_sees_which_of_their_activities_the_line_reads_now_later_and_no_more(site, tablet):
    from playwright.sync_api import expect

    with site.app.extensions["hotline.db"].session_scope() as session:
        bilk = session.get(Network, site.bilk)
        for title, days, valid in (("Erzählcafé", 1, (-7, 7)), ("Adventssingen", 20, (10, 20)),
                                   ("Sommerfest", -90, (-120, -89))):
            make_activity(session, bilk, title=title, starts_at=TUESDAY_OPEN + timedelta(days=days),
                          valid_from=TODAY + timedelta(days=valid[0]), valid_until=TODAY + timedelta(days=valid[1]),
                          entered_by_id=site.erika)

    erika = tablet()
    log_in(erika, site.base, "erika@example.org")
    _open_my_activities(erika)
    for heading, title in (("Am Telefon zu hören (1)", "Erzählcafé"), ("Demnächst am Telefon (1)", "Adventssingen"),
                           ("Vorbei (wird nicht mehr angesagt)", "Sommerfest")):
        listed = erika.locator("h2 + ul.activities").filter(
            has=erika.locator("xpath=preceding-sibling::h2[1]").filter(has_text=heading))
        expect(listed).to_have_count(1)
        expect(listed.locator("li")).to_have_count(1)
        expect(listed).to_contain_text(title)


def _erikas_weekly_boule(site: Site) -> None:
    """Erika's Boule on the line, on Wednesdays at 15:00 from tomorrow."""
    with site.app.extensions["hotline.db"].session_scope() as session:
        make_activity(session, session.get(Network, site.bilk), title="Boule im Park", place="Südpark am Kiosk",
                      starts_at=datetime.combine(WEDNESDAY, time(15), BERLIN), frequency=Frequency.WEEKLY.value,
                      valid_from=TODAY, valid_until=None, entered_by_id=site.erika)


def test_a_cancelled_date_the_begleitung_publishes_is_announced_on_that_day(site, tablet):
    from playwright.sync_api import expect

    cancelled = WEDNESDAY + timedelta(days=7)
    _erikas_weekly_boule(site)

    berta = tablet()
    log_in(berta, site.base, "berta@example.org")
    berta.goto(f"{site.base}/admin/inhalte/{site.bilk}")
    _card(berta, "Boule im Park").get_by_role("link", name="Boule im Park").tap()
    berta.get_by_role("button", name="Ausfalltermin eintragen").tap()
    berta.get_by_label("Fällt aus am (Termin 1)").fill(cancelled.isoformat())
    berta.get_by_role("button", name="Als Entwurf speichern").tap()
    expect(berta.get_by_text("Der Entwurf ist gespeichert.")).to_be_visible()
    on_that_day = datetime.combine(cancelled, time(9), BERLIN)
    assert "fällt am" not in site.call_activities(on_that_day)  # a draft is not on the line

    _card(berta, "Boule im Park").filter(has_text="Änderung an").get_by_role("button", name="Veröffentlichen").tap()
    expect(berta.get_by_text("„Boule im Park“ ist veröffentlicht.")).to_be_visible()
    heard = site.call_activities(on_that_day)
    assert f"Boule im Park fällt am {said(cancelled)} aus." in heard
    assert (f"Das nächste Mal ist es am {said(cancelled + timedelta(days=7))}, um 15 Uhr. "
            "Ort: Südpark am Kiosk.") in heard
    # The week before, the line reads that Wednesday as usual.
    assert BOULE_ON_WEDNESDAY in site.call_activities(TUESDAY_OPEN)

    # The Begleitung's correction leaves the activity with Erika, who entered it.
    erika = tablet()
    log_in(erika, site.base, "erika@example.org")
    _open_my_activities(erika)
    expect(erika.get_by_role("heading", name="Am Telefon zu hören (1)")).to_be_visible()
    expect(_card(erika, "Boule im Park")).to_contain_text(
        "Eingetragen von Erika Schmitz · veröffentlicht von Berta Begleitung")


def test_a_volunteer_who_changes_an_activity_the_begleitung_has_a_draft_of_proposes_it_as_their_own(site, tablet):
    from playwright.sync_api import expect

    _erikas_weekly_boule(site)
    berta = tablet()
    log_in(berta, site.base, "berta@example.org")
    berta.goto(f"{site.base}/admin/inhalte/{site.bilk}")
    _card(berta, "Boule im Park").get_by_role("link", name="Boule im Park").tap()
    berta.get_by_label("Beschreibung (optional, kurz)").fill("Kugeln bringen wir mit.")
    berta.get_by_role("button", name="Als Entwurf speichern").tap()
    expect(berta.get_by_text("Der Entwurf ist gespeichert.")).to_be_visible()

    erika = tablet()
    log_in(erika, site.base, "erika@example.org")
    _open_my_activities(erika)
    _card(erika, "Boule im Park").get_by_role("link", name="Boule im Park").tap()
    expect(erika.get_by_label("Beschreibung (optional, kurz)")).to_have_value("Kugeln bringen wir mit.")
    expect(erika.get_by_role("button", name="Vorschlag zurückziehen")).to_have_count(0)  # not hers to withdraw
    erika.get_by_label("Ort", exact=True).fill("Südpark, Eingang Uni-Kliniken")
    erika.get_by_role("button", name="Vorschlag an die Begleitung senden").tap()
    expect(erika.get_by_text("Danke! Ihr Vorschlag ist bei der Begleitung.")).to_be_visible()
    expect(erika.get_by_role("heading", name="Noch nicht am Telefon (1)")).to_be_visible()
    waiting = _card(erika, "Boule im Park").filter(has_text="Wartet auf die Begleitung")
    expect(waiting).to_contain_text("Änderung an „Boule im Park“")
    expect(waiting).to_contain_text("Südpark, Eingang Uni-Kliniken")

    berta.goto(f"{site.base}/admin/inhalte/{site.bilk}")
    change = _card(berta, "Boule im Park").filter(has_text="Änderung an")
    expect(change).to_contain_text("Eingetragen von Erika Schmitz")
    expect(change).to_contain_text("Wartet auf die Begleitung")
    change.get_by_role("button", name="Veröffentlichen").tap()
    expect(berta.get_by_text("„Boule im Park“ ist veröffentlicht.")).to_be_visible()

    erika.reload()
    expect(erika.get_by_role("heading", name="Noch nicht am Telefon (0)")).to_be_visible()
    live = _card(erika, "Boule im Park")
    expect(live).to_contain_text("Südpark, Eingang Uni-Kliniken")
    expect(live).to_contain_text("Eingetragen von Erika Schmitz · veröffentlicht von Berta Begleitung")


def test_a_proposal_given_back_with_a_note_is_corrected_and_waits_again(site, tablet):
    from playwright.sync_api import expect

    erika = tablet()
    log_in(erika, site.base, "erika@example.org")
    _open_my_activities(erika)
    _propose_boule(erika)

    berta = tablet()
    log_in(berta, site.base, "berta@example.org")
    berta.get_by_role("region", name="Vorschläge").get_by_role("link", name="Boule im Park").tap()
    proposal = _card(berta, "Boule im Park")
    proposal.get_by_text("Mit einer Notiz zurückgeben").tap()
    proposal.get_by_label("Notiz für die Person, die das Angebot vorgeschlagen hat").fill(
        "Bitte schreiben Sie dazu, an welchem Eingang des Südparks.")
    proposal.get_by_role("button", name="Zurückgeben").tap()
    expect(berta.get_by_text("„Boule im Park“ ist mit Ihrer Notiz zurückgegeben.")).to_be_visible()
    expect(_card(berta, "Boule im Park")).to_contain_text("Zurückgegeben")
    expect(_card(berta, "Boule im Park").get_by_role("button", name="Veröffentlichen")).to_have_count(0)
    testanruf = f"{site.base}/admin/inhalte/{site.bilk}/testanruf?fassung=entwurf"
    berta.goto(testanruf)
    _testanruf_activities(berta)
    expect(berta.locator("ol.prompts")).to_contain_text("Zurzeit sind keine Angebote eingetragen.")

    erika.reload()
    returned = _card(erika, "Boule im Park")
    expect(returned).to_contain_text("Zurückgegeben")
    expect(returned).to_contain_text(
        "Notiz von Berta Begleitung: Bitte schreiben Sie dazu, an welchem Eingang des Südparks.")
    returned.get_by_role("link", name="Boule im Park").tap()
    expect(erika.get_by_role("region", name="Stand")).to_contain_text("an welchem Eingang des Südparks")
    erika.get_by_label("Ort", exact=True).fill("Südpark, Eingang Uni-Kliniken")
    erika.get_by_role("button", name="Vorschlag an die Begleitung senden").tap()
    expect(erika.get_by_text("Danke! Ihr Vorschlag ist bei der Begleitung.")).to_be_visible()
    again = _card(erika, "Boule im Park")
    expect(again).to_contain_text("Wartet auf die Begleitung")
    expect(again).not_to_contain_text("Zurückgegeben")
    expect(again).to_contain_text("Südpark, Eingang Uni-Kliniken")

    berta.get_by_role("link", name="Rückrufe", exact=True).tap()
    notice = berta.get_by_role("region", name="Vorschläge")
    expect(notice).to_contain_text("Boule im Park (Netzwerk Bilk, von Erika Schmitz)")
    notice.get_by_role("link", name="Boule im Park").tap()
    expect(_card(berta, "Boule im Park")).to_contain_text("Wartet auf die Begleitung")
    expect(_card(berta, "Boule im Park").get_by_role("button", name="Veröffentlichen")).to_be_visible()
    berta.goto(testanruf)
    _testanruf_activities(berta)
    expect(berta.locator("ol.prompts")).to_contain_text(
        f"Boule im Park. Am {said(WEDNESDAY)}, um 15 Uhr. Ort: Südpark, Eingang Uni-Kliniken.")


@pytest.mark.parametrize("width", [1024, 375])
def test_the_proposal_pages_fit_the_screen_and_pass_axe(site, tablet, axe_source, width):
    from playwright.sync_api import expect

    erika = tablet()
    erika.set_viewport_size({"width": width, "height": 900})
    log_in(erika, site.base, "erika@example.org")
    erika.goto(f"{site.base}/admin/meine-angebote")
    checked = {"Meine Angebote, leer": axe_violations(erika, axe_source)}
    erika.get_by_role("link", name="Neues Angebot vorschlagen").click()
    checked["Vorschlagsformular"] = axe_violations(erika, axe_source)
    assert erika.evaluate("() => document.documentElement.scrollWidth") <= width
    erika.goto(f"{site.base}/admin/meine-angebote")
    _propose_boule(erika)
    checked["Meine Angebote, mit Vorschlag"] = axe_violations(erika, axe_source)
    assert erika.evaluate("() => document.documentElement.scrollWidth") <= width

    berta = tablet()
    berta.set_viewport_size({"width": width, "height": 900})
    log_in(berta, site.base, "berta@example.org")
    expect(berta.get_by_role("region", name="Vorschläge")).to_be_visible()
    checked["Startseite mit Hinweis"] = axe_violations(berta, axe_source)
    assert berta.evaluate("() => document.documentElement.scrollWidth") <= width
    berta.goto(f"{site.base}/admin/inhalte/{site.bilk}")
    _card(berta, "Boule im Park").get_by_text("Mit einer Notiz zurückgeben").click()
    checked["Inhalte mit Vorschlag"] = axe_violations(berta, axe_source)
    assert berta.evaluate("() => document.documentElement.scrollWidth") <= width
    proposal = _card(berta, "Boule im Park")
    proposal.get_by_label("Notiz für die Person, die das Angebot vorgeschlagen hat").fill("Bitte den Eingang nennen.")
    proposal.get_by_role("button", name="Zurückgeben").click()
    erika.reload()
    checked["Meine Angebote, zurückgegeben"] = axe_violations(erika, axe_source)
    erika.get_by_role("link", name="Boule im Park").click()
    checked["Zurückgegebener Vorschlag"] = axe_violations(erika, axe_source)
    assert erika.evaluate("() => document.documentElement.scrollWidth") <= width
    assert {name: found for name, found in checked.items() if found} == {}
