"""Writing the audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.models import Activity, ActivityDraft, AuditEvent, CallbackRequest, ClosureDay, Network, OfficeHours, User
from hotline.services.numbers import written
from ivr_flows.prompts import WEEKDAYS

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
    "activity_draft_saved": "hat einen Angebotsentwurf gespeichert",
    "activity_proposed": "hat ein Angebot vorgeschlagen",
    "activity_published": "hat ein Angebot veröffentlicht",
    "activity_returned": "hat einen Vorschlag mit einer Notiz zurückgegeben",
    "activity_draft_discarded": "hat einen Angebotsentwurf verworfen",
    "direct_publishing_allowed": "hat erlaubt, eigene Angebote direkt zu veröffentlichen",
    "direct_publishing_withdrawn": "hat die Erlaubnis zum direkten Veröffentlichen zurückgenommen",
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
    "data_letter": "hat eine Datenauskunft als Brief erstellt",
    "data_erased": "hat Daten einer Telefonnummer gelöscht",
    "twilio_copies_erased": "Kopien bei Twilio gelöscht",
    "twilio_call_logs_deleted": "Anrufprotokolle bei Twilio gelöscht",
    "retention_purge": "Alte Daten nach der Aufbewahrungsfrist gelöscht",
    "marked_urgent": "Als dringend markiert",
    "urgent_notified": "E-Mail zu einer dringenden Nachricht verschickt",
    "network_created": "hat ein Netzwerk angelegt",
    "network_changed": "hat ein Netzwerk geändert",
    "network_activated": "hat ein Netzwerk aktiviert",
    "network_deactivated": "hat ein Netzwerk deaktiviert",
    "network_begleitung_changed": "hat die Begleitung eines Netzwerks geändert",
}
OBJECT_LABELS = {"callback_request": "Rückruf", "user": "Konto", "export": "Export",
                 "activity": "Angebot", "activity_draft": "Angebotsentwurf", "network": "Netzwerk",
                 "office_hours": "Öffnungszeit",
                 "closure_day": "Schließtag", "prompt": "Ansage", "flow_version": "Menü", "content_version": "Inhalt",
                 "urgent_term": "Dringendes Wort", "phone_number": "Telefonnummer",
                 "retention": "Aufbewahrung"}


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


def object_names(session: Session, events: Iterable[AuditEvent]) -> dict[tuple[str, int | None], str]:
    """What each event is about, named as people know it: "Erika Schmitz", "Angebot Spaziergang".

    Rows deleted since are named from what the event kept (an activity's title, a term).
    """
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.object_id is not None:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    names: dict[tuple[str, int | None], str] = {}
    for object_type, ids in wanted.items():
        for object_id, name in _names_of(session, object_type, sorted(ids)):
            names[(object_type, object_id)] = name
    return names


# How the rows an event can be about are named: their model and the name people know them by.
_NAMED_ROWS: dict[str, tuple[type[Any], Callable[[Any], str]]] = {
    "user": (User, lambda user: user.display_name or user.email),
    "callback_request": (CallbackRequest, lambda request: f"Rückruf für {written(request.number)}"),
    "activity": (Activity, lambda activity: f"Angebot {activity.title}"),
    "activity_draft": (ActivityDraft, lambda draft: f"Angebotsentwurf {draft.title}"),
    "network": (Network, lambda network: network.name),
    "office_hours": (OfficeHours, lambda hours: (
        f"Öffnungszeit {WEEKDAYS[hours.weekday]} {hours.opens:%H:%M}–{hours.closes:%H:%M}")),
    "closure_day": (ClosureDay, lambda closure: f"Schließtag {closure.day:%d.%m.%Y}"),
}


def _names_of(session: Session, object_type: str, ids: list[int]) -> Iterable[tuple[int, str]]:
    if object_type not in _NAMED_ROWS:
        return
    model, name = _NAMED_ROWS[object_type]
    for row in session.scalars(select(model).where(model.id.in_(ids))):
        yield row.id, name(row)


def describe(event: AuditEvent, names: dict[tuple[str, int | None], str]) -> str:
    """The object of one event in words, from `object_names` or from what the event kept."""
    label = OBJECT_LABELS.get(event.object_type, "Eintrag")
    if (event.object_type, event.object_id) in names:
        return names[(event.object_type, event.object_id)]
    details = event.details or {}
    if "title" in details:
        return f"{label} {details['title']}"
    if "term" in details:
        return f"{label} „{details['term']}“"
    if "number_ending" in details:
        return f"{label} mit Endung …{details['number_ending']}"
    if "version" in details:
        return f"{label}, Fassung {details['version']}"
    if event.object_id is not None:
        return f"{label} (inzwischen gelöscht)"
    return label
