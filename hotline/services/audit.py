"""Writing the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hotline.models import AuditEvent


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
