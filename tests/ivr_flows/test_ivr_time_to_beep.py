"""Time to the beep: the shortest way to leave a message, every prompt heard in full at 150 words a minute."""

from __future__ import annotations

from dataclasses import replace

from ivr_flows.actions import Record

from tests.ivr_flows.listening import seconds_heard
from tests.support import demo_city

NETWORK_LINE_LIMIT = 45
CITY_LINE_LIMIT = 60
CITY = demo_city()


def before_the_beep(call) -> float:
    """Seconds of speech and pauses the caller heard before the beep."""
    assert isinstance(call.terminal, Record), "the path must end at the beep"
    return sum(seconds_heard(result.actions) for result in call.results)


def _message_path(call):
    """From the main menu: 3 (a message), then 1 (consent), which starts the recording."""
    return call.press("3", "1")


def _routed_at_once(start_call, citywide, network) -> list:
    """The message paths through the city line for the network's postal codes that route at once."""
    calls = [start_call(citywide, CITY).press(code) for code in sorted(network.postal_codes)]
    return [_message_path(call) for call in calls if call.last.state.network_id == network.network_id]


def test_shortest_message_path_on_a_network_line_is_within_45_seconds(start_call, standard, network):
    # Every demo network's name, as its own line says it in the greeting.
    timed = {name: before_the_beep(_message_path(start_call(standard, replace(network, name=name))))
             for name in {n.name for n in CITY.networks}}
    worst = max(timed, key=timed.__getitem__)
    assert timed[worst] <= NETWORK_LINE_LIMIT, f"{timed[worst]:.1f} s before the beep on the line of {worst}"


def test_shortest_message_path_through_the_city_line_is_within_60_seconds(start_call, citywide):
    # A caller whose postal code belongs to one network: the worst of these networks (their names differ).
    timed = {n.name: min(map(before_the_beep, paths)) for n in CITY.networks
             if (paths := _routed_at_once(start_call, citywide, n))}
    assert len(timed) >= 10
    worst = max(timed, key=timed.__getitem__)
    assert timed[worst] <= CITY_LINE_LIMIT, f"{timed[worst]:.1f} s before the beep via the city line ({worst})"
