"""Blueprint `voice`: Twilio's webhooks. Parse the form -> services (engine) -> TwiML; commit, then enqueue.

Every answer is valid TwiML with status 200: when anything goes wrong the caller hears an apology
and, once, the line starts over; Twilio never sees a 500 from here.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Flask, current_app, request, url_for
from werkzeug.exceptions import InternalServerError

from hotline.config import Settings
from hotline.jobs import Jobs
from hotline.line_cache import LineCache
from hotline.services import call_times, calls, notifications, voicemails
from hotline.services.numbers import callable_e164
from hotline.web import request_db, twiml, urls
from hotline.web.signatures import require_twilio_signature
from ivr_flows import CallState
from ivr_flows.actions import Action
from ivr_flows.events import CallStarted, Digits, Event, ForwardResult, NoInput, RecordingFinished

logger = logging.getLogger(__name__)

bp = Blueprint("voice", __name__, url_prefix="/twilio")

MAX_RETRIES = 1  # after an error the line starts over once; a second error ends the call politely
ANSWERED = frozenset({"completed", "answered"})
# Twilio's call and recording SIDs; anything else cannot come from Twilio and must not be stored.
_CALL_SID = re.compile(r"CA[0-9a-f]{32}")
_RECORDING_SID = re.compile(r"RE[0-9a-f]{32}")
_PHONE_KEYS = re.compile(r"[0-9*#]+")
CONTENT_REVISION = "v"  # query parameter of the action URLs


def init_app(app: Flask) -> None:
    """Register the blueprint and the clock the webhooks read (tests replace it)."""
    app.extensions.setdefault("hotline.clock", lambda: datetime.now(UTC))
    app.extensions["hotline.lines"] = LineCache()
    app.register_blueprint(bp)


@bp.post("/voice")
@require_twilio_signature
def incoming():
    """A call comes in: greet the caller."""
    return _answer(None, lambda _form: CallStarted(_caller()), retry=1)


@bp.post("/retry/<int:attempt>")
@require_twilio_signature
def retry(attempt: int):
    """Start the call over after an error (the apology redirects here)."""
    return _answer(None, lambda _form: CallStarted(_caller()), retry=attempt + 1)


@bp.post("/step/<state>")
@require_twilio_signature
def gathered(state: str):
    """Keys pressed in a Gather (or none: actionOnEmptyResult)."""
    return _answer(state, _keys_pressed)


@bp.post("/recorded/<state>")
@require_twilio_signature
def recorded(state: str):
    """A Record ended: by `#`, by silence, or by the caller hanging up (the answer is then ignored)."""
    return _answer(state, lambda form: RecordingFinished(
        duration_seconds=int(form.get("RecordingDuration") or 0), hung_up=form.get("Digits") == "hangup"))


@bp.post("/dialed/<state>")
@require_twilio_signature
def dialed(state: str):
    """A forwarded call ended, answered or not."""
    return _answer(state, lambda form: ForwardResult(answered=form.get("DialCallStatus") in ANSWERED))


@bp.post("/status")
@require_twilio_signature
def status():
    """Call status callback: complete the Call row; late or repeated callbacks change nothing."""
    form = request.form
    try:
        duration = int(form["CallDuration"]) if form.get("CallDuration") else None
        created = calls.complete_call(request_db.session(), _twilio_call(), form["CallStatus"], duration, _now())
        if created is not None:
            _announce_new_requests((created,))
        request_db.session().flush()
    except Exception:
        logger.exception("call %s: status callback failed", form.get("CallSid", "?"))
        return _discard_and_answer_empty()
    return twiml.http_response(twiml.empty())


@bp.post("/recording-status")
@require_twilio_signature
def recording_status():
    """Recording status callback: commit the voicemail and its callback request, then enqueue processing."""
    form = request.form
    try:
        if not (_RECORDING_SID.fullmatch(form.get("RecordingSid", ""))
                and _CALL_SID.fullmatch(form.get("CallSid", ""))):
            raise ValueError("recording callback without valid SIDs")
        report = voicemails.RecordingReport(
            recording_sid=form["RecordingSid"], call_sid=form["CallSid"], url=form["RecordingUrl"],
            status=form["RecordingStatus"],
            duration_seconds=int(form["RecordingDuration"]) if form.get("RecordingDuration") else None,
            error_code=form.get("ErrorCode") or None,
        )
        stored = voicemails.store_recording(request_db.session(), report, _now())
        if stored.new_request_id is not None:
            _announce_new_requests((stored.new_request_id,))
    except Exception:
        logger.exception("call %s: recording callback failed", form.get("CallSid", "?"))
        return _discard_and_answer_empty()
    jobs: Jobs = current_app.extensions["hotline.jobs"]
    if stored.needs_processing:
        voicemail_id = stored.voicemail_id
        request_db.after_commit(lambda: jobs.process_voicemail(voicemail_id))
    return twiml.http_response(twiml.empty())


@bp.errorhandler(InternalServerError)
def _server_error(error: InternalServerError):
    # Reached only when the commit at the end of the request fails (e.g. the database went away).
    logger.error("call %s: %s failed: %s", request.form.get("CallSid", "?"), request.path,
                 error.original_exception)
    return twiml.http_response(twiml.apology(_settings().voice, None))


def _answer(encoded_state: str | None, parse_event: Callable[[dict[str, str]], Event], retry: int = 1):
    """Run one step of the call and answer with its TwiML (or an apology)."""
    settings = _settings()
    session = request_db.session()
    try:
        twilio = _twilio_call()
        state = CallState() if encoded_state is None else CallState.decode(encoded_state)
        # The caller's number never travels in a URL: it comes back with every request.
        state = replace(state, caller=twilio.caller)
        event = parse_event(request.form.to_dict())
        lines: LineCache = current_app.extensions["hotline.lines"]
        revision, line = lines.line(session, twilio.called, url_base=request.host_url, audio_url=urls.prompt_audio,
                                    seen_revision=request.args.get(CONTENT_REVISION, type=int),
                                    callback_times=call_times.callback_times(settings))
        # One transaction for the content check and the step, committed before the answer is rendered.
        outcome = calls.take_step(session, line, twilio, state, event, _now())
        _announce_new_requests(outcome.new_request_ids)
        request_db.end_transaction()
        document = _document(urls.base(), calls.url_state(outcome.result.state).encode(), revision,
                             outcome.result.actions, settings.voice)
    except Exception:
        logger.exception("call %s: could not answer %s", request.form.get("CallSid", "?"), request.path)
        session.rollback()
        retry_url = urls.external("voice.retry", attempt=retry) if retry <= MAX_RETRIES else None
        return twiml.http_response(twiml.apology(settings.voice, retry_url))
    return twiml.http_response(document)


def _keys_pressed(form: dict[str, str]) -> Event:
    # Only a phone's keys can come from Twilio; anything else counts as no key, and the menu repeats.
    digits = form.get("Digits", "")
    return Digits(digits) if _PHONE_KEYS.fullmatch(digits) else NoInput()


def _announce_new_requests(request_ids: tuple[int, ...]) -> None:
    """Put the e-mails about new callback requests into the outbox; send them after the commit."""
    session, settings = request_db.session(), _settings()
    mails = sum(notifications.announce_new_request(session, settings, request_id) for request_id in request_ids)
    if mails:
        jobs: Jobs = current_app.extensions["hotline.jobs"]
        request_db.after_commit(lambda: jobs.send_outbox())


def _discard_and_answer_empty():
    """After a failed callback: drop the request's changes and answer an empty <Response/>."""
    request_db.session().rollback()
    return twiml.http_response(twiml.empty())


def _twilio_call() -> calls.TwilioCall:
    form = request.form
    if not _CALL_SID.fullmatch(form.get("CallSid", "")):
        raise ValueError("request without a valid CallSid")
    return calls.TwilioCall(
        call_sid=form["CallSid"],
        caller=_caller(),
        called=form.get("To", "").strip(),
        request_token=request.headers.get("I-Twilio-Idempotency-Token") or None,
    )


def _caller() -> str | None:
    return callable_e164(request.form.get("From"))


@functools.lru_cache(maxsize=512)
def _document(base: str, encoded_state: str, revision: int, actions: tuple[Action, ...], voice: str) -> str:
    """The TwiML of an answer, kept: every call starts with the same greeting, and menus repeat."""
    # The content revision the call has heard travels along: see hotline.line_cache.
    values: dict[str, Any] = {"state": encoded_state, CONTENT_REVISION: revision}
    targets = twiml.Urls(
        step=base + url_for("voice.gathered", **values),
        recorded=base + url_for("voice.recorded", **values),
        dialed=base + url_for("voice.dialed", **values),
        recording_status=base + url_for("voice.recording_status"),
    )
    return twiml.checked_xml(twiml.render(actions, targets, voice))


def _settings() -> Settings:
    return current_app.extensions["hotline.settings"]


def _now() -> datetime:
    return current_app.extensions["hotline.clock"]()
