"""Recurring activities and the welcome meeting through the real webhooks, on two days of the same process."""

from __future__ import annotations

from datetime import date, datetime

from ivr_flows.speaking import Speaker, spoken_date

from tests.factories import make_activity
from tests.voice_support import BERLIN, TUESDAY_OPEN

SPEAKER = Speaker({}, {})


def test_a_weekly_activity_is_read_once_by_its_next_date_and_its_cancelled_date_said(bilk, phone, clock,
                                                                                         db_session):
    # Weekly on Mondays; the line is called on Tuesday 1 December, after Wednesday's and Friday's offers.
    make_activity(db_session, bilk, title="Singkreis", place="Gemeindesaal", frequency="weekly",
                  starts_at=datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN), valid_from=date(2026, 11, 1),
                  valid_until=None, cancelled_dates=["2026-12-07"])
    db_session.commit()
    call = phone().dial().press("1", "1", "1")
    assert f"Singkreis fällt am {spoken_date(SPEAKER, date(2026, 12, 7))} aus." in call.text
    assert (f"Das nächste Mal ist es am {spoken_date(SPEAKER, date(2026, 12, 14))}, um 9 Uhr. "
            "Ort: Gemeindesaal.") in call.text
    assert "Das war das letzte Angebot." in call.text
    assert call.all_text.count("Singkreis") == 1

    # A week later the same process (its line cached, nothing changed) reads the next date.
    clock.now = TUESDAY_OPEN.replace(day=8)
    later = phone().dial().press("1")
    assert f"Singkreis. Am {spoken_date(SPEAKER, date(2026, 12, 14))}, um 9 Uhr. Ort: Gemeindesaal." in later.text
    assert "fällt" not in later.text


def test_the_welcome_meeting_is_read_by_its_next_date_then_its_note(bilk, phone, db_session):
    info = bilk.newcomer_info
    info.welcome_starts_at = datetime(2026, 11, 5, 15, 0, tzinfo=BERLIN)  # the first Thursday of each month
    info.welcome_frequency = "monthly_weekday"
    info.welcome_meeting = "Im Stadtteilzentrum."
    db_session.commit()
    call = phone().dial().press("2")
    assert (f"Unser nächstes Treffen für neue Interessierte ist am {spoken_date(SPEAKER, date(2026, 12, 3))}, "
            "um 15 Uhr. Im Stadtteilzentrum.") in call.text
