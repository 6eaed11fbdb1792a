"""Networks as specs: the parsers, the per-field errors, and applying specs by slug with an audit."""

import re
from datetime import time

import pytest
from sqlalchemy import select

from hotline.models import AuditEvent, Network
from hotline.services.networks import (
    Hours,
    NetworkSpec,
    SpecError,
    apply_specs,
    fields_of,
    format_office_hours,
    numbers_taken,
    parse_office_hours,
    plan_changes,
    spec_from_fields,
    spec_of,
)
from hotline.services.numbers import written

from tests.factories import make_line_number, make_network


def test_office_hours_parse_sorted_and_format_back():
    hours = parse_office_hours(" do 14:00 - 16:00|Mo 9:30-12:00 |  Mo 13:00-15:00 ")
    assert hours == (Hours(0, time(9, 30), time(12)), Hours(0, time(13), time(15)), Hours(3, time(14), time(16)))
    assert format_office_hours(hours) == "Mo 09:30-12:00 | Mo 13:00-15:00 | Do 14:00-16:00"
    assert parse_office_hours(format_office_hours(hours)) == hours
    assert parse_office_hours("") == ()


@pytest.mark.parametrize(("text", "message"), [
    ("Montag 10:00-12:00", "keine Sprechzeit"),
    ("Mo 10-12", "keine Sprechzeit"),
    ("Xy 10:00-12:00", "keine Sprechzeit"),
    ("Mo 12:00-10:00", "enden, nachdem sie beginnt"),
    ("Mo 10:00-10:00", "enden, nachdem sie beginnt"),
    ("Mo 25:00-26:00", "keine Uhrzeit"),
    ("Mo 10:00-12:00 | Mo 11:00-13:00", "überschneiden sich"),
])
def test_malformed_office_hours_are_explained(text, message):
    with pytest.raises(ValueError, match=message):
        parse_office_hours(text)


def test_fields_parse_into_a_spec_in_stored_form():
    spec = spec_from_fields({
        "slug": "flingern", "name": " Netzwerk  Flingern ", "phone_numbers": "0211 5550100 | +49 211 5550102",
        "stadtteile": "flingern-süd |  FLINGERN-NORD", "address": "Ackerstraße 1", "forwarding_number": "0211 5550101",
        "postal_codes": "40233|40235", "office_hours": "Mo 10:00-12:00",
    })
    assert spec == NetworkSpec(
        slug="flingern", name="Netzwerk Flingern", phone_numbers=("+492115550100", "+492115550102"),
        stadtteile=("Flingern-Süd", "Flingern-Nord"), address="Ackerstraße 1", forwarding_number="+492115550101",
        postal_codes=("40233", "40235"), office_hours=(Hours(0, time(10), time(12)),),
    )
    assert spec_from_fields(fields_of(spec)) == spec


@pytest.mark.parametrize(("field", "value", "message"), [
    ("slug", "Bilk Nord", "nur Kleinbuchstaben"),
    ("slug", "", "Darf nicht leer sein"),
    ("name", "x" * 121, "Höchstens 120 Zeichen"),
    ("phone_numbers", "0211 55", "keine gültige Telefonnummer"),
    ("phone_numbers", "", "Darf nicht leer sein"),
    ("stadtteile", "Bilk | Schickeria", "„Schickeria“ ist kein Düsseldorfer Stadtteil"),
    ("postal_codes", "4023", "keine Postleitzahl"),
    ("forwarding_number", "0900 1234567", "nicht weiterleiten|keine Nummer"),
    ("office_hours", "Mo 10:00", "keine Sprechzeit"),
])
def test_each_bad_field_is_named_in_german(field, value, message):
    values = {"slug": "bilk", "name": "Netzwerk Bilk", "phone_numbers": "0211 5550100", field: value}
    with pytest.raises(SpecError) as raised:
        spec_from_fields(values)
    [error] = raised.value.errors
    assert error.field == field
    assert re.search(message, error.message), error.message


def test_missing_required_and_unknown_fields_are_all_reported():
    with pytest.raises(SpecError) as raised:
        spec_from_fields({"slug": "bilk", "farbe": "blau"})
    assert {(error.field, error.message) for error in raised.value.errors} == {
        ("farbe", "Unbekanntes Feld."),
        ("name", "Fehlt; es ist ein Pflichtfeld."),
        ("phone_numbers", "Fehlt; es ist ein Pflichtfeld."),
    }


def test_fields_not_given_keep_the_current_values():
    current = NetworkSpec(slug="bilk", name="Netzwerk Bilk", phone_numbers=("+492115550100",),
                          address="Bilker Allee 1", postal_codes=("40223",))
    spec = spec_from_fields({"slug": "bilk", "address": "Bilker Allee 2"}, current)
    assert spec == NetworkSpec(slug="bilk", name="Netzwerk Bilk", phone_numbers=("+492115550100",),
                               address="Bilker Allee 2", postal_codes=("40223",))


def test_apply_creates_then_updates_by_slug_and_audits_what_changed(db_session):
    spec = spec_from_fields({"slug": "flingern", "name": "Netzwerk Flingern", "phone_numbers": "0211 5550100",
                             "stadtteile": "Flingern-Nord", "office_hours": "Mo 10:00-12:00"})
    [created] = apply_specs(db_session, [spec])
    assert created.created
    network = db_session.scalar(select(Network).where(Network.slug == "flingern"))
    assert (network.district, network.active, spec_of(network)) == ("Flingern-Nord", True, spec)

    assert plan_changes(db_session, [spec])[0].unchanged
    changed = spec_from_fields({"slug": "flingern", "phone_numbers": "0211 5550102",
                                "office_hours": "Mo 10:00-13:00"}, spec)
    [change] = apply_specs(db_session, [changed])
    assert change.fields == ("phone_numbers", "office_hours")
    db_session.expire_all()
    assert spec_of(network) == changed
    events = db_session.scalars(select(AuditEvent).where(AuditEvent.object_type == "network")
                                .order_by(AuditEvent.id)).all()
    assert [event.action for event in events] == ["network_created", "network_changed"]
    assert events[1].details["changes"] == {
        "phone_numbers": {"before": "0211 5550100", "after": "0211 5550102"},
        "office_hours": {"before": "Mo 10:00-12:00", "after": "Mo 10:00-13:00"},
    }
    assert apply_specs(db_session, [changed])[0].unchanged


def test_a_number_another_network_has_is_refused_naming_that_network(db_session):
    holder = make_network(db_session, slug="bilk", name="Netzwerk Bilk", active=False)
    make_line_number(db_session, holder, "+492115550100")
    spec = spec_from_fields({"slug": "flingern", "name": "Netzwerk Flingern", "phone_numbers": "0211 5550100"})
    [(index, error)] = numbers_taken(db_session, [spec])
    assert (index, error.field) == (0, "phone_numbers")
    assert error.message == "Die Nummer 0211 5550100 gehört schon zum Netzwerk „Netzwerk Bilk“ (bilk, deaktiviert)."


def test_a_number_given_up_in_the_same_batch_may_move(db_session):
    bilk = spec_from_fields({"slug": "bilk", "name": "Bilk", "phone_numbers": "0211 5550100 | 0211 5550101"})
    apply_specs(db_session, [bilk])
    moved = [spec_from_fields({"phone_numbers": "0211 5550100"}, bilk),
             spec_from_fields({"slug": "hamm", "name": "Hamm", "phone_numbers": "0211 5550101"})]
    assert numbers_taken(db_session, moved) == []
    apply_specs(db_session, moved)
    db_session.expire_all()
    assert {n.slug: [p.e164 for p in n.phone_numbers] for n in db_session.scalars(select(Network))} == {
        "bilk": ["+492115550100"], "hamm": ["+492115550101"]}


@pytest.mark.parametrize(("e164", "written_form"), [
    ("+492115551234", "0211 5551234"),  # four-digit area code
    ("+49305551234", "030 5551234"),  # two-digit area code
    ("+4917139200123", "0171 39200123"),  # mobile
    ("+31201234567", "+31 20 123 4567"),  # abroad: international
    (None, "unbekannt"),
])
def test_a_number_is_written_as_din_5008_has_it(e164, written_form):
    assert written(e164) == written_form
