"""The callback queue: list, detail with audio and transcript, claim, attempts, calling."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, send_file, url_for

from admin import bp
from admin.access import account, found, staff_only
from admin.formatting import local_time
from admin.forms import ActionForm, AttemptForm
from hotline.db import utcnow
from hotline.files.recordings import file_inside
from hotline.models import CallbackRequest, User
from hotline.services import audit, call_times, callbacks, queue
from hotline.twilio import calls
from hotline.web import request_db

logger = logging.getLogger(__name__)


def _settings():
    return current_app.extensions["hotline.settings"]


def _request_or_404(request_id: int) -> CallbackRequest:
    return found(queue.get_request(request_db.session(), request_id, account().network_ids))


def _back(request_id: int):
    return redirect(url_for("admin.request_detail", request_id=request_id))


@bp.get("/", endpoint="queue")
def queue_page():
    """The open requests of one's networks (urgent first, then oldest)."""
    session, scope = request_db.session(), account().network_ids
    return render_template(
        "admin/queue.html",
        mine_count=len(queue.claimed_by(session, account().id, scope)),
        waiting=queue.open_requests(session, scope),
        flagged=queue.flagged_requests(session, scope) if account().is_staff else [],
        quiet=call_times.quiet_reason(utcnow(), _settings()),
    )


@bp.get("/meine-rueckrufe")
def my_requests():
    """The requests one has claimed, the next one to call first, with the planned retry times."""
    session, scope = request_db.session(), account().network_ids
    return render_template("admin/my_requests.html", mine=queue.claimed_by(session, account().id, scope),
                           quiet=call_times.quiet_reason(utcnow(), _settings()))


@bp.get("/erledigt")
def done_requests():
    """The most recently finished requests of one's networks."""
    session, scope = request_db.session(), account().network_ids
    return render_template("admin/done_requests.html", done=queue.done_requests(session, scope),
                           limit=queue.DONE_LIMIT)


@bp.get("/rueckrufe/<int:request_id>")
def request_detail(request_id: int):
    """One request: number, wishes, message, transcript, history; opening it is audited."""
    callback = _request_or_404(request_id)
    audit.record(request_db.session(), "viewed", "callback_request", callback.id, actor_id=account().id,
                 network_id=callback.network_id)
    attempt_form = AttemptForm()
    attempt_form.suggest_retry(callback.retry_at or call_times.default_retry_at(
        utcnow(), callback.preferred_time, _settings()))
    return _detail_page(callback, attempt_form)


def _detail_page(callback: CallbackRequest, attempt_form: AttemptForm, status: int = 200):
    session = request_db.session()
    page = render_template(
        "admin/request.html",
        callback=callback,
        mine=callback.status == "claimed" and callback.claimed_by_id == account().id,
        voicemail=queue.voicemail_of(session, callback),
        history=queue.caller_history(session, callback),
        timeline=queue.history_of(session, callback),
        claimer=session.get(User, callback.claimed_by_id) if callback.claimed_by_id else None,
        quiet=call_times.quiet_reason(utcnow(), _settings()),
        call_unavailable=calls.unavailable_reason(_settings(), callback, account().user),
        action_form=ActionForm(),
        attempt_form=attempt_form,
    )
    return page, status


@bp.get("/rueckrufe/<int:request_id>/nachricht")
def audio(request_id: int):
    """The recorded message, seekable (HTTP Range), only for users of the request's network."""
    session = request_db.session()
    callback = _request_or_404(request_id)
    voicemail = found(queue.voicemail_of(session, callback))
    path = found(_audio_path(voicemail.local_path))
    if request.headers.get("Range", "bytes=0-").startswith("bytes=0-"):
        # Seeking asks for later ranges again; only the start of listening is worth a log line.
        audit.record(session, "audio_played", "callback_request", callback.id,
                     actor_id=account().id, network_id=callback.network_id)
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return send_file(path, mimetype=mimetype, conditional=True, etag=True, max_age=0)


def _audio_path(local_path: str | None) -> Path | None:
    """The file inside the data dir (relative paths are relative to it), or None."""
    if not local_path:
        return None
    path = file_inside(_settings().data_dir, local_path)
    if path is None or not path.is_file():
        logger.warning("audio file for a voicemail is missing or outside the data dir")
        return None
    return path


@bp.post("/rueckrufe/<int:request_id>/uebernehmen")
def claim(request_id: int):
    """"Ich rufe zurück": take the request out of everyone else's queue."""
    callback = _request_or_404(request_id)
    if callbacks.claim(request_db.session(), callback.id, account().id, now=utcnow()):
        flash("Der Rückruf gehört jetzt Ihnen. Die anderen sehen ihn nicht mehr in der Liste.")
    else:
        flash("Jemand anderes hat diesen Rückruf gerade übernommen.", "warning")
    return _back(request_id)


@bp.post("/rueckrufe/<int:request_id>/zurueckgeben")
def unclaim(request_id: int):
    """Give the request back to the open queue."""
    callback = _request_or_404(request_id)
    try:
        callbacks.unclaim(request_db.session(), callback, account().id, now=utcnow())
    except callbacks.CallbackError as error:
        flash(str(error), "warning")
        return _back(request_id)
    flash("Der Rückruf ist wieder in der Warteliste.")
    return redirect(url_for("admin.queue"))


@bp.post("/rueckrufe/<int:request_id>/versuch")
def log_attempt(request_id: int):
    """Record how the call went; the request moves on (done, open again, or flagged)."""
    callback = _request_or_404(request_id)
    form = AttemptForm()
    if not form.validate():
        # Shown again with what was typed, so a long note is not lost.
        flash("Bitte prüfen Sie die markierten Angaben.", "warning")
        return _detail_page(callback, form, 400)
    try:
        callbacks.log_attempt(request_db.session(), callback, account().id, form.outcome.data,
                              form.note.data or "", now=utcnow(),
                              max_attempts=_settings().max_callback_attempts,
                              retry_at=form.retry_at())
    except callbacks.CallbackError as error:
        flash(str(error), "warning")
        return _detail_page(callback, form, 400)
    flash(_after_attempt_message(callback))
    return redirect(url_for("admin.queue"))


def _after_attempt_message(callback: CallbackRequest) -> str:
    if callback.status == "done":
        return "Danke! Der Rückruf ist erledigt."
    if callback.status == "flagged":
        return "Eingetragen. Der Rückruf ist jetzt für die Begleitung markiert."
    return (f"Eingetragen. Der Rückruf bleibt bei Ihnen; nächster Versuch: "
            f"{local_time(callback.retry_at)}. Sie finden ihn unter „Meine Rückrufe“.")


@bp.post("/rueckrufe/<int:request_id>/anrufen")
def call(request_id: int):
    """Let Twilio ring one's own phone and connect to the caller after pressing 1."""
    callback = _request_or_404(request_id)
    if callback.status != "claimed" or callback.claimed_by_id != account().id:
        flash("Bitte übernehmen Sie den Rückruf zuerst mit „Ich rufe zurück“.", "warning")
        return _back(request_id)
    try:
        ring = calls.prepare_ring(_settings(), callback, account().user)
        # The REST request may take seconds; an open transaction would hold the database meanwhile
        # (on SQLite every transaction holds the write lock, and the webhooks must write).
        request_db.end_transaction()
        started = calls.ring_volunteer(current_app.extensions["hotline.twilio"], ring)
    except calls.BridgeUnavailable as error:
        flash(str(error), "warning")
    else:
        calls.record_started_call(request_db.session(), ring, started)
        flash("Ihr Telefon klingelt gleich. Nehmen Sie ab und drücken Sie die 1.")
    return _back(request_id)


@bp.post("/rueckrufe/<int:request_id>/wieder-oeffnen")
@staff_only
def reopen(request_id: int):
    """Begleitung: put a flagged request back into the queue for new attempts."""
    return _decide(request_id, callbacks.reopen, "Der Rückruf ist wieder in der Warteliste.")


@bp.post("/rueckrufe/<int:request_id>/abschliessen")
@staff_only
def close(request_id: int):
    """Begleitung: finish a flagged request without another call."""
    return _decide(request_id, callbacks.close, "Der Rückruf ist abgeschlossen.")


def _decide(request_id: int, change, message: str):
    callback = _request_or_404(request_id)
    try:
        change(request_db.session(), callback, account().id, now=utcnow())
    except callbacks.CallbackError as error:
        flash(str(error), "warning")
    else:
        flash(message)
    return _back(request_id)

