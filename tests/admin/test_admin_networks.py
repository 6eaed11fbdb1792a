"""The admins' Netzwerke area and the Begleitung's address page, through the Flask client."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select

from hotline.models import AuditEvent, Network

from tests.factories import make_account


def _network_form(**values: object) -> dict[str, object]:
    return {"name": "Netzwerk Flingern", "slug": "flingern", "stadtteile": ["Flingern-Nord", "Flingern-Süd"],
            "address": "Hoffeldstraße 10", "phone_numbers": "0211 5550100\r\n+49 211 5550101",
            "forwarding_number": "0211 5550199", "postal_codes": "40235, 40233",
            "office_hours": "Mo 10:00-12:00\r\ndo 14:00-16:00", **values}


def _network(db_session, slug: str) -> Network:
    db_session.expire_all()
    return db_session.scalars(select(Network).where(Network.slug == slug)).one()


def _audit(db_session, network_id: int) -> list[tuple[str, int | None]]:
    rows = db_session.execute(select(AuditEvent.action, AuditEvent.actor_id)
                              .where(AuditEvent.object_type == "network", AuditEvent.object_id == network_id)
                              .order_by(AuditEvent.id))
    return [(action, actor_id) for action, actor_id in rows]


def test_an_admin_creates_a_network_with_numbers_stadtteile_hours_and_begleitung(login_as, world, db_session):
    web = login_as("admin")
    response = web.post("/admin/netzwerke/neu", _network_form(begleitung=[str(world.begleitung.id)]))
    assert response.status_code == 302, response.get_data(as_text=True)
    network = _network(db_session, "flingern")
    assert sorted(number.e164 for number in network.phone_numbers) == ["+492115550100", "+492115550101"]
    assert network.stadtteile == ["Flingern-Nord", "Flingern-Süd"]
    assert (network.address, network.forwarding_number) == ("Hoffeldstraße 10", "+492115550199")
    assert network.postal_codes == ["40235", "40233"]
    assert [(h.weekday, h.opens, h.closes) for h in network.office_hours] == [(0, time(10), time(12)),
                                                                               (3, time(14), time(16))]
    assert [user.id for user in network.users] == [world.begleitung.id]
    assert _audit(db_session, network.id) == [("network_created", world.admin.id),
                                              ("network_begleitung_changed", world.admin.id)]
    page = web.get("/admin/netzwerke").get_data(as_text=True)
    assert "Netzwerk Flingern" in page
    assert "0211 5550100" in page  # DIN 5008
    assert "Flingern-Nord, Flingern-Süd" in page


def test_an_admin_edits_a_network_and_the_slug_stays(login_as, world, db_session):
    web = login_as("admin")
    page = web.get(f"/admin/netzwerke/{world.bilk.id}").get_data(as_text=True)
    assert "0221 4710100" in page
    response = web.post(f"/admin/netzwerke/{world.bilk.id}", _network_form(
        name="Netzwerk Bilk-Süd", slug="ignored", stadtteile=["Bilk"], phone_numbers="0221 4710100\n0221 4710101",
        begleitung=[str(world.begleitung.id)]))
    assert response.status_code == 302, response.get_data(as_text=True)
    network = _network(db_session, world.bilk.slug)
    assert network.name == "Netzwerk Bilk-Süd"
    assert [number.e164 for number in network.phone_numbers] == ["+492214710100", "+492214710101"]
    assert _audit(db_session, network.id)[-1] == ("network_changed", world.admin.id)


def test_a_number_of_another_network_is_refused_naming_that_network(login_as, world, db_session):
    web = login_as("admin")
    response = web.post("/admin/netzwerke/neu", _network_form(phone_numbers="0221 4710300"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Die Nummer 0221 4710300 gehört schon zum Netzwerk „Netzwerk Benrath“" in page
    assert db_session.scalars(select(Network).where(Network.slug == "flingern")).first() is None


@pytest.mark.parametrize(("values", "message"), [
    ({"stadtteile": ["Bilk", "Atlantis"]}, "„Atlantis“ ist kein Düsseldorfer Stadtteil."),
    ({"office_hours": "Montag 10-12"}, "ist keine Sprechzeit"),
    ({"slug": "Flingern Nord"}, "nur Kleinbuchstaben"),
    ({"postal_codes": "4023"}, "ist keine Postleitzahl"),
    ({"phone_numbers": ""}, "Darf nicht leer sein."),
])
def test_malformed_fields_are_refused_with_the_services_german_message(login_as, world, db_session, values,
                                                                      message):
    response = login_as("admin").post("/admin/netzwerke/neu", _network_form(**values))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db_session.scalars(select(Network).where(Network.slug == "flingern")).first() is None


def test_a_taken_slug_is_refused_instead_of_overwriting_that_network(login_as, world, db_session):
    response = login_as("admin").post("/admin/netzwerke/neu", _network_form(slug=world.bilk.slug))
    assert "Diesen Kurznamen hat schon das Netzwerk „Netzwerk Bilk“." in response.get_data(as_text=True)
    assert _network(db_session, world.bilk.slug).name == "Netzwerk Bilk"


def test_deactivation_asks_first_then_keeps_everything_and_reactivation_restores(login_as, world, db_session):
    web = login_as("admin")
    confirm = web.get(f"/admin/netzwerke/{world.bilk.id}/deaktivieren").get_data(as_text=True)
    assert "wirklich deaktivieren?" in confirm
    assert _network(db_session, world.bilk.slug).active
    assert web.post(f"/admin/netzwerke/{world.bilk.id}/deaktivieren").status_code == 302
    network = _network(db_session, world.bilk.slug)
    assert not network.active
    assert [number.e164 for number in network.phone_numbers] == ["+492214710100"]
    assert "deaktiviert" in web.get("/admin/netzwerke").get_data(as_text=True)
    assert web.post(f"/admin/netzwerke/{world.bilk.id}/aktivieren").status_code == 302
    assert _network(db_session, world.bilk.slug).active
    assert [action for action, _ in _audit(db_session, network.id)] == ["network_deactivated", "network_activated"]


def test_begleitung_choices_are_begleitung_accounts_and_other_memberships_stay(login_as, world, db_session):
    other = make_account(db_session, role="begleitung", display_name="Greta Gerresheim")
    db_session.commit()
    web = login_as("admin")
    page = web.get(f"/admin/netzwerke/{world.bilk.id}").get_data(as_text=True)
    assert "Greta Gerresheim" in page
    assert "Vera Ehrenamt" not in page  # a volunteer is no choice
    response = web.post(f"/admin/netzwerke/{world.bilk.id}", _network_form(
        phone_numbers="0221 4710100", begleitung=[str(other.id)]))
    assert response.status_code == 302, response.get_data(as_text=True)
    members = {user.id for user in _network(db_session, world.bilk.slug).users}
    assert members == {world.volunteer.id, other.id}  # Berta removed, the volunteer kept


def test_the_begleitung_edits_her_networks_address_through_the_service(login_as, world, db_session):
    web = login_as("begleitung")
    response = web.post(f"/admin/inhalte/{world.bilk.id}/anschrift", {"address": "  Bilker   Allee 12 "})
    assert response.status_code == 302
    assert _network(db_session, world.bilk.slug).address == "Bilker Allee 12"
    assert _audit(db_session, world.bilk.id) == [("network_changed", world.begleitung.id)]
    too_long = web.post(f"/admin/inhalte/{world.bilk.id}/anschrift", {"address": "x" * 201})
    assert "Höchstens 200 Zeichen" in too_long.get_data(as_text=True)


def test_the_begleitung_cannot_change_numbers(login_as, world, db_session):
    web = login_as("begleitung")
    assert web.get(f"/admin/netzwerke/{world.bilk.id}").status_code == 403
    response = web.post(f"/admin/netzwerke/{world.bilk.id}", _network_form(phone_numbers="0221 4710199"))
    assert response.status_code == 403
    # The address page takes only the address, whatever else is posted.
    web.post(f"/admin/inhalte/{world.bilk.id}/anschrift", {"address": "Bilker Allee 12",
                                                          "phone_numbers": "0221 4710199"})
    assert [number.e164 for number in _network(db_session, world.bilk.slug).phone_numbers] == ["+492214710100"]


def test_only_admins_see_the_netzwerke_link(login_as, world):
    assert 'href="/admin/netzwerke"' in login_as("admin").get("/admin/").get_data(as_text=True)
    for role in ("volunteer", "begleitung"):
        assert 'href="/admin/netzwerke"' not in login_as(role).get("/admin/").get_data(as_text=True)
