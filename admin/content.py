"""The Begleitung's content of a network's line: activities, newcomer text, greeting, hours, closures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from wtforms import DateField, FieldList, RadioField, TimeField

from admin import bp
from admin.access import account, found, staff_only
from admin.forms import (
    FREQUENCY_LABELS,
    ActionForm,
    ActivityForm,
    AudioForm,
    ClosureDayForm,
    LineSettingsForm,
    NewcomerForm,
    OfficeHoursForm,
)
from hotline.files import prompt_audio
from hotline.models import Activity, Network
from hotline.services import content, numbers, queue
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


def remove_after_commit(relative_path: str | None) -> None:
    """Delete a replaced prompt file once the change is committed (never before)."""
    if relative_path:
        data_dir = current_app.extensions["hotline.settings"].data_dir
        request_db.after_commit(lambda: prompt_audio.remove(data_dir, relative_path))


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
    """Everything the line of one network says, activities first."""
    network = network_or_404(network_id)
    return render_template("admin/content.html", network=network,
                           groups=content.group_activities(network.activities, now()),
                           frequency_labels=FREQUENCY_LABELS,
                           action_form=ActionForm())


def _when(day: DateField, at: TimeField, frequency: RadioField, until: DateField,
          cancelled: FieldList) -> content.WhenData:
    # The form has checked these; the fields' types cannot say so.
    assert day.data is not None
    assert at.data is not None
    return content.WhenData(day.data, at.data, Frequency(frequency.data), until.data,
                            tuple(entry.data for entry in cancelled.entries if entry.data))


def _show_when(when: content.WhenData, day: DateField, at: TimeField, frequency: RadioField, until: DateField,
               cancelled: FieldList) -> None:
    day.data, at.data, frequency.data, until.data = when.day, when.at, when.frequency.value, when.until
    for cancelled_day in when.cancelled:
        cancelled.append_entry(cancelled_day)


def _changed_cancelled_list(cancelled: FieldList) -> bool:
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


def _activity_when(form: ActivityForm) -> content.WhenData:
    return _when(form.day, form.at, form.frequency, form.repeat_until, form.cancelled)


def _activity_data(form: ActivityForm) -> content.ActivityData:
    assert form.valid_from.data is not None  # DataRequired
    return content.ActivityData(form.title.data or "", form.description.data or "", _activity_when(form),
                                form.place.data or "", form.valid_from.data, form.valid_until.data)


def _save_activity(form: ActivityForm, save: Callable[[content.ActivityData], object]) -> bool:
    """Validate and save; False when the page is to be shown again (with the entries as typed)."""
    if _changed_cancelled_list(form.cancelled) or not form.validate():
        return False
    try:
        save(_activity_data(form))
    except content.ContentError as error:
        form.frequency.errors = [*form.frequency.errors, str(error)]
        return False
    return True


@bp.route("/inhalte/<int:network_id>/angebote/neu", methods=["GET", "POST"])
@staff_only
def new_activity(network_id: int):
    """Add an activity; it is read on the phone from "ansagen ab" by its next date."""
    network = network_or_404(network_id)
    form = ActivityForm()
    if not form.is_submitted():
        today = now().astimezone(BERLIN).date()
        form.valid_from.data, form.day.data = today, today + timedelta(days=7)
    elif _save_activity(form, lambda data: content.add_activity(request_db.session(), network, data,
                                                                 actor_id=account().id)):
        flash("Das Angebot ist gespeichert. Es ist ab sofort am Telefon zu hören, "
              "sobald „ansagen ab“ erreicht ist.")
        return redirect(url_for("admin.content_page", network_id=network.id))
    return render_template("admin/activity_form.html", network=network, form=form, activity=None)


def _activity_or_404(network: Network, activity_id: int) -> Activity:
    return found(content.get_activity(request_db.session(), network, activity_id))


@bp.route("/inhalte/<int:network_id>/angebote/<int:activity_id>", methods=["GET", "POST"])
@staff_only
def edit_activity(network_id: int, activity_id: int):
    """Change an activity; a recording can replace its spoken text."""
    network = network_or_404(network_id)
    activity = _activity_or_404(network, activity_id)
    form = ActivityForm()
    if not form.is_submitted():
        data = content.activity_data_of(activity)
        for name in ("title", "description", "place", "valid_from", "valid_until"):
            form[name].data = getattr(data, name)
        _show_when(data.when, form.day, form.at, form.frequency, form.repeat_until, form.cancelled)
    elif _save_activity(form, lambda data: content.update_activity(request_db.session(), activity, data,
                                                                    actor_id=account().id)):
        flash("Das Angebot ist geändert.")
        return redirect(url_for("admin.content_page", network_id=network.id))
    return render_template("admin/activity_form.html", network=network, form=form, activity=activity,
                           audio_form=AudioForm(), action_form=ActionForm())


@bp.post("/inhalte/<int:network_id>/angebote/<int:activity_id>/loeschen")
@staff_only
def delete_activity(network_id: int, activity_id: int):
    """Delete an activity (and its recording)."""
    network = network_or_404(network_id)
    activity = _activity_or_404(network, activity_id)
    remove_after_commit(content.delete_activity(request_db.session(), activity, actor_id=account().id))
    flash("Das Angebot ist gelöscht.")
    return redirect(url_for("admin.content_page", network_id=network.id))


@bp.route("/inhalte/<int:network_id>/neu-hier", methods=["GET", "POST"])
@staff_only
def newcomer_info(network_id: int):
    """The newcomer information and the welcome meeting (a date that may recur, and a note)."""
    network = network_or_404(network_id)
    info = network.newcomer_info
    form = NewcomerForm()
    if not form.is_submitted():
        if info is not None:
            form.text.data, form.welcome_meeting.data = info.text, info.welcome_meeting
            if info.welcome_schedule is not None:
                _show_when(content.when_data_of(info.welcome_schedule), form.welcome_day, form.welcome_at,
                           form.welcome_frequency, form.welcome_until, form.welcome_cancelled)
    elif not _changed_cancelled_list(form.welcome_cancelled) and form.validate():
        welcome = _when(form.welcome_day, form.welcome_at, form.welcome_frequency, form.welcome_until,
                        form.welcome_cancelled) if form.welcome_day.data else None
        try:
            content.set_newcomer_info(request_db.session(), network, form.text.data or "",
                                      form.welcome_meeting.data or "", welcome, actor_id=account().id)
        except content.ContentError as error:
            form.welcome_frequency.errors = [*form.welcome_frequency.errors, str(error)]
        else:
            flash("Die Informationen für neue Interessierte sind gespeichert.")
            return redirect(url_for("admin.content_page", network_id=network.id))
    return render_template("admin/newcomer.html", network=network, form=form)


@bp.route("/inhalte/<int:network_id>/einstellungen", methods=["GET", "POST"])
@staff_only
def line_settings(network_id: int):
    """Greeting and forwarding number."""
    network = network_or_404(network_id)
    form = LineSettingsForm(obj=network)
    if not form.is_submitted():
        form.forwarding_number.data = numbers.written(network.forwarding_number) if network.forwarding_number else ""
    elif form.validate():
        try:
            content.set_line_settings(request_db.session(), network, greeting=form.greeting.data or "",
                                      forwarding_number=form.forwarding_number.data or "", actor_id=account().id)
        except content.ContentError as error:
            form.forwarding_number.errors = [str(error)]
        else:
            flash("Begrüßung und Weiterleitung sind gespeichert.")
            return redirect(url_for("admin.content_page", network_id=network.id))
    return render_template("admin/line_settings.html", network=network, form=form)


@bp.get("/inhalte/<int:network_id>/zeiten")
@staff_only
def office_hours(network_id: int):
    """Weekly office hours and closure days."""
    network = network_or_404(network_id)
    return _hours_page(network, OfficeHoursForm(formdata=None), ClosureDayForm(formdata=None))


def _hours_page(network: Network, hours_form: OfficeHoursForm, closure_form: ClosureDayForm):
    today = now().astimezone(BERLIN).date()
    closures = [closure for closure in network.closure_days if closure.day >= today]
    return render_template("admin/hours.html", network=network, hours_form=hours_form,
                           closure_form=closure_form, closures=closures, action_form=ActionForm())


@bp.post("/inhalte/<int:network_id>/zeiten")
@staff_only
def add_office_hours(network_id: int):
    """Add a weekly opening interval."""
    network = network_or_404(network_id)
    form = OfficeHoursForm()
    if form.validate():
        assert form.opens.data is not None  # DataRequired, as for closes
        assert form.closes.data is not None
        try:
            content.add_office_hours(request_db.session(), network, form.weekday.data, form.opens.data,
                                     form.closes.data, actor_id=account().id)
        except content.ContentError as error:
            form.closes.errors = [str(error)]
        else:
            flash("Die Zeit ist eingetragen.")
            return redirect(url_for("admin.office_hours", network_id=network.id))
    return _hours_page(network, form, ClosureDayForm(formdata=None))


@bp.post("/inhalte/<int:network_id>/zeiten/<int:hours_id>/loeschen")
@staff_only
def remove_office_hours(network_id: int, hours_id: int):
    """Remove a weekly opening interval."""
    network = network_or_404(network_id)
    found(content.remove_office_hours(request_db.session(), network, hours_id, actor_id=account().id) or None)
    flash("Die Zeit ist gelöscht.")
    return redirect(url_for("admin.office_hours", network_id=network.id))


@bp.post("/inhalte/<int:network_id>/schliesstage")
@staff_only
def add_closure_day(network_id: int):
    """Add a closure day."""
    network = network_or_404(network_id)
    form = ClosureDayForm()
    if form.validate():
        assert form.day.data is not None  # DataRequired
        try:
            content.add_closure_day(request_db.session(), network, form.day.data, form.reason.data or "",
                                    actor_id=account().id)
        except content.ContentError as error:
            form.day.errors = [str(error)]
        else:
            flash("Der Schließtag ist eingetragen.")
            return redirect(url_for("admin.office_hours", network_id=network.id))
    return _hours_page(network, OfficeHoursForm(formdata=None), form)


@bp.post("/inhalte/<int:network_id>/schliesstage/<int:closure_id>/loeschen")
@staff_only
def remove_closure_day(network_id: int, closure_id: int):
    """Remove a closure day."""
    network = network_or_404(network_id)
    found(content.remove_closure_day(request_db.session(), network, closure_id, actor_id=account().id) or None)
    flash("Der Schließtag ist gelöscht.")
    return redirect(url_for("admin.office_hours", network_id=network.id))
