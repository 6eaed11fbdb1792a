"""Activities on their way to the line: volunteers propose, the Begleitung previews, publishes or gives back.

A volunteer sees their own proposals and activities under "Meine Angebote"; the Begleitung sees
what waits on the network's content page and on her start page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from admin import bp
from admin.access import account, found, staff_only
from admin.content import FREQUENCY_LABELS, changed_cancelled_list, network_or_404, now, show_when, when_of
from admin.forms import ActionForm, ActivityForm, AudioForm, GiveBackForm
from hotline.config import Settings
from hotline.models import Activity, ActivityDraft, Network, User
from hotline.services import activity_drafts, content
from hotline.web import request_db
from ivr_flows.schedule import BERLIN


def _settings() -> Settings:
    return current_app.extensions["hotline.settings"]


def _user() -> User:
    return account().user


def _back(network: Network) -> Response:
    """Staff return to the network's activities, volunteers to their own."""
    if account().is_staff:
        return redirect(url_for("admin.content_page", network_id=network.id))
    return redirect(url_for("admin.my_activities"))


def _activity_data(form: ActivityForm) -> content.ActivityData:
    assert form.valid_from.data is not None  # DataRequired
    when = when_of(form.day, form.at, form.frequency, form.repeat_until, form.cancelled)
    return content.ActivityData(form.title.data or "", form.description.data or "", when, form.place.data or "",
                                form.valid_from.data, form.valid_until.data, form.contact.data or "")


def _show(form: ActivityForm, data: content.ActivityData) -> None:
    for name in ("title", "description", "place", "valid_from", "valid_until", "contact"):
        form[name].data = getattr(data, name)
    show_when(data.when, form.day, form.at, form.frequency, form.repeat_until, form.cancelled)


def _saved(form: ActivityForm, save: Callable[[content.ActivityData], ActivityDraft]) -> ActivityDraft | None:
    """Validate and save; None when the page is to be shown again (with the entries as typed)."""
    if changed_cancelled_list(form.cancelled) or not form.validate():
        return None
    try:
        return save(_activity_data(form))
    except content.ContentError as error:
        form.frequency.errors = [*form.frequency.errors, str(error)]
        return None


def _after_save(network: Network, draft: ActivityDraft) -> Response:
    """Publish at once where the volunteer may; say what happens next."""
    session, user = request_db.session(), _user()
    if not activity_drafts.reviews(user) and activity_drafts.publishes_directly(session, user, network.id):
        activity_drafts.publish(session, draft, actor_id=user.id, now=now())
        flash("Das Angebot ist veröffentlicht. Ab dem nächsten Anruf ist es am Telefon zu hören, "
              "sobald „ansagen ab“ erreicht ist.")
    elif activity_drafts.reviews(user):
        flash("Der Entwurf ist gespeichert. Anrufende hören ihn erst, wenn Sie ihn veröffentlichen. "
              "Probieren Sie ihn vorher im Testanruf aus.")
    else:
        flash("Danke! Ihr Vorschlag ist bei der Begleitung. Sie hört ihn sich an und veröffentlicht ihn. "
              "Hier sehen Sie, wie weit er ist.")
    return _back(network)


def _save(network: Network, *, draft: ActivityDraft | None = None,
          activity: Activity | None = None) -> Callable[[content.ActivityData], ActivityDraft]:
    return lambda data: activity_drafts.save(request_db.session(), _settings(), network, data, author=_user(),
                                             now=now(), draft=draft, activity=activity)


def _form_page(network: Network, form: ActivityForm, *, draft: ActivityDraft | None = None,
               activity: Activity | None = None) -> str:
    reviews = activity_drafts.reviews(_user())
    return render_template("admin/activity_form.html", network=network, form=form, draft=draft, activity=activity,
                           audio_form=AudioForm(), action_form=ActionForm(), reviews=reviews,
                           own_draft=draft is not None and (reviews or draft.author_id == _user().id),
                           publishes_directly=activity_drafts.publishes_directly(request_db.session(), _user(),
                                                                                 network.id))


@bp.app_template_global()
def waiting_proposals() -> list[ActivityDraft]:
    """Volunteers' proposals waiting for the account (staff) in its networks, longest waiting first."""
    return activity_drafts.waiting_for_review(request_db.session(), account().network_ids)


@bp.route("/inhalte/<int:network_id>/angebote/neu", methods=["GET", "POST"])
def new_activity(network_id: int):
    """Enter a new activity: the Begleitung's draft, or a volunteer's proposal."""
    network = network_or_404(network_id)
    form = ActivityForm()
    if not form.is_submitted():
        today = now().astimezone(BERLIN).date()
        form.valid_from.data, form.day.data = today, today + timedelta(days=7)
    elif (draft := _saved(form, _save(network))) is not None:
        return _after_save(network, draft)
    return _form_page(network, form)


def _activity_or_404(network: Network, activity_id: int) -> Activity:
    activity = activity_drafts.activity_for_editor(request_db.session(), _user(), activity_id)
    return found(activity if activity is not None and activity.network_id == network.id else None)


def _draft_or_404(network: Network, draft_id: int) -> ActivityDraft:
    draft = activity_drafts.draft_for_editor(request_db.session(), _user(), draft_id)
    return found(draft if draft is not None and draft.network_id == network.id else None)


@bp.route("/inhalte/<int:network_id>/angebote/<int:activity_id>", methods=["GET", "POST"])
def edit_activity(network_id: int, activity_id: int):
    """Change a published activity: the change waits as a draft or proposal; the line keeps the old one."""
    network = network_or_404(network_id)
    activity = _activity_or_404(network, activity_id)
    waiting = activity_drafts.draft_of_activity(request_db.session(), activity.id)
    form = ActivityForm()
    if not form.is_submitted():
        _show(form, content.activity_data_of(waiting or activity))
    elif (draft := _saved(form, _save(network, activity=activity))) is not None:
        return _after_save(network, draft)
    return _form_page(network, form, draft=waiting, activity=activity)


@bp.route("/inhalte/<int:network_id>/vorschlaege/<int:draft_id>", methods=["GET", "POST"])
def edit_activity_draft(network_id: int, draft_id: int):
    """Change a draft or proposal that is not published yet (a volunteer: after it was given back, too)."""
    network = network_or_404(network_id)
    draft = _draft_or_404(network, draft_id)
    form = ActivityForm()
    if not form.is_submitted():
        _show(form, content.activity_data_of(draft))
    elif _saved(form, _save(network, draft=draft)) is not None:
        return _after_save(network, draft)
    return _form_page(network, form, draft=draft, activity=draft.activity)


@bp.post("/inhalte/<int:network_id>/vorschlaege/<int:draft_id>/veroeffentlichen")
@staff_only
def publish_activity(network_id: int, draft_id: int):
    """Put the draft or proposal on the line: the next call hears it."""
    network = network_or_404(network_id)
    draft = _draft_or_404(network, draft_id)
    try:
        activity = activity_drafts.publish(request_db.session(), draft, actor_id=account().id, now=now())
    except content.ContentError as error:  # given back meanwhile, e.g. in another tab
        flash(str(error), "warning")
        return _back(network)
    flash(f"„{activity.title}“ ist veröffentlicht. Ab dem nächsten Anruf ist es am Telefon zu hören.")
    return _back(network)


@bp.post("/inhalte/<int:network_id>/vorschlaege/<int:draft_id>/zurueckgeben")
@staff_only
def give_back_activity(network_id: int, draft_id: int):
    """Give a proposal back to the volunteer, with a note saying what to change."""
    network = network_or_404(network_id)
    draft = _draft_or_404(network, draft_id)
    form = GiveBackForm()
    if not form.validate():
        flash("Bitte schreiben Sie eine Notiz dazu, was noch fehlt oder geändert werden soll.", "warning")
        return _back(network)
    try:
        activity_drafts.give_back(request_db.session(), draft, form.note.data or "", actor_id=account().id,
                                  now=now())
    except content.ContentError as error:
        flash(str(error), "warning")
        return _back(network)
    flash(f"„{draft.title}“ ist mit Ihrer Notiz zurückgegeben.")
    return _back(network)


@bp.post("/inhalte/<int:network_id>/vorschlaege/<int:draft_id>/verwerfen")
def discard_activity_draft(network_id: int, draft_id: int):
    """Throw a draft away, or withdraw one's own proposal; the line is unchanged."""
    network = network_or_404(network_id)
    draft = _draft_or_404(network, draft_id)
    activity_drafts.discard(request_db.session(), draft, actor_id=account().id)
    flash("Der Entwurf ist verworfen." if account().is_staff else "Ihr Vorschlag ist zurückgezogen.")
    return _back(network)


@bp.post("/inhalte/<int:network_id>/angebote/<int:activity_id>/loeschen")
@staff_only
def delete_activity(network_id: int, activity_id: int):
    """Take an activity off the line at once (the history can bring it back)."""
    network = network_or_404(network_id)
    activity = _activity_or_404(network, activity_id)
    activity_drafts.delete(request_db.session(), activity, actor_id=account().id, now=now())
    flash("Das Angebot ist gelöscht. Im Verlauf können Sie es wiederherstellen.")
    return _back(network)


@bp.post("/inhalte/<int:network_id>/direkt-veroeffentlichen/<int:user_id>")
@staff_only
def set_direct_publishing(network_id: int, user_id: int):
    """Let a volunteer of the network publish their own activities directly, or take that back."""
    network = network_or_404(network_id)
    volunteer = found(next((user for user in network.users if user.id == user_id and user.role == "volunteer"),
                           None))
    allowed = request.form.get("erlaubt") == "ja"
    if activity_drafts.set_publishes_directly(request_db.session(), volunteer, network.id, allowed,
                                              actor_id=account().id):
        name = volunteer.display_name or volunteer.email
        flash(f"{name} veröffentlicht eigene Angebote jetzt direkt." if allowed
              else f"Angebote von {name} warten jetzt wieder auf Sie.")
    return redirect(url_for("admin.content_page", network_id=network.id))


@bp.get("/meine-angebote")
def my_activities():
    """A volunteer's own activities: what waits, what was given back (with the note), what the line reads."""
    session, user = request_db.session(), _user()
    return render_template("admin/my_activities.html", networks=user.networks,
                           drafts=activity_drafts.drafts_by(session, user),
                           groups=content.group_activities(activity_drafts.published_by_author(session, user), now()),
                           frequency_labels=FREQUENCY_LABELS,
                           direct={network.id for network in user.networks
                                   if activity_drafts.publishes_directly(session, user, network.id)},
                           action_form=ActionForm())
