"""A network's own prompt texts and recorded audio (for prompts and for activities)."""

from __future__ import annotations

import logging

from flask import current_app, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from admin import bp
from admin.access import account, found, staff_only
from admin.content import flash_draft, network_or_404, now
from admin.forms import ActionForm, AudioForm, PromptTextForm
from hotline.files import prompt_audio
from hotline.models import Network
from hotline.services import activity_drafts, content, drafts, prompts
from hotline.web import request_db

logger = logging.getLogger(__name__)

UPLOAD_ENDPOINTS = frozenset({"admin.upload_prompt_audio", "admin.upload_activity_audio"})
# Room for the form fields around a file of the largest allowed size.
UPLOAD_REQUEST_BYTES = prompt_audio.MAX_BYTES + 256 * 1024
TOO_LARGE = "Die Datei ist zu groß. Erlaubt sind höchstens 5 MB."


@bp.before_app_request
def _allow_uploads() -> None:
    # Runs before the admin's guard reads the form: uploads may be larger than other requests.
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = UPLOAD_REQUEST_BYTES


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge):
    return render_template("admin/error.html", title="Datei zu groß", message=TOO_LARGE), 413


def _checked_upload(form: AudioForm) -> prompt_audio.CheckedAudio | None:
    """The uploaded audio after all checks, or None (the reason is added to the form)."""
    if not form.validate():
        return None
    # Read one byte more than allowed: enough to tell "too big" without reading everything.
    data = form.audio.data.stream.read(prompt_audio.MAX_BYTES + 1)
    try:
        return prompt_audio.check_audio(data)
    except prompt_audio.AudioRejected as error:
        form.audio.errors = [str(error)]
        return None


def _store(network: Network, audio: prompt_audio.CheckedAudio) -> str:
    return prompt_audio.store(current_app.extensions["hotline.settings"].data_dir, network, audio)


def _key_or_404(key: str) -> str:
    return found(key if key in prompts.NETWORK_KEYS else None)


@bp.get("/inhalte/<int:network_id>/ansagen")
@staff_only
def prompt_list(network_id: int):
    """Every text the line speaks, in the order of a call, with the network's own wording or recording."""
    network = network_or_404(network_id)
    session = request_db.session()
    working = drafts.working_copy(session, network, "prompts")
    return render_template("admin/prompts.html", network=network,
                           sections=prompts.prompt_sections(session, network, working["texts"], working["audio"]),
                           draft=drafts.draft_of(session, network.id, "prompts"), action_form=ActionForm())


def _prompt_page(network: Network, key: str, text_form: PromptTextForm, audio_form: AudioForm):
    session = request_db.session()
    working = drafts.working_copy(session, network, "prompts")
    row = prompts.prompt_row(session, network, key, working["texts"], working["audio"])
    placeholders = [(name, prompts.placeholder_meaning(key, name)) for name in sorted(prompts.placeholders(key))]
    return render_template("admin/prompt_form.html", network=network, row=row, text_form=text_form,
                           audio_form=audio_form, action_form=ActionForm(), placeholders=placeholders)


@bp.route("/inhalte/<int:network_id>/ansagen/<key>", methods=["GET", "POST"])
@staff_only
def edit_prompt(network_id: int, key: str):
    """The network's own wording for one prompt (empty: the standard text)."""
    network = network_or_404(network_id)
    key = _key_or_404(key)
    session = request_db.session()
    working = drafts.working_copy(session, network, "prompts")
    row = prompts.prompt_row(session, network, key, working["texts"], working["audio"])
    form = PromptTextForm(data={"text": row.text or row.default})
    if form.is_submitted() and row.text_allowed and form.validate():
        try:
            texts = prompts.with_text(working["texts"], key, form.text.data or "")
        except prompts.PromptError as error:
            form.text.errors = [str(error)]
        else:
            flash_draft(drafts.save_draft(session, network, "prompts", {**working, "texts": texts},
                                          actor_id=account().id))
            return redirect(url_for("admin.prompt_list", network_id=network.id))
    return _prompt_page(network, key, form, AudioForm(formdata=None))


@bp.post("/inhalte/<int:network_id>/ansagen/<key>/aufnahme")
@staff_only
def upload_prompt_audio(network_id: int, key: str):
    """Use a recording instead of synthesized speech for one prompt."""
    network = network_or_404(network_id)
    key = found(key if key in prompts.AUDIO_KEYS else None)
    form = AudioForm()
    audio = _checked_upload(form)
    if audio is None:
        return _prompt_page(network, key, PromptTextForm(formdata=None), form)
    _save_audio(network, key, _store(network, audio))
    return redirect(url_for("admin.edit_prompt", network_id=network.id, key=key))


def _save_audio(network: Network, key: str, relative_path: str | None) -> None:
    # Recordings go into the prompts' draft; replaced files stay for the versions that play them.
    session = request_db.session()
    working = drafts.working_copy(session, network, "prompts")
    snapshot = {**working, "audio": prompts.with_audio(working["audio"], key, relative_path)}
    flash_draft(drafts.save_draft(session, network, "prompts", snapshot, actor_id=account().id))


@bp.post("/inhalte/<int:network_id>/ansagen/<key>/aufnahme/entfernen")
@staff_only
def remove_prompt_audio(network_id: int, key: str):
    """Go back to synthesized speech for one prompt (in the draft)."""
    network = network_or_404(network_id)
    key = _key_or_404(key)
    _save_audio(network, key, None)
    return redirect(url_for("admin.edit_prompt", network_id=network.id, key=key))


@bp.post("/inhalte/<int:network_id>/angebote/<int:activity_id>/aufnahme")
@staff_only
def upload_activity_audio(network_id: int, activity_id: int):
    """A recording replaces the spoken title, date, place and description of an activity."""
    network = network_or_404(network_id)
    activity = found(content.get_activity(request_db.session(), network, activity_id))
    form = AudioForm()
    audio = _checked_upload(form)
    if audio is None:
        flash(" ".join(form.audio.errors), "warning")
        return redirect(url_for("admin.edit_activity", network_id=network.id, activity_id=activity.id))
    activity_drafts.set_audio(request_db.session(), activity, _store(network, audio), actor_id=account().id,
                              now=now())
    flash("Die Aufnahme ist gespeichert und ab dem nächsten Anruf zu hören.")
    return redirect(url_for("admin.edit_activity", network_id=network.id, activity_id=activity.id))


@bp.post("/inhalte/<int:network_id>/angebote/<int:activity_id>/aufnahme/entfernen")
@staff_only
def remove_activity_audio(network_id: int, activity_id: int):
    """Read the activity with the computer voice again."""
    network = network_or_404(network_id)
    activity = found(content.get_activity(request_db.session(), network, activity_id))
    activity_drafts.set_audio(request_db.session(), activity, None, actor_id=account().id, now=now())
    flash("Die Aufnahme ist entfernt.")
    return redirect(url_for("admin.edit_activity", network_id=network.id, activity_id=activity.id))
