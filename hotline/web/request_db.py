"""The request's database session: one commit per request, side effects after the commit."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, current_app, g
from sqlalchemy.orm import Session

from hotline.db import Database

logger = logging.getLogger(__name__)


def init_app(app: Flask, database: Database) -> None:
    """Attach the database to the app and commit each request's session at its end."""
    app.extensions["hotline.db"] = database
    app.after_request(_commit)
    app.teardown_appcontext(_close)


def database() -> Database:
    """The app's Database."""
    return current_app.extensions["hotline.db"]


def session() -> Session:
    """The session of the current request, opened on first use."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    return g.db_session


def end_transaction() -> None:
    """Commit the request's work so far, so that slow network I/O that follows holds no transaction."""
    session().commit()


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once this request's changes are committed (e.g. enqueue a job)."""
    g.setdefault("after_commit", []).append(callback)


def _commit(response: Response) -> Response:
    db_session: Session | None = g.pop("db_session", None)
    callbacks: list[Callable[[], None]] = g.pop("after_commit", [])
    succeeded = response.status_code < 400
    if db_session is not None:
        try:
            # Nothing is left to end when end_transaction() committed already, as in most webhooks.
            if db_session.in_transaction():
                if succeeded:
                    db_session.commit()
                else:
                    db_session.rollback()
        finally:
            db_session.close()
    for callback in callbacks if succeeded else []:
        try:
            callback()
        except Exception:
            # The data is committed; the sweeper redoes what a lost side effect would have done.
            logger.exception("after-commit callback failed")
    return response


def _close(_error: BaseException | None) -> None:
    db_session: Session | None = g.pop("db_session", None)
    if db_session is not None:
        db_session.rollback()
        db_session.close()
