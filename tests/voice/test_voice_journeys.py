"""Whole calls through the real webhooks: every branch of the menu, as a caller hears it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from hotline.models import Call, CallbackRequest, CallStep
from ivr_flows import CallState

from tests.factories import make_activity
from tests.voice_support import BERLIN, BILK_LINE, BILK_OFFICE, CALLER, CITY_LINE, TUESDAY_OPEN


def _requests(db_session) -> list[CallbackRequest]:
    db_session.expire_all()
    return list(db_session.scalars(select(CallbackRequest).order_by(CallbackRequest.id)))


def test_greeting_names_the_district_and_the_main_menu_follows(bilk, phone):
    call = phone().dial()
    gather = call.doc.find("Gather")
    assert gather.attrib == {
        "action": gather.get("action"), "actionOnEmptyResult": "true", "finishOnKey": "", "input": "dtmf",
        "method": "POST", "numDigits": "1", "timeout": "8",
    }
    assert gather.get("action").startswith("http://localhost/twilio/step/")
    says = gather.findall("Say")
    assert all(say.get("language") == "de-DE" and say.get("voice") == "Polly.Vicki-Neural" for say in says)
    assert all(say.find("prosody").get("rate") == "90%" for say in says)
    assert call.text.startswith("Guten Tag, hier ist die Anlaufstelle Bilk.")
    assert "Für Angebote und Treffen drücken Sie die 1." in call.text
    assert call.text.endswith("Zum Wiederholen drücken Sie die Sterntaste.")
    assert gather.find("Pause").get("length") == "1"


def test_the_callers_number_never_travels_in_a_url(bilk, phone):
    call = phone().dial().press("3", "1").record()
    assert call.urls
    digits = CALLER.lstrip("+")
    assert all(digits not in url and "4710999" not in url for url in call.urls)


def test_activities_next_repeat_back(bilk, phone):
    call = phone().dial().press("1")
    assert "Erzählcafé" in call.text
    assert "Spaziergang" not in call.text
    call.press("1")
    assert "Spaziergang im Volksgarten" in call.text
    assert "Das war das letzte Angebot." in call.text
    call.press("2")
    assert "Spaziergang im Volksgarten" in call.text
    call.press("9")
    assert "Für Angebote und Treffen drücken Sie die 1." in call.text
    assert "Sommerfest" not in call.all_text


def test_an_activity_s_contact_is_spoken_after_its_description(bilk, phone, db_session):
    cafe = next(activity for activity in bilk.activities if activity.title == "Erzählcafé")
    cafe.description, cafe.contact = "Mit Kuchen und Kaffee.", "Frau Berg, Tel. 0211 123456"
    db_session.commit()
    call = phone().dial().press("1")
    said = ["".join(say.itertext()) for say in call.doc.iter("Say")]
    description = said.index("Mit Kuchen und Kaffee.")
    assert said[description - 1].startswith("Erzählcafé. Am Mittwoch")
    # A number in the contact is read digit by digit, as callers write it down.
    assert said[description + 1] == "Kontakt: Frau Berg, Telefon null zwo eins eins, eins zwo drei, vier fünf sechs."
    call.press("1")  # the next activity has no contact, and nothing is said of one
    assert "Spaziergang im Volksgarten" in call.text
    assert "Kontakt" not in call.text


def test_callback_about_an_activity(bilk, phone, db_session):
    call = phone().dial().press("1", "1", "0")
    assert "Gern ruft Sie jemand von uns zurück, zum Angebot Spaziergang im Volksgarten." in call.text
    assert "Sie endet auf null neun neun neun." in call.text
    call.press("1")
    assert "Wann passt Ihnen ein Anruf am besten?" in call.text
    call.press("1")
    assert call.doc.find("Hangup") is not None
    [request] = _requests(db_session)
    assert (request.number, request.number_confirmed, request.topic, request.preferred_time) == (
        CALLER, True, "Angebot: Spaziergang im Volksgarten", "vormittags")
    assert request.activity_id is not None
    assert request.network_id == bilk.id


def test_a_caller_silent_on_the_callback_path_gets_an_unconfirmed_request(bilk, phone, db_session):
    call = phone().dial().press("0", None, None, None)
    assert call.doc.find("Hangup") is not None
    assert "Wann passt" not in call.all_text  # nobody to ask
    [request] = _requests(db_session)
    assert (request.number, request.number_confirmed, request.preferred_time) == (CALLER, False, "")


def test_an_expired_activity_is_never_heard(bilk, phone):
    call = phone().dial().press("1", "1", "1", "2", "1", "1")
    assert "Sommerfest" not in call.all_text


def test_an_activity_added_to_the_database_is_heard_in_the_next_call(bilk, phone, db_session):
    first = phone().dial().press("1", "1", "1")
    assert "Boule" not in first.all_text
    today = TUESDAY_OPEN.date()
    make_activity(db_session, bilk, title="Boule im Park", place="Boulebahn",
                  starts_at=TUESDAY_OPEN + timedelta(days=2), valid_from=today, valid_until=today + timedelta(days=5))
    db_session.commit()
    second = phone().dial().press("1", "1")
    assert "Boule im Park" in second.text


def test_a_call_keeps_the_line_it_began_with_while_the_next_call_hears_the_change(bilk, phone, db_session):
    ongoing = phone().dial()
    today = TUESDAY_OPEN.date()
    make_activity(db_session, bilk, title="Boule im Park", place="Boulebahn",
                  starts_at=TUESDAY_OPEN + timedelta(days=2), valid_from=today, valid_until=today + timedelta(days=5))
    db_session.commit()
    assert "Boule" not in ongoing.press("1", "1", "1").all_text
    assert "Boule im Park" in phone().dial().press("1", "1").text


def test_newcomer_information_then_a_callback(bilk, phone, db_session):
    call = phone().dial().press("2")
    assert "Bei uns ist jede und jeder willkommen." in call.text
    assert "Sie brauchen keine Mitgliedschaft." in call.text
    assert "am Donnerstag um 15 Uhr" in call.text
    assert "Wenn Sie zurückgerufen werden möchten, drücken Sie die 1." in call.text
    call.press("1", "1")
    [request] = _requests(db_session)
    assert request.topic == "Informationen für neue Interessierte"
    assert request.voicemail_id is None


def test_message_without_consent_becomes_a_callback_without_recording(bilk, phone, db_session):
    call = phone().dial().press("3")
    assert "nur für den Rückruf durch die Anlaufstelle" in call.text
    call.press("2")
    assert call.doc.find("Record") is None
    assert "Gern ruft Sie jemand von uns zurück." in call.text
    call.press("1")
    [request] = _requests(db_session)
    assert request.voicemail_id is None
    assert request.number == CALLER
    db_session.expire_all()
    assert db_session.scalar(select(Call.consent_at)) is None


def test_withheld_number_is_typed_in_and_read_back_with_zwo(bilk, phone, db_session):
    call = phone(caller="anonymous").dial().press("0")
    gather = call.doc.find("Gather")
    assert gather.get("finishOnKey") == "#"
    assert gather.get("timeout") == "15"
    assert gather.get("numDigits") is None
    assert "Bitte tippen Sie Ihre Telefonnummer mit Vorwahl ein." in call.text
    call.press("02214710888")
    assert "Sie haben eingegeben: null zwo zwo eins, vier sieben eins, null acht, acht acht." in call.text
    breaks = call.doc.find("Gather/Say/prosody").findall("break")
    assert [b.get("time") for b in breaks] == ["300ms"] * 3
    call.press("1")
    [request] = _requests(db_session)
    assert (request.number, request.number_confirmed) == ("+492214710888", True)
    db_session.expire_all()
    assert db_session.scalar(select(Call.from_number)) is None


@pytest.mark.parametrize("withheld", ["anonymous", "restricted", "+266696687", "+7378742833", ""])
def test_every_form_of_withheld_number_is_asked_for(bilk, phone, withheld):
    call = phone(caller=withheld).dial().press("0")
    assert "Bitte tippen Sie Ihre Telefonnummer mit Vorwahl ein." in call.text


def test_no_input_escalates_to_the_callback_path_without_hanging_up(bilk, phone):
    call = phone().dial().press(None)
    assert call.text.startswith("Ich habe leider keine Eingabe gehört.")
    assert call.doc.find("Gather/Pause").get("length") == "2"  # slower the second time
    call.press(None)
    assert "Wenn Sie lieber zurückgerufen werden möchten, drücken Sie die 0." in call.text
    call.press(None)
    assert "Gern ruft Sie jemand von uns zurück." in call.text
    assert "Sie endet auf null neun neun neun." in call.text
    assert all(doc.find("Hangup") is None for doc in call.documents)


def test_wrong_keys_are_named_and_escalate_the_same_way(bilk, phone):
    call = phone().dial().press("7")
    assert call.text.startswith("Die Taste 7 ist hier leider nicht belegt.")
    call.press("8", "7")
    assert "Gern ruft Sie jemand von uns zurück." in call.text
    assert all(doc.find("Hangup") is None for doc in call.documents)


@pytest.mark.parametrize("sent", ["\x1f", "a", "1\n", "１"])
def test_keys_no_phone_can_press_count_as_no_key(bilk, phone, sent):
    # Twilio sends only 0-9, * and #; anything else must not be read out, the menu simply repeats.
    assert phone().dial().press(sent).text == phone().dial().press(None).text


def test_talk_during_office_hours_forwards_with_the_line_as_caller_id(bilk, phone):
    call = phone().dial().press("4")
    dial = call.doc.find("Dial")
    assert dial.get("callerId") == BILK_LINE
    assert dial.find("Number").text == BILK_OFFICE
    assert dial.get("action").startswith("http://localhost/twilio/dialed/")
    assert dial.get("timeout") == "25"
    assert dial.get("record") is None
    assert "Einen Moment bitte, ich verbinde Sie." in call.text
    call.forward_result("completed")
    assert call.doc.find("Hangup") is not None
    assert "Vielen Dank für Ihren Anruf." in call.text


def test_no_answer_at_the_office_leads_to_the_message_path(bilk, phone):
    call = phone().dial().press("4").forward_result("no-answer")
    assert "Leider ist gerade niemand ans Telefon gegangen." in call.text
    assert "Wir nehmen Ihre Nachricht auf" in call.text
    assert call.doc.find("Hangup") is None


@pytest.mark.parametrize(("now", "closed"), [
    (datetime(2026, 12, 1, 19, 0, tzinfo=BERLIN), "Die Anlaufstelle ist gerade nicht besetzt."),  # Tuesday evening
    # Friday, Christmas Day: NRW public holiday
    (datetime(2026, 12, 25, 10, 30, tzinfo=BERLIN), "Heute ist die Anlaufstelle geschlossen: Erster Weihnachtstag."),
    (datetime(2026, 12, 8, 10, 30, tzinfo=BERLIN), "Heute ist die Anlaufstelle geschlossen"),  # Bilk's closure day
], ids=["evening", "holiday", "closure-day"])
def test_talk_when_closed_names_the_hours_and_offers_a_message(bilk, phone, clock, now, closed):
    clock.now = now
    call = phone().dial().press("4")
    assert call.doc.find("Dial") is None
    assert closed in call.text
    assert "wieder besetzt." in call.text
    assert "Dienstags von 10 Uhr bis 12 Uhr." in call.text
    assert "Wir nehmen Ihre Nachricht auf" in call.text


def test_citywide_number_routes_by_postal_code(bilk, gerresheim, phone, db_session):
    call = phone(to=CITY_LINE).dial()
    assert "Guten Tag, hier ist das Telefon der Netzwerke in Düsseldorf." in call.text
    gather = call.doc.find("Gather")
    assert (gather.get("numDigits"), gather.get("finishOnKey")) == ("5", "#")
    call.press("40625")
    assert "Sie sind jetzt bei der Anlaufstelle Gerresheim." in call.text
    assert "Für Angebote und Treffen drücken Sie die 1." in call.text
    db_session.expire_all()
    assert db_session.scalar(select(Call.network_id)) == gerresheim.id


def test_every_step_is_logged_once_even_when_twilio_retries(bilk, phone, db_session):
    call = phone().dial().press("1")
    call.retry_last()
    call.post("/twilio/voice")  # the same CallSid again: still one call
    db_session.expire_all()
    [logged] = db_session.scalars(select(Call)).all()
    steps = [(s.position, s.node, s.event) for s in logged.steps]
    assert steps == [(0, "main", "call started"), (1, "activities", "key 1"), (2, "main", "call started")]
    assert (logged.from_number, logged.to_number, logged.network_id) == (CALLER, BILK_LINE, bilk.id)


def test_a_key_press_of_a_call_never_stored_stores_the_call_and_its_step(bilk, phone, db_session):
    # E.g. the database was down when the call began: the greeting came from the apology path.
    call = phone()
    call.post("/twilio/step/" + CallState(node="main").encode(), {"Digits": "1"})
    assert "Erzählcafé" in call.text  # the caller hears the activities all the same
    db_session.expire_all()
    [logged] = db_session.scalars(select(Call)).all()
    assert [(s.position, s.node, s.event) for s in logged.steps] == [(0, "activities", "key 1")]
    assert (logged.from_number, logged.network_id) == (CALLER, bilk.id)


def test_typed_numbers_are_not_written_to_the_call_log(bilk, phone, db_session):
    phone(caller="anonymous").dial().press("0", "02214710888")
    db_session.expire_all()
    events = db_session.scalars(select(CallStep.event)).all()
    assert "11 keys" in events
    assert not any("4710888" in event for event in events)


def test_every_gather_takes_keys_only(bilk, phone):
    call = phone().dial().press("1")
    assert {gather.get("input") for doc in call.documents for gather in doc.iter("Gather")} == {"dtmf"}
