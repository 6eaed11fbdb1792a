"""Staff-typed text as a voice should say it, and dates as words in every journey."""

from __future__ import annotations

import pytest

from ivr_flows.speakable import dative_ordinal, has_numeral_date, speakable, warnings


@pytest.mark.parametrize(("day", "word"), [(1, "ersten"), (3, "dritten"), (7, "siebten"), (12, "zwölften"),
                                           (20, "zwanzigsten"), (31, "einunddreißigsten")])
def test_dates_use_the_dative_ordinal(day, word):
    assert dative_ordinal(day) == word


@pytest.mark.parametrize(("typed", "spoken"), [
    ("Treffen in der Bachstr. 5, Nr. 3", "Treffen in der Bachstraße 5, Nummer 3"),
    ("z. B. Kaffee, ca. 20 Leute, u. a. Dr. Meier usw.",
     "zum Beispiel Kaffee, circa 20 Leute, unter anderem Doktor Meier und so weiter"),
    ("Tel. 0211 / 12 34 56 bzw. Kölner Str. 2", "Telefon null zwo eins eins, eins zwo drei, vier fünf sechs "
                                                "beziehungsweise Kölner Straße 2"),
    ("von 10-12 Uhr, ab 15:30 Uhr, um 9.45", "von 10 Uhr bis 12 Uhr, ab 15 Uhr 30, um 9 Uhr 45"),
    ("am Donnerstag, 3. Dezember", "am Donnerstag, dem dritten Dezember"),
    ("am 3.12.2026", "am dritten Dezember 2026"),
    ("info@netzwerk-bilk.de", "info ät netzwerk Bindestrich bilk Punkt de"),
    ("www.netzwerk-bilk.de", "w w w Punkt netzwerk Bindestrich bilk Punkt de"),
])
def test_staff_text_is_spelled_out_for_the_voice(typed, spoken):
    assert speakable(typed) == spoken
    assert not has_numeral_date(speakable(typed))


def test_warnings_name_english_words_symbols_and_addresses():
    found = warnings("Open Space & Walking-Event, 50 %: www.bilk.de")
    assert "Englische Wörter spricht die Stimme deutsch aus: Event, Open, Space, Walking." in found
    assert "Diese Zeichen kann die Stimme nicht sprechen: % &." in found
    assert any("Internetadressen" in w for w in found)
    assert warnings("Kaffee und Kuchen im Stadtteilzentrum") == []


@pytest.mark.parametrize("date", ["3. Dezember", "3.12.", "am 03.12.2026", "12.Juni"])
def test_numeral_dates_are_found(date):
    assert has_numeral_date(date)


def test_welcome_meeting_typed_with_a_numeral_date_is_heard_as_words(start_call, standard, make_network):
    network = make_network(welcome_meeting="Dienstag, 5.1., 15:00 Uhr, Bachstr. 5")
    call = start_call(standard, network).press("2")
    assert "Interessierte: Dienstag, dem fünften Januar, 15 Uhr, Bachstraße 5" in call.text


def test_newcomer_text_beyond_about_seventy_words_waits_behind_the_2(start_call, standard, make_network):
    sentence = "Wir treffen uns jede Woche im Stadtteilzentrum und freuen uns auf Sie."  # 12 words
    call = start_call(standard, make_network(newcomer_paragraphs=(sentence, " ".join([sentence] * 8)))).press("2")
    assert call.text.count("Wir treffen") == 5  # 60 words of text; the sixth sentence would pass 70
    assert "Mehr über unser Netzwerk hören Sie mit der 2." in call.text
    call.press("2")
    assert call.text.count("Wir treffen") == 4
    assert "mit der 2" not in call.text
