"""What the Begleitung changes in the admin is what the next caller hears (signed Twilio webhooks)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from hotline.models import ContentVersion

from tests.admin.admin_support import publish_activity, write_wav
from tests.voice_support import BILK_LINE, TUESDAY_OPEN, Phone, assert_valid_twiml, load_twiml_schema


@pytest.fixture
def phone(app, twilio, world):
    """A caller of Bilk's line (the world's Bilk owns it); the line and the admin share a fixed clock."""
    app.extensions["hotline.clock"] = lambda: TUESDAY_OPEN
    schema = load_twiml_schema()

    def check(response):
        assert response.status_code == 200
        return assert_valid_twiml(schema, response.data)

    return lambda: Phone(twilio, check, to=BILK_LINE)


def _activity(title: str, days: int, valid: tuple[int, int]) -> dict[str, str]:
    today = TUESDAY_OPEN.date()
    return {"title": title, "description": f"{title} mit allen.", "place": "Anlaufstelle",
            "day": (today + timedelta(days=days)).isoformat(), "at": "15:00",
            "valid_from": (today + timedelta(days=valid[0])).isoformat(),
            "valid_until": (today + timedelta(days=valid[1])).isoformat()}


def test_an_activity_added_in_the_admin_is_heard_once_published_and_an_expired_one_is_not(login_as, world, phone,
                                                                                          db_session):
    web = login_as("begleitung")
    path = f"/admin/inhalte/{world.bilk.id}/angebote/neu"
    assert web.post(path, _activity("Boule am Rhein", 2, (0, 2))).status_code == 302
    assert web.post(path, _activity("Altes Sommerfest", -3, (-10, -3))).status_code == 302
    # Drafts until she publishes them: the caller still hears that there are none.
    assert "Zurzeit sind keine Angebote eingetragen." in phone().dial().press("1").text
    publish_activity(web, world.bilk.id, "Boule am Rhein")
    publish_activity(web, world.bilk.id, "Altes Sommerfest")
    call = phone().dial().press("1")
    assert "Boule am Rhein. Am Donnerstag, dem dritten Dezember, um 15 Uhr. Ort: Anlaufstelle." in call.text
    assert "Boule am Rhein mit allen." in call.text
    assert "Sommerfest" not in call.all_text
    page = web.get(f"/admin/inhalte/{world.bilk.id}").get_data(as_text=True)
    assert "Altes Sommerfest" in page.split("Vorbei (wird nicht mehr angesagt)")[1]


def test_a_published_menu_change_is_heard_and_a_draft_is_not(login_as, world, phone):
    web = login_as("begleitung")
    data = {"offered_label_message": "y", "position_label_message": "1",
            "label_label_message": "eine Nachricht an Berta", "offered_label_talk": "y",
            "position_label_talk": "2", "label_label_talk": "ein Gespräch mit uns",
            "position_label_activities": "3", "label_label_activities": "Angebote",
            "position_label_newcomers": "4", "label_label_newcomers": "Neu"}
    assert web.post(f"/admin/inhalte/{world.bilk.id}/menue", data).status_code == 302
    assert "Für Angebote und Treffen drücken Sie die 1." in phone().dial().text
    assert web.post(f"/admin/inhalte/{world.bilk.id}/entwurf/menu/veroeffentlichen").status_code == 302
    call = phone().dial()
    assert "Für eine Nachricht an Berta drücken Sie die 1." in call.text
    assert "Für ein Gespräch mit uns drücken Sie die 2." in call.text
    assert "Angebote" not in call.text
    call.press("1")
    assert "Wir nehmen Ihre Nachricht auf" in call.text


def test_a_greeting_is_heard_once_published_and_a_restored_one_on_the_next_call(login_as, world, phone, db_session):
    web = login_as("begleitung")
    base = f"/admin/inhalte/{world.bilk.id}"
    for text in ("Willkommen bei den Bilker Nachbarn.", "Hallo aus Bilk, schön dass Sie anrufen."):
        assert web.post(f"{base}/einstellungen", {"greeting": text, "forwarding_number": ""}).status_code == 302
        assert text not in phone().dial().text  # a draft
        assert web.post(f"{base}/entwurf/greeting/veroeffentlichen").status_code == 302
        assert text in phone().dial().text
    first = db_session.scalar(select(ContentVersion).where(ContentVersion.number == 2))
    assert web.post(f"{base}/verlauf/{first.id}/wiederherstellen").status_code == 302
    call = phone().dial()
    assert "Willkommen bei den Bilker Nachbarn." in call.text
    assert "Hallo aus Bilk" not in call.text


def test_a_recorded_prompt_uploaded_in_the_admin_is_played(login_as, world, phone, tmp_path):
    web = login_as("begleitung")
    boundary, body = encode_multipart({
        "csrf_token": web.csrf_token(),
        "audio": FileStorage(io.BytesIO(write_wav(tmp_path / "quelle" / "null.wav").read_bytes()), "null.wav")})
    response = web.client.post(f"/admin/inhalte/{world.bilk.id}/ansagen/greeting_zero/aufnahme", data=body,
                               content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 302
    assert phone().dial().doc.find("Gather/Play") is None  # a draft
    assert web.post(f"/admin/inhalte/{world.bilk.id}/entwurf/prompts/veroeffentlichen").status_code == 302
    url = phone().dial().doc.find("Gather/Play").text
    assert url.startswith(f"http://localhost/audio/{world.bilk.slug}/")
    assert url.endswith(".wav")
    audio = web.client.get(url.removeprefix("http://localhost"))
    assert audio.status_code == 200
    assert audio.data[:4] == b"RIFF"
    audio.close()
