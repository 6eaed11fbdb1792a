"""Activities on their way to the line: the Begleitung's drafts and volunteers' proposals.

Begleiten statt Leiten: a volunteer proposes activities for their network and changes to the ones
they entered; the Begleitung previews a proposal in the Testanruf and publishes it or gives it back
with a note. She may let named volunteers publish their own activities directly. Her own edits are
drafts too, published one activity at a time. Every publishing keeps the network's activities as a
new version (services.drafts, kind "activities"), with who entered and who published each.

Functions flush and never commit; a `content.ContentError` carries a German message for the form.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.config import Settings
from hotline.models import STAFF_ROLES, Activity, ActivityDraft, Network, User, user_networks
from hotline.services import audit, content, drafts
from hotline.services.outbox import admin_link, network_users, put_mails
from hotline.services.queue import in_networks, network_ids_of

logger = logging.getLogger(__name__)

NOTE_MAX = 500
CONTENT_PATH = "/admin/inhalte/{id}"


def reviews(user: User) -> bool:
    """Whether `user` publishes and gives back (the Begleitung, an admin) rather than proposes."""
    return user.role in STAFF_ROLES


def publishes_directly(session: Session, user: User, network_id: int) -> bool:
    """Whether `user` may put activities on the network's line without a review."""
    if reviews(user):
        return True
    return bool(session.scalar(select(user_networks.c.publishes_directly).where(
        user_networks.c.user_id == user.id, user_networks.c.network_id == network_id)))


def set_publishes_directly(session: Session, volunteer: User, network_id: int, allowed: bool, *,
                           actor_id: int) -> bool:
    """Let a volunteer of the network publish their own activities directly, or not; False when unchanged."""
    if volunteer.role != "volunteer" or publishes_directly(session, volunteer, network_id) == allowed:
        return False
    result = session.execute(user_networks.update().where(
        user_networks.c.user_id == volunteer.id, user_networks.c.network_id == network_id)
        .values(publishes_directly=allowed))
    if not result.rowcount:  # type: ignore[attr-defined]  # CursorResult of an UPDATE has a rowcount
        return False
    audit.record(session, "direct_publishing_allowed" if allowed else "direct_publishing_withdrawn", "user",
                 volunteer.id, actor_id=actor_id, network_id=network_id)
    return True


def direct_publishers(session: Session, network_id: int) -> set[int]:
    """Ids of the network's volunteers who publish their own activities directly."""
    return set(session.scalars(select(user_networks.c.user_id).where(
        user_networks.c.network_id == network_id, user_networks.c.publishes_directly.is_(True))))


def waiting_for_review(session: Session, network_ids: Collection[int] | None) -> list[ActivityDraft]:
    """Proposals of the networks (None: of all) that wait for the Begleitung, longest waiting first."""
    return list(session.scalars(
        select(ActivityDraft).where(ActivityDraft.state == "proposed", in_networks(ActivityDraft.network_id,
                                                                                  network_ids))
        .order_by(ActivityDraft.proposed_at, ActivityDraft.id)))


def pending_of(session: Session, network_id: int) -> list[ActivityDraft]:
    """Every unpublished activity of the network (drafts, proposals, ones given back), newest change last."""
    return list(session.scalars(select(ActivityDraft).where(ActivityDraft.network_id == network_id)
                                .order_by(ActivityDraft.updated_at, ActivityDraft.id)))


def drafts_by(session: Session, author: User) -> list[ActivityDraft]:
    """What `author` entered that is not published (yet), in the networks they still belong to."""
    return list(session.scalars(
        select(ActivityDraft).where(ActivityDraft.author_id == author.id,
                                    ActivityDraft.network_id.in_([network.id for network in author.networks]))
        .order_by(ActivityDraft.updated_at.desc(), ActivityDraft.id.desc())))


def published_by_author(session: Session, author: User) -> list[Activity]:
    """The live activities `author` entered, in the networks they still belong to."""
    return list(session.scalars(
        select(Activity).where(Activity.entered_by_id == author.id,
                               Activity.network_id.in_([network.id for network in author.networks]))
        .order_by(Activity.starts_at, Activity.id)))


def draft_for_editor(session: Session, user: User, draft_id: int) -> ActivityDraft | None:
    """A draft `user` may change: staff any of their networks', a volunteer only their own."""
    draft = session.get(ActivityDraft, draft_id)
    if draft is None or not _in_scope(user, draft.network_id):
        return None
    return draft if reviews(user) or draft.author_id == user.id else None


def activity_for_editor(session: Session, user: User, activity_id: int) -> Activity | None:
    """A live activity whose change `user` may propose: staff any of their networks', a volunteer their own."""
    activity = session.get(Activity, activity_id)
    if activity is None or not _in_scope(user, activity.network_id):
        return None
    return activity if reviews(user) or activity.entered_by_id == user.id else None


def _in_scope(user: User, network_id: int) -> bool:
    scope = network_ids_of(user)
    return scope is None or network_id in scope


def draft_of_activity(session: Session, activity_id: int) -> ActivityDraft | None:
    """The change waiting for a live activity, if any."""
    return session.scalar(select(ActivityDraft).where(ActivityDraft.activity_id == activity_id))


def save(session: Session, settings: Settings, network: Network, data: content.ActivityData, *, author: User,
         now: datetime, draft: ActivityDraft | None = None, activity: Activity | None = None) -> ActivityDraft:
    """Keep a new activity or a change to `activity` (or to `draft`) until it is published.

    A volunteer's save hands it in for review (again, after it was given back) and the Begleitung is
    told by e-mail; the Begleitung's own saves stay her drafts, and a proposal she corrects stays one.
    A volunteer who publishes directly hands nothing in: the caller publishes the draft at once, so
    the Begleitung is not asked to review what is already on the line. A volunteer who changes their
    activity while the Begleitung has a draft of it (their form showed it) hands that in as their
    own proposal.
    """
    data = content.checked_activity(data)
    if draft is None and activity is not None:
        draft = draft_of_activity(session, activity.id)
    if draft is None:
        draft = ActivityDraft(network_id=network.id, activity_id=activity.id if activity else None,
                              author_id=author.id, state="draft")
        session.add(draft)
    content.store_activity(draft, data)
    draft.updated_at = now
    handed_in = not publishes_directly(session, author, network.id) and draft.state != "proposed"
    if handed_in:
        draft.state, draft.proposed_at, draft.note, draft.returned_by_id = "proposed", now, "", None
        draft.author_id = author.id
    session.flush()
    audit.record(session, "activity_proposed" if handed_in else "activity_draft_saved", "activity_draft", draft.id,
                 actor_id=author.id, network_id=network.id, title=draft.title)
    if handed_in:
        _tell_begleitung(session, settings, network)
    return draft


def _tell_begleitung(session: Session, settings: Settings, network: Network) -> None:
    """An e-mail to the network's Begleitung: a proposal waits (its network only, nothing of any caller)."""
    staff = network_users(session, network.id, User.role == "begleitung")
    lines = ["Guten Tag,", "", f"für die Angebote von {network.name} wartet ein Vorschlag auf Sie."]
    lines += admin_link(settings.public_base_url,
                        "Hier können Sie ihn anhören und veröffentlichen oder mit einer Notiz zurückgeben:",
                        CONTENT_PATH.format(id=network.id))
    put_mails(session, [user.email for user in staff], f"Neuer Vorschlag für die Angebote – {network.name}",
              "\n".join(lines))


def publish(session: Session, draft: ActivityDraft, *, actor_id: int, now: datetime) -> Activity:
    """Put a draft or proposal on the line for the next call; the draft is gone then.

    A new activity is entered by the draft's author; a changed one stays with whoever entered it.
    A proposal given back is with its author: only they put it forward again.
    """
    if draft.state == "returned" and actor_id != draft.author_id:
        raise content.ContentError("Dieser Vorschlag ist zurückgegeben. Veröffentlichen lässt er sich, "
                                   "wenn er wieder vorgeschlagen ist.")
    network, title = draft.network, draft.title
    with drafts.activities_versioned(session, network, author_id=draft.author_id, actor_id=actor_id, now=now):
        activity = draft.activity
        if activity is None:
            activity = Activity(network_id=network.id)
            session.add(activity)
        content.store_activity(activity, content.activity_data_of(draft))
        # A change keeps who entered the activity: a volunteer's activity stays theirs when the Begleitung corrects it.
        activity.entered_by_id = activity.entered_by_id or draft.author_id
        activity.published_by_id, activity.published_at = actor_id, now
        session.delete(draft)
    audit.record(session, "activity_published", "activity", activity.id, actor_id=actor_id, network_id=network.id,
                 title=title)
    logger.info("network %s published activity %s", network.id, activity.id)
    return activity


def give_back(session: Session, draft: ActivityDraft, note: str, *, actor_id: int, now: datetime) -> None:
    """Give a proposal back to the volunteer who made it, with a note saying why."""
    if draft.state != "proposed":
        raise content.ContentError("Zurückgeben lässt sich nur ein Vorschlag, der auf Sie wartet.")
    note = " ".join(note.split())
    if not note:
        raise content.ContentError("Bitte schreiben Sie dazu, was noch fehlt oder geändert werden soll.")
    if len(note) > NOTE_MAX:
        raise content.ContentError(f"Die Notiz darf höchstens {NOTE_MAX} Zeichen haben.")
    draft.state, draft.note, draft.returned_by_id, draft.updated_at = "returned", note, actor_id, now
    session.flush()
    audit.record(session, "activity_returned", "activity_draft", draft.id, actor_id=actor_id,
                 network_id=draft.network_id, title=draft.title)


def discard(session: Session, draft: ActivityDraft, *, actor_id: int) -> None:
    """Throw a draft or proposal away (its author withdraws it, or the Begleitung discards her draft)."""
    audit.record(session, "activity_draft_discarded", "activity_draft", draft.id, actor_id=actor_id,
                 network_id=draft.network_id, title=draft.title)
    session.delete(draft)
    session.flush()


def set_audio(session: Session, activity: Activity, relative_path: str | None, *, actor_id: int,
              now: datetime) -> None:
    """Let a recording speak the activity (None: the computer voice again), from the next call on.

    The replaced file stays on disk: the history may bring it back.
    """
    with drafts.activities_versioned(session, activity.network, author_id=actor_id, actor_id=actor_id, now=now):
        activity.audio_path = relative_path
    audit.record(session, "audio_uploaded" if relative_path else "audio_removed", "activity",
                 activity.id, actor_id=actor_id, network_id=activity.network_id)


def delete(session: Session, activity: Activity, *, actor_id: int, now: datetime) -> None:
    """Take an activity off the line at once. A change waiting for it stays, as a new activity.

    Its recording stays on disk: restoring an older version brings the activity back with it.
    """
    with drafts.activities_versioned(session, activity.network, author_id=actor_id, actor_id=actor_id, now=now):
        audit.record(session, "activity_deleted", "activity", activity.id, actor_id=actor_id,
                     network_id=activity.network_id, title=activity.title)
        session.delete(activity)
