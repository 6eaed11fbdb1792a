"""For the Begleitung and admins: the overview with charts, the audit log, CSV exports."""

from __future__ import annotations

from flask import Response, render_template, request
from sqlalchemy import select

from admin import bp, charts
from admin.access import account, staff_only
from hotline.db import utcnow
from hotline.models import AuditEvent, Network, User, user_networks
from hotline.services import audit, exports, stats
from hotline.services.queue import in_networks
from hotline.web import request_db

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
    )


@bp.get("/protokoll")
@staff_only
def audit_log():
    """Who saw, claimed, changed or deleted what; newest first, own networks only."""
    session = request_db.session()
    page = max(request.args.get("seite", 1, type=int) or 1, 1)
    scope = account().network_ids
    condition = in_networks(AuditEvent.network_id, scope)
    if scope is not None:
        # Events without a network (logins, accounts, exports): those of one's colleagues.
        condition = condition | (
            AuditEvent.network_id.is_(None) & AuditEvent.actor_id.in_(_colleague_ids(scope))
        )
    events = list(session.scalars(
        select(AuditEvent).where(condition)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * AUDIT_PAGE_SIZE).limit(AUDIT_PAGE_SIZE + 1)
    ))
    actor_ids = {event.actor_id for event in events if event.actor_id}
    actors = dict(session.execute(
        select(User.id, User.display_name).where(User.id.in_(actor_ids))
    ).all()) if actor_ids else {}
    networks = dict(session.execute(select(Network.id, Network.name)).all())
    return render_template("admin/audit.html", events=events[:AUDIT_PAGE_SIZE], actors=actors,
                           networks=networks, page=page, more=len(events) > AUDIT_PAGE_SIZE,
                           action_labels=audit.ACTION_LABELS, object_labels=audit.OBJECT_LABELS)


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
