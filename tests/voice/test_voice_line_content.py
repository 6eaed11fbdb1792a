"""A network's line is read from the database: published flows, prompt overrides and recorded audio."""

from __future__ import annotations

from dataclasses import replace

from hotline.db import utcnow
from hotline.models import FlowVersion, PromptOverride
from ivr_flows import builtin_flow

from tests.voice_support import CITY_LINE


def _publish(db_session, network_id, definition, version=1):
    db_session.add(FlowVersion(network_id=network_id, version=version, definition=definition, published=True,
                               published_at=utcnow()))
    db_session.commit()


def test_the_newest_published_flow_version_is_used(bilk, phone, db_session):
    definition = builtin_flow("standard").to_mapping()
    # Only three options: the newcomer information is left out of this network's menu.
    main = definition["nodes"]["main"]
    main["options"] = [o for o in main["options"] if o["next"] != "newcomers"]
    main["options"] = [{**o, "key": str(i + 1)} for i, o in enumerate(main["options"])]
    del definition["nodes"]["newcomers"]
    _publish(db_session, bilk.id, definition, version=2)
    db_session.add(FlowVersion(network_id=bilk.id, version=3, definition={"broken": True}, published=False))
    db_session.commit()
    call = phone().dial()
    assert "Informationen zum Mitmachen" not in call.text
    assert "Für eine Nachricht drücken Sie die 2." in call.text


def test_an_invalid_published_flow_falls_back_to_the_standard_line(bilk, phone, db_session):
    _publish(db_session, bilk.id, {"flow": {"name": "kaputt"}, "nodes": {}})
    call = phone().dial()
    assert "Für Angebote und Treffen drücken Sie die 1." in call.text


def test_a_published_citywide_flow_serves_numbers_no_network_owns(bilk, phone, db_session):
    definition = builtin_flow("citywide").to_mapping()
    definition["nodes"]["city_welcome"]["prompt"] = "greeting_city"
    definition["flow"]["version"] = 2
    _publish(db_session, None, definition)
    assert "Netzwerke in Düsseldorf" in phone(to=CITY_LINE).dial().text


def test_prompt_overrides_and_recorded_audio(bilk, phone, db_session, settings, client):
    db_session.add_all([
        PromptOverride(network_id=bilk.id, key="menu_repeat", text="Noch einmal? Dann die Sterntaste."),
        PromptOverride(network_id=bilk.id, key="greeting_zero", audio_path="bilk/null-hinweis-1.mp3"),
    ])
    next(a for a in bilk.activities if a.title == "Erzählcafé").audio_path = "bilk/erzaehlcafe-1.mp3"
    db_session.commit()
    call = phone().dial()
    assert "Noch einmal? Dann die Sterntaste." in call.text
    assert call.doc.find("Gather/Play").text == "http://localhost/audio/bilk/null-hinweis-1.mp3"
    call.press("1")
    assert call.doc.find("Gather/Play").text == "http://localhost/audio/bilk/erzaehlcafe-1.mp3"

    audio = settings.data_dir / "prompt-audio" / "bilk" / "erzaehlcafe-1.mp3"
    audio.parent.mkdir(parents=True)
    audio.write_bytes(b"ID3 fake mp3")
    response = client.get("/audio/bilk/erzaehlcafe-1.mp3")
    assert response.status_code == 200
    assert response.data == b"ID3 fake mp3"
    assert response.cache_control.max_age == 24 * 3600
    response.close()
    assert client.get("/audio/../hotline.sqlite3").status_code == 404


def test_public_base_url_makes_every_url_in_the_twiml(app, bilk, phone, settings):
    public = replace(settings, public_base_url="https://hotline.example.org")
    app.extensions["hotline.settings"] = public
    call = phone()
    call.twilio.base_url = "https://hotline.example.org"
    call.dial()
    assert call.doc.find("Gather").get("action").startswith("https://hotline.example.org/twilio/step/")
