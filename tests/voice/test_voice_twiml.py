"""The adapter on its own: engine actions -> TwiML, and the static fallback document."""

from __future__ import annotations

from pathlib import Path

from hotline.web import twiml
from ivr_flows.actions import ConsentGiven, Dial, Gather, Hangup, Pause, Play, Record, RequestCallback, Say
from ivr_flows.speaking import split_long

from tests.voice_support import MAX_SAY_CHARS, assert_valid_twiml

URLS = twiml.Urls(step="https://h.example/twilio/step/s", recorded="https://h.example/twilio/recorded/s",
                  dialed="https://h.example/twilio/dialed/s",
                  recording_status="https://h.example/twilio/recording-status")
VOICE = "Polly.Vicki-Neural"
FALLBACK = Path(__file__).parents[2] / "hotline" / "static" / "fallback.xml"


def _render(*actions, schema):
    return assert_valid_twiml(schema, str(twiml.render(actions, URLS, VOICE)).encode())


def test_number_entry_gather_passes_the_engines_settings(twiml_schema):
    root = _render(Gather((Say("Bitte tippen Sie."), Play("https://h.example/audio/a-1.mp3"), Pause(2)),
                          num_digits=None, timeout=15, finish_on_key="#"), schema=twiml_schema)
    gather = root.find("Gather")
    assert (gather.get("timeout"), gather.get("finishOnKey"), gather.get("numDigits")) == ("15", "#", None)
    assert [child.tag for child in gather] == ["Say", "Play", "Pause"]
    assert gather.find("Play").text == "https://h.example/audio/a-1.mp3"
    assert gather.find("Pause").get("length") == "2"
    assert gather.get("input") == "dtmf"


def test_text_is_escaped_not_interpreted(twiml_schema):
    root = _render(Say('Kaffee & Kuchen <am> "Markt"'), Hangup(), schema=twiml_schema)
    assert root.find("Say/prosody").text == 'Kaffee & Kuchen <am> "Markt"'


def test_effects_are_not_rendered(twiml_schema):
    root = _render(ConsentGiven(), RequestCallback("+492214710999", "Nachricht", None, False), Say("Danke."),
                   Hangup(), schema=twiml_schema)
    assert [child.tag for child in root] == ["Say", "Hangup"]


def test_record_and_dial(twiml_schema):
    root = _render(Record(), schema=twiml_schema)
    assert root.find("Record").get("recordingStatusCallback") == URLS.recording_status
    dial = _render(Dial("+492214710101", None, timeout=20), schema=twiml_schema).find("Dial")
    assert (dial.get("callerId"), dial.get("timeout"), dial.get("action")) == (None, "20", URLS.dialed)


def test_long_texts_stay_under_the_say_limit(twiml_schema):
    long_text = "Das ist ein langer Satz über unser Netzwerk. " * 400
    root = _render(*split_long((Say(long_text),)), Hangup(), schema=twiml_schema)
    says = ["".join(say.itertext()) for say in root.iter("Say")]
    assert len(says) > 1
    assert max(len(text) for text in says) < MAX_SAY_CHARS


def test_apology_with_and_without_a_retry(twiml_schema):
    retry = assert_valid_twiml(twiml_schema, str(twiml.apology(VOICE, "https://h.example/twilio/retry/1")).encode())
    assert retry.find("Redirect").get("method") == "POST"
    final = assert_valid_twiml(twiml_schema, str(twiml.apology(VOICE, None)).encode())
    assert final.find("Hangup") is not None


def test_static_fallback_is_valid_german_twiml(twiml_schema):
    root = assert_valid_twiml(twiml_schema, FALLBACK.read_bytes())
    assert all(say.get("language") == "de-DE" for say in root.iter("Say"))
    assert "gestört" in "".join(root.itertext())
    assert root[-1].tag == "Hangup"
