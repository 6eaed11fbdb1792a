"""Networks as specs: check what a coordinator typed, field by field, then create or update by slug.

The CSV import and the admin's network pages both go through here, so a network is checked the
same way wherever it is entered. Errors are German and name their field, for a form or a table cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hotline import stadtteile
from hotline.models import Network, OfficeHours, PhoneNumber
from hotline.services import audit
from hotline.services.numbers import any_e164, callable_e164, written

FIELDS = ("slug", "name", "phone_numbers", "stadtteile", "address", "forwarding_number", "postal_codes",
          "office_hours")
REQUIRED = ("slug", "name", "phone_numbers")
LIST_SEPARATOR = "|"
WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")  # index = OfficeHours.weekday

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_POSTAL_CODE = re.compile(r"\d{5}")
_SPAN = re.compile(r"(\w{2})\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")
# The columns' sizes (hotline.models.network), so a long cell is an error here, not in the database.
_MAX_LENGTH = {"slug": 60, "name": 120, "address": 200}


@dataclass(frozen=True, order=True)
class Hours:
    """One opening interval: weekday (0 = Monday), opens, closes."""

    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class NetworkSpec:
    """A network's complete wanted state; numbers in E.164, Stadtteile in the city's spelling."""

    slug: str
    name: str
    phone_numbers: tuple[str, ...]
    stadtteile: tuple[str, ...] = ()
    address: str = ""
    forwarding_number: str | None = None
    postal_codes: tuple[str, ...] = ()
    office_hours: tuple[Hours, ...] = ()


@dataclass(frozen=True)
class FieldError:
    """What is wrong with one field, in German."""

    field: str
    message: str


class SpecError(ValueError):
    """The fields of a network do not make a valid spec; `errors` lists every field in error."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(f"{error.field}: {error.message}" for error in errors))
        self.errors = tuple(errors)


@dataclass(frozen=True)
class Change:
    """What applying a spec does (or did) to its network: created, the fields changed, or nothing."""

    slug: str
    created: bool
    fields: tuple[str, ...]

    @property
    def unchanged(self) -> bool:
        """True when the network already is as the spec says."""
        return not self.created and not self.fields


def parse_office_hours(text: str) -> tuple[Hours, ...]:
    """Parse `Mo 10:00-12:00 | Do 14:00-16:00` into sorted intervals; ValueError in German."""
    spans: list[Hours] = []
    for item in _items(text):
        match = _SPAN.fullmatch(item)
        day = match.group(1).capitalize() if match else ""
        if match is None or day not in WEEKDAYS:
            raise ValueError(f"„{item}“ ist keine Sprechzeit wie „Mo 10:00-12:00“ "
                             f"(Wochentage: {' '.join(WEEKDAYS)}).")
        opens, closes = _time(match.group(2), match.group(3), item), _time(match.group(4), match.group(5), item)
        if opens >= closes:
            raise ValueError(f"„{item}“: die Sprechzeit muss enden, nachdem sie beginnt.")
        spans.append(Hours(WEEKDAYS.index(day), opens, closes))
    spans.sort()
    for before, after in zip(spans, spans[1:], strict=False):
        if before.weekday == after.weekday and after.opens < before.closes:
            raise ValueError(f"„{format_office_hours((before,))}“ und „{format_office_hours((after,))}“ "
                             "überschneiden sich.")
    return tuple(spans)


def format_office_hours(hours: Sequence[Hours]) -> str:
    """Write intervals as `Mo 10:00-12:00 | Do 14:00-16:00` (what parse_office_hours reads)."""
    return f" {LIST_SEPARATOR} ".join(
        f"{WEEKDAYS[span.weekday]} {span.opens:%H:%M}-{span.closes:%H:%M}" for span in sorted(hours))


def spec_from_fields(values: Mapping[str, str], current: NetworkSpec | None = None) -> NetworkSpec:
    """Parse fields as typed (list items separated by `|`); fields not given keep `current`'s values.

    :raises SpecError: naming every field that is missing, unknown or malformed.
    """
    errors = [FieldError(name, "Unbekanntes Feld.") for name in values if name not in FIELDS]
    parsed: dict[str, object] = {}
    for name, parse in _PARSERS.items():
        if name not in values:
            if current is None and name in REQUIRED:
                errors.append(FieldError(name, "Fehlt; es ist ein Pflichtfeld."))
            continue
        text = values[name].strip()
        if not text and name in REQUIRED:
            errors.append(FieldError(name, "Darf nicht leer sein."))
            continue
        try:
            parsed[name] = parse(text)
        except ValueError as error:
            errors.append(FieldError(name, str(error)))
    if errors:
        raise SpecError(errors)
    base = current or NetworkSpec(slug="", name="", phone_numbers=())
    return NetworkSpec(**{name: parsed.get(name, getattr(base, name)) for name in FIELDS})  # type: ignore[arg-type]


def fields_of(spec: NetworkSpec) -> dict[str, str]:
    """A spec's fields as text, in the form spec_from_fields reads."""
    join = f" {LIST_SEPARATOR} ".join
    return {
        "slug": spec.slug,
        "name": spec.name,
        "phone_numbers": join(written(number) for number in spec.phone_numbers),
        "stadtteile": join(spec.stadtteile),
        "address": spec.address,
        "forwarding_number": written(spec.forwarding_number) if spec.forwarding_number else "",
        "postal_codes": join(spec.postal_codes),
        "office_hours": format_office_hours(spec.office_hours),
    }


def spec_of(network: Network) -> NetworkSpec:
    """A network's current state as a spec."""
    return NetworkSpec(
        slug=network.slug,
        name=network.name,
        phone_numbers=tuple(sorted(number.e164 for number in network.phone_numbers)),
        stadtteile=tuple(network.stadtteile),
        address=network.address,
        forwarding_number=network.forwarding_number,
        postal_codes=tuple(network.postal_codes),
        office_hours=tuple(sorted(Hours(h.weekday, h.opens, h.closes) for h in network.office_hours)),
    )


def networks_by_slug(session: Session) -> dict[str, Network]:
    """All networks (active or not) with their numbers and hours, by slug."""
    query = select(Network).options(selectinload(Network.phone_numbers), selectinload(Network.office_hours))
    return {network.slug: network for network in session.scalars(query.order_by(Network.slug))}


def numbers_taken(session: Session, specs: Sequence[NetworkSpec]) -> list[tuple[int, FieldError]]:
    """Numbers of `specs` that a network not among them already has: (index of the spec, error).

    A network among `specs` gives up the numbers its spec no longer lists, so they count as free;
    clashes between the specs themselves are the caller's to report (it knows its rows or form).
    """
    wanted = {number for spec in specs for number in spec.phone_numbers}
    respecified = {spec.slug for spec in specs}
    owners = {
        number.e164: number.network
        for number in session.scalars(
            select(PhoneNumber).where(PhoneNumber.e164.in_(wanted)).options(selectinload(PhoneNumber.network)))
        if number.network.slug not in respecified
    }
    return [
        (index, FieldError("phone_numbers", _taken_message(number, owners[number])))
        for index, spec in enumerate(specs) for number in spec.phone_numbers if number in owners
    ]


def plan_changes(session: Session, specs: Sequence[NetworkSpec]) -> list[Change]:
    """What apply_specs would do to each network, without changing anything."""
    existing = networks_by_slug(session)
    return [_change(spec, existing.get(spec.slug)) for spec in specs]


def apply_specs(session: Session, specs: Sequence[NetworkSpec], *, actor_id: int | None = None) -> list[Change]:
    """Create or update each spec's network by slug, audit every change, flush; return the changes.

    The caller has checked the specs (numbers_taken, and no number in two specs). Nothing is deleted:
    a network absent from `specs` stays as it is.
    """
    existing = networks_by_slug(session)
    changes = [_change(spec, existing.get(spec.slug)) for spec in specs]
    before = {spec.slug: fields_of(spec_of(existing[spec.slug])) for spec in specs if spec.slug in existing}
    # Numbers and hours given up go first: another network may take a number over, or an interval
    # may keep its start and change its end, and the unique constraints hold at every flush.
    for spec in specs:
        network = existing.get(spec.slug)
        if network is not None:
            network.phone_numbers = [n for n in network.phone_numbers if n.e164 in spec.phone_numbers]
            network.office_hours = [h for h in network.office_hours
                                    if Hours(h.weekday, h.opens, h.closes) in spec.office_hours]
    session.flush()
    for spec, change in zip(specs, changes, strict=True):
        if change.unchanged:
            continue
        network = existing.get(spec.slug)
        if network is None:
            # The line speaks of "der Anlaufstelle <district>": the Stadtteil it serves says it best.
            network = Network(slug=spec.slug, district=spec.stadtteile[0] if spec.stadtteile else spec.name)
            session.add(network)
        _write(network, spec)
        session.flush()
        after = fields_of(spec)
        audit.record(
            session, "network_created" if change.created else "network_changed", "network", network.id,
            actor_id=actor_id, network_id=network.id,
            changes={name: {"before": before[spec.slug][name] if spec.slug in before else "", "after": after[name]}
                     for name in change.fields},
        )
    return changes


def _write(network: Network, spec: NetworkSpec) -> None:
    network.name = spec.name
    network.stadtteile = list(spec.stadtteile)
    network.address = spec.address
    network.forwarding_number = spec.forwarding_number
    network.postal_codes = list(spec.postal_codes)
    kept_numbers = {number.e164 for number in network.phone_numbers}
    network.phone_numbers.extend(PhoneNumber(e164=e164) for e164 in spec.phone_numbers if e164 not in kept_numbers)
    kept_hours = {Hours(h.weekday, h.opens, h.closes) for h in network.office_hours}
    network.office_hours.extend(OfficeHours(weekday=h.weekday, opens=h.opens, closes=h.closes)
                                for h in spec.office_hours if h not in kept_hours)


def _change(spec: NetworkSpec, network: Network | None) -> Change:
    if network is None:
        return Change(spec.slug, created=True, fields=tuple(name for name in FIELDS if name != "slug"))
    current = spec_of(network)
    return Change(spec.slug, created=False,
                  fields=tuple(name for name in FIELDS if getattr(spec, name) != getattr(current, name)))


def _taken_message(e164: str, owner: Network) -> str:
    state = ", deaktiviert" if not owner.active else ""
    return f"Die Nummer {written(e164)} gehört schon zum Netzwerk „{owner.name}“ ({owner.slug}{state})."


def _items(text: str) -> list[str]:
    return [" ".join(item.split()) for item in text.split(LIST_SEPARATOR) if item.strip()]


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _time(hour: str, minute: str, item: str) -> time:
    try:
        return time(int(hour), int(minute))
    except ValueError:
        raise ValueError(f"„{item}“: {hour}:{minute} ist keine Uhrzeit.") from None


def _slug(text: str) -> str:
    if not _SLUG.fullmatch(text):
        raise ValueError(f"„{text}“: nur Kleinbuchstaben a-z, Ziffern und Bindestriche, z. B. „bilk-nord“.")
    return _short("slug", text)


def _name(text: str) -> str:
    return _short("name", " ".join(text.split()))


def _address(text: str) -> str:
    return _short("address", " ".join(text.split()))


def _short(field: str, text: str) -> str:
    if len(text) > _MAX_LENGTH[field]:
        raise ValueError(f"Höchstens {_MAX_LENGTH[field]} Zeichen (es sind {len(text)}).")
    return text


def parse_phone_numbers(text: str) -> tuple[str, ...]:
    """Parse `0211 5551234 | +49 211 5551235` into sorted E.164 numbers; ValueError in German."""
    numbers = []
    for item in _items(text):
        number = any_e164(item, "DE")
        if number is None:
            raise ValueError(f"„{item}“ ist keine gültige Telefonnummer (z. B. 0211 5551234 oder +49 211 5551234).")
        numbers.append(number)
    return tuple(sorted(set(numbers)))


def _forwarding_number(text: str) -> str | None:
    if not text:
        return None
    number = callable_e164(text, "DE")
    if number is None:
        raise ValueError(f"„{text}“ ist keine Nummer, zu der die Hotline weiterleiten kann (z. B. 0211 5551234).")
    return number


def _stadtteile(text: str) -> tuple[str, ...]:
    names = []
    for item in _items(text):
        official = stadtteile.official_name(item)
        if official is None:
            raise ValueError(f"„{item}“ ist kein Düsseldorfer Stadtteil.")
        names.append(official)
    return _unique(names)


def _postal_codes(text: str) -> tuple[str, ...]:
    codes = _items(text)
    for code in codes:
        if not _POSTAL_CODE.fullmatch(code):
            raise ValueError(f"„{code}“ ist keine Postleitzahl (fünf Ziffern).")
    return _unique(codes)


_PARSERS: dict[str, Callable[[str], object]] = {
    "slug": _slug,
    "name": _name,
    "phone_numbers": parse_phone_numbers,
    "stadtteile": _stadtteile,
    "address": _address,
    "forwarding_number": _forwarding_number,
    "postal_codes": _postal_codes,
    "office_hours": parse_office_hours,
}
