"""Drafts of the line's content: heard in the Testanruf only, published with author and time, history, restore."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from hotline.models import AuditEvent, ContentRevision, ContentVersion, Network
from hotline.services import content, drafts, line_content
from ivr_flows.recurrence import Frequency

BERLIN = ZoneInfo("Europe/Berlin")
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=BERLIN)


def _audio_url(path: str) -> str:
    return f"/audio/{path}"


def _revision(db_session) -> int:
    return db_session.scalar(select(ContentRevision.revision))


def _greeting(web, network_id: int, text: str) -> None:
    response = web.post(f"/admin/inhalte/{network_id}/einstellungen", {"greeting": text, "forwarding_number": ""})
    assert response.status_code == 302


def _publish(web, network_id: int, kind: str) -> None:
    assert web.post(f"/admin/inhalte/{network_id}/entwurf/{kind}/veroeffentlichen").status_code == 302


def _step(web, network_id: int, fassung: str) -> str:
    response = web.post(f"/admin/inhalte/{network_id}/testanruf", {"event": "start", "fassung": fassung})
    assert response.status_code == 200
    return " ".join(prompt["text"] for prompt in response.get_json()["prompts"] if prompt["type"] == "say")


def test_a_draft_leaves_the_line_and_publishing_changes_it_with_author_and_time(world, db_session):
    bilk = world.bilk
    before = _revision(db_session)
    draft = drafts.save_draft(db_session, bilk, "greeting", {"greeting": "Hallo aus Bilk!"},
                              actor_id=world.begleitung.id)
    assert (draft.state, draft.number, draft.author_id) == ("draft", None, world.begleitung.id)
    line = line_content.load_network_line(db_session, bilk.id, audio_url=_audio_url)
    assert line.content.greeting is None
    assert _revision(db_session) == before  # calls keep their cached line

    published = drafts.publish(db_session, bilk, "greeting", actor_id=world.begleitung.id, now=NOON)
    assert (published.state, published.number, published.published_by_id, published.published_at) == (
        "published", 2, world.begleitung.id, NOON)
    assert _revision(db_session) > before
    assert line_content.load_network_line(db_session, bilk.id, audio_url=_audio_url).content.greeting == \
        "Hallo aus Bilk!"
    # Version 1 keeps what callers heard before, so that it can be restored.
    first = drafts.previous_of(db_session, published)
    assert (first.number, first.snapshot, first.published_by_id) == (1, {"greeting": ""}, None)
    assert drafts.draft_of(db_session, bilk.id, "greeting") is None
    assert "content_published" in db_session.scalars(select(AuditEvent.action)).all()


def test_an_edit_back_to_the_published_content_leaves_no_draft(world, db_session):
    actor = world.begleitung.id
    drafts.save_draft(db_session, world.bilk, "greeting", {"greeting": "Hallo!"}, actor_id=actor)
    assert drafts.save_draft(db_session, world.bilk, "greeting", {"greeting": ""}, actor_id=actor) is None
    assert drafts.draft_of(db_session, world.bilk.id, "greeting") is None


def test_restoring_publishes_the_old_content_as_a_new_version(world, db_session):
    bilk, actor = world.bilk, world.begleitung.id
    for text in ("Erste Begrüßung.", "Zweite Begrüßung."):
        drafts.save_draft(db_session, bilk, "greeting", {"greeting": text}, actor_id=actor)
        drafts.publish(db_session, bilk, "greeting", actor_id=actor, now=NOON)
    second = next(v for v in drafts.history(db_session, bilk.id) if v.number == 2)
    restored = drafts.restore(db_session, bilk, second.id, actor_id=world.admin.id, now=NOON)
    assert (restored.number, restored.restored_from, restored.published_by_id) == (4, 2, world.admin.id)
    assert bilk.greeting == "Erste Begrüßung."
    assert [v.number for v in drafts.history(db_session, bilk.id)] == [4, 3, 2, 1]
    assert drafts.restore(db_session, world.benrath, second.id, actor_id=actor, now=NOON) is None


def test_the_comparison_shows_the_wording_that_changed(world, db_session):
    before = content.newcomer_snapshot("Willkommen!\n\nKommen Sie vorbei.", "Im Saal.", None)
    after = content.newcomer_snapshot("Willkommen!\n\nRufen Sie uns an.", "Im Saal.", content.WhenData(
        date(2026, 12, 1), time(15), Frequency.MONTHLY_WEEKDAY, cancelled=(date(2027, 1, 5),)))
    assert [(c.how, c.text) for c in drafts.compare("newcomer", before, after)] == [
        ("gleich", "Willkommen!"), ("entfernt", "Kommen Sie vorbei."), ("neu", "Rufen Sie uns an."),
        ("neu", "Begrüßungstreffen: ab 01.12.2026, 15:00 Uhr, jeden Monat am selben Wochentag, "
                "fällt aus am 05.01.2027"),
        ("gleich", "Hinweis zum Begrüßungstreffen: Im Saal.")]
    recorded = drafts.only_changed(drafts.compare("prompts", {"texts": {}, "audio": {}},
                                                  {"texts": {}, "audio": {"greeting_zero": "bilk/3f2a9c01aa.wav"}}))
    assert [(c.how, c.text.endswith("(eigene Aufnahme 3f2a9c01)")) for c in recorded] == [("entfernt", False),
                                                                                          ("neu", True)]
    hours = drafts.compare("hours", drafts.hours_snapshot([(1, time(10), time(12))], []),
                           drafts.hours_snapshot([(1, time(10), time(13))], []))
    assert [(c.how, c.text) for c in hours] == [("entfernt", "Dienstag 10:00 bis 12:00 Uhr"),
                                                ("neu", "Dienstag 10:00 bis 13:00 Uhr")]


def test_the_testanruf_lays_every_draft_over_the_line(world, db_session):
    actor = world.begleitung.id
    drafts.save_draft(db_session, world.bilk, "hours",
                      drafts.hours_snapshot([(0, time(9), time(11))], []), actor_id=actor)
    drafts.save_draft(db_session, world.bilk, "prompts", {"texts": {"menu_repeat": "Stern: noch mal."},
                                                          "audio": {"greeting_zero": "bilk/null.wav"}},
                      actor_id=actor)
    welcome = content.WhenData(date(2026, 12, 8), time(15))
    drafts.save_draft(db_session, world.bilk, "newcomer", content.newcomer_snapshot("Hallo Neue!", "", welcome),
                      actor_id=actor)
    draft = drafts.preview_line(db_session, world.bilk, True, audio_url=_audio_url).content
    assert draft.office_hours.weekly == {0: ((time(9), time(11)),)}
    assert draft.prompt_overrides["menu_repeat"] == "Stern: noch mal."
    assert draft.prompt_audio == {"greeting_zero": "/audio/bilk/null.wav"}
    assert draft.newcomer_paragraphs == ("Hallo Neue!",)
    assert draft.welcome_meeting_schedule == welcome.recurrence
    live = drafts.preview_line(db_session, world.bilk, False, audio_url=_audio_url).content
    assert (live.office_hours.weekly, live.newcomer_paragraphs) == ({}, ())
    assert ("menu_repeat" in live.prompt_overrides, live.prompt_audio) == (False, {})


def test_a_greeting_draft_is_heard_in_the_testanruf_and_waits_on_the_start_page(login_as, world, db_session):
    web = login_as("begleitung")
    _greeting(web, world.bilk.id, "Schön, dass Sie in Bilk anrufen!")
    assert "Schön, dass Sie in Bilk anrufen!" in _step(web, world.bilk.id, "entwurf")
    assert "Schön, dass Sie in Bilk anrufen!" not in _step(web, world.bilk.id, "freigegeben")
    start = web.get("/admin/").get_data(as_text=True)
    assert "Noch nicht veröffentlicht:" in start
    assert f'href="/admin/inhalte/{world.bilk.id}/einstellungen">Begrüßung (' in start
    settings = web.get(f"/admin/inhalte/{world.bilk.id}/einstellungen").get_data(as_text=True)
    assert "Noch nicht am Telefon" in settings
    # A volunteer of the network sees nothing of it and cannot publish.
    volunteer = login_as("volunteer")
    assert "Noch nicht veröffentlicht" not in volunteer.get("/admin/").get_data(as_text=True)
    assert volunteer.post(f"/admin/inhalte/{world.bilk.id}/entwurf/greeting/veroeffentlichen").status_code == 403
    db_session.expire_all()
    assert db_session.get(Network, world.bilk.id).greeting is None


def test_the_history_shows_who_published_what_and_restoring_asks_first(login_as, world, db_session):
    web = login_as("begleitung")
    base = f"/admin/inhalte/{world.bilk.id}"
    _greeting(web, world.bilk.id, "Erste Begrüßung.")
    _publish(web, world.bilk.id, "greeting")
    _greeting(web, world.bilk.id, "Zweite Begrüßung.")
    _publish(web, world.bilk.id, "greeting")
    history = web.get(f"{base}/verlauf").get_data(as_text=True)
    name = world.begleitung.display_name or world.begleitung.email
    assert "Begrüßung, Version 3" in history
    assert f"veröffentlicht von {name}" in history
    assert "Stand vor der ersten Veröffentlichung" in history
    second = db_session.scalar(select(ContentVersion).where(ContentVersion.number == 3))
    changes = web.get(f"{base}/verlauf/{second.id}").get_data(as_text=True)
    assert "entfällt:</span> Erste Begrüßung." in changes
    assert "neu:</span> Zweite Begrüßung." in changes
    first = db_session.scalar(select(ContentVersion).where(ContentVersion.number == 2))
    confirm = web.get(f"{base}/verlauf/{first.id}/wiederherstellen").get_data(as_text=True)
    assert "Version 2 wiederherstellen?" in confirm
    db_session.expire_all()
    assert db_session.get(Network, world.bilk.id).greeting == "Zweite Begrüßung."  # asking changes nothing
    assert web.post(f"{base}/verlauf/{first.id}/wiederherstellen").status_code == 302
    db_session.expire_all()
    assert db_session.get(Network, world.bilk.id).greeting == "Erste Begrüßung."
    assert "stellt Version 2 wieder her" in web.get(f"{base}/verlauf").get_data(as_text=True)
    log = web.get("/admin/protokoll").get_data(as_text=True)
    assert "hat einen Entwurf veröffentlicht" in log
    assert "hat eine frühere Fassung wiederhergestellt" in log
