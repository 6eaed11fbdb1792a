"""Urgent terms edited by the Begleitung, and data requests about one phone number (find, export, erase)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from hotline.models import AuditEvent, Call, CallbackRequest, TwilioErasure, UrgentTerm, Voicemail
from hotline.services.urgency import urgent_terms
from speech.urgency import find_urgent_terms

from tests.admin.admin_support import write_wav
from tests.factories import make_attempt, make_call, make_callback, make_voicemail

CALLER = "+492214710955"


def _terms(session) -> list[tuple[str, int | None]]:
    return sorted(tuple(row) for row in session.execute(select(UrgentTerm.term, UrgentTerm.network_id)))


def test_urgent_terms_are_added_and_removed_and_the_speech_job_reads_them(login_as, world, db_session):
    web = login_as("begleitung")
    own = make_voicemail(db_session, network_id=world.bilk.id)
    assert web.post("/admin/dringend", {"term": "  Herz  Infarkt ", "network": world.bilk.id}).status_code == 302
    assert "Herz Infarkt" in urgent_terms(db_session, own.id)
    assert find_urgent_terms("ich glaube ich habe einen herz infarkt", urgent_terms(db_session, own.id)) == (
        "Herz Infarkt",)
    term = db_session.scalars(select(UrgentTerm).where(UrgentTerm.term == "Herz Infarkt")).one()
    assert term.network_id == world.bilk.id
    assert "Herz Infarkt" in web.get("/admin/dringend").get_data(as_text=True)
    assert web.post(f"/admin/dringend/{term.id}/loeschen").status_code == 302
    assert "Herz Infarkt" not in urgent_terms(db_session, own.id)
    events = db_session.execute(select(AuditEvent.action, AuditEvent.network_id)
                                .where(AuditEvent.object_type == "urgent_term")).all()
    assert events == [("urgent_term_added", world.bilk.id), ("urgent_term_removed", world.bilk.id)]


def test_a_network_s_urgent_term_flags_only_that_network_s_messages(login_as, world, db_session):
    login_as("begleitung").post("/admin/dringend", {"term": "Wasserrohrbruch", "network": world.bilk.id})
    own = make_voicemail(db_session, network_id=world.bilk.id)
    other = make_voicemail(db_session, network_id=world.benrath.id)
    assert "Wasserrohrbruch" in urgent_terms(db_session, own.id)
    assert "Wasserrohrbruch" not in urgent_terms(db_session, other.id)
    assert "Notfall" in urgent_terms(db_session, other.id)  # the global terms count everywhere


def test_begleitung_may_not_touch_global_or_other_networks_terms(login_as, world, db_session):
    foreign = UrgentTerm(term="Benrather Wort", network_id=world.benrath.id)
    db_session.add(foreign)
    db_session.commit()
    global_term = db_session.scalars(select(UrgentTerm).where(UrgentTerm.term == "Notfall")).one()
    before = _terms(db_session)
    web = login_as("begleitung")
    assert web.post(f"/admin/dringend/{global_term.id}/loeschen").status_code == 404
    assert web.post(f"/admin/dringend/{foreign.id}/loeschen").status_code == 404
    for network in (0, world.benrath.id):
        response = web.post("/admin/dringend", {"term": "Neues Wort", "network": network})
        assert "Diese Auswahl ist für Ihr Konto nicht möglich." in response.get_data(as_text=True)
    page = web.get("/admin/dringend").get_data(as_text=True)
    assert "Benrather Wort" not in page
    assert "Alle Netzwerke" not in page.split("<select", 1)[1].split("</select>", 1)[0]
    assert _terms(db_session) == before


def test_the_admin_keeps_the_global_terms(login_as, world, db_session):
    web = login_as("admin")
    assert web.post("/admin/dringend", {"term": "Feuer", "network": 0}).status_code == 302
    assert ("Feuer", None) in _terms(db_session)


@pytest.mark.parametrize(("term", "message"), [
    ("notfall", "Dieses Wort steht schon in der Liste."),
    ("Gestuerzt", "Dieses Wort steht schon in der Liste."),
    ("***", "Bitte geben Sie ein Wort ein."),
    ("sch*merz", "Ein * ist nur am Anfang oder Ende möglich."),
    ("<script>", "Bitte nur Wörter eingeben."),
    ("x" * 101, "Höchstens 100 Zeichen."),
])
def test_odd_or_duplicate_urgent_terms_are_refused(login_as, world, db_session, term, message):
    before = _terms(db_session)
    response = login_as("begleitung").post("/admin/dringend", {"term": term, "network": world.bilk.id})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _terms(db_session) == before


@pytest.fixture
def caller_data(world, db_session, settings):
    """One caller's calls, requests, an attempt and a voicemail with audio, in both networks."""
    paths = {}
    for network in (world.bilk, world.benrath):
        call = make_call(db_session, from_number=CALLER, network_id=network.id)
        audio = write_wav(Path(settings.data_dir) / "recordings" / f"anrufer-{network.slug}.wav")
        voicemail = make_voicemail(db_session, network_id=network.id, call_id=call.id, state="transcribed",
                                   transcript=f"Nachricht an {network.name}",
                                   local_path=str(audio.relative_to(settings.data_dir)))
        request = make_callback(db_session, network_id=network.id, number=CALLER, call_id=call.id,
                                voicemail_id=voicemail.id, topic="Neu hier")
        make_attempt(db_session, request, note="niemand da")
        paths[network.slug] = audio
    db_session.commit()
    return paths


def test_the_begleitung_sees_what_is_stored_about_a_number_in_her_network(login_as, world, caller_data):
    web = login_as("begleitung")
    page = web.post("/admin/auskunft", {"number": "0221 4710955"}).get_data(as_text=True)
    assert "Anrufe (1)" in page
    assert "Rückrufwünsche (1)" in page
    assert "Nachrichten (1)" in page
    assert f"Nachricht an {world.bilk.name}" in page
    assert f"Nachricht an {world.benrath.name}" not in page
    assert "niemand da" in page
    admin_page = login_as("admin").post("/admin/auskunft", {"number": "+49 221 4710955"}).get_data(as_text=True)
    assert "Anrufe (2)" in admin_page


def test_an_invalid_or_unknown_number(login_as, world):
    web = login_as("begleitung")
    assert "keine gültige Telefonnummer" in web.post("/admin/auskunft", {"number": "12"}).get_data(as_text=True)
    assert "Zu dieser Nummer ist nichts gespeichert." in web.post(
        "/admin/auskunft", {"number": "0221 4710977"}).get_data(as_text=True)


def test_the_export_is_a_json_download_and_is_audited_without_the_number(login_as, world, db_session,
                                                                        caller_data):
    response = login_as("begleitung").post("/admin/auskunft/export", {"number": "02214710955"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="auskunft.json"'
    exported = json.loads(response.get_data(as_text=True))
    assert exported["number"] == CALLER
    assert [r["attempts"][0]["note"] for r in exported["callback_requests"]] == ["niemand da"]
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "data_exported")).one()
    assert event.details["number_ending"] == "955"
    assert CALLER not in json.dumps(event.details)


def test_the_answer_is_also_a_printable_german_letter_of_her_networks_data(login_as, world, db_session,
                                                                         caller_data):
    response = login_as("begleitung").post("/admin/auskunft/brief", {"number": "0221 4710955"})
    letter = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Auskunft über Ihre gespeicherten Daten" in letter
    assert "<strong>0221 4710955</strong>" in letter
    assert "Ihre Anrufe bei uns (1)" in letter
    assert "nicht erreicht. Unsere Notiz: „niemand da“" in letter
    assert f"Nachricht an {world.bilk.name}" in letter
    assert f"Nachricht an {world.benrath.name}" not in letter
    assert "letter.css" in letter
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "data_letter")).one()
    assert CALLER not in json.dumps(event.details)


def test_erasing_needs_a_confirmation_then_deletes_rows_and_audio_after_the_commit(app, login_as, world, db_session,
                                                                                   caller_data, caplog):
    web = login_as("begleitung")
    confirm = web.post("/admin/auskunft/loeschen", {"number": "0221 4710955"})
    assert "Endgültig löschen" in confirm.get_data(as_text=True)
    again = web.post("/admin/auskunft/loeschen", {"number": "0221 4710955", "bestaetigen": "1"})
    assert "Bitte setzen Sie das Häkchen" in again.get_data(as_text=True)
    assert db_session.scalars(select(Call).where(Call.from_number == CALLER)).all() != []

    done = web.post("/admin/auskunft/loeschen", {"number": "0221 4710955", "confirm": "y", "bestaetigen": "1"})
    assert done.status_code == 302
    assert "0221" not in done.headers["Location"]
    db_session.expire_all()
    remaining = db_session.scalars(select(CallbackRequest.network_id).where(CallbackRequest.number == CALLER)).all()
    assert remaining == [world.benrath.id]  # the other network's data is not hers to erase
    voicemails = db_session.scalars(select(Voicemail).where(Voicemail.transcript.like("Nachricht an%")))
    assert [voicemail.network_id for voicemail in voicemails] == [world.benrath.id]
    assert not caller_data[world.bilk.slug].exists()
    assert caller_data[world.benrath.slug].exists()
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "data_erased")).one()
    assert (event.actor_id, event.details["calls"], event.details["number_ending"]) == (world.begleitung.id, 1, "955")
    assert "4710955" not in caplog.text
    # Twilio's copies of her network's call and recording are written down and their erasure enqueued.
    assert sorted(db_session.scalars(select(TwilioErasure.kind))) == ["call", "recording"]
    assert [task.name for task in app.extensions["hotline.jobs"].queue.pending()] == ["erase_at_twilio"]
