"""Managing admin accounts: who may manage whom, creating, changing, (de)activating, passwords."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Collection
from typing import Any

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from werkzeug.security import generate_password_hash

from hotline.models import ROLES, Network, User, user_networks
from hotline.services import audit
from hotline.services.logins import check_new_password
from hotline.services.numbers import is_storable
from hotline.services.queue import network_ids_of
from hotline.services.users import UserError, add_user

logger = logging.getLogger(__name__)

# Letters and digits that cannot be mistaken for one another when read aloud or off a screen.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - an alphabet


def generate_password() -> str:
    """A random password in three groups of four, easy to type on a phone (about 59 bits)."""
    groups = ("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


def parse_phone(text: str) -> str | None:
    """A German or international phone number as E.164; empty text means none."""
    if not text.strip():
        return None
    try:
        number = phonenumbers.parse(text, "DE")
    except phonenumbers.NumberParseException:
        raise UserError("Diese Telefonnummer verstehe ich nicht.") from None
    if not is_storable(number):
        raise UserError("Diese Telefonnummer ist nicht gültig.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def can_manage(actor: User, target: User) -> bool:
    """Admins manage everyone; the Begleitung manages volunteers whose networks all lie within hers.

    A volunteer who also belongs to another network is that network's too: taking her over would
    open its messages, so she is for an admin.
    """
    if actor.role == "admin":
        return True
    if actor.role != "begleitung" or target.role != "volunteer" or not target.networks:
        return False
    scope = network_ids_of(actor)
    assert scope is not None  # None only for admins, answered above
    return {network.id for network in target.networks} <= scope


def manageable_users(session: Session, actor: User) -> list[User]:
    """The accounts `actor` may manage, by name."""
    statement = select(User).options(selectinload(User.networks)).order_by(
        User.display_name, User.email
    )
    scope = network_ids_of(actor)
    if scope is not None:
        # Volunteers with at least one network, none of them outside the actor's.
        statement = statement.where(
            User.role == "volunteer",
            User.id.in_(select(user_networks.c.user_id)),
            User.id.not_in(select(user_networks.c.user_id).where(
                user_networks.c.network_id.not_in(sorted(scope))
            )),
        )
    return list(session.scalars(statement))


def get_manageable(session: Session, actor: User, user_id: int) -> User | None:
    """An account by id, or None when it does not exist or `actor` may not manage it."""
    target = session.get(User, user_id)
    if target is None or not can_manage(actor, target):
        return None
    return target


def _networks(session: Session, actor: User, network_ids: Collection[int]) -> list[Network]:
    scope = network_ids_of(actor)
    wanted = set(network_ids) if scope is None else set(network_ids) & scope
    return list(session.scalars(select(Network).where(Network.id.in_(sorted(wanted)))))


def create_account(
    session: Session,
    actor: User,
    *,
    email: str,
    display_name: str,
    phone: str,
    role: str,
    network_ids: Collection[int],
    password: str | None,
) -> tuple[User, str]:
    """Create an account; return it and its initial password (generated when none is given)."""
    if actor.role != "admin":
        role = "volunteer"
    networks = _networks(session, actor, network_ids)
    if role != "admin" and not networks:
        raise UserError("Bitte wählen Sie mindestens ein Netzwerk.")
    initial = password or generate_password()
    user = add_user(session, email, initial, role, network_slugs=tuple(n.slug for n in networks),
                    display_name=display_name.strip(), actor_id=actor.id)
    user.phone = parse_phone(phone)
    session.flush()
    logger.info("user %s created by %s", user.id, actor.id)
    return user, initial


def update_account(
    session: Session,
    actor: User,
    target: User,
    *,
    display_name: str,
    phone: str,
    network_ids: Collection[int],
    role: str | None = None,
) -> None:
    """Change an account's name, phone, networks and (admins only) role."""
    # The target's networks all lie within the actor's (see can_manage): the choice replaces them.
    networks = _networks(session, actor, network_ids)
    new_role = role if actor.role == "admin" and role else target.role
    if new_role not in ROLES:
        raise UserError("Unbekannte Rolle.")
    if target.id == actor.id and new_role != target.role:
        raise UserError("Ihre eigene Rolle können Sie nicht ändern.")
    if new_role != "admin" and not networks:
        raise UserError("Bitte wählen Sie mindestens ein Netzwerk.")
    target.display_name = display_name.strip()
    target.phone = parse_phone(phone)
    target.networks = networks
    changed_role = new_role != target.role
    target.role = new_role
    session.flush()
    details: dict[str, Any] = {"role": new_role} if changed_role else {}
    audit.record(session, "user_changed", "user", target.id, actor_id=actor.id, **details)


def set_active(session: Session, actor: User, target: User, active: bool) -> None:
    """Deactivate (no more logins) or reactivate an account."""
    if target.id == actor.id:
        raise UserError("Ihr eigenes Konto können Sie nicht deaktivieren.")
    target.active = active
    if not active:
        target.end_sessions()
    session.flush()
    audit.record(session, "user_activated" if active else "user_deactivated", "user", target.id,
                 actor_id=actor.id)


def reset_password(session: Session, actor: User, target: User, password: str | None) -> str:
    """Give an account a new password (generated when none is given) and return it."""
    new = password or generate_password()
    check_new_password(target, new, new)
    target.password_hash = generate_password_hash(new)
    target.end_sessions()
    session.flush()
    audit.record(session, "password_reset", "user", target.id, actor_id=actor.id)
    return new


def update_profile(session: Session, user: User, *, display_name: str, phone: str,
                   notify_new_requests: bool) -> None:
    """Change one's own name, phone number and e-mail notification choice."""
    user.display_name = display_name.strip()
    user.phone = parse_phone(phone)
    user.notify_new_requests = notify_new_requests
    session.flush()
    audit.record(session, "profile_changed", "user", user.id, actor_id=user.id)
