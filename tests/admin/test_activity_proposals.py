"""Volunteers propose activities; the Begleitung publishes them or gives them back. Callers hear published ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hotline.models import Activity, ActivityDraft, AuditEvent, CallbackRequest, ContentVersion, OutboxMail
from hotline.services import activity_drafts, content, drafts, line_content

from tests.factories import make_account, make_activity, make_callback

BERLIN = ZoneInfo("Europe/Berlin")
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=BERLIN)


def _data(title: str = "Boule am Rhein", **values) -> content.ActivityData:
    day = date.today() + timedelta(days=3)
    return replace(content.ActivityData(title, "Wir spielen Boule.", content.WhenData(day, time(15)), "Rheinwiesen",
                                        date.today(), day), **values)


def _on_line(db_session, network_id: int) -> list[str]:
    line = line_content.load_network_line(db_session, network_id, audio_url=lambda path: f"/audio/{path}")
    return sorted(activity.title for activity in line.content.activities)


def _mails(db_session) -> list[OutboxMail]:
    return list(db_session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def _audit_actions(db_session, network_id: int) -> list[str]:
    return list(db_session.scalars(select(AuditEvent.action).where(AuditEvent.network_id == network_id)
                                   .order_by(AuditEvent.id)))


def _activity_versions(db_session, network_id: int) -> list[ContentVersion]:
    return list(db_session.scalars(select(ContentVersion).where(
        ContentVersion.network_id == network_id, ContentVersion.kind == "activities").order_by(ContentVersion.number)))


def _propose(db_session, settings, world, data: content.ActivityData | None = None, **kwargs) -> ActivityDraft:
    return activity_drafts.save(db_session, settings, world.bilk, data or _data(), author=world.volunteer, now=NOON,
                                **kwargs)


def test_a_proposal_waits_off_the_line_and_only_its_network_s_begleitung_is_emailed(world, db_session, settings):
    second = make_account(db_session, networks=[world.bilk], role="begleitung")
    make_account(db_session, networks=[world.benrath], role="begleitung")
    make_account(db_session, networks=[world.bilk], role="begleitung", active=False)
    public = replace(settings, public_base_url="https://hotline.example.org")

    proposal = _propose(db_session, public, world)
    assert (proposal.state, proposal.proposed_at, proposal.author_id) == ("proposed", NOON, world.volunteer.id)
    assert _on_line(db_session, world.bilk.id) == []
    assert activity_drafts.waiting_for_review(db_session, [world.bilk.id]) == [proposal]
    assert activity_drafts.waiting_for_review(db_session, [world.benrath.id]) == []

    mails = _mails(db_session)
    assert sorted(mail.recipient for mail in mails) == sorted([world.begleitung.email, second.email])
    for mail in mails:
        assert mail.state == "pending"  # sent by the outbox job, after the commit
        assert mail.subject == "Neuer Vorschlag für die Angebote – Netzwerk Bilk"
        assert f"https://hotline.example.org/admin/inhalte/{world.bilk.id}" in mail.body
        # Nothing of any caller: not the numbers, topics or words of the waiting requests.
        for secret in ("4710911", "Neu hier", "bitte rufen sie mich an"):
            assert secret not in mail.subject + mail.body
    # Changing it while it waits does not mail again.
    _propose(db_session, public, world, _data(place="Rheinufer"), draft=proposal)
    assert len(_mails(db_session)) == 2
    assert "activity_proposed" in _audit_actions(db_session, world.bilk.id)


def test_publishing_a_proposal_puts_it_on_the_line_with_who_entered_and_published_it(world, db_session, settings):
    make_activity(db_session, world.bilk, title="Erzählcafé")
    proposal = _propose(db_session, settings, world, _data(contact="Vera, 0211 123456"))
    activity = activity_drafts.publish(db_session, proposal, actor_id=world.begleitung.id, now=NOON)
    assert (activity.entered_by_id, activity.published_by_id, activity.published_at) == (
        world.volunteer.id, world.begleitung.id, NOON)
    assert _on_line(db_session, world.bilk.id) == ["Boule am Rhein", "Erzählcafé"]
    assert db_session.scalars(select(ActivityDraft)).all() == []
    assert activity_drafts.waiting_for_review(db_session, [world.bilk.id]) == []

    before, after = _activity_versions(db_session, world.bilk.id)
    assert (after.number, after.author_id, after.published_by_id, after.published_at) == (
        2, world.volunteer.id, world.begleitung.id, NOON)
    [change] = drafts.only_changed(drafts.compare("activities", before.snapshot, after.snapshot))
    assert change.how == "neu"
    assert change.text.startswith("Boule am Rhein – ")
    assert "Rheinwiesen – Wir spielen Boule. – Kontakt: Vera, 0211 123456" in change.text
    assert _audit_actions(db_session, world.bilk.id)[-1] == "activity_published"


def test_giving_back_needs_a_note_and_a_corrected_proposal_is_handed_in_again(world, db_session, settings):
    proposal = _propose(db_session, settings, world)
    for note in ("", "   \n "):
        with pytest.raises(content.ContentError, match="Bitte schreiben Sie dazu"):
            activity_drafts.give_back(db_session, proposal, note, actor_id=world.begleitung.id, now=NOON)
    assert proposal.state == "proposed"

    later = NOON + timedelta(hours=1)
    activity_drafts.give_back(db_session, proposal, "Bitte die Uhrzeit\n prüfen.", actor_id=world.begleitung.id,
                              now=later)
    [returned] = activity_drafts.drafts_by(db_session, world.volunteer)
    assert (returned.state, returned.note, returned.returned_by_id) == (
        "returned", "Bitte die Uhrzeit prüfen.", world.begleitung.id)
    assert activity_drafts.waiting_for_review(db_session, [world.bilk.id]) == []
    with pytest.raises(content.ContentError):  # only a waiting proposal can be given back
        activity_drafts.give_back(db_session, proposal, "Noch einmal.", actor_id=world.begleitung.id, now=later)

    again = activity_drafts.save(db_session, settings, world.bilk, _data(when=content.WhenData(
        date.today() + timedelta(days=3), time(16))), author=world.volunteer, now=later, draft=proposal)
    assert again.id == proposal.id
    assert (again.state, again.note, again.returned_by_id, again.proposed_at) == ("proposed", "", None, later)
    assert activity_drafts.waiting_for_review(db_session, [world.bilk.id]) == [again]
    assert len(_mails(db_session)) == 2  # the Begleitung is told both times
    assert _audit_actions(db_session, world.bilk.id)[-3:] == ["activity_proposed", "activity_returned",
                                                             "activity_proposed"]


def test_a_proposal_given_back_is_published_only_once_its_author_puts_it_forward(world, db_session, settings):
    proposal = _propose(db_session, settings, world)
    activity_drafts.give_back(db_session, proposal, "Bitte den Ort genauer.", actor_id=world.begleitung.id, now=NOON)
    with pytest.raises(content.ContentError, match="zurückgegeben"):
        activity_drafts.publish(db_session, proposal, actor_id=world.begleitung.id, now=NOON)
    assert (proposal.state, _on_line(db_session, world.bilk.id)) == ("returned", [])

    # Meanwhile the Begleitung lets her publish directly: her corrected proposal goes on the line.
    activity_drafts.set_publishes_directly(db_session, world.volunteer, world.bilk.id, True,
                                           actor_id=world.begleitung.id)
    corrected = _propose(db_session, settings, world, _data(place="Rheinwiesen am Tonhallenufer"), draft=proposal)
    activity_drafts.publish(db_session, corrected, actor_id=world.volunteer.id, now=NOON)
    assert _on_line(db_session, world.bilk.id) == ["Boule am Rhein"]


def test_direct_publishing_is_allowed_per_network_and_audited(world, db_session):
    volunteer, bilk = world.volunteer, world.bilk
    assert not activity_drafts.publishes_directly(db_session, volunteer, bilk.id)
    assert activity_drafts.set_publishes_directly(db_session, volunteer, bilk.id, True, actor_id=world.begleitung.id)
    assert not activity_drafts.set_publishes_directly(db_session, volunteer, bilk.id, True,
                                                      actor_id=world.begleitung.id)  # unchanged
    assert activity_drafts.publishes_directly(db_session, volunteer, bilk.id)
    assert not activity_drafts.publishes_directly(db_session, volunteer, world.benrath.id)
    # Only volunteers get the permission, and only in a network they belong to.
    assert not activity_drafts.set_publishes_directly(db_session, world.begleitung, bilk.id, False,
                                                      actor_id=world.admin.id)
    assert not activity_drafts.set_publishes_directly(db_session, volunteer, world.benrath.id, True,
                                                      actor_id=world.admin.id)
    assert not activity_drafts.publishes_directly(db_session, volunteer, world.benrath.id)
    assert activity_drafts.direct_publishers(db_session, bilk.id) == {volunteer.id}
    assert activity_drafts.set_publishes_directly(db_session, volunteer, bilk.id, False, actor_id=world.begleitung.id)
    assert activity_drafts.direct_publishers(db_session, bilk.id) == set()
    assert _audit_actions(db_session, bilk.id) == ["direct_publishing_allowed", "direct_publishing_withdrawn"]


def test_a_change_to_a_live_activity_waits_and_the_live_one_is_heard_until_it_is_published(
        world, db_session, settings):
    activity = make_activity(db_session, world.bilk, title="Spaziergang", entered_by_id=world.volunteer.id)
    change = _propose(db_session, settings, world, _data(title="Spaziergang am Rhein"), activity=activity)
    assert change.activity_id == activity.id
    # A second save changes the same waiting change: one per live activity.
    assert _propose(db_session, settings, world, _data(title="Spaziergang am Rhein", place="Ufer"),
                    activity=activity).id == change.id
    assert _on_line(db_session, world.bilk.id) == ["Spaziergang"]
    assert (activity.title, activity.place) == ("Spaziergang", "Park")

    published = activity_drafts.publish(db_session, change, actor_id=world.begleitung.id, now=NOON)
    assert published.id == activity.id
    assert (published.title, published.place) == ("Spaziergang am Rhein", "Ufer")
    assert _on_line(db_session, world.bilk.id) == ["Spaziergang am Rhein"]


def test_deleting_an_activity_keeps_a_waiting_change_to_it_as_a_new_proposal(world, db_session, settings):
    activity = make_activity(db_session, world.bilk, title="Spaziergang", entered_by_id=world.volunteer.id)
    activity_id = activity.id
    change_id = _propose(db_session, settings, world, _data(title="Spaziergang am Rhein"), activity=activity).id
    activity_drafts.delete(db_session, activity, actor_id=world.begleitung.id, now=NOON)
    db_session.expire_all()
    assert db_session.get(Activity, activity_id) is None
    assert _on_line(db_session, world.bilk.id) == []
    kept = db_session.get(ActivityDraft, change_id)
    assert (kept.activity_id, kept.state, kept.title) == (None, "proposed", "Spaziergang am Rhein")
    assert activity_drafts.waiting_for_review(db_session, [world.bilk.id]) == [kept]

    published = activity_drafts.publish(db_session, kept, actor_id=world.begleitung.id, now=NOON)
    assert (published.entered_by_id, published.published_by_id) == (world.volunteer.id, world.begleitung.id)
    assert _on_line(db_session, world.bilk.id) == ["Spaziergang am Rhein"]


def test_restoring_an_older_version_of_the_activities_brings_a_deleted_one_back(world, db_session, settings):
    activity = make_activity(db_session, world.bilk, title="Erzählcafé", place="Stadtteilzentrum",
                             contact="Berta, 0211 654321")
    activity_drafts.publish(db_session, _propose(db_session, settings, world), actor_id=world.begleitung.id, now=NOON)
    activity_drafts.delete(db_session, activity, actor_id=world.begleitung.id, now=NOON)
    assert _on_line(db_session, world.bilk.id) == ["Boule am Rhein"]
    first, with_both, after_delete = _activity_versions(db_session, world.bilk.id)
    assert [change.how for change in drafts.only_changed(
        drafts.compare("activities", with_both.snapshot, after_delete.snapshot))] == ["entfernt"]

    restored = drafts.restore(db_session, world.bilk, with_both.id, actor_id=world.admin.id, now=NOON)
    assert (restored.number, restored.restored_from) == (4, 2)
    assert _on_line(db_session, world.bilk.id) == ["Boule am Rhein", "Erzählcafé"]
    back = db_session.scalar(select(Activity).where(Activity.network_id == world.bilk.id,
                                                    Activity.title == "Erzählcafé"))
    assert (back.place, back.contact, back.published_by_id) == ("Stadtteilzentrum", "Berta, 0211 654321",
                                                                 world.admin.id)
    assert first.snapshot["activities"][0]["title"] == "Erzählcafé"


def test_the_testanruf_with_drafts_hears_drafts_and_proposals_but_not_returned_ones(world, db_session, settings):
    live = make_activity(db_session, world.bilk, title="Erzählcafé", entered_by_id=world.volunteer.id)
    save = activity_drafts.save
    save(db_session, settings, world.bilk, _data("Kochen für alle"), author=world.begleitung, now=NOON)
    save(db_session, settings, world.bilk, _data("Erzählcafé mit Kuchen"), author=world.begleitung, now=NOON,
         activity=live)
    _propose(db_session, settings, world, _data("Boule am Rhein"))
    returned = _propose(db_session, settings, world, _data("Singkreis"))
    activity_drafts.give_back(db_session, returned, "Welcher Saal?", actor_id=world.begleitung.id, now=NOON)

    def heard(draft: bool) -> list[str]:
        line = drafts.preview_line(db_session, world.bilk, draft, audio_url=lambda path: f"/audio/{path}")
        return sorted(activity.title for activity in line.content.activities)

    assert heard(True) == ["Boule am Rhein", "Erzählcafé mit Kuchen", "Kochen für alle"]
    assert heard(False) == ["Erzählcafé"]
    assert _on_line(db_session, world.bilk.id) == ["Erzählcafé"]


def test_restoring_a_restored_version_again_keeps_the_activity_it_brought_back(world, db_session, settings):
    cafe = make_activity(db_session, world.bilk, title="Erzählcafé", entered_by_id=world.volunteer.id)
    activity_drafts.delete(db_session, cafe, actor_id=world.begleitung.id, now=NOON)
    before_delete = _activity_versions(db_session, world.bilk.id)[0]
    restored = drafts.restore(db_session, world.bilk, before_delete.id, actor_id=world.begleitung.id, now=NOON)
    back = db_session.scalars(select(Activity).where(Activity.network_id == world.bilk.id)).one()
    request = make_callback(db_session, network_id=world.bilk.id, activity_id=back.id, topic="Erzählcafé")
    change = activity_drafts.save(db_session, settings, world.bilk, _data(title="Erzählcafé mit Kuchen"),
                                  author=world.begleitung, now=NOON, activity=back)

    drafts.restore(db_session, world.bilk, restored.id, actor_id=world.begleitung.id, now=NOON)
    db_session.expire_all()
    # Nothing changed, so nothing is replaced: the caller's request and the waiting change still name it.
    assert db_session.scalars(select(Activity.id).where(Activity.network_id == world.bilk.id)).all() == [back.id]
    assert db_session.get(CallbackRequest, request.id).activity_id == back.id
    assert db_session.get(ActivityDraft, change.id).activity_id == back.id
