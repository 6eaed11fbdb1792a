"""Recurring activities and the welcome meeting: the dates a rule gives and what the line reads of them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import pytest

from ivr_flows.actions import Play
from ivr_flows.recurrence import Frequency, Recurrence, next_held, next_occurrence, occurrences
from ivr_flows.speaking import Speaker, spoken_date

BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")


def _on(day: date) -> str:
    """A date as the line says it (the wording itself is tested with the speaking module)."""
    return spoken_date(Speaker({}, {}), day)


def _dates(recurrence: Recurrence, since: datetime, count: int) -> list[date]:
    return [o.starts_at.date() for o in islice(occurrences(recurrence, since), count)]


def test_weekly_and_every_two_weeks():
    first = datetime(2025, 6, 4, 15, 0)  # a Wednesday
    since = datetime(2025, 6, 1, tzinfo=BERLIN)
    assert _dates(Recurrence(first, Frequency.WEEKLY), since, 3) == [date(2025, 6, 4), date(2025, 6, 11),
                                                                      date(2025, 6, 18)]
    assert _dates(Recurrence(first, Frequency.BIWEEKLY), since, 3) == [date(2025, 6, 4), date(2025, 6, 18),
                                                                        date(2025, 7, 2)]


def test_monthly_by_weekday_keeps_the_nth_weekday():
    first_tuesday = datetime(2025, 6, 3, 10, 0)
    assert _dates(Recurrence(first_tuesday, Frequency.MONTHLY_WEEKDAY), first_tuesday.replace(tzinfo=BERLIN), 3) \
        == [date(2025, 6, 3), date(2025, 7, 1), date(2025, 8, 5)]


def test_a_fifth_weekday_means_the_last_one_in_months_with_four():
    fifth_friday = datetime(2025, 5, 30, 15, 0)  # May 2025 has five Fridays, June only four
    assert _dates(Recurrence(fifth_friday, Frequency.MONTHLY_WEEKDAY), fifth_friday.replace(tzinfo=BERLIN), 3) \
        == [date(2025, 5, 30), date(2025, 6, 27), date(2025, 7, 25)]


def test_the_31st_falls_on_the_last_day_of_shorter_months():
    last_of_january = datetime(2025, 1, 31, 18, 0)
    assert _dates(Recurrence(last_of_january, Frequency.MONTHLY_DATE), last_of_january.replace(tzinfo=BERLIN), 4) \
        == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30)]


def test_monthly_by_date_on_an_ordinary_day():
    fifteenth = datetime(2025, 1, 15, 18, 0)
    assert _dates(Recurrence(fifteenth, Frequency.MONTHLY_DATE), fifteenth.replace(tzinfo=BERLIN), 2) \
        == [date(2025, 1, 15), date(2025, 2, 15)]


def test_the_local_time_stays_across_the_change_to_and_from_summer_time():
    weekly = Recurrence(datetime(2025, 3, 26, 15, 0), Frequency.WEEKLY)  # summer time begins 30 March
    spring = [o.starts_at for o in islice(occurrences(weekly, datetime(2025, 3, 26, tzinfo=BERLIN)), 2)]
    assert [(m.hour, m.astimezone(UTC).hour) for m in spring] == [(15, 14), (15, 13)]
    autumn = [o.starts_at for o in islice(occurrences(weekly, datetime(2025, 10, 22, tzinfo=BERLIN)), 2)]
    assert [(m.hour, m.astimezone(UTC).hour) for m in autumn] == [(15, 13), (15, 14)]


def test_nothing_after_the_end_date():
    weekly = Recurrence(datetime(2025, 6, 4, 15, 0), Frequency.WEEKLY, until=date(2025, 6, 18))
    assert _dates(weekly, datetime(2025, 6, 1, tzinfo=BERLIN), 10) == [date(2025, 6, 4), date(2025, 6, 11),
                                                                         date(2025, 6, 18)]
    assert next_occurrence(weekly, datetime(2025, 6, 18, 16, 0, tzinfo=BERLIN)) is None


def test_next_occurrence_is_the_one_not_yet_begun():
    weekly = Recurrence(datetime(2025, 6, 4, 15, 0), Frequency.WEEKLY)
    during = next_occurrence(weekly, datetime(2025, 6, 11, 15, 30, tzinfo=BERLIN))
    assert during is not None
    assert during.starts_at == datetime(2025, 6, 18, 15, 0, tzinfo=BERLIN)
    before = next_occurrence(weekly, datetime(2025, 6, 11, 14, 59, tzinfo=BERLIN))
    assert before is not None
    assert before.starts_at == datetime(2025, 6, 11, 15, 0, tzinfo=BERLIN)


def test_a_cancelled_date_is_the_next_one_until_its_day_is_over():
    weekly = Recurrence(datetime(2025, 6, 4, 15, 0), Frequency.WEEKLY, cancelled=frozenset({date(2025, 6, 11)}))
    for now in (datetime(2025, 6, 5, 9, 0, tzinfo=BERLIN), datetime(2025, 6, 11, 20, 0, tzinfo=BERLIN)):
        occurrence = next_occurrence(weekly, now)
        assert occurrence is not None
        assert occurrence.cancelled
        assert occurrence.starts_at.date() == date(2025, 6, 11)
    held = next_held(weekly, datetime(2025, 6, 11, 15, 0, tzinfo=BERLIN))
    assert held is not None
    assert held.starts_at.date() == date(2025, 6, 18)
    after = next_occurrence(weekly, datetime(2025, 6, 12, 0, 0, tzinfo=BERLIN))
    assert after is not None
    assert not after.cancelled
    assert after.starts_at.date() == date(2025, 6, 18)


# The line: Tuesday 3 June 2025, 10:30.

@pytest.fixture
def weekly_singing(make_activity):
    """Return a factory of a weekly activity on Wednesdays at 15 Uhr, announced without end."""
    return lambda **changes: make_activity(5, "Singkreis", datetime(2025, 5, 7, 15, 0, tzinfo=BERLIN),
                                           frequency=Frequency.WEEKLY, valid_until=None, **changes)


def test_line_reads_a_weekly_activity_by_its_next_date(start_call, standard, make_network, weekly_singing):
    call = start_call(standard, make_network(activities=(weekly_singing(),))).press("1")
    assert f"Singkreis. Am {_on(date(2025, 6, 4))}, um 15 Uhr. Ort: Stadtteilzentrum Bilk." in call.text


def test_activities_list_reads_each_once_in_order_of_the_next_date(start_call, standard, make_network,
                                                                     make_activity, weekly_singing):
    one_off = make_activity(1, "Sommerfest", datetime(2025, 6, 5, 11, 0, tzinfo=BERLIN))
    monthly = make_activity(2, "Frühstück", datetime(2025, 1, 3, 9, 0, tzinfo=BERLIN),
                            frequency=Frequency.MONTHLY_WEEKDAY, valid_until=None)  # first Friday: 6 June
    ended = make_activity(3, "Malkurs", datetime(2025, 4, 1, 10, 0, tzinfo=BERLIN), frequency=Frequency.WEEKLY,
                          until=date(2025, 5, 27), valid_until=None)
    past = make_activity(4, "Flohmarkt", datetime(2025, 6, 1, 10, 0, tzinfo=BERLIN))
    network = make_network(activities=(monthly, one_off, weekly_singing(), ended, past))
    call = start_call(standard, network)
    heard = [call.said(call.press(key).last) for key in ("1", "1", "1", "1")]
    assert ["Singkreis" in heard[0], "Sommerfest" in heard[1], "Frühstück" in heard[2]] == [True] * 3
    assert f"Am {_on(date(2025, 6, 6))}, um 9 Uhr" in heard[2]
    assert "Singkreis" in heard[3]  # after the last one: from the start, nothing ended or past in between
    assert not any(title in text for text in heard for title in ("Malkurs", "Flohmarkt"))


def test_line_says_a_cancelled_date_and_the_next_one_on_that_day(start_call, standard, make_network,
                                                                  weekly_singing):
    singing = weekly_singing(cancelled=frozenset({date(2025, 6, 4)}), audio_url="https://example.org/a.mp3")
    for now in (datetime(2025, 6, 3, 10, 30, tzinfo=BERLIN), datetime(2025, 6, 4, 17, 0, tzinfo=BERLIN)):
        call = start_call(standard, make_network(activities=(singing,)), now=now).press("1")
        assert f"Singkreis fällt am {_on(date(2025, 6, 4))} aus." in call.text
        assert (f"Das nächste Mal ist es am {_on(date(2025, 6, 11))}, um 15 Uhr. "
                "Ort: Stadtteilzentrum Bilk.") in call.text
    next_day = start_call(standard, make_network(activities=(singing,)),
                          now=datetime(2025, 6, 5, 10, 0, tzinfo=BERLIN)).press("1")
    assert "fällt" not in next_day.text
    assert Play("https://example.org/a.mp3") in next_day.last.actions[-1].prompts


def test_welcome_meeting_is_read_as_its_next_date_then_the_note(start_call, standard, make_network):
    first_tuesday = Recurrence(datetime(2025, 1, 7, 15, 0), Frequency.MONTHLY_WEEKDAY)
    network = make_network(welcome_meeting_schedule=first_tuesday, welcome_meeting="Im Stadtteilzentrum.")
    during = start_call(standard, network, now=datetime(2025, 6, 3, 16, 0, tzinfo=BERLIN)).press("2")
    assert (f"Unser nächstes Treffen für neue Interessierte ist am {_on(date(2025, 7, 1))}, um 15 Uhr. "
            "Im Stadtteilzentrum.") in during.text


def test_welcome_meeting_cancelled_names_the_one_after(start_call, standard, make_network):
    first_tuesday = Recurrence(datetime(2025, 1, 7, 15, 0), Frequency.MONTHLY_WEEKDAY,
                               cancelled=frozenset({date(2025, 6, 3)}))
    call = start_call(standard, make_network(welcome_meeting_schedule=first_tuesday, welcome_meeting=None)).press("2")
    assert (f"Das Treffen für neue Interessierte am {_on(date(2025, 6, 3))} fällt aus. Unser nächstes Treffen "
            f"für neue Interessierte ist am {_on(date(2025, 7, 1))}, um 15 Uhr.") in call.text


def test_welcome_meeting_without_a_date_to_come_reads_the_note(start_call, standard, make_network):
    over = Recurrence(datetime(2025, 5, 6, 15, 0))
    call = start_call(standard, make_network(welcome_meeting_schedule=over,
                                             welcome_meeting="Bitte rufen Sie uns an.")).press("2")
    assert "Unser nächstes Treffen für neue Interessierte: Bitte rufen Sie uns an." in call.text
    assert _on(date(2025, 5, 6)) not in call.text


@pytest.mark.parametrize("frequency", list(Frequency))
def test_every_rule_gives_dates_in_order_from_its_first(frequency):
    first = datetime(2025, 1, 31, 9, 0)
    dates = [o.starts_at for o in islice(occurrences(Recurrence(first, frequency), first.replace(tzinfo=BERLIN)), 6)]
    assert dates[0] == first.replace(tzinfo=BERLIN)
    assert dates == sorted(dates)
    assert len(set(dates)) == len(dates)
    assert all(d.hour == 9 for d in dates)
    assert all(b - a >= timedelta(days=7) for a, b in zip(dates, dates[1:], strict=False))


@pytest.mark.parametrize("frequency", list(Frequency))
@pytest.mark.parametrize("first", [datetime(2019, 1, 31, 9, 0), datetime(2019, 3, 29, 18, 30),
                                   datetime(2020, 2, 29, 2, 30), datetime(2023, 10, 29, 10, 0)])
def test_starting_late_for_speed_gives_the_same_dates_as_walking_from_the_first(frequency, first):
    recurrence = Recurrence(first, frequency, until=date(2027, 6, 30))
    walked = list(occurrences(recurrence, first.replace(tzinfo=BERLIN)))
    for since in (datetime(2025, 3, 30, 2, 0, tzinfo=BERLIN), datetime(2026, 2, 28, 23, 0, tzinfo=BERLIN),
                  datetime(2026, 12, 31, 18, 30, tzinfo=BERLIN)):
        assert list(occurrences(recurrence, since)) == [o for o in walked if o.starts_at >= since]
