"""GET /healthz: is this web process up and does the database answer?"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from hotline.web import request_db

logger = logging.getLogger(__name__)

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def check():
    """200 when the database answers, 503 otherwise; a small JSON body either way."""
    try:
        request_db.session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        logger.warning("health check: database unreachable", exc_info=True)
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
