"""Fixtures for the ivr_flows tests: content factories and a call driver (no app, no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from ivr_flows import CallState, Flow, builtin_flow, step
from ivr_flows.actions import Dial, Gather, Hangup, Play, Record, RequestCallback, Say
from ivr_flows.content import Activity, CityContent, NetworkContent, OfficeHours, Stadtteil
from ivr_flows.events import CallStarted, Digits, Event, NoInput
from ivr_flows.speakable import has_numeral_date

BERLIN = ZoneInfo("Europe/Berlin")
# Tuesday 3 June 2025, 10:30 in Düsseldorf: inside the office hours below.
TUESDAY_OPEN = datetime(2025, 6, 3, 10, 30, tzinfo=BERLIN)
CALLER = "+492111234567"


def make_activity(activity_id: int, title: str, starts_at: datetime, **changes: object) -> Activity:
    """Return an activity valid from a week before to its start date."""
    activity = Activity(id=activity_id, title=title, description=f"Beschreibung {title}.", starts_at=starts_at,
                        place="Stadtteilzentrum Bilk", valid_from=date(2025, 5, 1),
                        valid_until=starts_at.date(), updated_on=date(2025, 5, 28))
    return replace(activity, **changes)


def make_network(**changes: object) -> NetworkContent:
    """Return the content of a network "Bilk" with two current and one expired activity."""
    network = NetworkContent(
        network_id=7, name="Bilk", postal_codes=frozenset({"40225", "40223"}), stadtteile=(Stadtteil("Bilk", 3),),
        activities=(
            make_activity(2, "Spaziergang im Volksgarten", datetime(2025, 6, 6, 14, 30, tzinfo=BERLIN)),
            make_activity(1, "Erzählcafé", datetime(2025, 6, 4, 15, 0, tzinfo=BERLIN)),
            make_activity(3, "Abgelaufenes Frühlingsfest", datetime(2025, 5, 20, 15, 0, tzinfo=BERLIN),
                          valid_until=date(2025, 5, 20)),
        ),
        newcomer_paragraphs=("Bei uns ist jeder willkommen.", "Sie brauchen keine Mitgliedschaft."),
        welcome_meeting="am Donnerstag, 12. Juni, um 15 Uhr im Stadtteilzentrum",
        office_hours=OfficeHours(weekly={1: ((time(10), time(12)),), 3: ((time(10), time(12)), (time(14), time(16)))},
                                 closures={date(2025, 6, 5): "Betriebsausflug"}),
        address="Bachstraße 5",
        forwarding_number="+492119876543", caller_id="+492111110000",
    )
    return replace(network, **changes)


def make_city() -> CityContent:
    """Return city-wide content with three networks in two Stadtbezirke (3 and 7)."""
    return CityContent(networks=(
        make_network(),
        make_network(network_id=8, name="Flehe", postal_codes=frozenset({"40221", "40223"}),
                     stadtteile=(Stadtteil("Flehe", 3), Stadtteil("Volmerswerth", 3))),
        make_network(network_id=9, name="Gerresheim", postal_codes=frozenset({"40625"}),
                     stadtteile=(Stadtteil("Gerresheim", 7),)),
    ))


class Call:
    """Drive the engine like the hotline does, round-tripping the state through its URL encoding."""

    def __init__(self, flow: Flow, content: NetworkContent | CityContent, now: datetime = TUESDAY_OPEN,
                 caller: str | None = CALLER) -> None:
        self.flow, self.content, self.now = flow, content, now
        self.results = []
        self._record(step(flow, content, CallState(), CallStarted(caller), now))

    def _record(self, result) -> None:
        assert CallState.decode(result.state.encode()) == result.state
        # In every journey: a voice reads "3. Dezember" or "3.12." as numbers, so no Say may hold one.
        assert not [p.text for p in prompts_of(result.actions) if isinstance(p, Say) and has_numeral_date(p.text)]
        self.results.append(result)

    def send(self, event: Event) -> Call:
        """Send one event and keep the answer."""
        state = CallState.decode(self.results[-1].state.encode())
        self._record(step(self.flow, self.content, state, event, self.now))
        return self

    def press(self, *keys: str) -> Call:
        """Press keys (one Gather answer per argument); "" or None means no input."""
        for key in keys:
            self.send(NoInput() if key is None else Digits(key))
        return self

    @property
    def last(self):
        """Return the last step result."""
        return self.results[-1]

    @property
    def terminal(self):
        """Return the final action of the last answer."""
        return self.last.actions[-1]

    @property
    def text(self) -> str:
        """Return everything said in the last answer, in order."""
        return " ".join(p.text for p in prompts_of(self.last.actions) if isinstance(p, Say))

    @staticmethod
    def said(result) -> str:
        """Return everything said in one step result."""
        return " ".join(p.text for p in prompts_of(result.actions) if isinstance(p, Say))

    @property
    def requests(self) -> list[RequestCallback]:
        """Return every callback request emitted so far."""
        return [a for r in self.results for a in r.actions if isinstance(a, RequestCallback)]


def prompts_of(actions) -> list[Say | Play]:
    """Return the prompts of an answer, including those inside a Gather."""
    out = []
    for action in actions:
        out.extend(action.prompts if isinstance(action, Gather) else [action])
    return out


TERMINAL_TYPES = (Gather, Record, Dial, Hangup)


@pytest.fixture(scope="session")
def standard() -> Flow:
    """Return the shipped per-network flow."""
    return builtin_flow("standard")


@pytest.fixture(scope="session")
def citywide() -> Flow:
    """Return the shipped city-wide flow."""
    return builtin_flow("citywide")


@pytest.fixture
def network() -> NetworkContent:
    """Return the Bilk network content."""
    return make_network()


@pytest.fixture(name="make_network")
def make_network_fixture():
    """Return the network factory (keyword arguments replace fields)."""
    return make_network


@pytest.fixture(name="make_activity")
def make_activity_fixture():
    """Return the activity factory (keyword arguments replace fields)."""
    return make_activity


@pytest.fixture(name="make_city")
def make_city_fixture():
    """Return the city-wide content factory."""
    return make_city


@pytest.fixture
def start_call():
    """Return the Call driver, which starts a call with a flow, content, time and caller number."""
    return Call
