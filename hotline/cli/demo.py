"""Demo content: three networks in real Düsseldorf neighbourhoods, fictional people and numbers.

Phone numbers come from the ranges the Bundesnetzagentur keeps free for film and television
(0221 4710 xxx, 0171 39200 xx), so no real person is ever dialled from the demo.
Loading is idempotent: a network or account that exists (by slug or e-mail) is left as it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.db import utcnow
from hotline.models import (
    Activity,
    CallbackRequest,
    ClosureDay,
    Network,
    NewcomerInfo,
    OfficeHours,
    PhoneNumber,
    User,
)
from hotline.services.users import add_user
from ivr_flows.schedule import BERLIN

logger = logging.getLogger(__name__)

DEMO_PASSWORD_ENV = "HOTLINE_DEMO_PASSWORD"  # noqa: S105 - the variable's name
DEFAULT_DEMO_PASSWORD = "hotline-demo"  # noqa: S105 - documented demo accounts, local use only

NEWCOMER_TEXT = (
    "Bei uns ist jede und jeder willkommen. Sie brauchen keine Mitgliedschaft, und es kostet nichts. "
    "Das Netzwerk ist für Menschen nach dem Berufsleben oder nach der Familienzeit. "
    "Und für alle, die sich auf den Ruhestand vorbereiten. "
    "Sie entscheiden selbst, was Sie tun. Und wie viel Zeit Sie dafür geben. "
    "Bei uns heißt es: Ich für mich. Ich mit anderen für mich. Ich mit anderen für andere. "
    "Und: Andere mit anderen für mich. "
    "Die Ideen kommen von den Netzwerkerinnen und Netzwerkern selbst. "
    "Eine hauptamtliche Begleitung unterstützt sie dabei. Sie leitet nicht, sie begleitet. "
    "Der einfachste Anfang: Kommen Sie zu unserem Begrüßungstreffen. "
    "Oder besuchen Sie einfach ein Angebot, das Sie interessiert."
)


@dataclass(frozen=True)
class _ActivitySpec:
    title: str
    description: str
    place: str
    day_offset: int  # days from today of the (next) date
    at: time
    valid_days: tuple[int, int]  # valid from/until, as offsets from today


@dataclass(frozen=True)
class _NetworkSpec:
    slug: str
    name: str
    district: str
    postal_codes: tuple[str, ...]
    address: str
    line_number: str
    forwarding_number: str
    waiting_callers: tuple[str, str]
    welcome_meeting: str
    hours: tuple[tuple[int, time, time], ...]
    activities: tuple[_ActivitySpec, ...]


NETWORKS = (
    _NetworkSpec(
        slug="bilk",
        name="Netzwerk Bilk",
        district="Bilk",
        postal_codes=("40223", "40225"),
        address="Anlaufstelle im Stadtteilzentrum Bilk",
        line_number="+492214710100",
        forwarding_number="+492214710101",
        waiting_callers=("+492214710911", "+492214710921"),
        welcome_meeting="Das nächste Begrüßungstreffen ist am ersten Dienstag im Monat um 15 Uhr "
        "in der Anlaufstelle.",
        hours=((0, time(10), time(12)), (2, time(10), time(12)), (3, time(14), time(17))),
        activities=(
            _ActivitySpec("Spaziergang im Volksgarten", "Wir gehen gemütlich eine Stunde. "
                          "Jeder geht so schnell, wie er mag.", "Treffpunkt am Eingang Oberbilker "
                          "Allee", 2, time(10), (-14, 30)),
            _ActivitySpec("Erzählcafé", "Bei Kaffee und Kuchen erzählen wir uns Geschichten aus "
                          "dem Viertel.", "Anlaufstelle, großer Raum", 5, time(15), (-7, 21)),
            _ActivitySpec("Smartphone-Sprechstunde", "Fragen zum Handy? Wir helfen in Ruhe "
                          "weiter.", "Anlaufstelle, kleiner Raum", 35, time(14, 30), (20, 40)),
            _ActivitySpec("Sommerfest", "Unser Fest im Hof mit Musik.", "Hof der Anlaufstelle",
                          -90, time(14), (-120, -89)),
        ),
    ),
    _NetworkSpec(
        slug="gerresheim",
        name="Netzwerk Gerresheim",
        district="Gerresheim",
        postal_codes=("40625", "40627"),
        address="Anlaufstelle am Gerresheimer Markt",
        line_number="+492214710200",
        forwarding_number="+492214710201",
        waiting_callers=("+492214710912", "+492214710922"),
        welcome_meeting="Das nächste Begrüßungstreffen ist am zweiten Mittwoch im Monat um "
        "10 Uhr.",
        hours=((1, time(9), time(12)), (3, time(9), time(12))),
        activities=(
            _ActivitySpec("Boule im Park", "Kugeln haben wir. Sie brauchen nur gute Laune.",
                          "Boulebahn im Gerresheimer Stadtpark", 3, time(11), (-10, 25)),
            _ActivitySpec("Singkreis", "Wir singen Volkslieder und Schlager. Noten braucht "
                          "niemand.", "Gemeindesaal", 6, time(16), (-3, 30)),
            _ActivitySpec("Gedächtnistraining", "Rätsel und Spiele, die den Kopf fit halten.",
                          "Anlaufstelle", 28, time(10), (14, 45)),
            _ActivitySpec("Kürbissuppe kochen", "Wir haben gemeinsam gekocht.", "Anlaufstelle",
                          -30, time(12), (-45, -29)),
        ),
    ),
    _NetworkSpec(
        slug="benrath",
        name="Netzwerk Benrath",
        district="Benrath",
        postal_codes=("40597",),
        address="Anlaufstelle nahe dem Benrather Marktplatz",
        line_number="+492214710300",
        forwarding_number="+492214710301",
        waiting_callers=("+492214710913", "+492214710923"),
        welcome_meeting="Das nächste Begrüßungstreffen ist jeden letzten Freitag im Monat um "
        "15 Uhr.",
        hours=((0, time(14), time(16)), (4, time(10), time(13))),
        activities=(
            _ActivitySpec("Radtour am Rhein", "Eine ruhige Runde von etwa 20 Kilometern.",
                          "Treffpunkt Benrather Schlossufer", 4, time(10), (-5, 20)),
            _ActivitySpec("Spielenachmittag", "Karten, Würfel und Brettspiele.",
                          "Anlaufstelle", 1, time(15), (-20, 14)),
            _ActivitySpec("Literaturkreis", "Wir lesen gemeinsam ein Buch und sprechen "
                          "darüber.", "Stadtteilbücherei Benrath", 40, time(17), (25, 60)),
            _ActivitySpec("Führung im Schlosspark", "Die Führung ist vorbei.",
                          "Schloss Benrath", -60, time(11), (-70, -59)),
        ),
    ),
)


@dataclass(frozen=True)
class DemoResult:
    """What a demo load created."""

    networks: int
    users: int


def load_demo(session: Session, *, today: date, password: str | None = None) -> DemoResult:
    """Add the demo networks and accounts that do not exist yet; dates are relative to today."""
    existing = set(session.scalars(select(Network.slug)))
    created_networks = 0
    for spec in NETWORKS:
        if spec.slug in existing:
            continue
        session.add(_build_network(spec, today))
        created_networks += 1
    session.flush()
    created_users = _add_demo_users(session, password or DEFAULT_DEMO_PASSWORD)
    logger.info("demo loaded: %d networks, %d users", created_networks, created_users)
    return DemoResult(networks=created_networks, users=created_users)


def _build_network(spec: _NetworkSpec, today: date) -> Network:
    network = Network(
        slug=spec.slug,
        name=spec.name,
        district=spec.district,
        postal_codes=list(spec.postal_codes),
        address=spec.address,
        forwarding_number=spec.forwarding_number,
        phone_numbers=[PhoneNumber(e164=spec.line_number, label="Anlaufstelle")],
        office_hours=[OfficeHours(weekday=d, opens=o, closes=c) for d, o, c in spec.hours],
        closure_days=[ClosureDay(day=date(today.year, 12, 24), reason="Heiligabend")],
        newcomer_info=NewcomerInfo(text=NEWCOMER_TEXT, welcome_meeting=spec.welcome_meeting),
        activities=[_build_activity(activity, today) for activity in spec.activities],
    )
    # Two callers waiting for a call back, so the volunteers' queue is not empty in the demo.
    now = utcnow()
    network.callback_requests = [
        CallbackRequest(number=spec.waiting_callers[0], number_confirmed=True,
                        topic="Neu hier: Informationen", created_at=now - timedelta(hours=3)),
        CallbackRequest(number=spec.waiting_callers[1], number_confirmed=True,
                        topic=f"Angebot: {spec.activities[0].title}",
                        created_at=now - timedelta(minutes=40)),
    ]
    return network


def _build_activity(spec: _ActivitySpec, today: date) -> Activity:
    starts_local = datetime.combine(today + timedelta(days=spec.day_offset), spec.at, BERLIN)
    return Activity(
        title=spec.title,
        description=spec.description,
        place=spec.place,
        starts_at=starts_local,
        valid_from=today + timedelta(days=spec.valid_days[0]),
        valid_until=today + timedelta(days=spec.valid_days[1]),
    )


def _add_demo_users(session: Session, password: str) -> int:
    accounts: list[tuple[str, str, tuple[str, ...], str]] = [("admin@example.org", "admin", (), "Admin Demo")]
    for spec in NETWORKS:
        accounts.append((f"begleitung.{spec.slug}@example.org", "begleitung", (spec.slug,),
                         f"Begleitung {spec.district}"))
        accounts.append((f"ehrenamt.{spec.slug}@example.org", "volunteer", (spec.slug,),
                         f"Ehrenamt {spec.district}"))
    existing = set(session.scalars(select(User.email)))
    created = 0
    for email, role, slugs, name in accounts:
        if email in existing:
            continue
        add_user(session, email, password, role, network_slugs=slugs, display_name=name)
        created += 1
    return created
