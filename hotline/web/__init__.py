"""The web layer: Twilio's webhooks, the bridge, prompt audio, /healthz, the request's session."""

from __future__ import annotations

from flask import Flask, Request, Response, abort, current_app, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.exceptions import NotFound

from hotline.db import Database
from hotline.web import bridge, health, prompt_audio, request_db, twiml, urls, webhooks

TWILIO_PATH = "/twilio/"


def init_app(app: Flask, database: Database) -> None:
    """Attach the request's database session and register the Twilio-facing blueprints."""
    # Before any blueprint adds its routes: every `<int:...>` in a URL is a database id.
    app.url_map.converters["int"] = urls.DatabaseIdConverter
    app.session_interface = _CookieSessionOutsideTwilio()
    app.register_error_handler(NotFound, _not_found)
    app.before_request(_refuse_outside_host)
    app.after_request(_nosniff)
    request_db.init_app(app, database)
    app.register_blueprint(health.bp)
    app.register_blueprint(bridge.bp)
    app.register_blueprint(prompt_audio.bp)
    webhooks.init_app(app)


class _CookieSessionOutsideTwilio(SecureCookieSessionInterface):
    """Twilio sends no cookies: its requests get no session, and no cookie signer is built for them."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """The admin's signed cookie session; none under /twilio/."""
        if request.path.startswith(TWILIO_PATH):
            return self.make_null_session(app)
        return super().open_session(app, request)


def _not_found(error: NotFound):
    """Twilio gets TwiML even for an address that does not exist (the call ends politely)."""
    if request.path.startswith(TWILIO_PATH):
        voice = current_app.extensions["hotline.settings"].voice
        response = twiml.http_response(twiml.apology(voice, None))
        response.status_code = error.code or 404
        return response
    return error


def _refuse_outside_host() -> None:
    """Without PUBLIC_BASE_URL the URLs given to Twilio come from the Host header: loopback only."""
    if not current_app.extensions["hotline.settings"].public_base_url and not urls.is_loopback(request.host):
        abort(400, "PUBLIC_BASE_URL is not set: only loopback hosts are served")


def _nosniff(response: Response) -> Response:
    """Browsers take every answer (pages, audio, TwiML) as the type it declares."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
