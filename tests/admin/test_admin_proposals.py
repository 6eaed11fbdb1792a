"""Volunteers propose activities in the admin; only the Begleitung publishes, gives back, deletes and permits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from hotline.models import Activity, ActivityDraft, AuditEvent, OutboxMail
from hotline.services import activity_drafts

from tests.admin.admin_support import publish_activity
from tests.factories import make_account, make_activity

MINE = "/admin/meine-angebote"


def _form(**values: str) -> dict[str, str]:
    day = date.today() + timedelta(days=5)
    return {"title": "Boule am Rhein", "description": "Wir spielen Boule.", "day": day.isoformat(), "at": "15:00",
            "place": "Rheinwiesen", "valid_from": date.today().isoformat(), "valid_until": day.isoformat(), **values}


def _propose(web, network_id: int, **values: str):
    response = web.post(f"/admin/inhalte/{network_id}/angebote/neu", _form(**values))
    assert response.status_code == 302
    return response


def _draft(db_session, title: str) -> ActivityDraft:
    db_session.expire_all()
    return db_session.scalars(select(ActivityDraft).where(ActivityDraft.title == title)).one()


def _live_titles(db_session, network_id: int) -> list[str]:
    db_session.expire_all()
    return sorted(db_session.scalars(select(Activity.title).where(Activity.network_id == network_id)))


def _page(web, path: str) -> str:
    response = web.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def proposal(login_as, world, db_session) -> ActivityDraft:
    """Vera's proposal for Bilk, waiting for the Begleitung."""
    response = _propose(login_as("volunteer"), world.bilk.id)
    assert response.headers["Location"] == MINE
    return _draft(db_session, "Boule am Rhein")


def test_a_proposal_is_followed_from_handing_in_to_the_line(login_as, world, db_session, proposal):
    volunteer, begleitung = login_as("volunteer"), login_as("begleitung")
    assert "Wartet auf die Begleitung" in _page(volunteer, MINE)
    assert _live_titles(db_session, world.bilk.id) == []
    # Her start page says what waits for her; Benrath's Begleitung sees nothing of it.
    start = _page(begleitung, "/admin/")
    assert "Ein Vorschlag für die Angebote wartet auf Sie" in start
    assert "Boule am Rhein</a> (Netzwerk Bilk, von Vera Ehrenamt)" in start
    assert "Noch nicht veröffentlicht" not in start  # said once, in the notice of proposals
    benrath = login_as(make_account(db_session, networks=[world.benrath], role="begleitung"))
    db_session.commit()
    assert "Boule am Rhein" not in _page(benrath, "/admin/")

    give_back = f"/admin/inhalte/{world.bilk.id}/vorschlaege/{proposal.id}/zurueckgeben"
    assert begleitung.post(give_back, {"note": "  "}).status_code == 302
    assert _draft(db_session, "Boule am Rhein").state == "proposed"  # not without a note
    assert begleitung.post(give_back, {"note": "Bitte sagen Sie, wo genau am Rhein."}).status_code == 302
    mine = _page(volunteer, MINE)
    assert "Zurückgegeben" in mine
    assert "Notiz von Berta Begleitung:</strong> Bitte sagen Sie, wo genau am Rhein." in mine
    assert "Vorschlag für die Angebote wartet" not in _page(begleitung, "/admin/")
    # A page opened before she gave it back still has the button; the proposal stays with Vera.
    stale = begleitung.post(f"/admin/inhalte/{world.bilk.id}/vorschlaege/{proposal.id}/veroeffentlichen")
    assert stale.status_code == 302
    assert "Dieser Vorschlag ist zurückgegeben." in _page(begleitung, stale.headers["Location"])
    assert _live_titles(db_session, world.bilk.id) == []
    assert _draft(db_session, "Boule am Rhein").state == "returned"

    edit = f"/admin/inhalte/{world.bilk.id}/vorschlaege/{proposal.id}"
    assert volunteer.post(edit, _form(place="Rheinwiesen am Tonhallenufer")).status_code == 302
    assert _draft(db_session, "Boule am Rhein").state == "proposed"
    assert "Wartet auf die Begleitung" in _page(volunteer, MINE)

    publish_activity(begleitung, world.bilk.id, "Boule am Rhein")
    assert _live_titles(db_session, world.bilk.id) == ["Boule am Rhein"]
    mine = _page(volunteer, MINE)
    assert "Keine offenen Vorschläge." in mine
    assert "Eingetragen von Vera Ehrenamt · veröffentlicht von Berta Begleitung" in mine


def test_a_volunteer_of_another_network_sees_nothing_of_bilk_s_activities(login_as, world, db_session, proposal):
    activity = make_activity(db_session, world.bilk, title="Erzählcafé", entered_by_id=world.volunteer.id)
    db_session.commit()
    olaf, bilk = login_as(world.other_volunteer), f"/admin/inhalte/{world.bilk.id}"
    for path in (f"{bilk}/angebote/neu", f"{bilk}/vorschlaege/{proposal.id}", f"{bilk}/angebote/{activity.id}",
                 f"/admin/inhalte/{world.benrath.id}/vorschlaege/{proposal.id}"):
        assert olaf.get(path).status_code == 404, path
    for path in (f"{bilk}/angebote/neu", f"{bilk}/vorschlaege/{proposal.id}", f"{bilk}/angebote/{activity.id}"):
        assert olaf.post(path, _form(title="Übernommen")).status_code == 404, path
    assert olaf.post(f"{bilk}/vorschlaege/{proposal.id}/verwerfen").status_code == 404
    mine = _page(olaf, MINE)
    assert "Boule am Rhein" not in mine
    assert "Erzählcafé" not in mine
    assert _draft(db_session, "Boule am Rhein").state == "proposed"
    assert db_session.scalars(select(ActivityDraft)).all() == [_draft(db_session, "Boule am Rhein")]


def test_a_volunteer_only_proposes_and_only_changes_their_own(login_as, world, db_session, proposal):
    own = make_activity(db_session, world.bilk, title="Erzählcafé", entered_by_id=world.volunteer.id)
    colleague = make_account(db_session, networks=[world.bilk], display_name="Karl Kollege")
    db_session.commit()
    _propose(login_as(colleague), world.bilk.id, title="Skat im Café")
    theirs = _draft(db_session, "Skat im Café")
    vera, bilk = login_as("volunteer"), f"/admin/inhalte/{world.bilk.id}"

    assert vera.post(f"{bilk}/vorschlaege/{proposal.id}/veroeffentlichen").status_code == 403
    assert vera.post(f"{bilk}/vorschlaege/{theirs.id}/zurueckgeben", {"note": "Nein."}).status_code == 403
    assert vera.post(f"{bilk}/angebote/{own.id}/loeschen").status_code == 403
    assert vera.post(f"{bilk}/direkt-veroeffentlichen/{world.volunteer.id}", {"erlaubt": "ja"}).status_code == 403
    assert vera.get(f"{bilk}/vorschlaege/{theirs.id}").status_code == 404
    assert vera.post(f"{bilk}/vorschlaege/{theirs.id}", _form(title="Skat abgesagt")).status_code == 404
    assert vera.post(f"{bilk}/vorschlaege/{theirs.id}/verwerfen").status_code == 404
    for page in ("", "/menue", "/ansagen", "/ansagen/menu_repeat", "/zeiten", "/neu-hier", "/einstellungen",
                 "/verlauf", "/testanruf"):
        assert vera.get(bilk + page).status_code == 403, page

    assert (_draft(db_session, "Boule am Rhein").state, _draft(db_session, "Skat im Café").state) == (
        "proposed", "proposed")
    assert _live_titles(db_session, world.bilk.id) == ["Erzählcafé"]
    assert not activity_drafts.publishes_directly(db_session, world.volunteer, world.bilk.id)
    # Her own live activity she may change: the change waits like a proposal.
    assert vera.post(f"{bilk}/angebote/{own.id}", _form(title="Erzählcafé mit Kuchen")).status_code == 302
    assert _draft(db_session, "Erzählcafé mit Kuchen").activity_id == own.id
    assert _live_titles(db_session, world.bilk.id) == ["Erzählcafé"]


def _audited(db_session, action: str) -> list[tuple[int | None, int | None, int | None]]:
    return [(event.actor_id, event.object_id, event.network_id) for event in db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def test_the_begleitung_lets_a_volunteer_publish_directly_and_takes_it_back(login_as, world, db_session):
    begleitung, vera = login_as("begleitung"), login_as("volunteer")
    toggle = f"/admin/inhalte/{world.bilk.id}/direkt-veroeffentlichen/{world.volunteer.id}"
    assert begleitung.post(toggle, {"erlaubt": "ja"}).status_code == 302
    assert "veröffentlicht direkt" in _page(begleitung, f"/admin/inhalte/{world.bilk.id}")
    assert _audited(db_session, "direct_publishing_allowed") == [(world.begleitung.id, world.volunteer.id,
                                                                  world.bilk.id)]

    _propose(vera, world.bilk.id)
    db_session.expire_all()
    activity = db_session.scalars(select(Activity).where(Activity.network_id == world.bilk.id)).one()
    assert (activity.title, activity.entered_by_id, activity.published_by_id) == (
        "Boule am Rhein", world.volunteer.id, world.volunteer.id)
    assert db_session.scalars(select(ActivityDraft)).all() == []
    # Nothing waits, so the Begleitung is not asked to look at it.
    assert db_session.scalars(select(OutboxMail)).all() == []

    assert begleitung.post(toggle, {"erlaubt": "nein"}).status_code == 302
    assert _audited(db_session, "direct_publishing_withdrawn") == [(world.begleitung.id, world.volunteer.id,
                                                                    world.bilk.id)]
    _propose(vera, world.bilk.id, title="Skat im Café")
    assert _draft(db_session, "Skat im Café").state == "proposed"
    assert _live_titles(db_session, world.bilk.id) == ["Boule am Rhein"]
    assert [mail.recipient for mail in db_session.scalars(select(OutboxMail))] == [world.begleitung.email]


def test_an_activity_the_begleitung_corrects_stays_the_volunteer_s(login_as, world, db_session, proposal):
    begleitung, vera = login_as("begleitung"), login_as("volunteer")
    publish_activity(begleitung, world.bilk.id, "Boule am Rhein")
    activity = db_session.scalars(select(Activity).where(Activity.network_id == world.bilk.id)).one()
    edit = f"/admin/inhalte/{world.bilk.id}/angebote/{activity.id}"
    assert begleitung.post(edit, _form(title="Boule am Rhein", place="Tonhallenufer")).status_code == 302
    publish_activity(begleitung, world.bilk.id, "Boule am Rhein")
    db_session.expire_all()
    assert (activity.place, activity.entered_by_id, activity.published_by_id) == (
        "Tonhallenufer", world.volunteer.id, world.begleitung.id)
    mine = _page(vera, MINE)
    assert "Tonhallenufer" in mine
    assert "Eingetragen von Vera Ehrenamt · veröffentlicht von Berta Begleitung" in mine
    assert vera.get(edit).status_code == 200  # she may still propose changes to it


def test_the_begleitung_s_own_activity_draft_is_in_the_notice_of_what_is_not_published(login_as, world):
    begleitung = login_as("begleitung")
    _propose(begleitung, world.bilk.id, title="Lesekreis")
    start = _page(begleitung, "/admin/")
    assert "Noch nicht veröffentlicht:" in start
    assert ">Angebote (Netzwerk Bilk)</a>" in start
    assert "Vorschlag für die Angebote" not in start

