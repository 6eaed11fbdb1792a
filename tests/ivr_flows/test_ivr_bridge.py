"""Click-to-call as the volunteer hears it: press 1 to be connected, nothing else connects anyone."""

from __future__ import annotations

import pytest

from ivr_flows import bridge
from ivr_flows.actions import Dial, Gather, Hangup, Play, Say
from ivr_flows.speaking import Speaker

READY = bridge.Bridge(caller="+492114710911", line_number="+492214710100")
STANDARD = Speaker({}, {})


def test_answering_asks_for_the_1_and_waits_ten_seconds():
    (gather,) = bridge.answered(STANDARD, READY)
    assert isinstance(gather, Gather)
    assert (gather.num_digits, gather.timeout) == (1, 10)
    assert "Drücken Sie jetzt die 1" in gather.prompts[0].text


def test_a_request_no_longer_reserved_ends_the_call():
    assert bridge.answered(STANDARD, None) == (
        Say("Dieser Rückruf ist nicht mehr für Sie reserviert. Auf Wiederhören."), Hangup())


def test_pressing_1_dials_the_caller_showing_the_line_number():
    assert bridge.pressed(STANDARD, "1", READY) == (
        Say("Einen Moment, ich verbinde."), Dial("+492114710911", "+492214710100", timeout=30))


@pytest.mark.parametrize(("digits", "ready", "heard"), [
    ("", READY, "Ich habe keine Eingabe gehört. Der Rückruf wird nicht verbunden. Auf Wiederhören."),
    ("2", READY, "Der Rückruf wird nicht verbunden. Auf Wiederhören."),
    ("#", READY, "Der Rückruf wird nicht verbunden. Auf Wiederhören."),
    ("1", None, "Der Rückruf wird nicht verbunden. Auf Wiederhören."),
])
def test_anything_but_1_on_a_reserved_request_never_connects(digits, ready, heard):
    assert bridge.pressed(STANDARD, digits, ready) == (Say(heard), Hangup())


@pytest.mark.parametrize(("talked", "heard"), [(True, "Das Gespräch ist beendet."),
                                               (False, "Die angerufene Person hat nicht abgenommen.")])
def test_afterwards_the_volunteer_is_asked_to_log_the_attempt(talked, heard):
    said, hangup = bridge.dialed(STANDARD, talked=talked)
    assert said.text.startswith(heard)
    assert "Bitte tragen Sie das Ergebnis in der Verwaltung ein." in said.text
    assert hangup == Hangup()


def test_the_networks_own_wording_and_recordings_are_used():
    speaker = Speaker({"bridge_connecting": "Moment, gleich geht es los."},
                      {"bridge_intro": "https://h.example/audio/bilk/bridge-intro-1.wav"})
    (gather,) = bridge.answered(speaker, READY)
    assert gather.prompts == (Play("https://h.example/audio/bilk/bridge-intro-1.wav"),)
    assert bridge.pressed(speaker, "1", READY)[0] == Say("Moment, gleich geht es los.")
