"""The rules of DESIGN.md section 1, enforced by the engine for every flow."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from ivr_flows import CallState, load_flow_from_mapping, step
from ivr_flows.actions import Gather, Hangup, Pause, Play, Record, RequestCallback, Say
from ivr_flows.events import CallStarted, Digits, NoInput, RecordingFinished
from ivr_flows.numbers import digit_groups, spoken_number, spoken_tail

BERLIN = ZoneInfo("Europe/Berlin")
CALLER = "+492111234567"

SUB_MENU_FLOW = {
    "flow": {"name": "test", "version": 2, "start": "hello", "main_menu": "main", "callback": "callback"},
    "nodes": {
        "hello": {"kind": "greeting", "next": "main"},
        "main": {"kind": "menu", "options": [{"key": 1, "label": "label_activities", "next": "sub"},
                                             {"key": 2, "label": "label_message", "next": "bye"}]},
        "sub": {"kind": "menu", "options": [{"key": 1, "label": "label_newcomers", "next": "main"}]},
        "callback": {"kind": "callback", "next": "confirm"},
        "confirm": {"kind": "confirm_number", "next": "bye"},
        "bye": {"kind": "goodbye"},
    },
}


def test_greeting_names_network_and_offers_zero(start_call, standard, network):
    call = start_call(standard, network)
    assert call.text.startswith("Guten Tag, hier ist die Anlaufstelle Bilk.")
    assert "Mit der Null bekommen Sie jederzeit einen Rückruf." in call.text


def test_edited_greeting_without_network_name_is_completed(start_call, standard, make_network):
    call = start_call(standard, make_network(greeting="Herzlich willkommen!"))
    assert call.text.startswith("Hier ist das Telefon der Anlaufstelle Bilk. Herzlich willkommen!")
    assert "Mit der Null bekommen Sie jederzeit einen Rückruf." in call.text


def test_main_menu_layout(start_call, standard, network):
    gather = start_call(standard, network).terminal
    assert (gather.num_digits, gather.timeout, gather.finish_on_key) == (1, 8, "")
    texts = [p.text for p in gather.prompts if isinstance(p, Say)]
    assert texts[-5:] == [
        "Für Angebote und Treffen drücken Sie die 1.",
        "Für Informationen zum Mitmachen drücken Sie die 2.",
        "Für eine Nachricht drücken Sie die 3.",
        "Für ein Gespräch mit uns drücken Sie die 4.",
        "Zum Wiederholen drücken Sie die Sterntaste.",
    ]
    options = gather.prompts[-9:]
    assert all(p == Pause(1) for p in options[1::2])


def test_no_input_repeats_menu_slower_then_adds_zero_hint(start_call, standard, network):
    call = start_call(standard, network).press(None)
    gather = call.terminal
    assert call.text.startswith("Ich habe leider keine Eingabe gehört.")
    assert Pause(2) in gather.prompts
    assert Pause(1) not in gather.prompts
    assert "drücken Sie die 0" not in call.text
    call.press(None)
    assert "Wenn Sie lieber zurückgerufen werden möchten, drücken Sie die 0." in call.text


@pytest.mark.parametrize(("key", "said"), [("7", "Die Taste 7"), ("#", "Die Rautetaste"), ("5", "Die Taste 5")])
def test_wrong_key_is_named(start_call, standard, network, key, said):
    call = start_call(standard, network).press(key)
    assert call.text.startswith(f"{said} ist hier leider nicht belegt.")
    assert call.last.state.node == "main"


def test_valid_key_resets_the_escalation(start_call, standard, network):
    call = start_call(standard, network).press(None, "7", "1", "9", None)
    assert call.last.state.misses == 1


def test_star_repeats_and_zero_calls_back_everywhere(start_call, standard, network):
    call = start_call(standard, network).press("*")
    assert call.last.state.node == "main"
    assert "Zum Wiederholen" in call.text
    for path in (["0"], ["1", "0"], ["2", "0"], ["3", "0"]):
        assert start_call(standard, network).press(*path).last.state.node == "confirm"


def test_sub_menu_offers_9_back_to_main_menu(start_call, network):
    flow = load_flow_from_mapping(SUB_MENU_FLOW, "test")
    call = start_call(flow, network).press("1")
    assert "Zurück zum Hauptmenü: Drücken Sie die 9." in call.text
    call.press("9")
    assert call.last.state.node == "main"
    assert "Zurück zum Hauptmenü" not in call.text


def test_main_menu_does_not_treat_9_as_back(start_call, network):
    call = start_call(load_flow_from_mapping(SUB_MENU_FLOW, "test"), network).press("9")
    assert "Die Taste 9 ist hier leider nicht belegt." in call.text


def test_menu_option_to_goodbye_ends_call_as_callers_choice(start_call, network):
    call = start_call(load_flow_from_mapping(SUB_MENU_FLOW, "test"), network).press("2")
    assert isinstance(call.terminal, Hangup)
    assert call.requests == []


def test_prompt_overrides_and_recorded_audio(start_call, standard, make_network):
    network = make_network(prompt_overrides={"menu_repeat": "Noch einmal? Dann die Sterntaste."},
                           prompt_audio={"label_activities": "https://audio.example/angebote-v2.mp3"})
    gather = start_call(standard, network).terminal
    assert Play("https://audio.example/angebote-v2.mp3") in gather.prompts
    assert gather.prompts[-1] == Say("Noch einmal? Dann die Sterntaste.")


def test_broken_override_falls_back_to_default(start_call, standard, make_network):
    network = make_network(prompt_overrides={"greeting": "Hallo {unbekannt}"})
    assert "Anlaufstelle Bilk" in start_call(standard, network).text


def test_activity_audio_replaces_spoken_text(start_call, standard, make_network, network):
    recorded = tuple(a if a.id != 1 else replace(a, audio_url="https://a.example/1.mp3", updated_on=date(2025, 5, 1))
                     for a in network.activities)
    call = start_call(standard, make_network(activities=recorded)).press("1")
    assert Play("https://a.example/1.mp3") in call.terminal.prompts
    assert "Erzählcafé" not in call.text
    # Entered a month ago: the caller hears how old the entry is.
    assert "Diese Angabe ist vom ersten Mai." in call.text


def test_long_texts_are_split_under_say_limit(start_call, standard, make_network):
    call = start_call(standard, make_network(newcomer_paragraphs=("Ein langer Satz über das Netzwerk. " * 300,)))
    call.press("2")
    says = [p for p in call.terminal.prompts if isinstance(p, Say)]
    assert len(says) > 3
    assert all(len(s.text) <= 1500 for s in says)


def test_silence_at_consent_offers_callback_without_recording(start_call, standard, network):
    call = start_call(standard, network).press("3", None, None, None)
    assert call.last.state.node == "confirm"
    assert not call.last.state.consent
    assert not any(isinstance(a, Record) for r in call.results for a in r.actions)


def test_silence_at_number_confirmation_takes_request_with_own_number(start_call, standard, network):
    call = start_call(standard, network).press("0", None, None, None)
    assert call.requests == [RequestCallback(CALLER, "Rückrufwunsch", None, False, 7)]
    assert isinstance(call.terminal, Hangup)


def test_withheld_silent_caller_after_message_is_told_no_number(start_call, standard, network):
    call = start_call(standard, network, caller=None).press("3", "1")
    call.send(RecordingFinished(20, False)).press(None, None, None)
    assert call.requests == [RequestCallback(None, "Nachricht", None, True, 7)]
    assert "keine Telefonnummer bekommen" in call.text


def test_withheld_caller_without_message_or_number_is_told_so_not_about_a_message(start_call, standard, network):
    # Came in by 0, stayed silent, typed no number: there is no message that could hold a number.
    call = start_call(standard, network, caller=None).press("0", None, None, None)
    assert isinstance(call.terminal, Hangup)
    assert "keine Telefonnummer bekommen" in call.text
    assert "So können wir Sie nicht zurückrufen." in call.text
    assert "Nachricht" not in call.text


def test_withheld_caller_with_message_hears_the_number_may_be_in_it(start_call, standard, network):
    call = start_call(standard, network, caller=None).press("3", "1")
    call.send(RecordingFinished(20, False)).press(None, None, None)
    assert "Wenn Sie Ihre Nummer in der Nachricht genannt haben" in call.text


@pytest.mark.parametrize(("bad", "reason"), [("7", "Die Taste 7 ist hier leider nicht belegt."),
                                             (None, "Ich habe leider keine Eingabe gehört.")])
def test_third_miss_says_why_before_the_callback_path(start_call, standard, network, bad, reason):
    call = start_call(standard, network).press(bad, bad, bad)
    assert call.text.startswith(f"{reason} Das hat jetzt dreimal nicht geklappt. Gern ruft Sie jemand von uns zurück.")


def test_silence_at_consent_says_nothing_is_recorded_before_the_callback(start_call, standard, network):
    call = start_call(standard, network).press("3", None, None, None)
    assert "Ohne Ihr Einverständnis nehmen wir nichts auf. Gern ruft Sie jemand von uns zurück." in call.text


def test_talk_without_forwarding_number_says_so_before_the_message_path(start_call, standard, make_network):
    call = start_call(standard, make_network(forwarding_number=None)).press("4")
    assert call.text.startswith("Verbinden kann ich Sie gerade leider nicht. Wir nehmen Ihre Nachricht auf")


@pytest.mark.parametrize("bad", ["7", None])
def test_a_miss_after_the_newcomer_text_repeats_only_the_options(start_call, standard, network, bad):
    call = start_call(standard, network).press("2")
    assert "Bei uns ist jeder willkommen." in call.text
    call.press(bad)
    assert "Sie hören die Möglichkeiten noch einmal." in call.text
    assert "willkommen" not in call.text
    assert "Wenn Sie zurückgerufen werden möchten, drücken Sie die 1." in call.text
    call.press("*")
    assert "Bei uns ist jeder willkommen." in call.text


def test_a_miss_after_an_activity_repeats_only_the_options(start_call, standard, network):
    call = start_call(standard, network).press("1", "7")
    assert "Sie hören die Möglichkeiten noch einmal." in call.text
    assert "Erzählcafé" not in call.text
    assert "Um dieses Angebot noch einmal zu hören, drücken Sie die 2." in call.text
    call.press("2")
    assert "Erzählcafé" in call.text


def test_empty_recording_continues_without_message(start_call, standard, network):
    call = start_call(standard, network).press("3", "1").send(RecordingFinished(0, False))
    assert "keine Nachricht gehört" in call.text
    call.press("1")
    assert call.requests[0].with_message is False


def test_zero_during_number_confirmation_just_repeats(start_call, standard, network):
    call = start_call(standard, network).press("0", "0")
    assert call.last.state.phase == "ask"
    assert call.last.state.misses == 0


def test_goodbye_answers_any_late_event_with_hangup(start_call, standard, network):
    call = start_call(standard, network).press("0", "1", "3", "5")
    assert call.last.actions == (Hangup(),)


def test_engine_needs_timezone_aware_time(standard, network):
    with pytest.raises(ValueError, match="timezone-aware"):
        step(standard, network, CallState(), CallStarted(None), datetime(2025, 6, 3, 10, 0))


def test_state_naming_unknown_node_restarts_at_main_menu(standard, network):
    result = step(standard, network, CallState(node="gone"), NoInput(), datetime(2025, 6, 3, 8, 0, tzinfo=BERLIN))
    assert result.state.node == "main"


def test_engine_is_deterministic(standard, network):
    now = datetime(2025, 6, 3, 8, 0, tzinfo=BERLIN)
    first = step(standard, network, CallState(node="main"), Digits("1"), now)
    assert first == step(standard, network, CallState(node="main"), Digits("1"), now)


def test_menu_gather_is_the_last_action(start_call, standard, network):
    actions = start_call(standard, network).last.actions
    assert len(actions) == 1
    assert isinstance(actions[0], Gather)


@pytest.mark.parametrize(("number", "spoken"), [
    ("0211 12345678", "null zwo eins eins, eins zwo drei, vier fünf sechs, sieben acht"),
    ("02111232", "null zwo eins eins, eins zwo, drei zwo"),
    ("1234", "eins zwo, drei vier"),
    ("+49 211 9876543", "null zwo eins eins, neun acht sieben, sechs fünf, vier drei"),
    ("+4915112345678", "null eins fünf eins eins, zwo drei vier, fünf sechs, sieben acht"),
])
def test_numbers_are_read_with_the_area_code_first_then_in_groups_with_zwo(number, spoken):
    assert spoken_number(number) == spoken


@pytest.mark.parametrize("length", range(1, 17))
def test_digit_groups_have_two_or_three_digits(length):
    groups = digit_groups("5" * length)
    assert "".join(groups) == "5" * length
    assert length < 2 or all(len(g) in (2, 3) for g in groups)


def test_number_tail_is_four_digits():
    assert spoken_tail("+492111234562") == "vier fünf sechs zwo"
