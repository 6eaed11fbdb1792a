"""The admin's network pages: create and change one network, its Begleitung, (de)activation, the address.

Fields are checked by `hotline.services.networks` (the CSV import's checks), and every change goes
through its `apply_specs`, so a network is the same whether typed into a form or a spreadsheet.
Functions flush and never commit; a `SpecError` names the fields in error, in German.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.models import Network, User
from hotline.services import audit
from hotline.services.networks import (
    FieldError,
    NetworkSpec,
    SpecError,
    apply_specs,
    numbers_taken,
    spec_from_fields,
    spec_of,
)

logger = logging.getLogger(__name__)


def all_networks(session: Session) -> list[Network]:
    """Every network, active or not, by name."""
    return list(session.scalars(select(Network).order_by(Network.name)))


def get_network(session: Session, network_id: int) -> Network | None:
    """The network with this id, active or not."""
    return session.get(Network, network_id)


def begleitung_accounts(session: Session) -> list[User]:
    """The accounts with role Begleitung, active or not, by name."""
    return list(session.scalars(select(User).where(User.role == "begleitung")
                                .order_by(User.display_name, User.email)))


def create_network(session: Session, values: Mapping[str, str], *, begleitung_ids: Collection[int],
                   actor_id: int) -> Network:
    """Create a network from form fields, with its Begleitung accounts; audited.

    :raises SpecError: a field is malformed, the slug is taken, or a number belongs to another network.
    """
    spec = spec_from_fields(values)
    owner = session.scalar(select(Network).where(Network.slug == spec.slug))
    if owner is not None:
        raise SpecError([FieldError("slug", f"Diesen Kurznamen hat schon das Netzwerk „{owner.name}“.")])
    network = _save(session, spec, actor_id)
    set_begleitung(session, network, begleitung_ids, actor_id=actor_id)
    return network


def update_network(session: Session, network: Network, values: Mapping[str, str], *,
                   begleitung_ids: Collection[int], actor_id: int) -> None:
    """Change a network from form fields (its slug stays), and its Begleitung accounts; audited.

    :raises SpecError: a field is malformed or a number belongs to another network.
    """
    spec = spec_from_fields({**values, "slug": network.slug}, current=spec_of(network))
    _save(session, spec, actor_id)
    set_begleitung(session, network, begleitung_ids, actor_id=actor_id)


def update_address(session: Session, network: Network, address: str, *, actor_id: int) -> None:
    """Change only the Anlaufstelle's address (what the Begleitung may do); audited.

    :raises SpecError: the address is too long.
    """
    _save(session, spec_from_fields({"address": address}, current=spec_of(network)), actor_id)


def set_begleitung(session: Session, network: Network, user_ids: Collection[int], *, actor_id: int) -> None:
    """Make exactly these Begleitung accounts the network's; other roles' memberships stay; audited."""
    wanted = [user for user in begleitung_accounts(session) if user.id in set(user_ids)]
    before = sorted(user.email for user in network.users if user.role == "begleitung")
    after = sorted(user.email for user in wanted)
    if before == after:
        return
    network.users = [user for user in network.users if user.role != "begleitung"] + wanted
    session.flush()
    audit.record(session, "network_begleitung_changed", "network", network.id, actor_id=actor_id,
                 network_id=network.id, before=before, after=after)


def set_active(session: Session, network: Network, active: bool, *, actor_id: int) -> None:
    """(De)activate a network: deactivated, its numbers answer as the city-wide line; nothing is deleted."""
    if network.active == active:
        return
    network.active = active
    session.flush()
    audit.record(session, "network_activated" if active else "network_deactivated", "network", network.id,
                 actor_id=actor_id, network_id=network.id)
    logger.info("network %s %s by user %s", network.slug, "activated" if active else "deactivated", actor_id)


def _save(session: Session, spec: NetworkSpec, actor_id: int) -> Network:
    taken = numbers_taken(session, [spec])
    if taken:
        raise SpecError([error for _, error in taken])
    apply_specs(session, [spec], actor_id=actor_id)
    network = session.scalar(select(Network).where(Network.slug == spec.slug))
    assert network is not None  # apply_specs has just created or updated it
    return network
