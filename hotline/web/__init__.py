"""The web layer: Twilio's webhooks, the bridge, prompt audio, /healthz, the request's session."""

from __future__ import annotations

from flask import Flask

from hotline.db import Database
from hotline.web import bridge, health, prompt_audio, request_db, webhooks


def init_app(app: Flask, database: Database) -> None:
    """Attach the request's database session and register the Twilio-facing blueprints."""
    request_db.init_app(app, database)
    app.register_blueprint(health.bp)
    app.register_blueprint(bridge.bp)
    app.register_blueprint(prompt_audio.bp)
    webhooks.init_app(app)
