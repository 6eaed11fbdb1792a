"""The Begleitung's content of a network's line: the activities page, newcomer text, greeting, hours, closures."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from wtforms import DateField, FieldList, RadioField, TimeField

from admin import bp
from admin.access import account, found, staff_only
from admin.forms import (
    FREQUENCY_LABELS,
    ActionForm,
    ClosureDayForm,
    LineSettingsForm,
    NewcomerForm,
    OfficeHoursForm,
)
from hotline.models import ContentVersion, Network
from hotline.services import activity_drafts, content, drafts, numbers, queue
from hotline.web import request_db
from ivr_flows.recurrence import Frequency
from ivr_flows.schedule import BERLIN
from ivr_flows.speakable import speakable, warnings

PREVIEW_MAX = 5000  # longer than any content field; the preview never needs more


def now():
    """The clock the phone line reads (tests set it), so the admin and the line agree on "today"."""
    return current_app.extensions["hotline.clock"]()


def network_or_404(network_id: int) -> Network:
    """The network, if the account may edit it; else 404."""
    return found(content.network_in_scope(request_db.session(), network_id, account().network_ids))


def flash_draft(draft: ContentVersion | None) -> None:
    """Tell whether the edit made a draft or brought the content back to what callers hear."""
    if draft is None:
        flash("Das entspricht wieder dem, was Anrufende hören. Es gibt keinen Entwurf mehr.")
    else:
        flash("Der Entwurf ist gespeichert. Anrufende hören ihn erst, wenn Sie ihn veröffentlichen. "
              "Probieren Sie ihn vorher im Testanruf aus.")


@bp.post("/aussprache")
@staff_only
def speech_preview():
    """How the line will say a typed text, and what a voice cannot say well (JSON for the content forms)."""
    text = request.form.get("text", "")[:PREVIEW_MAX]
    return jsonify({"spoken": speakable(text), "warnings": warnings(text)})


@bp.get("/inhalte")
@staff_only
def content_networks():
    """Choose a network (a Begleitung with one network goes straight to it)."""
    networks = queue.networks_in_scope(request_db.session(), account().network_ids)
    if len(networks) == 1:
        return redirect(url_for("admin.content_page", network_id=networks[0].id))
    return render_template("admin/content_networks.html", networks=networks)


@bp.get("/inhalte/<int:network_id>")
@staff_only
def content_page(network_id: int):
    """Everything the line of one network says, activities first: what waits, what is heard, who may publish."""
    network = network_or_404(network_id)
    session = request_db.session()
    return render_template("admin/content.html", network=network,
                           groups=content.group_activities(network.activities, now()),
                           pending=activity_drafts.pending_of(session, network.id),
                           volunteers=[user for user in network.users if user.role == "volunteer" and user.active],
                           direct_publishers=activity_drafts.direct_publishers(session, network.id),
                           frequency_labels=FREQUENCY_LABELS, action_form=ActionForm())


def when_of(day: DateField, at: TimeField, frequency: RadioField, until: DateField,
            cancelled: FieldList) -> content.WhenData:
    """When something takes place, from the date, time and recurrence fields of a form."""
    # The form has checked these; the fields' types cannot say so.
    assert day.data is not None
    assert at.data is not None
    return content.WhenData(day.data, at.data, Frequency(frequency.data), until.data,
                            tuple(entry.data for entry in cancelled.entries if entry.data))


def show_when(when: content.WhenData, day: DateField, at: TimeField, frequency: RadioField, until: DateField,
              cancelled: FieldList) -> None:
    """Fill the date, time and recurrence fields of a form."""
    day.data, at.data, frequency.data, until.data = when.day, when.at, when.frequency.value, when.until
    for cancelled_day in when.cancelled:
        cancelled.append_entry(cancelled_day)


def changed_cancelled_list(cancelled: FieldList) -> bool:
    """Add an empty line or remove one ("Weiterer Ausfalltermin", "Entfernen"); True when asked to.

    Nothing is saved then, and every other entry stays as typed.
    """
    if "ausfall_neu" in request.form:
        cancelled.append_entry()
        return True
    removed = request.form.get("ausfall_weg", "")
    if not removed.isdigit():
        return False
    kept = [entry for index, entry in enumerate(cancelled.entries) if index != int(removed)]
    cancelled.entries, cancelled.last_index = [], -1
    for entry in kept:
        cancelled.append_entry(entry.data).raw_data = entry.raw_data
    return True


@bp.route("/inhalte/<int:network_id>/neu-hier", methods=["GET", "POST"])
@staff_only
def newcomer_info(network_id: int):
    """The newcomer information and the welcome meeting (a date that may recur, and a note); saved as a draft."""
    network = network_or_404(network_id)
    session = request_db.session()
    form = NewcomerForm()
    if not form.is_submitted():
        working = drafts.working_copy(session, network, "newcomer")
        form.text.data, form.welcome_meeting.data = working["text"], working["welcome_meeting"]
        schedule = drafts.welcome_schedule(working)
        if schedule is not None:
            show_when(content.when_data_of(schedule), form.welcome_day, form.welcome_at,
                       form.welcome_frequency, form.welcome_until, form.welcome_cancelled)
    elif not changed_cancelled_list(form.welcome_cancelled) and form.validate():
        welcome = when_of(form.welcome_day, form.welcome_at, form.welcome_frequency, form.welcome_until,
                        form.welcome_cancelled) if form.welcome_day.data else None
        try:
            snapshot = content.newcomer_snapshot(form.text.data or "", form.welcome_meeting.data or "", welcome)
        except content.ContentError as error:
            form.welcome_frequency.errors = [*form.welcome_frequency.errors, str(error)]
        else:
            flash_draft(drafts.save_draft(session, network, "newcomer", snapshot, actor_id=account().id))
            return redirect(url_for("admin.newcomer_info", network_id=network.id))
    return render_template("admin/newcomer.html", network=network, form=form,
                           draft=drafts.draft_of(session, network.id, "newcomer"), action_form=ActionForm())


@bp.route("/inhalte/<int:network_id>/einstellungen", methods=["GET", "POST"])
@staff_only
def line_settings(network_id: int):
    """Greeting (saved as a draft) and forwarding number (in force at once)."""
    network = network_or_404(network_id)
    session = request_db.session()
    form = LineSettingsForm(data=drafts.working_copy(session, network, "greeting"))
    if not form.is_submitted():
        form.forwarding_number.data = numbers.written(network.forwarding_number) if network.forwarding_number else ""
    elif form.validate():
        try:
            changed = content.set_forwarding_number(session, network, form.forwarding_number.data or "",
                                                    actor_id=account().id)
        except content.ContentError as error:
            form.forwarding_number.errors = [str(error)]
        else:
            if changed:
                flash("Die neue Weiterleitung gilt ab dem nächsten Anruf.")
            # The form has checked the greeting's length.
            snapshot = content.greeting_snapshot(form.greeting.data or "")
            flash_draft(drafts.save_draft(session, network, "greeting", snapshot, actor_id=account().id))
            return redirect(url_for("admin.line_settings", network_id=network.id))
    return render_template("admin/line_settings.html", network=network, form=form,
                           draft=drafts.draft_of(session, network.id, "greeting"), action_form=ActionForm())


@bp.get("/inhalte/<int:network_id>/zeiten")
@staff_only
def office_hours(network_id: int):
    """Weekly office hours and closure days (the draft's, if there is one)."""
    network = network_or_404(network_id)
    return _hours_page(network, OfficeHoursForm(formdata=None), ClosureDayForm(formdata=None))


def _hours_page(network: Network, hours_form: OfficeHoursForm, closure_form: ClosureDayForm):
    session = request_db.session()
    snapshot = drafts.working_copy(session, network, "hours")
    today = now().astimezone(BERLIN).date()
    closures = [(day, reason) for day, reason in drafts.closures_of(snapshot) if day >= today]
    return render_template("admin/hours.html", network=network, hours_form=hours_form,
                           closure_form=closure_form, weekly=drafts.weekly_of(snapshot), closures=closures,
                           draft=drafts.draft_of(session, network.id, "hours"), action_form=ActionForm())


def _save_hours(network: Network, weekly: content.Weekly, closures: content.Closures):
    session = request_db.session()
    flash_draft(drafts.save_draft(session, network, "hours", drafts.hours_snapshot(weekly, closures),
                                  actor_id=account().id))
    return redirect(url_for("admin.office_hours", network_id=network.id))


def _hours_draft(network: Network) -> tuple[content.Weekly, content.Closures]:
    snapshot = drafts.working_copy(request_db.session(), network, "hours")
    return drafts.weekly_of(snapshot), drafts.closures_of(snapshot)


@bp.post("/inhalte/<int:network_id>/zeiten")
@staff_only
def add_office_hours(network_id: int):
    """Add a weekly opening interval to the draft."""
    network = network_or_404(network_id)
    form = OfficeHoursForm()
    if form.validate():
        assert form.opens.data is not None  # DataRequired, as for closes
        assert form.closes.data is not None
        weekly, closures = _hours_draft(network)
        try:
            weekly = content.with_office_hours(weekly, form.weekday.data, form.opens.data, form.closes.data)
        except content.ContentError as error:
            form.closes.errors = [str(error)]
        else:
            return _save_hours(network, weekly, closures)
    return _hours_page(network, form, ClosureDayForm(formdata=None))


@bp.post("/inhalte/<int:network_id>/zeiten/<int:weekday>/<opens>/loeschen")
@staff_only
def remove_office_hours(network_id: int, weekday: int, opens: str):
    """Remove a weekly opening interval from the draft."""
    network = network_or_404(network_id)
    weekly, closures = _hours_draft(network)
    kept = [row for row in weekly if (row[0], row[1].strftime("%H:%M")) != (weekday, opens)]
    found(len(kept) < len(weekly) or None)
    return _save_hours(network, kept, closures)


@bp.post("/inhalte/<int:network_id>/schliesstage")
@staff_only
def add_closure_day(network_id: int):
    """Add a closure day to the draft."""
    network = network_or_404(network_id)
    form = ClosureDayForm()
    if form.validate():
        assert form.day.data is not None  # DataRequired
        weekly, closures = _hours_draft(network)
        try:
            closures = content.with_closure_day(closures, form.day.data, form.reason.data or "")
        except content.ContentError as error:
            form.day.errors = [str(error)]
        else:
            return _save_hours(network, weekly, closures)
    return _hours_page(network, OfficeHoursForm(formdata=None), form)


@bp.post("/inhalte/<int:network_id>/schliesstage/<day>/loeschen")
@staff_only
def remove_closure_day(network_id: int, day: str):
    """Remove a closure day from the draft."""
    network = network_or_404(network_id)
    weekly, closures = _hours_draft(network)
    kept = [row for row in closures if row[0].isoformat() != day]
    found(len(kept) < len(closures) or None)
    return _save_hours(network, weekly, kept)
