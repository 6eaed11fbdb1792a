"""Journeys through the shipped flows, stepping the engine like the hotline does (no app, no DB)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ivr_flows.actions import Break, ConsentGiven, Dial, Gather, Hangup, PreferredTime, Record, RequestCallback, Say
from ivr_flows.events import ForwardResult, RecordingFinished

BERLIN = ZoneInfo("Europe/Berlin")
CALLER = "+492111234567"

THURSDAY_CLOSURE_DAY = datetime(2025, 6, 5, 10, 30, tzinfo=BERLIN)
CORPUS_CHRISTI = datetime(2025, 6, 19, 10, 30, tzinfo=BERLIN)  # Thursday, NRW public holiday
TUESDAY_EVENING = datetime(2025, 6, 3, 19, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(("keys", "expected_title"), [
    (["1"], "Erzählcafé"),
    (["1", "1"], "Spaziergang im Volksgarten"),
    (["1", "1", "1"], "Erzählcafé"),  # after the last one: from the start
    (["1", "1", "2"], "Spaziergang im Volksgarten"),
    (["1", "1", "*"], "Spaziergang im Volksgarten"),
])
def test_activities_are_read_one_at_a_time(start_call, standard, network, keys, expected_title):
    call = start_call(standard, network).press(*keys)
    assert expected_title in call.text
    assert "dem vierten Juni, um 15 Uhr" in call.text or "dem sechsten Juni, um 14 Uhr 30" in call.text
    assert "Angabe" not in call.text  # entered six days ago: the date would add nothing
    assert "Frühlingsfest" not in call.text


def test_expired_activity_is_never_read(start_call, standard, network):
    call = start_call(standard, network).press("1", "1", "1", "1", "2")
    assert all("Frühlingsfest" not in call.said(r) for r in call.results)


def test_activity_not_read_after_it_started(start_call, standard, network):
    call = start_call(standard, network, now=datetime(2025, 6, 4, 16, 0, tzinfo=BERLIN)).press("1")
    assert "Spaziergang" in call.text
    assert "Erzählcafé" not in call.text


def test_activities_back_to_main_menu_with_9(start_call, standard, network):
    call = start_call(standard, network).press("1", "9")
    assert call.last.state.node == "main"
    assert "Für Angebote und Treffen drücken Sie die 1." in call.text


def test_callback_about_an_activity_names_it(start_call, standard, network):
    call = start_call(standard, network).press("1", "1", "0")
    assert "Gern ruft Sie jemand von uns zurück, zum Angebot Spaziergang im Volksgarten." in call.text
    call.press("1")
    assert call.requests == [RequestCallback(number=CALLER, topic="Angebot: Spaziergang im Volksgarten",
                                             activity_id=2, with_message=False, network_id=7, confirmed=True)]
    assert "Wann passt Ihnen ein Anruf am besten?" in call.text
    call.press("2")
    assert PreferredTime("nachmittags") in call.last.actions
    assert isinstance(call.terminal, Hangup)
    assert "Jemand von uns ruft Sie zurück." in call.text
    assert "montags bis samstags, außer an Feiertagen, zwischen 9 und 19 Uhr" in call.text


def test_no_activities_says_so_and_returns_to_main_menu(start_call, make_network, standard):
    call = start_call(standard, make_network(activities=())).press("1")
    assert "keine Angebote" in call.text
    assert call.last.state.node == "main"


def test_newcomer_information_ends_with_callback_offer(start_call, standard, network):
    call = start_call(standard, network).press("2")
    assert "Bei uns ist jeder willkommen." in call.text
    # The welcome meeting first, as words; then the text, the address and when the office is next open.
    assert call.text.index("am Donnerstag, dem zwölften Juni, um 15 Uhr") < call.text.index("Bei uns ist jeder")
    assert "Die Adresse der Anlaufstelle: Bachstraße 5." in call.text
    assert "wieder besetzt" not in call.text  # staffed right now: nothing to wait for
    assert "Wenn Sie zurückgerufen werden möchten, drücken Sie die 1." in call.text
    call.press("1", "1")
    assert call.requests[0].topic == "Informationen für neue Interessierte"


def test_message_with_consent_is_recorded_and_confirmed(start_call, standard, network):
    call = start_call(standard, network).press("3")
    assert "Nachricht auf" in call.text
    assert "nur für den Rückruf durch die Anlaufstelle" in call.text
    call.press("1")
    assert ConsentGiven() in call.last.actions
    assert call.terminal == Record(max_length=180, timeout=10, finish_on_key="#", beep=True)
    call.send(RecordingFinished(duration_seconds=42, hung_up=False))
    assert "endet auf vier fünf sechs sieben" in call.text
    call.press("1")
    assert call.requests == [RequestCallback(CALLER, "Nachricht", None, True, 7, confirmed=True)]
    call.press("3")
    assert PreferredTime("egal wann") in call.last.actions
    assert isinstance(call.terminal, Hangup)


def test_message_without_consent_offers_callback_without_recording(start_call, standard, network):
    call = start_call(standard, network).press("3", "2")
    assert not any(isinstance(a, (Record, ConsentGiven)) for r in call.results for a in r.actions)
    assert "Gern ruft Sie jemand von uns zurück." in call.text
    call.press("1")
    assert call.requests == [RequestCallback(CALLER, "Nachricht", None, False, 7, confirmed=True)]


def test_hanging_up_during_recording_still_requests_a_callback(start_call, standard, network):
    call = start_call(standard, network, caller=None).press("3", "1")
    call.send(RecordingFinished(duration_seconds=30, hung_up=True))
    assert call.last.actions == (RequestCallback(None, "Nachricht", None, True, 7), Hangup())


def test_withheld_number_is_typed_in_read_back_and_confirmed(start_call, standard, network):
    call = start_call(standard, network, caller=None).press("0")
    assert "Bitte tippen Sie Ihre Telefonnummer mit Vorwahl ein." in call.text
    gather = call.terminal
    assert (gather.num_digits, gather.finish_on_key, gather.timeout) == (None, "#", 15)
    call.press("02111232")
    # The area code as one group, then groups of two or three, with a short break between them.
    assert [Say("Sie haben eingegeben: null zwo eins eins,"), Break(300), Say("eins zwo,"), Break(300),
            Say("drei zwo.")] == list(call.terminal.prompts[:5])
    call.press("2", "02111234567")
    assert "eins zwo drei" in call.text
    call.press("1")
    assert call.requests == [RequestCallback("02111234567", "Rückrufwunsch", None, False, 7, confirmed=True)]


def test_own_number_can_be_replaced_by_another(start_call, standard, network):
    call = start_call(standard, network).press("0", "2", "0171234567", "1")
    assert call.requests[0].number == "0171234567"


def test_too_short_number_is_asked_again(start_call, standard, network):
    call = start_call(standard, network, caller=None).press("0", "123")
    assert "nicht vollständig" in call.text
    assert call.last.state.phase == "enter"


@pytest.mark.parametrize(("now", "is_open"), [
    (datetime(2025, 6, 3, 10, 30, tzinfo=BERLIN), True),
    (TUESDAY_EVENING, False),
    (THURSDAY_CLOSURE_DAY, False),
    (CORPUS_CHRISTI, False),
    (datetime(2025, 6, 12, 15, 0, tzinfo=BERLIN), True),  # second range on Thursday
])
def test_talk_to_someone_follows_office_hours(start_call, standard, network, now, is_open):
    call = start_call(standard, network, now=now).press("4")
    if is_open:
        assert call.terminal == Dial("+492119876543", "+492111110000", 25)
    else:
        assert isinstance(call.terminal, Gather)
        assert "Die Anlaufstelle ist gerade nicht besetzt." in call.text or "Heute ist die Anlaufstelle" in call.text
        assert "wieder besetzt." in call.text
        assert "Die Adresse der Anlaufstelle: Bachstraße 5." in call.text
        assert "Dienstags von 10 Uhr bis 12 Uhr." in call.text
        assert "Donnerstags von 10 Uhr bis 12 Uhr und von 14 Uhr bis 16 Uhr." in call.text
        assert call.last.state.node == "message"


def test_forward_without_answer_leads_to_message(start_call, standard, network):
    call = start_call(standard, network).press("4").send(ForwardResult(answered=False))
    assert "niemand ans Telefon gegangen" in call.text
    call.press("1").send(RecordingFinished(10, False)).press("1")
    assert call.requests == [RequestCallback(CALLER, "Möchte mit jemandem sprechen", None, True, 7, confirmed=True)]


def test_forward_answered_ends_politely(start_call, standard, network):
    call = start_call(standard, network).press("4").send(ForwardResult(answered=True))
    assert isinstance(call.terminal, Hangup)
    assert "Vielen Dank für Ihren Anruf" in call.text
    assert call.requests == []


def test_forward_without_number_takes_message_path(start_call, make_network, standard):
    call = start_call(standard, make_network(forwarding_number=None)).press("4")
    assert call.last.state.node == "message"


@pytest.mark.parametrize(("keys", "network_id"), [
    (["40225"], 7),
    (["40625"], 9),
    (["40223", "2"], 8),  # postal code shared by two networks
    (["3", "1"], 7),  # Stadtbezirk 3 (typed with the Rautetaste), then the Stadtteil Bilk
    (["3", "2"], 8),  # Stadtbezirk 3, then Flehe und Volmerswerth
    (["7"], 9),  # Stadtbezirk 7 has one network
])
def test_citywide_routes_by_postal_code_or_stadtbezirk(start_call, make_city, citywide, keys, network_id):
    call = start_call(citywide, make_city())
    assert "Netzwerke in Düsseldorf" in call.text
    assert "die 0 und die Rautetaste" in call.text
    call.press(*keys)
    assert call.last.state.network_id == network_id
    assert call.last.state.node == "main"
    name = {7: "Bilk", 8: "Flehe", 9: "Gerresheim"}[network_id]
    # One greeting per call: the city line greeted; after routing the caller hears where they are.
    assert call.text.startswith(f"Sie sind jetzt bei der Anlaufstelle {name}. Für Angebote")
    assert "Guten Tag" not in call.text


def test_citywide_caller_reaches_network_content_after_routing(start_call, make_city, citywide):
    call = start_call(citywide, make_city()).press("40625", "0", "1")
    assert call.requests[0].network_id == 9


def test_citywide_unknown_postal_code_is_asked_again(start_call, make_city, citywide):
    call = start_call(citywide, make_city()).press("10115")
    assert "kenne ich leider keine Anlaufstelle" in call.text
    assert call.last.state.node == "router"


def test_citywide_callback_before_routing_has_no_network(start_call, make_city, citywide):
    call = start_call(citywide, make_city()).press("0", "1")
    assert call.requests == [RequestCallback(CALLER, "Rückrufwunsch", None, False, None, confirmed=True)]
    call.press("1")
    assert "von dieser Nummer" not in call.text  # no network yet: the line cannot say which number calls


@pytest.mark.parametrize("bad", [None, "7"])
def test_three_misses_in_main_menu_lead_to_callback_path(start_call, standard, network, bad):
    call = start_call(standard, network).press(bad)
    assert call.last.state.misses == 1
    call.press(bad)
    assert "Wenn Sie lieber zurückgerufen werden möchten, drücken Sie die 0." in call.text
    call.press(bad)
    assert call.last.state.node == "confirm"
    assert "Gern ruft Sie jemand von uns zurück." in call.text
    assert not isinstance(call.terminal, Hangup)
