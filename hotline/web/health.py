"""GET /healthz: do this web process, the database and the worker answer, and what waits for the worker?

Unauthenticated and cheap (indexed queries), so monitoring may poll it every few seconds; it
carries counts and times only, never anything about a caller.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import Blueprint, current_app, jsonify
from flask.blueprints import BlueprintSetupState
from sqlalchemy.exc import SQLAlchemyError

from hotline.db import utcnow
from hotline.services import worker_health
from hotline.web import request_db

logger = logging.getLogger(__name__)

bp = Blueprint("health", __name__)


@bp.record_once
def _remember_start(state: BlueprintSetupState) -> None:
    # Before any worker ever ran (a fresh install, the first minute of `make run`), the worker
    # counts as gone only once this web process has been up for WORKER_GONE_AFTER.
    state.app.extensions["hotline.web_started_at"] = utcnow()


@bp.get("/healthz")
def check():
    """200 when the database answers and a worker was seen lately, 503 otherwise; JSON either way."""
    session = request_db.session()
    try:
        last_seen = worker_health.last_heartbeat(session)
        waiting = worker_health.waiting_work(session)
    except SQLAlchemyError:
        logger.warning("health check: database unreachable", exc_info=True)
        return jsonify(status="error", database="unreachable"), 503
    now = utcnow()
    worker_gone = worker_health.worker_gone(last_seen or current_app.extensions["hotline.web_started_at"], now)
    if worker_gone:
        logger.warning("health check: no worker seen since %s", last_seen)
    body = {
        "status": "error" if worker_gone else "ok",
        "database": "ok",
        "worker": {"status": "gone" if worker_gone else "ok", "last_seen": _iso(last_seen)},
        "waiting": {
            "voicemails": waiting.voicemails, "oldest_voicemail": _iso(waiting.oldest_voicemail),
            "mails": waiting.mails, "oldest_mail": _iso(waiting.oldest_mail),
        },
    }
    return jsonify(body), 503 if worker_gone else 200


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None
