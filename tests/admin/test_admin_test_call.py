"""The Testanruf promises callbacks in the hours the line is configured with, as the phone line does."""

from __future__ import annotations

from dataclasses import replace

import pytest


@pytest.fixture
def settings(settings):
    return replace(settings, callback_hours=(10, 16), callback_quiet_sundays=False)


def _walk(web, network_id: int, keys: str) -> str:
    """Start a Testanruf and press `keys`; return everything said on the way."""
    said, state, event, digits = [], "", "start", ""
    for key in [None, *keys]:
        if key is not None:
            event, digits = "key", key
        answer = web.post(f"/admin/inhalte/{network_id}/testanruf",
                          {"event": event, "digits": digits, "state": state}).get_json()
        said += [prompt["text"] for prompt in answer["prompts"] if prompt["type"] == "say"]
        state = answer["state"]
    return " ".join(said)


def test_the_callback_goodbye_names_the_configured_hours(world, login_as):
    web = login_as("begleitung")
    said = _walk(web, world.bilk.id, "012")
    # The defaults would say "montags bis samstags, außer an Feiertagen, zwischen 9 und 19 Uhr".
    assert "Wir rufen täglich außer an Feiertagen zwischen 10 und 16 Uhr an" in said
