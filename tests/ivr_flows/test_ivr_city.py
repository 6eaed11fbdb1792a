"""The city-wide line at full size: every demo postal code and Stadtbezirk routes, within a minute of speech."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from hotline.stadtteile import stadtteile
from ivr_flows.actions import Gather, Pause, Say
from ivr_flows.content import CityContent
from ivr_flows.model import MAX_OPTIONS
from ivr_flows.prompts import PROMPTS

from tests.ivr_flows.listening import prompts, speech_seconds, spoken_words
from tests.support import demo_city

CITY = demo_city()
POSTAL_CODES = sorted({code for n in CITY.networks for code in n.postal_codes})
_OFFER = re.compile(r"drücken Sie die \d|die (Null|\d) drücken")


def _listing(code: str) -> set[int]:
    return {n.network_id for n in CITY.networks if code in n.postal_codes}


def _in_stadtbezirk(number: int) -> set[int]:
    return {n.network_id for n in CITY.networks if any(s.stadtbezirk == number for s in n.stadtteile)}


def _reachable(start_call, citywide, content: CityContent, entry: str) -> tuple[set[int], list[str]]:
    """The networks a caller reaches after typing `entry` (pressing each offered key), and the menus heard."""
    call = start_call(citywide, content).press(entry)
    if call.last.state.network_id is not None:
        return {call.last.state.network_id}, []
    menu = call.text
    offered = re.findall(r"drücken Sie die ([1-4])\.", menu)
    assert 1 < len(offered) <= MAX_OPTIONS
    reached = set()
    for key in offered:
        after = start_call(citywide, content).press(entry, key)
        assert after.last.state.node == "main"
        reached.add(after.last.state.network_id)
    return reached, [menu]


@pytest.mark.parametrize("code", POSTAL_CODES)
def test_every_demo_postal_code_reaches_the_networks_listing_it(start_call, citywide, code):
    reached, menus = _reachable(start_call, citywide, CITY, code)
    assert reached == _listing(code)
    if len(reached) > 1:
        assert "Bitte wählen Sie Ihren Stadtteil." in menus[0]
        for network in CITY.networks:
            if network.network_id in reached:
                assert network.stadtteile[0].name in menus[0]


def test_shared_postal_codes_are_exercised_by_the_demo():
    shared = [len(_listing(code)) for code in POSTAL_CODES]
    assert {2, 3} <= set(shared)


@pytest.mark.parametrize("number", range(1, 11))
def test_every_stadtbezirk_reaches_each_of_its_networks_by_stadtteil(start_call, citywide, number):
    reached, menus = _reachable(start_call, citywide, CITY, str(number))
    assert reached == _in_stadtbezirk(number)
    for menu in menus:
        assert f"Stadtbezirk {number}. Bitte wählen Sie Ihren Stadtteil." in menu
        for network in CITY.networks:
            for stadtteil in network.stadtteile:
                assert (stadtteil.name in menu) == (stadtteil.stadtbezirk == number)


def _heard_until_routed(call) -> tuple[int, int]:
    """Words and pause seconds the caller heard before being routed or reaching the callback path."""
    words = pauses = 0
    for result in call.results:
        for prompt in prompts(result.actions):
            if isinstance(prompt, Pause):
                pauses += prompt.seconds
                continue
            assert isinstance(prompt, Say)
            if prompt.text.startswith("Gern ruft Sie jemand"):  # the callback path begins
                return words, pauses
            words += spoken_words(prompt.text)
            if prompt.text.startswith("Sie sind jetzt bei der Anlaufstelle"):
                return words, pauses
    raise AssertionError("the caller was neither routed nor taken to the callback path")


def _journeys_without_postal_code(start_call, citywide) -> list:
    journeys = [start_call(citywide, CITY).press("0")]
    for number in range(1, 11):
        call = start_call(citywide, CITY).press(str(number))
        if call.last.state.network_id is not None:
            journeys.append(call)
            continue
        keys = re.findall(r"drücken Sie die ([1-4])\.", call.text)
        journeys += [start_call(citywide, CITY).press(str(number), key) for key in keys]
    return journeys


def test_a_caller_without_postal_code_is_routed_within_sixty_seconds_of_speech(start_call, citywide):
    heard = [_heard_until_routed(call) for call in _journeys_without_postal_code(start_call, citywide)]
    assert len(heard) == 1 + len(CITY.networks)  # the 0, and every network through its Stadtbezirk
    worst_words = max(words for words, _ in heard)
    assert speech_seconds(worst_words) <= 60
    # Even with every pause between the sentences the worst case stays within the minute.
    assert max(speech_seconds(words) + pauses for words, pauses in heard) <= 60


def _all_gathers(start_call, citywide) -> list[tuple[Gather, str]]:
    """Every Gather a caller meets on the city line and the routed network's line, with its spoken text."""
    inputs_single = ["1", "2", "3", "4", "9", "0", "*", None, "7"]
    inputs_entry = ["40627", "40221", "3", "7", "10", "0", "12", "02111234567", "*", None]
    found: dict[tuple[object, str], tuple[Gather, str]] = {}
    seen: set[str] = set()
    frontier = [[]]
    for _depth in range(5):
        following = []
        for keys in frontier:
            call = start_call(citywide, CITY, caller=None).press(*keys)
            terminal = call.terminal
            if not isinstance(terminal, Gather) or call.last.state.encode() in seen:
                continue
            seen.add(call.last.state.encode())
            found[(terminal, call.text)] = (terminal, call.text)
            inputs = inputs_single if terminal.num_digits == 1 else inputs_entry
            following += [[*keys, key] for key in inputs]
        frontier = following
    return list(found.values())


def test_no_number_entry_offers_a_key_that_waits_in_silence(start_call, citywide):
    gathers = _all_gathers(start_call, citywide)
    entries = [(gather, text) for gather, text in gathers if gather.num_digits != 1]
    assert len(entries) >= 3  # the router (also after misses) and the callback number
    for gather, text in entries:
        assert gather.finish_on_key == "#"
        assert "Rautetaste" in text
        for sentence in re.split(r"(?<=[.?!])\s+", text):
            if _OFFER.search(sentence):
                assert "Rautetaste" in sentence, sentence


def test_no_prompt_calls_a_stadtteil_a_stadtbezirk(start_call, citywide):
    spoken = [text for _, text in _all_gathers(start_call, citywide)] + list(PROMPTS.values())
    names = set(stadtteile())
    for text in spoken:
        for following in re.findall(r"Stadtbezirk\w*\s+([^\s.,]+)", text):
            assert following not in names, text


def test_an_inactive_network_is_never_offered(start_call, citywide, make_city):
    city = make_city()
    flehe = replace(city.networks[1], active=False)
    city = replace(city, networks=(city.networks[0], flehe, city.networks[2]))
    for entry in ("40223", "3"):
        assert start_call(citywide, city).press(entry).last.state.network_id == 7
    call = start_call(citywide, city).press("40221")
    assert "kenne ich leider keine Anlaufstelle" in call.text
    assert call.last.state.network_id is None
