"""Admin users: creation and passwords."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from hotline.models import ROLES, Network, User
from hotline.services import audit

MIN_PASSWORD_LENGTH = 10


class UserError(ValueError):
    """A user cannot be created or changed as asked; the message says why (in German)."""


def normalize_email(email: str) -> str:
    """E-mail addresses are compared and stored lower-case, without surrounding spaces."""
    return email.strip().lower()


def add_user(
    session: Session,
    email: str,
    password: str,
    role: str,
    *,
    network_slugs: tuple[str, ...] = (),
    display_name: str = "",
    actor_id: int | None = None,
) -> User:
    """Create a user with a hashed password and the given networks."""
    email = normalize_email(email)
    if "@" not in email.strip("@"):
        raise UserError(f"Keine gültige E-Mail-Adresse: {email!r}")
    if role not in ROLES:
        raise UserError(f"Unbekannte Rolle {role!r}; erlaubt: {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Das Passwort braucht mindestens {MIN_PASSWORD_LENGTH} Zeichen.")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise UserError(f"Es gibt schon ein Konto für {email}.")
    networks = list(session.scalars(select(Network).where(Network.slug.in_(network_slugs))))
    missing = set(network_slugs) - {network.slug for network in networks}
    if missing:
        raise UserError(f"Unbekannte Netzwerke: {', '.join(sorted(missing))}")
    user = User(
        email=email,
        password_hash=generate_password_hash(password),
        role=role,
        display_name=display_name,
        networks=networks,
    )
    session.add(user)
    session.flush()
    audit.record(session, "user_created", "user", user.id, actor_id=actor_id, role=role)
    return user
