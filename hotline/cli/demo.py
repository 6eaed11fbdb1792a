"""Demo content: a city of 28 networks in real Düsseldorf Stadtteile, fictional people and numbers.

Every Stadtbezirk has one to four networks, some postal codes are shared by two or three of them,
so the city-wide line's choice by Stadtteil is exercised. Bilk, Gerresheim and Benrath carry full
content, accounts and waiting callers; the others a few activities each.
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
    ActivityDraft,
    CallbackRequest,
    ClosureDay,
    Network,
    NewcomerInfo,
    OfficeHours,
    PhoneNumber,
    User,
)
from hotline.services.users import add_user
from ivr_flows.recurrence import Frequency
from ivr_flows.schedule import BERLIN

logger = logging.getLogger(__name__)

DEMO_PASSWORD_ENV = "HOTLINE_DEMO_PASSWORD"  # noqa: S105 - the variable's name
DEFAULT_DEMO_PASSWORD = "kaffee-und-kuchen"  # noqa: S105 - documented demo accounts, local use only

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
    frequency: Frequency = Frequency.ONCE


@dataclass(frozen=True)
class _NetworkSpec:
    slug: str
    name: str
    district: str
    stadtteile: tuple[str, ...]
    postal_codes: tuple[str, ...]
    address: str
    line_number: str
    forwarding_number: str
    welcome_meeting: str  # the note; alone, or after the date of `welcome_monthly`
    hours: tuple[tuple[int, time, time], ...]
    activities: tuple[_ActivitySpec, ...]
    waiting_callers: tuple[str, ...] = ()
    accounts: bool = False  # a Begleitung and a volunteer account
    welcome_monthly: tuple[int, int, time] | None = None  # the nth (1-4) weekday (0 = Monday) of each month


_STAFFED = (
    _NetworkSpec(
        slug="bilk",
        name="Netzwerk Bilk",
        district="Bilk",
        stadtteile=("Bilk",),
        postal_codes=("40223", "40225"),
        address="Anlaufstelle im Stadtteilzentrum Bilk",
        line_number="+492214710100",
        forwarding_number="+492214710101",
        welcome_meeting="In der Anlaufstelle, großer Raum.",
        welcome_monthly=(1, 1, time(15)),
        hours=((0, time(10), time(12)), (2, time(10), time(12)), (3, time(14), time(17))),
        activities=(
            _ActivitySpec("Spaziergang im Volksgarten", "Wir gehen gemütlich eine Stunde. "
                          "Jeder geht so schnell, wie er mag.", "Treffpunkt am Eingang Oberbilker "
                          "Allee", 2, time(10), (-14, 30), Frequency.WEEKLY),
            _ActivitySpec("Erzählcafé", "Bei Kaffee und Kuchen erzählen wir uns Geschichten aus "
                          "dem Viertel.", "Anlaufstelle, großer Raum", 5, time(15), (-7, 21)),
            _ActivitySpec("Smartphone-Sprechstunde", "Fragen zum Handy? Wir helfen in Ruhe "
                          "weiter.", "Anlaufstelle, kleiner Raum", 35, time(14, 30), (20, 40)),
            _ActivitySpec("Sommerfest", "Unser Fest im Hof mit Musik.", "Hof der Anlaufstelle",
                          -90, time(14), (-120, -89)),
        ),
        waiting_callers=("+492214710911", "+492214710921"),
        accounts=True,
    ),
    _NetworkSpec(
        slug="gerresheim",
        name="Netzwerk Gerresheim",
        district="Gerresheim",
        stadtteile=("Gerresheim",),
        postal_codes=("40625", "40627"),
        address="Anlaufstelle am Gerresheimer Markt",
        line_number="+492214710200",
        forwarding_number="+492214710201",
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
        waiting_callers=("+492214710912", "+492214710922"),
        accounts=True,
    ),
    _NetworkSpec(
        slug="benrath",
        name="Netzwerk Benrath",
        district="Benrath",
        stadtteile=("Benrath",),
        postal_codes=("40597",),
        address="Anlaufstelle nahe dem Benrather Marktplatz",
        line_number="+492214710300",
        forwarding_number="+492214710301",
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
        waiting_callers=("+492214710913", "+492214710923"),
        accounts=True,
    ),
)

_HOURS = (
    ((0, time(10), time(12)), (3, time(14), time(16))),
    ((1, time(9), time(12)),),
    ((2, time(10), time(13)), (4, time(10), time(12))),
    ((0, time(14), time(17)), (2, time(9), time(11))),
)
_WELCOME_MEETINGS = (
    "Das nächste Begrüßungstreffen ist am ersten Montag im Monat um 15 Uhr in der Anlaufstelle.",
    "Das nächste Begrüßungstreffen ist am dritten Donnerstag im Monat um 10 Uhr.",
    "Neue Interessierte begrüßen wir jeden zweiten Mittwoch im Monat um 16 Uhr.",
)
_ACTIVITIES = (
    _ActivitySpec("Frühstückstreff", "Wir frühstücken gemeinsam und planen die nächsten Wochen.",
                  "Anlaufstelle", 2, time(9, 30), (-7, 21)),
    _ActivitySpec("Gymnastik im Sitzen", "Sanfte Bewegung für alle, auch mit Rollator.",
                  "Gemeindesaal", 3, time(11), (-10, 30)),
    _ActivitySpec("Stadtteilspaziergang", "Wir entdecken unser Viertel in ruhigem Tempo.",
                  "Treffpunkt vor der Anlaufstelle", 5, time(14), (-3, 14)),
    _ActivitySpec("Handy-Hilfe", "Wir zeigen in Ruhe, wie das Smartphone funktioniert.",
                  "Anlaufstelle", 9, time(15), (-1, 20)),
    _ActivitySpec("Doppelkopfrunde", "Karten spielen in geselliger Runde. Anfänger sind willkommen.",
                  "Café im Stadtteilzentrum", 30, time(15), (21, 45)),
    _ActivitySpec("Adventssingen", "Wir haben gemeinsam gesungen.", "Anlaufstelle", -40, time(16), (-55, -39)),
)

# slug, name after "Anlaufstelle", Stadtteile, postal codes; numbered on from 0221 4710 400 in tens.
_CITY = (
    ("pempelfort", "Pempelfort", ("Pempelfort", "Stadtmitte"), ("40211", "40477", "40479")),
    ("derendorf-golzheim", "Derendorf-Golzheim", ("Derendorf", "Golzheim"), ("40476", "40477", "40474")),
    ("altstadt-carlstadt", "Altstadt-Carlstadt", ("Altstadt", "Carlstadt"), ("40213",)),
    ("flingern", "Flingern", ("Flingern-Nord", "Flingern-Süd"), ("40233", "40235")),
    ("duesseltal", "Düsseltal", ("Düsseltal",), ("40237", "40239")),
    ("unterbilk-hafen", "Unterbilk-Hafen", ("Unterbilk", "Hafen"), ("40219", "40221")),
    ("hamm-volmerswerth-flehe", "Hamm-Volmerswerth-Flehe", ("Hamm", "Volmerswerth", "Flehe"), ("40221", "40223")),
    ("oberbilk-friedrichstadt", "Oberbilk-Friedrichstadt", ("Oberbilk", "Friedrichstadt"), ("40227", "40215", "40217")),
    ("oberkassel", "Oberkassel", ("Oberkassel", "Niederkassel"), ("40545", "40547")),
    ("heerdt-loerick", "Heerdt-Lörick", ("Heerdt", "Lörick"), ("40549", "40547")),
    ("kaiserswerth", "Kaiserswerth", ("Kaiserswerth", "Kalkum"), ("40489",)),
    ("wittlaer-angermund", "Wittlaer-Angermund", ("Wittlaer", "Angermund"), ("40489",)),
    ("lohausen-stockum", "Lohausen-Stockum", ("Lohausen", "Stockum"), ("40474",)),
    ("rath", "Rath", ("Rath", "Lichtenbroich"), ("40472",)),
    ("unterrath", "Unterrath", ("Unterrath",), ("40468",)),
    ("moersenbroich", "Mörsenbroich", ("Mörsenbroich",), ("40470",)),
    ("grafenberg-ludenberg", "Grafenberg-Ludenberg", ("Grafenberg", "Ludenberg", "Hubbelrath", "Knittkuhl"),
     ("40629",)),
    ("eller", "Eller", ("Eller",), ("40229",)),
    ("lierenfeld", "Lierenfeld", ("Lierenfeld",), ("40231",)),
    ("vennhausen", "Vennhausen", ("Vennhausen",), ("40627",)),
    ("unterbach", "Unterbach", ("Unterbach",), ("40627", "40229")),
    ("urdenbach", "Urdenbach", ("Urdenbach",), ("40593",)),
    ("wersten-holthausen", "Wersten-Holthausen", ("Wersten", "Holthausen", "Himmelgeist", "Itter"), ("40591", "40589")),
    ("reisholz-hassels", "Reisholz-Hassels", ("Reisholz", "Hassels"), ("40599",)),
    ("garath-hellerhof", "Garath-Hellerhof", ("Garath", "Hellerhof"), ("40595",)),
)


def _city_network(index: int, slug: str, district: str, stadtteile: tuple[str, ...],
                  postal_codes: tuple[str, ...]) -> _NetworkSpec:
    """A network with plain content: hours, welcome meeting and activities taken in turn from the lists above."""
    line = 4710400 + 10 * index
    return _NetworkSpec(
        slug=slug, name=f"Netzwerk {district}", district=district, stadtteile=stadtteile,
        postal_codes=postal_codes, address=f"Anlaufstelle im Stadtteilzentrum {stadtteile[0]}",
        line_number=f"+49221{line}", forwarding_number=f"+49221{line + 1}",
        welcome_meeting=_WELCOME_MEETINGS[index % len(_WELCOME_MEETINGS)],
        hours=_HOURS[index % len(_HOURS)],
        activities=tuple(_ACTIVITIES[(index + k) % len(_ACTIVITIES)] for k in (0, 2, 4)),
    )


NETWORKS = _STAFFED + tuple(_city_network(i, *row) for i, row in enumerate(_CITY))


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
    if created_users:
        _add_demo_proposal(session, today)
    logger.info("demo loaded: %d networks, %d users", created_networks, created_users)
    return DemoResult(networks=created_networks, users=created_users)


def _build_network(spec: _NetworkSpec, today: date) -> Network:
    network = Network(
        slug=spec.slug,
        name=spec.name,
        district=spec.district,
        stadtteile=list(spec.stadtteile),
        postal_codes=list(spec.postal_codes),
        address=spec.address,
        forwarding_number=spec.forwarding_number,
        phone_numbers=[PhoneNumber(e164=spec.line_number, label="Anlaufstelle")],
        office_hours=[OfficeHours(weekday=d, opens=o, closes=c) for d, o, c in spec.hours],
        closure_days=[ClosureDay(day=date(today.year, 12, 24), reason="Heiligabend")],
        newcomer_info=_build_newcomer_info(spec, today),
        activities=[_build_activity(activity, today) for activity in spec.activities],
    )
    # Callers waiting for a call back, so the volunteers' queue is not empty in the demo.
    now = utcnow()
    topics = ("Neu hier: Informationen", f"Angebot: {spec.activities[0].title}")
    ages = (timedelta(hours=3), timedelta(minutes=40))
    network.callback_requests = [
        CallbackRequest(number=number, number_confirmed=True, topic=topic, created_at=now - age)
        for number, topic, age in zip(spec.waiting_callers, topics, ages, strict=False)
    ]
    return network


def _build_newcomer_info(spec: _NetworkSpec, today: date) -> NewcomerInfo:
    info = NewcomerInfo(text=NEWCOMER_TEXT, welcome_meeting=spec.welcome_meeting)
    if spec.welcome_monthly is not None:
        nth, weekday, at = spec.welcome_monthly
        first_of_month = today.replace(day=1)
        day = first_of_month + timedelta(days=(weekday - first_of_month.weekday()) % 7 + 7 * (nth - 1))
        info.welcome_starts_at = datetime.combine(day, at, BERLIN)
        info.welcome_frequency = Frequency.MONTHLY_WEEKDAY.value
    return info


def _build_activity(spec: _ActivitySpec, today: date) -> Activity:
    starts_local = datetime.combine(today + timedelta(days=spec.day_offset), spec.at, BERLIN)
    return Activity(
        title=spec.title,
        description=spec.description,
        place=spec.place,
        starts_at=starts_local,
        frequency=spec.frequency.value,
        valid_from=today + timedelta(days=spec.valid_days[0]),
        valid_until=today + timedelta(days=spec.valid_days[1]),
    )


def _add_demo_proposal(session: Session, today: date) -> None:
    """A proposal of Bilk's volunteer waiting for the Begleitung: how activities come to the line."""
    volunteer = session.scalar(select(User).where(User.email == "ehrenamt.bilk@example.org"))
    if volunteer is None:
        return
    next_wednesday = today + timedelta(days=(2 - today.weekday()) % 7 or 7)
    session.add(ActivityDraft(
        network_id=volunteer.networks[0].id, author_id=volunteer.id, state="proposed", proposed_at=utcnow(),
        title="Boule im Südpark", description="Wir spielen bei jedem Wetter, Kugeln sind da.",
        place="Südpark, am Eingang Ulenbergstraße", contact="Renate, über die Anlaufstelle",
        starts_at=datetime.combine(next_wednesday, time(15), BERLIN), frequency=Frequency.WEEKLY.value,
        valid_from=today))
    session.flush()


def _add_demo_users(session: Session, password: str) -> int:
    accounts: list[tuple[str, str, tuple[str, ...], str]] = [("admin@example.org", "admin", (), "Admin Demo")]
    for spec in (spec for spec in NETWORKS if spec.accounts):
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
