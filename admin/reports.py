"""For the Begleitung and admins: the overview with charts, the audit log, CSV exports."""

from __future__ import annotations

from flask import Response, render_template
from sqlalchemy import select

from admin import bp, charts
from admin.access import account, page_number, staff_only
from hotline.db import utcnow
from hotline.models import AuditEvent, Network, User, user_networks
from hotline.services import audit, exports, stats
from hotline.services.queue import in_networks
from hotline.web import request_db

AUDIT_PAGE_SIZE = 100
ACTION_LABELS = {
    "viewed": "hat geöffnet",
    "audio_played": "hat die Nachricht angehört",
    "claimed": "hat übernommen",
    "unclaimed": "hat zurückgegeben",
    "claim_expired": "Übernahme abgelaufen",
    "attempt_logged": "hat einen Anrufversuch eingetragen",
    "call_started": "hat über die Hotline angerufen",
    "call_connected": "Hotline hat verbunden",
    "reopened": "hat wieder geöffnet",
    "closed": "hat abgeschlossen",
    "notified": "E-Mail-Hinweis verschickt",
    "login": "hat sich angemeldet",
    "password_changed": "hat das eigene Passwort geändert",
    "password_reset": "hat ein Passwort neu gesetzt",
    "profile_changed": "hat das eigene Profil geändert",
    "user_created": "hat ein Konto angelegt",
    "user_changed": "hat ein Konto geändert",
    "user_activated": "hat ein Konto aktiviert",
    "user_deactivated": "hat ein Konto deaktiviert",
    "exported": "hat exportiert",
    "activity_created": "hat ein Angebot angelegt",
    "activity_changed": "hat ein Angebot geändert",
    "activity_deleted": "hat ein Angebot gelöscht",
    "newcomer_changed": "hat „Neu hier“ geändert",
    "line_settings_changed": "hat Begrüßung oder Weiterleitung geändert",
    "hours_added": "hat eine Öffnungszeit eingetragen",
    "hours_removed": "hat eine Öffnungszeit gelöscht",
    "closure_added": "hat einen Schließtag eingetragen",
    "closure_removed": "hat einen Schließtag gelöscht",
    "prompt_changed": "hat einen Ansagetext geändert",
    "audio_uploaded": "hat eine Aufnahme hochgeladen",
    "audio_removed": "hat eine Aufnahme entfernt",
    "flow_draft_saved": "hat einen Menü-Entwurf gespeichert",
    "flow_draft_discarded": "hat einen Menü-Entwurf verworfen",
    "flow_published": "hat ein Menü freigegeben",
    "flow_restored": "hat ein früheres Menü wiederhergestellt",
    "draft_saved": "hat einen Entwurf gespeichert",
    "draft_discarded": "hat einen Entwurf verworfen",
    "content_published": "hat einen Entwurf veröffentlicht",
    "content_restored": "hat eine frühere Fassung wiederhergestellt",
    "urgent_term_added": "hat ein dringendes Wort hinzugefügt",
    "urgent_term_removed": "hat ein dringendes Wort entfernt",
    "data_viewed": "hat eine Datenauskunft angesehen",
    "data_exported": "hat eine Datenauskunft heruntergeladen",
    "data_erased": "hat Daten einer Telefonnummer gelöscht",
    "twilio_copies_erased": "Kopien bei Twilio gelöscht",
}
OBJECT_LABELS = {"callback_request": "Rückruf", "user": "Konto", "export": "Export",
                 "activity": "Angebot", "network": "Netzwerk", "office_hours": "Öffnungszeit",
                 "closure_day": "Schließtag", "prompt": "Ansage", "flow_version": "Menü",
                 "urgent_term": "Dringendes Wort", "phone_number": "Telefonnummer",
                 "content_version": "Inhalt"}


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
    page = page_number()
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
                           action_labels=ACTION_LABELS, object_labels=OBJECT_LABELS)


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
