"""The queue, a request's page, audio, claiming, attempts and the Begleitung's decisions."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from admin.formatting import local_time, since
from hotline.db import utcnow
from hotline.models import AuditEvent, CallbackRequest
from hotline.services import call_times, callbacks
from ivr_flows.schedule import BERLIN

from tests.factories import make_attempt, make_callback, make_user


def _status(db_session, request_id: int) -> CallbackRequest:
    db_session.expire_all()
    return db_session.get(CallbackRequest, request_id)


def test_queue_shows_urgent_first_then_oldest_with_reading_format(login_as, world, db_session):
    newer = make_callback(db_session, network_id=world.bilk.id, number="+4917139200123",
                          topic="Neuer Wunsch", created_at=utcnow() - timedelta(minutes=20))
    urgent = make_callback(db_session, network_id=world.bilk.id, number="+492214710921",
                           topic="Dringend", urgent=True, created_at=utcnow() - timedelta(minutes=5))
    db_session.commit()
    page = login_as("volunteer").get("/admin/").get_data(as_text=True)
    order = [int(i) for i in re.findall(r'href="/admin/rueckrufe/(\d+)"', page)]
    assert order == [urgent.id, world.request.id, newer.id]
    assert world.other_request.id not in order
    assert "0221 4710911" in page
    assert "0171 39200123" in page
    assert "wartet seit 3 Stunden" in page
    assert "Dringend" in page


@pytest.mark.parametrize(("age", "words"), [
    (timedelta(seconds=20), "wenigen Sekunden"), (timedelta(minutes=1), "einer Minute"),
    (timedelta(minutes=59), "59 Minuten"), (timedelta(hours=1), "einer Stunde"), (timedelta(hours=23), "23 Stunden"),
    (timedelta(days=1), "einem Tag"), (timedelta(days=3, hours=5), "3 Tagen"),
])
def test_how_long_a_request_waits_reads_as_german_after_seit(age, words):
    now = utcnow()
    assert since(now - age, now) == words


def test_a_claimed_request_disappears_from_the_others_queue(login_as, world):
    volunteer, colleague = login_as("volunteer"), login_as("begleitung")
    volunteer.post(f"/admin/rueckrufe/{world.request.id}/uebernehmen")
    assert f"/admin/rueckrufe/{world.request.id}" not in colleague.get("/admin/").get_data(
        as_text=True)
    assert "Sie haben einen Rückruf übernommen" in volunteer.get("/admin/").get_data(as_text=True)
    mine = volunteer.get("/admin/meine-rueckrufe").get_data(as_text=True)
    assert f"/admin/rueckrufe/{world.request.id}" in mine
    assert f"/admin/rueckrufe/{world.request.id}" not in colleague.get(
        "/admin/meine-rueckrufe").get_data(as_text=True)


def test_second_claim_is_told_someone_else_was_faster(login_as, world, db_session):
    login_as("volunteer").post(f"/admin/rueckrufe/{world.request.id}/uebernehmen")
    response = login_as("begleitung").post(f"/admin/rueckrufe/{world.request.id}/uebernehmen",
                                           follow_redirects=True)
    assert "Jemand anderes hat diesen Rückruf gerade übernommen." in response.get_data(as_text=True)
    assert _status(db_session, world.request.id).claimed_by_id == world.volunteer.id


def test_unclaim_gives_the_request_back(login_as, world, db_session):
    web = login_as("volunteer")
    web.post(f"/admin/rueckrufe/{world.request.id}/uebernehmen")
    web.post(f"/admin/rueckrufe/{world.request.id}/zurueckgeben")
    request = _status(db_session, world.request.id)
    assert (request.status, request.claimed_by_id) == ("open", None)


def test_detail_page_marks_uncertain_words_and_is_audited(login_as, world, db_session):
    page = login_as("volunteer").get(f"/admin/rueckrufe/{world.request.id}").get_data(as_text=True)
    assert '<mark title="unsicher erkannt">rufen</mark>' in page
    assert "<mark" not in page.split("rufen</mark>")[1].split("</p>")[0]  # only "rufen"
    assert f'src="/admin/rueckrufe/{world.request.id}/nachricht"' in page
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "viewed"))
    assert (event.actor_id, event.object_id) == (world.volunteer.id, world.request.id)


def test_listening_is_logged_when_the_message_is_fetched_not_when_the_page_opens(login_as, world, db_session):
    web = login_as("volunteer")
    page = web.get(f"/admin/rueckrufe/{world.request.id}").get_data(as_text=True)
    assert '<audio controls preload="none"' in page  # the browser fetches nothing before "play"
    played = select(AuditEvent).where(AuditEvent.action == "audio_played")
    assert db_session.scalars(played).all() == []
    web.get(f"/admin/rueckrufe/{world.request.id}/nachricht")
    assert [event.actor_id for event in db_session.scalars(played)] == [world.volunteer.id]


def test_audio_is_served_with_range_support(login_as, world):
    web = login_as("volunteer")
    whole = web.get(f"/admin/rueckrufe/{world.request.id}/nachricht")
    assert whole.status_code == 200
    assert whole.mimetype in {"audio/wav", "audio/x-wav"}
    part = web.get(f"/admin/rueckrufe/{world.request.id}/nachricht",
                   headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(whole.data)}"
    assert part.data == whole.data[100:200]


def test_audio_outside_the_data_dir_is_not_served(login_as, world, db_session):
    from hotline.models import Voicemail

    db_session.get(Voicemail, world.request.voicemail_id).local_path = "../../etc/passwd"
    db_session.commit()
    assert login_as("admin").get(f"/admin/rueckrufe/{world.request.id}/nachricht"
                                 ).status_code == 404


def test_repeat_caller_is_recognised_with_links(login_as, world, db_session):
    earlier = [make_callback(db_session, network_id=world.bilk.id, number="+492214710911",
                             created_at=utcnow() - timedelta(days=days)) for days in (2, 5, 30)]
    make_callback(db_session, network_id=world.benrath.id, number="+492214710911",
                  created_at=utcnow() - timedelta(days=1))  # another network: not counted
    db_session.commit()
    page = login_as("volunteer").get(f"/admin/rueckrufe/{world.request.id}").get_data(as_text=True)
    assert "3. Anruf in 7 Tagen" in page
    for request in earlier:
        assert f'href="/admin/rueckrufe/{request.id}"' in page


@pytest.mark.parametrize(("local", "reason"), [
    (datetime(2026, 11, 24, 8, 59), "vor 9 Uhr"),
    (datetime(2026, 11, 24, 9, 0), None),
    (datetime(2026, 11, 24, 18, 59), None),
    (datetime(2026, 11, 24, 19, 0), "nach 19 Uhr"),
    (datetime(2026, 11, 29, 12, 0), "Sonntag"),
    (datetime(2026, 12, 25, 12, 0), "Feiertag (Erster Weihnachtstag)"),
    (datetime(2026, 6, 4, 12, 0), "Feiertag (Fronleichnam)"),  # NRW, not every state
])
def test_quiet_hours(settings, local, reason):
    moment = local.replace(tzinfo=call_times.BERLIN).astimezone(UTC)
    assert call_times.quiet_reason(moment, settings) == reason


def test_quiet_hours_are_configurable(settings):
    sunday_noon = datetime(2026, 11, 29, 11, 0, tzinfo=UTC)
    relaxed = replace(settings, callback_quiet_sundays=False, callback_hours=(8, 20))
    assert call_times.quiet_reason(sunday_noon, relaxed) is None


# (now in Düsseldorf, the caller's wish) -> suggested retry, with the default hours 9 to 19, quiet Sundays.
RETRIES = [
    ("2026-12-03 14:20", "", "2026-12-03 15:00"),  # Thursday: the next full hour
    ("2026-12-05 18:30", "", "2026-12-07 09:00"),  # Saturday evening: past Sunday to Monday morning
    ("2026-12-03 14:20", "gern vormittags", "2026-12-04 10:00"),
    ("2026-12-03 09:00", "ab 16 Uhr bitte", "2026-12-03 16:00"),
    ("2026-12-03 14:20", "um 21:30", "2026-12-03 15:00"),  # outside the callback hours: not kept
    ("2026-12-24 17:00", "nachmittags", "2026-12-28 15:00"),  # Christmas and Sunday skipped
]


@pytest.mark.parametrize(("now", "wish", "expected"), RETRIES)
def test_the_suggested_retry_is_the_callers_wish_at_a_welcome_time(settings, now, wish, expected):
    moment = datetime.fromisoformat(now).replace(tzinfo=BERLIN)
    retry = call_times.default_retry_at(moment, wish, settings)
    assert retry.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") == expected


def test_preferred_time_is_shown_before_calling(login_as, world, db_session):
    db_session.get(CallbackRequest, world.request.id).preferred_time = "vormittags"
    db_session.commit()
    page = login_as("volunteer").get(f"/admin/rueckrufe/{world.request.id}").get_data(as_text=True)
    assert "Die Person möchte angerufen werden: <strong>vormittags</strong>" in page
    assert "Wunschzeit: vormittags" in login_as("volunteer").get("/admin/").get_data(as_text=True)


def test_a_number_the_caller_did_not_confirm_is_marked_in_queue_and_page(login_as, world, db_session):
    db_session.get(CallbackRequest, world.request.id).number_confirmed = False
    db_session.get(CallbackRequest, world.other_request.id).number_confirmed = True
    db_session.commit()
    volunteer = login_as("volunteer")
    assert volunteer.get("/admin/").get_data(as_text=True).count("Nummer nicht bestätigt") == 1
    page = volunteer.get(f"/admin/rueckrufe/{world.request.id}").get_data(as_text=True)
    assert "Die Nummer wurde am Telefon nicht bestätigt." in page


# Outcome -> (status, attempt_count) after one attempt on a fresh request.
OUTCOMES = [
    ("reached", "done", 0),
    ("not_reached", "claimed", 1),
    ("answering_machine", "claimed", 1),
    ("wrong_number", "flagged", 1),
    ("handed_over", "flagged", 0),
]


def _tomorrow_at_ten() -> dict[str, str]:
    day = (utcnow() + timedelta(days=1)).astimezone(BERLIN).date()
    return {"retry_day": day.isoformat(), "retry_time": "10:00"}


@pytest.mark.parametrize(("outcome", "status", "count"), OUTCOMES)
def test_logging_an_attempt_moves_the_request_on(login_as, world, db_session, outcome, status,
                                                 count):
    web = login_as("volunteer")
    web.post(f"/admin/rueckrufe/{world.request.id}/uebernehmen")
    response = web.post(f"/admin/rueckrufe/{world.request.id}/versuch",
                        {"outcome": outcome, "note": "Notiz", **_tomorrow_at_ten()})
    assert response.status_code == 302
    request = _status(db_session, world.request.id)
    assert (request.status, request.attempt_count) == (status, count)
    assert [(a.outcome, a.note, a.user_id) for a in request.attempts] == [
        (outcome, "Notiz", world.volunteer.id)]
    assert (request.claimed_by_id is not None) == (status in ("done", "claimed"))


def test_not_reached_keeps_the_request_with_the_volunteer_until_the_retry(login_as, world, db_session):
    web = login_as("volunteer")
    web.post(f"/admin/rueckrufe/{world.request.id}/uebernehmen")
    response = web.post(f"/admin/rueckrufe/{world.request.id}/versuch",
                        {"outcome": "not_reached", **_tomorrow_at_ten()}, follow_redirects=True)
    assert "Der Rückruf bleibt bei Ihnen; nächster Versuch:" in response.get_data(as_text=True)
    request = _status(db_session, world.request.id)
    assert request.retry_at.astimezone(BERLIN).strftime("%H:%M") == "10:00"
    assert f"/admin/rueckrufe/{world.request.id}" not in login_as("begleitung").get("/admin/").get_data(
        as_text=True)
    mine = web.get("/admin/meine-rueckrufe").get_data(as_text=True)
    assert f"nochmal versuchen: {local_time(request.retry_at)}" in mine

    # The second try needs no new claim: straight from "Meine Rückrufe" to the result.
    web.post(f"/admin/rueckrufe/{world.request.id}/versuch", {"outcome": "reached"})
    assert _status(db_session, world.request.id).status == "done"
    done = web.get("/admin/erledigt").get_data(as_text=True)
    assert f"/admin/rueckrufe/{world.request.id}" in done


def test_not_reached_without_a_retry_time_asks_for_one_and_keeps_the_note(login_as, world, db_session):
    web = login_as("volunteer")
    web.post(f"/admin/rueckrufe/{world.request.id}/uebernehmen")
    response = web.post(f"/admin/rueckrufe/{world.request.id}/versuch",
                        {"outcome": "not_reached", "note": "Lange Notiz zum Gespräch"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Bitte geben Sie an, wann Sie es noch einmal versuchen" in page
    assert "Lange Notiz zum Gespräch" in page
    request = _status(db_session, world.request.id)
    assert (request.attempts, request.attempt_count) == ([], 0)


def test_the_retry_time_suggested_is_the_callers_wish(login_as, world, db_session):
    db_session.get(CallbackRequest, world.request.id).preferred_time = "gern nachmittags"
    db_session.commit()
    web = login_as("volunteer")
    web.post(f"/admin/rueckrufe/{world.request.id}/uebernehmen")
    page = web.get(f"/admin/rueckrufe/{world.request.id}").get_data(as_text=True)
    assert re.search(r'name="retry_time"[^>]*value="15:00"', page)


def test_a_planned_retry_returns_to_the_pool_only_after_the_claim_expires(db_session):
    user = make_user(db_session)
    request = make_callback(db_session, status="claimed", claimed_by_id=user.id,
                            claimed_at=utcnow() - timedelta(hours=5), retry_at=utcnow() + timedelta(hours=2))
    timeout = timedelta(minutes=60)
    assert callbacks.release_stale_claims(db_session, now=utcnow(), timeout=timeout) == []
    later = utcnow() + timedelta(hours=3, minutes=1)
    assert callbacks.release_stale_claims(db_session, now=later, timeout=timeout) == [request.id]
    db_session.refresh(request)
    assert (request.status, request.claimed_by_id, request.retry_at) == ("open", None, None)


def test_third_failed_attempt_flags_the_request(login_as, world, db_session):
    web = login_as("volunteer")
    web.post(f"/admin/rueckrufe/{world.request.id}/uebernehmen")
    for expected in ("claimed", "claimed", "flagged"):
        web.post(f"/admin/rueckrufe/{world.request.id}/versuch",
                 {"outcome": "not_reached", **_tomorrow_at_ten()})
        assert _status(db_session, world.request.id).status == expected
    page = login_as("begleitung").get("/admin/").get_data(as_text=True)
    assert "Für die Begleitung markiert (1)" in page
    assert "Für die Begleitung markiert" not in login_as("volunteer").get("/admin/").get_data(
        as_text=True)


def test_attempt_needs_a_claim_first(login_as, world, db_session):
    response = login_as("volunteer").post(f"/admin/rueckrufe/{world.request.id}/versuch",
                                          {"outcome": "reached"}, follow_redirects=True)
    assert "Bitte übernehmen Sie den Rückruf zuerst" in response.get_data(as_text=True)
    assert _status(db_session, world.request.id).status == "open"


def test_the_history_tells_who_did_what_and_a_finished_request_waits_no_more(login_as, world, db_session):
    db_session.get(type(world.volunteer), world.volunteer.id).display_name = "Erika Schmitz"
    db_session.commit()
    web = login_as("volunteer")
    web.post(f"/admin/rueckrufe/{world.request.id}/uebernehmen")
    web.post(f"/admin/rueckrufe/{world.request.id}/versuch",
             {"outcome": "not_reached", "note": "Besetzt", **_tomorrow_at_ten()})
    web.post(f"/admin/rueckrufe/{world.request.id}/versuch", {"outcome": "reached"})
    page = login_as("begleitung").get(f"/admin/rueckrufe/{world.request.id}").get_data(as_text=True)
    timeline = page[page.index("<h2>Verlauf</h2>"):]
    steps = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r'<span class="when">.*?</span>', "", item))).strip()
             for item in re.findall(r"<li>(.*?)</li>", timeline, re.S)]
    assert steps == [
        "Rückrufwunsch eingegangen (mit Nachricht)",
        "Erika Schmitz hat übernommen",
        "Erika Schmitz Anrufversuch: nicht erreicht; nochmal versuchen: "
        + local_time(_status(db_session, world.request.id).attempts[0].retry_at) + " „Besetzt“",
        "Erika Schmitz Anrufversuch: erreicht",
    ]
    assert "wartet seit" not in page


def test_attempt_history_is_shown(login_as, world, db_session):
    make_attempt(db_session, world.request, outcome="answering_machine", note="AB besprochen",
                 user_id=world.volunteer.id)
    db_session.commit()
    page = login_as("volunteer").get(f"/admin/rueckrufe/{world.request.id}").get_data(as_text=True)
    assert "Anrufbeantworter" in page
    assert "AB besprochen" in page


@pytest.mark.parametrize(("action", "status"), [("wieder-oeffnen", "open"),
                                                ("abschliessen", "done")])
def test_begleitung_decides_about_flagged_requests(login_as, world, db_session, action, status):
    db_session.get(CallbackRequest, world.request.id).status = "flagged"
    db_session.commit()
    login_as("begleitung").post(f"/admin/rueckrufe/{world.request.id}/{action}")
    assert _status(db_session, world.request.id).status == status


def test_claim_service_refuses_a_request_that_is_not_open(db_session):
    user = make_user(db_session)
    request = make_callback(db_session, status="done")
    assert callbacks.claim(db_session, request.id, user.id, now=utcnow()) is False
