"""Admin users: creation and passwords."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash
from zxcvbn import zxcvbn

from hotline.models import ROLES, Network, User
from hotline.services import audit

MIN_PASSWORD_LENGTH = 10
# zxcvbn's estimate, 0 to 4: 4 means more than 10^10 guesses. Below it are common passwords and
# words with a year or digits appended ("Passwort2024!"), the first ones any guesser tries.
MIN_PASSWORD_SCORE = 4


class UserError(ValueError):
    """A user cannot be created or changed as asked; the message says why (in German)."""


def normalize_email(email: str) -> str:
    """E-mail addresses are compared and stored lower-case, without surrounding spaces."""
    return email.strip().lower()


def check_password(password: str, personal: Iterable[str]) -> None:
    """Raise UserError unless `password` is long, not common, and not built from `personal`.

    `personal` is the account's name and e-mail address: a password made of them is guessed first.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Das Passwort braucht mindestens {MIN_PASSWORD_LENGTH} Zeichen.")
    words = [word for text in personal for word in re.split(r"[\s@._+-]+", text.lower()) if len(word) >= 3]
    estimate = zxcvbn(password[:100], user_inputs=words)  # its effort grows with the length
    if any(match.get("dictionary_name") == "user_inputs" for match in estimate["sequence"]):
        raise UserError("Das Passwort darf nicht aus dem Namen oder der E-Mail-Adresse des Kontos "
                        "gebildet sein. Bitte wählen Sie ein anderes.")
    if estimate["score"] < MIN_PASSWORD_SCORE:
        raise UserError("Dieses Passwort ist zu leicht zu erraten: es ist zu bekannt oder zu einfach "
                        "gebaut. Gut sind drei oder vier Wörter, die nicht zusammengehören, "
                        "z. B. „Kanne Fahrrad Wolke“.")


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
    check_password(password, (email, display_name))
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
