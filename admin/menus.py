"""The main menu (saved as a draft, see admin.drafts), the printable key card and the "Testanruf" preview."""

from __future__ import annotations

import logging

from flask import current_app, jsonify, redirect, render_template, request, url_for

from admin import bp
from admin.access import account, staff_only
from admin.content import flash_draft, network_or_404, now
from admin.forms import ActionForm, MenuFormBase, menu_form
from hotline.models import Network
from hotline.services import call_times, drafts, flows, preview
from hotline.services.numbers import written
from hotline.web import request_db
from ivr_flows import StateError

logger = logging.getLogger(__name__)

DRAFT, PUBLISHED = "entwurf", "freigegeben"


def _audio_url(path: str) -> str:
    return url_for("audio.prompt", name=path)


def _form(choices: list[flows.MenuChoice]) -> MenuFormBase:
    keys = [choice.label_key for choice in choices]
    form = menu_form(keys, flows.SHORT_NAMES)
    if not form.is_submitted():
        for choice in choices:
            form[f"offered_{choice.label_key}"].data = choice.offered
            form[f"position_{choice.label_key}"].data = choice.position
            form[f"label_{choice.label_key}"].data = choice.label_text
    return form


def _submitted(form: MenuFormBase, keys: list[str]) -> list[flows.MenuChoice]:
    return [flows.MenuChoice(key, bool(form[f"offered_{key}"].data), form[f"position_{key}"].data or 0,
                             form[f"label_{key}"].data or "") for key in keys]


@bp.route("/inhalte/<int:network_id>/menue", methods=["GET", "POST"])
@staff_only
def menu(network_id: int):
    """Which options the main menu offers, in which order, with which words; saved as a draft."""
    network = network_or_404(network_id)
    session = request_db.session()
    choices = flows.choices_of(drafts.working_copy(session, network, "menu"))
    form = _form(choices)
    problems: list[str] = []
    if form.validate_on_submit():
        keys = [choice.label_key for choice in choices]
        submitted = _submitted(form, keys)
        by_option = flows.check_choices(submitted)
        for key, texts in by_option.items():
            if key:
                form[f"position_{key}"].errors = list(texts)
        problems = by_option.get("", [])
        if not by_option:
            try:
                snapshot = flows.menu_snapshot(submitted)
            except flows.MenuError as error:
                problems = list(error.problems)
            else:
                flash_draft(drafts.save_draft(session, network, "menu", snapshot, actor_id=account().id))
                return redirect(url_for("admin.menu", network_id=network.id))
    return render_template("admin/menu.html", network=network, form=form, choices=choices, problems=problems,
                           draft=drafts.draft_of(session, network.id, "menu"),
                           short_names=flows.SHORT_NAMES, action_form=ActionForm())


def _written_number(network: Network) -> str | None:
    return written(network.phone_numbers[0].e164) if network.phone_numbers else None


@bp.get("/inhalte/<int:network_id>/tastenkarte")
@staff_only
def key_card(network_id: int):
    """A large-print card of the published menu's keys, to print and hand out."""
    network = network_or_404(network_id)
    line = drafts.preview_line(request_db.session(), network, False, audio_url=_audio_url)
    return render_template("admin/key_card.html", network=network, entries=flows.key_card(line),
                           number=_written_number(network))


@bp.get("/inhalte/<int:network_id>/testanruf")
@staff_only
def test_call(network_id: int):
    """A keypad in the browser that calls the line's engine (as published, or with all drafts)."""
    network = network_or_404(network_id)
    which = DRAFT if request.args.get("fassung") == DRAFT else PUBLISHED
    return render_template("admin/test_call.html", network=network, which=which,
                           has_draft=bool(drafts.waiting(request_db.session(), [network.id])))


@bp.post("/inhalte/<int:network_id>/testanruf")
@staff_only
def test_call_step(network_id: int):
    """One step of the test call as JSON; the state comes with the request, nothing is stored."""
    network = network_or_404(network_id)
    form = request.form
    line = drafts.preview_line(request_db.session(), network, form.get("fassung") == DRAFT, audio_url=_audio_url,
                               callback_times=call_times.callback_times(current_app.extensions["hotline.settings"]))
    try:
        result = preview.preview_step(line, form.get("state", ""), form.get("event", ""),
                                      form.get("digits", ""), now())
    except (preview.PreviewError, StateError) as error:
        logger.info("test call step refused: %s", type(error).__name__)
        return jsonify({"error": "Diese Eingabe passt nicht zum Anruf. Bitte starten Sie neu."}), 400
    return jsonify(result.to_json())
