"""For the Begleitung and admins: the overview with charts, the audit log, CSV exports."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import Response, render_template, request
from sqlalchemy import ColumnElement, select

from admin import bp, charts
from admin.access import account, page_number, staff_only
from hotline.db import utcnow
from hotline.models import AuditEvent, Network, User, user_networks
from hotline.services import audit, exports, stats
from hotline.services.queue import in_networks, networks_in_scope, people_names
from hotline.web import request_db
from ivr_flows.schedule import BERLIN

AUDIT_PAGE_SIZE = 100
@bp.get("/uebersicht")
@staff_only
def overview():
    """Pictures of the last days: calls, menu choices, waiting callbacks, transcripts."""
    numbers = stats.overview(request_db.session(), account().network_ids, now=utcnow())
    return render_template(
        "admin/overview.html",
        numbers=numbers,
        calls_chart=charts.columns([(f"{day.day}.", count)
                                    for day, count in numbers.calls_per_day]),
        menu_chart=charts.rows(numbers.menu_choices),
        age_chart=charts.columns(numbers.open_by_age),
        voicemail_chart=charts.rows(numbers.voicemails),
        given_up_day_chart=charts.columns([(f"{day.day}.", count) for day, count in numbers.given_up_per_day]),
        given_up_at_chart=charts.rows(numbers.given_up_at),
    )


@bp.get("/protokoll")
@staff_only
def audit_log():
    """Who saw, claimed, changed or deleted what; newest first, own networks only, filterable."""
    session = request_db.session()
    page = page_number()
    scope = account().network_ids
    condition = in_networks(AuditEvent.network_id, scope)
    if scope is not None:
        # Events without a network (logins, accounts, exports): those of one's colleagues.
        condition = condition | (
            AuditEvent.network_id.is_(None) & AuditEvent.actor_id.in_(_colleague_ids(scope))
        )
    chosen = _audit_filters()
    events = list(session.scalars(
        select(AuditEvent).where(condition, *_filter_conditions(chosen))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * AUDIT_PAGE_SIZE).limit(AUDIT_PAGE_SIZE + 1)
    ))
    shown = events[:AUDIT_PAGE_SIZE]
    names = audit.object_names(session, shown)
    return render_template(
        "admin/audit.html", events=shown, page=page, more=len(events) > AUDIT_PAGE_SIZE,
        actors=people_names(session, {event.actor_id for event in shown if event.actor_id}),
        networks=dict(session.execute(select(Network.id, Network.name)).all()),
        about={event.id: audit.describe(event, names) for event in shown},
        action_labels=audit.ACTION_LABELS, object_labels=audit.OBJECT_LABELS, chosen=chosen,
        people=_people_in_scope(session, scope), scope_networks=networks_in_scope(session, scope),
        filters={key: value for key, value in request.args.items() if key != "seite"},
    )


def _audit_filters() -> dict[str, object]:
    """The filters from the query string; anything unreadable counts as not chosen."""
    return {
        "person": request.args.get("person", type=int),
        "netzwerk": request.args.get("netzwerk", type=int),
        "art": request.args.get("art") if request.args.get("art") in audit.OBJECT_LABELS else None,
        "von": _day(request.args.get("von")),
        "bis": _day(request.args.get("bis")),
    }


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _filter_conditions(chosen: dict[str, object]) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if isinstance(chosen["person"], int):
        conditions.append(AuditEvent.actor_id == chosen["person"])
    if isinstance(chosen["netzwerk"], int):
        conditions.append(AuditEvent.network_id == chosen["netzwerk"])
    if isinstance(chosen["art"], str):
        conditions.append(AuditEvent.object_type == chosen["art"])
    if isinstance(chosen["von"], date):
        conditions.append(AuditEvent.at >= _local_midnight(chosen["von"]))
    if isinstance(chosen["bis"], date):
        conditions.append(AuditEvent.at < _local_midnight(chosen["bis"] + timedelta(days=1)))
    return conditions


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=BERLIN).astimezone(UTC)


def _people_in_scope(session, scope: frozenset[int] | None) -> list[tuple[int, str]]:
    query = select(User.id)
    if scope is not None:
        query = query.where(User.id.in_(_colleague_ids(scope)))
    names = people_names(session, set(session.scalars(query)))
    return sorted(names.items(), key=lambda item: item[1].casefold())


def _colleague_ids(scope: frozenset[int]):
    return select(user_networks.c.user_id).where(user_networks.c.network_id.in_(sorted(scope)))


def _csv_download(text: str, filename: str, what: str) -> Response:
    audit.record(request_db.session(), "exported", "export", None, actor_id=account().id, what=what)
    # A byte order mark, so spreadsheet programs read the umlauts as UTF-8.
    return Response("\ufeff" + text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/export/anrufe.csv")
@staff_only
def export_calls():
    """The call log of one's networks as CSV."""
    return _csv_download(exports.calls_csv(request_db.session(), account().network_ids),
                         "anrufe.csv", "calls")


@bp.get("/export/rueckrufe.csv")
@staff_only
def export_callbacks():
    """The callback requests of one's networks as CSV."""
    return _csv_download(exports.callbacks_csv(request_db.session(), account().network_ids),
                         "rueckrufe.csv", "callbacks")
