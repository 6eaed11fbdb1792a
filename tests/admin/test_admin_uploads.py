"""Recorded prompts: checked by content, size and length; stored under a fresh name; drafts until published."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from hotline.files.prompt_audio import AudioRejected, check_audio
from hotline.models import Activity, ContentVersion, PromptOverride
from hotline.services import drafts

from tests.admin.admin_support import write_wav
from tests.factories import make_activity

# MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 417 bytes and 1152 samples per frame.
MP3_FRAME = bytes([0xFF, 0xFB, 0x90, 0x00]) + bytes(413)


def _wav_bytes(tmp_path: Path, seconds: float) -> bytes:
    return write_wav(tmp_path / "quelle" / f"{seconds}.wav", seconds=seconds).read_bytes()


def _upload(web, path: str, data: bytes, filename: str = "ansage.wav"):
    # Encoded here, in memory: the test client would spool large bodies to a file it never closes.
    boundary, body = encode_multipart({"csrf_token": web.csrf_token(),
                                       "audio": FileStorage(io.BytesIO(data), filename)})
    return web.client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _audio_dir(settings) -> Path:
    return Path(settings.data_dir) / "prompt-audio"


def _draft_audio(db_session, network_id: int) -> str:
    db_session.expire_all()
    return drafts.draft_of(db_session, network_id, "prompts").snapshot["audio"]["greeting_zero"]


def _stored_files(settings) -> list[Path]:
    return sorted(path for path in Path(settings.data_dir).rglob("*") if path.is_file()
                  and path.suffix in (".wav", ".mp3", ".part") and not {"recordings", "quelle"} & set(path.parts))


def test_a_wav_becomes_a_draft_recording_and_the_replaced_file_stays_for_the_history(
        login_as, world, db_session, settings, tmp_path):
    web = login_as("begleitung")
    path = f"/admin/inhalte/{world.bilk.id}/ansagen/greeting_zero/aufnahme"
    publish = f"/admin/inhalte/{world.bilk.id}/entwurf/prompts/veroeffentlichen"
    assert _upload(web, path, _wav_bytes(tmp_path, 2)).status_code == 302
    first = _draft_audio(db_session, world.bilk.id)
    folder, name = first.split("/")
    assert folder == world.bilk.slug
    assert name.endswith(".wav")
    assert len(name) == 36
    assert (_audio_dir(settings) / first).is_file()
    assert db_session.scalars(select(PromptOverride)).all() == []  # callers still hear the voice
    assert web.post(publish).status_code == 302
    assert db_session.scalars(select(PromptOverride)).one().audio_path == first
    assert _upload(web, path, _wav_bytes(tmp_path, 3)).status_code == 302
    second = _draft_audio(db_session, world.bilk.id)
    assert second != first
    assert web.post(publish).status_code == 302
    db_session.expire_all()
    assert db_session.scalars(select(PromptOverride)).one().audio_path == second
    # The first version plays the first file: it stays so that restoring it works.
    assert _stored_files(settings) == sorted([_audio_dir(settings) / first, _audio_dir(settings) / second])
    assert web.get(f"/audio/{second}").status_code == 200
    assert web.post(path + "/entfernen").status_code == 302
    assert web.post(publish).status_code == 302
    db_session.expire_all()
    assert db_session.scalars(select(PromptOverride)).all() == []


@pytest.mark.parametrize(("make", "filename", "message"), [
    (lambda tmp: b"RIFF" + bytes(4) + b"WAVE" + bytes(5 * 1024 * 1024), "gross.wav", "Die Datei ist zu groß"),
    (lambda tmp: _wav_bytes(tmp, 61), "lang.wav", "Die Aufnahme ist 61 Sekunden lang"),
    (lambda tmp: b"Dies ist keine Aufnahme, nur Text.", "text.wav", "Das ist keine Aufnahme"),
    (lambda tmp: b"<?php system($_GET['c']); ?>", "ansage.mp3", "Das ist keine Aufnahme"),
    (lambda tmp: b"RIFF\x00\x00\x00\x00WAVEfmt garbage", "kaputt.wav", "Diese WAV-Datei kann das Telefon nicht"),
    (lambda tmp: b"", "leer.wav", "Die Datei ist leer."),
])
def test_uploads_that_are_not_usable_recordings_are_refused(login_as, world, db_session, settings, tmp_path,
                                                           make, filename, message):
    response = _upload(login_as("begleitung"), f"/admin/inhalte/{world.bilk.id}/ansagen/greeting_zero/aufnahme",
                       make(tmp_path), filename)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db_session.scalars(select(PromptOverride)).all() == []
    assert _stored_files(settings) == []


def test_a_request_far_over_the_limit_gets_a_friendly_page(login_as, world, settings):
    response = _upload(login_as("begleitung"), f"/admin/inhalte/{world.bilk.id}/ansagen/greeting_zero/aufnahme",
                       bytes(7 * 1024 * 1024))
    assert response.status_code == 413
    assert "höchstens 5 MB" in response.get_data(as_text=True)
    assert _stored_files(settings) == []


@pytest.mark.parametrize("filename", ["../../../evil.wav", "..\\..\\evil.wav", "/etc/passwd", "a/../../b.mp3.wav"])
def test_file_names_cannot_place_a_file_anywhere_else(login_as, world, db_session, settings, tmp_path, filename):
    web = login_as("begleitung")
    assert _upload(web, f"/admin/inhalte/{world.bilk.id}/ansagen/greeting_zero/aufnahme",
                   _wav_bytes(tmp_path, 1), filename).status_code == 302
    stored = _draft_audio(db_session, world.bilk.id)
    assert stored.startswith(f"{world.bilk.slug}/")
    assert ".." not in stored
    assert "evil" not in stored
    assert _stored_files(settings) == [_audio_dir(settings) / stored]


def test_an_mp3_is_decoded_and_kept_as_a_fresh_wav():
    checked = check_audio(MP3_FRAME * 100)
    assert checked.seconds == pytest.approx(100 * 1152 / 44100)
    assert (checked.extension, checked.data[:4], checked.data[8:12]) == ("wav", b"RIFF", b"WAVE")
    assert check_audio(b"ID3\x03\x00\x00\x00\x00\x00\x0a" + bytes(10) + MP3_FRAME * 5).extension == "wav"
    with pytest.raises(AudioRejected, match="61 Sekunden"):
        check_audio(MP3_FRAME * 2336)


@pytest.mark.parametrize("make", [lambda tmp: _wav_bytes(tmp, 2), lambda tmp: MP3_FRAME * 50])
def test_data_appended_after_the_audio_is_not_kept(login_as, world, db_session, settings, tmp_path, make):
    appended = b"<script>alert(1)</script>" * 40
    path = f"/admin/inhalte/{world.bilk.id}/ansagen/greeting_zero/aufnahme"
    assert _upload(login_as("begleitung"), path, make(tmp_path) + appended).status_code == 302
    stored = (_audio_dir(settings) / _draft_audio(db_session, world.bilk.id)).read_bytes()
    assert b"<script>" not in stored
    with wave.open(io.BytesIO(stored)) as audio:
        assert (audio.getnchannels(), audio.getsampwidth(), audio.getcomptype()) == (1, 2, "NONE")


def test_an_activity_gets_its_own_recording(login_as, world, db_session, settings):
    activity_id = make_activity(db_session, world.bilk).id
    db_session.commit()
    web = login_as("begleitung")
    path = f"/admin/inhalte/{world.bilk.id}/angebote/{activity_id}/aufnahme"
    assert _upload(web, path, MP3_FRAME * 50, "angebot.mp3").status_code == 302
    db_session.expire_all()
    stored = db_session.get(Activity, activity_id).audio_path
    assert stored.endswith(".wav")
    assert (_audio_dir(settings) / stored).is_file()
    refused = _upload(web, path, b"kein Ton", "angebot.mp3")
    assert refused.status_code == 302
    assert "keine Aufnahme" in web.get(refused.headers["Location"]).get_data(as_text=True)
    assert web.post(f"/admin/inhalte/{world.bilk.id}/angebote/{activity_id}/loeschen").status_code == 302
    db_session.expire_all()
    assert db_session.get(Activity, activity_id) is None
    # The recording stays on disk, alone: restoring the version with it brings the activity back as it was.
    assert _stored_files(settings) == [_audio_dir(settings) / stored]
    with_recording = db_session.scalars(select(ContentVersion).where(
        ContentVersion.network_id == world.bilk.id, ContentVersion.kind == "activities")
        .order_by(ContentVersion.number)).all()[-2]
    assert web.post(f"/admin/inhalte/{world.bilk.id}/verlauf/{with_recording.id}/wiederherstellen").status_code == 302
    db_session.expire_all()
    [restored] = db_session.scalars(select(Activity).where(Activity.network_id == world.bilk.id)).all()
    assert restored.audio_path == stored
