"""CSV exports of the call log and of the callback requests, limited to a user's networks."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hotline.models import Call, CallbackRequest, Network, User
from hotline.services.callbacks import OUTCOME_LABELS, STATUS_LABELS
from hotline.services.numbers import written
from hotline.services.queue import in_networks
from ivr_flows.schedule import BERLIN

EXPORT_LIMIT = 50_000
# Twilio's call states in German (https://www.twilio.com/docs/voice/api/call-resource#call-status-values).
CALL_STATUS_LABELS = {
    "queued": "in Warteschlange",
    "initiated": "gestartet",
    "ringing": "klingelt",
    "in-progress": "läuft",
    "completed": "beendet",
    "busy": "besetzt",
    "failed": "fehlgeschlagen",
    "no-answer": "nicht angenommen",
    "canceled": "abgebrochen",
}
# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "ja" if value else "nein"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv(header: list[str], rows: Iterable[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _network_names(session: Session) -> dict[int | None, str]:  # keyed by nullable columns
    return dict(session.execute(select(Network.id, Network.name)).all())


def calls_csv(session: Session, network_ids: Collection[int] | None) -> str:
    """The call log, newest first, as semicolon-separated CSV (the German spreadsheet default)."""
    names = _network_names(session)
    calls = session.scalars(
        select(Call).where(in_networks(Call.network_id, network_ids))
        .order_by(Call.started_at.desc()).limit(EXPORT_LIMIT)
    )
    return _csv(
        ["Beginn", "Ende", "Dauer (Sekunden)", "Netzwerk", "Anrufer", "Gewählte Nummer", "Status"],
        ([call.started_at, call.ended_at, call.duration_seconds, names.get(call.network_id),
          written(call.from_number) if call.from_number else "unterdrückt", written(call.to_number),
          CALL_STATUS_LABELS.get(call.status, "unbekannt")] for call in calls),
    )


def callbacks_csv(session: Session, network_ids: Collection[int] | None) -> str:
    """The callback requests with their last attempt, newest first, as CSV."""
    names = _network_names(session)
    users: dict[int | None, str] = dict(session.execute(select(User.id, User.display_name)).all())
    requests = session.scalars(
        select(CallbackRequest).where(in_networks(CallbackRequest.network_id, network_ids))
        .options(selectinload(CallbackRequest.attempts))
        .order_by(CallbackRequest.created_at.desc()).limit(EXPORT_LIMIT)
    )
    return _csv(
        ["Eingang", "Netzwerk", "Nummer", "Thema", "Wunschzeit", "Dringend", "Status", "Versuche",
         "Letzter Versuch", "Ergebnis", "Von", "Erledigt"],
        ([request.created_at, names.get(request.network_id), written(request.number), request.topic,
          request.preferred_time, request.urgent, STATUS_LABELS[request.status], request.attempt_count,
          *(_last_attempt(request, users)), request.done_at] for request in requests),
    )


def _last_attempt(request: CallbackRequest, users: dict[int | None, str]) -> list[object]:
    if not request.attempts:
        return [None, None, None]
    last = request.attempts[-1]
    return [last.at, OUTCOME_LABELS[last.outcome], users.get(last.user_id)]
