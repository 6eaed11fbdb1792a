"""For the Begleitung and admins: the urgent-word list, and data requests about a phone number.

A caller's number travels only in POST bodies (never in a URL, so never in an access log), and
neither this module nor the audit log writes it down; the audit log keeps its last digits.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; stubs: 3.2

from admin import bp
from admin.access import account, found, staff_only
from admin.forms import ALL_NETWORKS, ActionForm, EraseForm, NumberForm, UrgentTermForm
from hotline.db import utcnow
from hotline.files.recordings import delete_recording_files
from hotline.services import audit, data_requests, queue, stats, urgent_terms
from hotline.services.numbers import any_e164
from hotline.web import request_db

logger = logging.getLogger(__name__)

INVALID_NUMBER = "Das ist keine gültige Telefonnummer. Bitte mit Vorwahl eingeben, z. B. 0211 123456."


@bp.route("/dringend", methods=["GET", "POST"])
@staff_only
def urgent_words():
    """The words that put a message at the top of the queue, marked "Dringend"."""
    session = request_db.session()
    form = UrgentTermForm()
    networks = queue.networks_in_scope(session, account().network_ids)
    form.network.choices = [SelectChoice(network.id, network.name) for network in networks]
    if account().is_admin:
        form.network.choices.insert(0, SelectChoice(ALL_NETWORKS, "Alle Netzwerke"))
    if form.validate_on_submit():
        try:
            urgent_terms.add_term(session, form.term.data or "",
                                  network_id=form.network.data if form.network.data != ALL_NETWORKS else None,
                                  scope=_scope(), actor_id=account().id)
        except urgent_terms.TermError as error:
            form.term.errors = [str(error)]
        else:
            flash(f"„{(form.term.data or '').strip()}“ steht jetzt in der Liste.")
            return redirect(url_for("admin.urgent_words"))
    return render_template("admin/urgent_terms.html", form=form,
                           terms=urgent_terms.terms_in_scope(session, _scope()),
                           network_names={network.id: network.name for network in networks},
                           may_change=lambda term: urgent_terms.may_change(term, _scope()),
                           action_form=ActionForm())


@bp.post("/dringend/<int:term_id>/loeschen")
@staff_only
def remove_urgent_word(term_id: int):
    """Take a word off the list."""
    found(urgent_terms.remove_term(request_db.session(), term_id, scope=_scope(), actor_id=account().id)
          or None)
    flash("Das Wort ist aus der Liste entfernt.")
    return redirect(url_for("admin.urgent_words"))


def _scope() -> set[int] | None:
    network_ids = account().network_ids
    return None if network_ids is None else set(network_ids)


def _subject(form: NumberForm) -> data_requests.SubjectData | None:
    """What is stored about the form's number in one's networks; None when the number is invalid."""
    if not form.validate():
        return None
    number = any_e164(form.number.data)
    if number is None:
        form.number.errors = [INVALID_NUMBER]
        return None
    return data_requests.find_subject_data(request_db.session(), number, _scope())


def _audit(action: str, data: data_requests.SubjectData) -> None:
    audit.record(request_db.session(), action, "phone_number", None, actor_id=account().id,
                 number_ending=data.number[-3:], calls=len(data.calls), requests=len(data.requests),
                 voicemails=len(data.voicemails))


def _invalid_number():
    """Back to the empty form with a warning (export and erasure need a valid number)."""
    flash(INVALID_NUMBER, "warning")
    return redirect(url_for("admin.data_request"))


@bp.get("/auskunft")
@staff_only
def data_request():
    """Enter a phone number (the form posts it, so it never shows in a URL)."""
    return render_template("admin/data_request.html", form=NumberForm(formdata=None), data=None)


@bp.post("/auskunft")
@staff_only
def data_request_find():
    """Everything stored about the number in one's networks."""
    form = NumberForm()
    data = _subject(form)
    if data is not None:
        _audit("data_viewed", data)
    return render_template("admin/data_request.html", form=form, data=data,
                           erase_form=EraseForm(formdata=None, number=form.number.data))


@bp.post("/auskunft/export")
@staff_only
def data_request_export():
    """The same data as a JSON file (the answer to a request for information)."""
    form = NumberForm()
    data = _subject(form)
    if data is None:
        return _invalid_number()
    _audit("data_exported", data)
    body = json.dumps(data_requests.export_subject_data(data), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="auskunft.json"'})


@bp.post("/auskunft/brief")
@staff_only
def data_request_letter():
    """The same data as a printable letter in plain German, to send to the person who asked."""
    form = NumberForm()
    data = _subject(form)
    if data is None:
        return _invalid_number()
    _audit("data_letter", data)
    session = request_db.session()
    network_ids = {call.network_id for call in data.calls if call.network_id is not None} | {
        item.network_id for item in data.requests if item.network_id is not None}
    return render_template("admin/data_request_letter.html", data=data, today=utcnow(),
                           networks=queue.networks_in_scope(session, network_ids) if network_ids else [],
                           settings=current_app.extensions["hotline.settings"], step_name=stats.step_name)


@bp.post("/auskunft/loeschen")
@staff_only
def data_request_erase():
    """Delete everything about the number in one's networks, after an explicit confirmation."""
    form = EraseForm()
    data = _subject(form)
    if data is None:
        return _invalid_number()
    if not form.confirm.data:
        if request.form.get("bestaetigen"):
            form.confirm.errors = ["Bitte setzen Sie das Häkchen, wenn Sie wirklich löschen möchten."]
        return render_template("admin/data_request_erase.html", form=form, data=data)
    audio_files = data_requests.erase_subject_data(request_db.session(), data, actor_id=account().id)
    data_dir = current_app.extensions["hotline.settings"].data_dir
    request_db.after_commit(lambda: _delete_audio(data_dir, audio_files))
    # Twilio's copies of the calls: written down with the erasure, deleted there by the worker.
    request_db.after_commit(lambda: current_app.extensions["hotline.jobs"].erase_at_twilio())
    flash("Die Daten zu dieser Nummer sind gelöscht.")
    return redirect(url_for("admin.data_request"))


def _delete_audio(data_dir: Path, paths: tuple[str, ...]) -> None:
    """After the commit: remove the recordings of erased voicemails."""
    removed = delete_recording_files(data_dir, paths)
    logger.info("deleted %d recordings after erasing a caller's data", removed)
