"""Line content cached per web process, valid as long as the content revision is unchanged.

Loading a line takes several queries; checking the revision takes one. Every ORM change to line
content (network, numbers, hours, closures, activities, newcomer text, prompts, flows) bumps the
revision in the same transaction, so a call's first webhook never gets a line older than what was
committed before it began: an activity added in the admin is heard on the very next call.

A call carries the revision it began with (in its action URLs); for its later webhooks a cached
line at least that new is used without asking the database. A call thus hears the line as it was
when it began, or newer, and the busiest path of the service saves a query.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from hotline.db import DirectStatement
from hotline.models import (
    Activity,
    ClosureDay,
    FlowVersion,
    Network,
    NewcomerInfo,
    OfficeHours,
    PhoneNumber,
    PromptOverride,
)
from hotline.models.content_revision import ContentRevision
from hotline.services.line_content import AudioUrl, Line, load_line
from ivr_flows.content import CallbackTimes

logger = logging.getLogger(__name__)

CONTENT_MODELS = (Activity, ClosureDay, FlowVersion, Network, NewcomerInfo, OfficeHours, PhoneNumber,
                  PromptOverride)
_CONTENT_TABLES = frozenset(model.__table__ for model in CONTENT_MODELS)
# The check runs at the start of every call.
_REVISION = DirectStatement(lambda _dialect: select(ContentRevision.__table__.c.revision))


def track_content_changes(sessions: sessionmaker[Session]) -> None:
    """Bump the content revision whenever a session of `sessions` changes line content."""
    event.listen(sessions, "before_flush", _bump_on_flush)
    event.listen(sessions, "do_orm_execute", _bump_on_bulk_statement)


def _bump_on_flush(session: Session, _context: Any, _instances: Any) -> None:
    changed = (
        any(isinstance(obj, CONTENT_MODELS) for obj in (*session.new, *session.deleted))
        or any(isinstance(obj, CONTENT_MODELS) and session.is_modified(obj) for obj in session.dirty)
    )
    if changed:
        _bump(session)


def _bump_on_bulk_statement(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete or state.is_insert) and state.bind_mapper is not None \
            and state.bind_mapper.local_table in _CONTENT_TABLES:
        _bump(state.session)


def _bump(session: Session) -> None:
    session.execute(update(ContentRevision).values(revision=ContentRevision.revision + 1))


class LineCache:
    """The most recently used lines of this process, keyed by called number and URL base."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._lines: OrderedDict[tuple[str, str], tuple[int, Line]] = OrderedDict()
        self._lock = threading.Lock()

    def line(self, session: Session, called: str, *, url_base: str, audio_url: AudioUrl,
             seen_revision: int | None = None, callback_times: CallbackTimes | None = None) -> tuple[int, Line]:
        """The line for `called` and the revision it shows; `seen_revision`: the one the call began with."""
        key = (called, url_base)
        with self._lock:
            cached = self._lines.get(key)
        if cached is not None and seen_revision is not None and cached[0] >= seen_revision:
            return cached
        # content_revision holds its single row from the migration on
        [revision] = _REVISION.first(session, {})
        if cached is not None and cached[0] == revision:
            return cached
        line = load_line(session, called, audio_url=audio_url, callback_times=callback_times)
        with self._lock:
            self._lines[key] = (revision, line)
            self._lines.move_to_end(key)
            while len(self._lines) > self._size:
                self._lines.popitem(last=False)
        return revision, line
