"""Writing the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hotline.models import AuditEvent

# German words for the audit log and a request's history.
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
    "urgent_term_added": "hat ein dringendes Wort hinzugefügt",
    "urgent_term_removed": "hat ein dringendes Wort entfernt",
    "data_viewed": "hat eine Datenauskunft angesehen",
    "data_exported": "hat eine Datenauskunft heruntergeladen",
    "data_erased": "hat Daten einer Telefonnummer gelöscht",
}
OBJECT_LABELS = {"callback_request": "Rückruf", "user": "Konto", "export": "Export",
                 "activity": "Angebot", "network": "Netzwerk", "office_hours": "Öffnungszeit",
                 "closure_day": "Schließtag", "prompt": "Ansage", "flow_version": "Menü",
                 "urgent_term": "Dringendes Wort", "phone_number": "Telefonnummer"}


def record(
    session: Session,
    action: str,
    object_type: str,
    object_id: int | None,
    *,
    actor_id: int | None = None,
    network_id: int | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event (actor None: the system) to the session."""
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_id=actor_id,
        network_id=network_id,
        details=details,
    )
    session.add(event)
    return event
