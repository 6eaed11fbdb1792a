"""The "Ansagen" page follows a call: each prompt once, with when it plays and its placeholders in words."""

from __future__ import annotations

import re

import lxml.html

from hotline.services.prompts import TextPiece, in_words
from ivr_flows.prompts import PROMPTS

from tests.admin.admin_support import CALL_ORDER

RAW_PLACEHOLDER = re.compile(r"\{\w*\}")


def _page(web, network_id: int) -> lxml.html.HtmlElement:
    response = web.get(f"/admin/inhalte/{network_id}/ansagen")
    assert response.status_code == 200
    return lxml.html.fromstring(response.get_data(as_text=True)).find(".//main")


def _card(main: lxml.html.HtmlElement, key: str) -> lxml.html.HtmlElement:
    return main.xpath(f".//li[@data-key='{key}']")[0]


def test_every_prompt_appears_once_in_the_order_of_a_call(login_as, world):
    main = _page(login_as("begleitung"), world.bilk.id)
    assert [h2.text_content() for h2 in main.iter("h2")] == CALL_ORDER
    assert sorted(main.xpath(".//section//li/@data-key")) == sorted(PROMPTS)
    greeting = _card(main, "greeting")
    assert greeting.xpath("ancestor::section/h2")[0].text_content() == "Begrüßung"
    assert "Zu Beginn jedes Anrufs" in greeting.text_content()
    escalate = _card(main, "escalate")
    assert "Nach dem dritten fehlenden oder falschen Tastendruck" in escalate.text_content()


def test_placeholders_are_shown_in_words_in_standard_and_own_texts(login_as, world):
    web = login_as("begleitung")
    assert web.post(f"/admin/inhalte/{world.bilk.id}/ansagen/greeting",
                    {"text": "Hallo, hier ist {network}!"}).status_code == 302
    main = _page(web, world.bilk.id)
    assert RAW_PLACEHOLDER.findall(main.text_content()) == []
    greeting = _card(main, "greeting").text_content()
    assert "„Hallo, hier ist Name der Anlaufstelle!“" in greeting
    assert "Standardtext: „Guten Tag, hier ist die Anlaufstelle Name der Anlaufstelle.“" in greeting
    assert "Eigener Text" in greeting
    readback = _card(main, "number_readback").text_content()
    assert "„Sie haben eingegeben: eingetippte Nummer.“" in readback


def test_the_city_lines_texts_are_listed_without_a_way_to_change_them(login_as, world):
    web = login_as("begleitung")
    main = _page(web, world.bilk.id)
    for key in ("greeting_city", "list_and", "city_routed"):
        assert _card(main, key).xpath(".//a") == []
        assert web.get(f"/admin/inhalte/{world.bilk.id}/ansagen/{key}").status_code == 404
    assert _card(main, "menu_repeat").xpath(".//a/text()") == ["Ändern"]


def test_the_edit_page_says_when_the_prompt_plays_and_what_the_line_fills_in(login_as, world):
    page = login_as("begleitung").get(f"/admin/inhalte/{world.bilk.id}/ansagen/activity").get_data(as_text=True)
    main = lxml.html.fromstring(page).find(".//main")
    assert "Für jedes Angebot ohne eigene Aufnahme, vor seiner Beschreibung." in main.text_content()
    filled_in = dict(zip(main.xpath(".//dl/dt/code/text()"), main.xpath(".//dl/dd/text()"), strict=True))
    assert filled_in == {"{date}": "Datum des Angebots", "{place}": "Ort des Angebots",
                         "{time}": "Uhrzeit des Angebots", "{title}": "Titel des Angebots"}


def test_a_stored_text_that_does_not_parse_is_shown_as_it_is():
    # The line falls back to the standard text for such an override; the page must still open.
    assert in_words("greeting", "Hallo {network") == (TextPiece("Hallo {network", ""),)
    escaped = in_words("greeting", "Hallo {{ {network}")
    assert ("".join(piece.words for piece in escaped), escaped[-1].placeholder) == ("Hallo { ", "Name der Anlaufstelle")
