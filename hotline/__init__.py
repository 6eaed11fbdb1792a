"""Netzwerk-Hotline: the web app (Twilio webhooks, admin) and the application factory."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from hotline.config import Settings

# A webhook or admin form never needs more; larger bodies are refused with 413.
MAX_REQUEST_BYTES = 2 * 1024 * 1024


def create_app(config: Settings | None = None) -> Flask:
    """Build the app: settings, database, job queue, blueprints and CLI commands."""
    # Imported here, so that the worker's and the CLI's use of hotline.models or hotline.db does
    # not pull in the web stack with the package.
    from flask import Flask

    import admin
    from hotline import cli, web
    from hotline.config import Settings
    from hotline.db import Database
    from hotline.jobs import create_jobs
    from hotline.line_cache import track_content_changes
    from hotline.twilio.client import TwilioGateway

    settings = config if config is not None else Settings.from_env()
    app = Flask(__name__, instance_path=str(settings.data_dir))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
    )
    app.extensions["hotline.settings"] = settings
    if settings.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # The address and scheme the visitor used, as the proxies in front tell them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,  # type: ignore[method-assign]
                                x_proto=settings.trusted_proxies)

    database = Database(settings.database_url)
    track_content_changes(database.sessions)
    twilio = TwilioGateway(settings)
    app.extensions["hotline.twilio"] = twilio
    app.extensions["hotline.jobs"] = create_jobs(settings, database, twilio)
    web.init_app(app, database)
    admin.init_app(app)
    cli.init_app(app)
    return app
