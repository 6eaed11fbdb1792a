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
    from hotline import bridge, cli, health, prompt_audio, web_db, webhooks
    from hotline.config import Settings
    from hotline.db import Database
    from hotline.jobs import create_jobs
    from hotline.services.line_cache import track_content_changes

    settings = config if config is not None else Settings.from_env()
    app = Flask(__name__, instance_path=str(settings.data_dir))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
    )
    app.extensions["hotline.settings"] = settings

    database = Database(settings.database_url)
    track_content_changes(database.sessions)
    web_db.init_app(app, database)
    app.extensions["hotline.jobs"] = create_jobs(settings, database)
    app.register_blueprint(health.bp)
    bridge.init_app(app)
    admin.init_app(app)
    app.register_blueprint(prompt_audio.bp)
    webhooks.init_app(app)
    cli.init_app(app)
    return app
