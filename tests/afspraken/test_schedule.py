"""The slot arithmetic without a database: opening periods, the start grid, free desks, the
change to and from summer time, public holidays and the booking window."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest

from portal.afspraken import schedule, service
from portal.afspraken.schedule import DayRule, Period, WeeklyHours
from tests.conftest import make_settings

# The town hall: two periods on every weekday and an evening on Thursday.
TOWN_HALL = [
    *(WeeklyHours(day, time(9), time(12, 30)) for day in range(5)),
    *(WeeklyHours(day, time(13, 30), time(16, 30)) for day in range(5)),
    WeeklyHours(3, time(18), time(20)),
]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def spans(periods: list[Period]) -> list[tuple[datetime, datetime]]:
    return [(p.start, p.end) for p in periods]


def test_a_weekday_has_its_two_periods_in_utc() -> None:
    # Wednesday 10 March 2027: winter time, Amsterdam is UTC+1.
    assert spans(schedule.opening_periods(date(2027, 3, 10), TOWN_HALL, [])) == [
        (utc(2027, 3, 10, 8), utc(2027, 3, 10, 11, 30)),
        (utc(2027, 3, 10, 12, 30), utc(2027, 3, 10, 15, 30)),
    ]


def test_thursday_has_its_weekly_evening_and_weekends_are_closed() -> None:
    assert spans(schedule.opening_periods(date(2027, 3, 11), TOWN_HALL, []))[-1] == (
        utc(2027, 3, 11, 17),
        utc(2027, 3, 11, 19),
    )
    assert schedule.opening_periods(date(2027, 3, 13), TOWN_HALL, []) == []
    assert schedule.opening_periods(date(2027, 3, 14), TOWN_HALL, []) == []


def test_an_extra_evening_opening_is_added_to_the_day() -> None:
    tuesday = date(2027, 3, 9)
    evening = DayRule(tuesday, "open", time(18), time(20))
    periods = spans(schedule.opening_periods(tuesday, TOWN_HALL, [evening]))
    assert len(periods) == 3
    assert periods[-1] == (utc(2027, 3, 9, 17), utc(2027, 3, 9, 19))
    # Only on that date: the Tuesday after has no evening.
    assert len(schedule.opening_periods(date(2027, 3, 16), TOWN_HALL, [evening])) == 2


def test_an_extra_opening_on_a_saturday() -> None:
    saturday = date(2027, 3, 13)
    rules = [DayRule(saturday, "open", time(10), time(12))]
    assert spans(schedule.opening_periods(saturday, TOWN_HALL, rules)) == [
        (utc(2027, 3, 13, 9), utc(2027, 3, 13, 11))
    ]


def test_an_extra_opening_that_touches_a_period_merges_with_it() -> None:
    day = date(2027, 3, 10)
    rules = [DayRule(day, "open", time(12, 30), time(13, 30))]
    assert spans(schedule.opening_periods(day, TOWN_HALL, rules)) == [
        (utc(2027, 3, 10, 8), utc(2027, 3, 10, 15, 30))
    ]


def test_a_whole_day_closure_closes_everything_also_the_extra_opening() -> None:
    day = date(2027, 3, 9)
    rules = [DayRule(day, "open", time(18), time(20)), DayRule(day, "gesloten")]
    assert schedule.opening_periods(day, TOWN_HALL, rules) == []


def test_a_partial_closure_cuts_out_of_the_periods() -> None:
    day = date(2027, 3, 10)
    # Closed from 11:00 to 14:00: the morning ends early and the afternoon starts late.
    rules = [DayRule(day, "gesloten", time(11), time(14))]
    assert spans(schedule.opening_periods(day, TOWN_HALL, rules)) == [
        (utc(2027, 3, 10, 8), utc(2027, 3, 10, 10)),
        (utc(2027, 3, 10, 13), utc(2027, 3, 10, 15, 30)),
    ]
    # Closed in the middle of a period splits it in two.
    rules = [DayRule(day, "gesloten", time(10), time(10, 30))]
    assert spans(schedule.opening_periods(day, TOWN_HALL, rules))[:2] == [
        (utc(2027, 3, 10, 8), utc(2027, 3, 10, 9)),
        (utc(2027, 3, 10, 9, 30), utc(2027, 3, 10, 11, 30)),
    ]


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 4, 27), "Koningsdag on a Monday"),
        (date(2027, 4, 27), "Koningsdag on a Tuesday"),
        (date(2026, 12, 25), "eerste Kerstdag"),
        (date(2027, 3, 29), "tweede Paasdag"),
        (date(2026, 4, 6), "tweede Paasdag 2026"),
        (date(2027, 5, 6), "Hemelvaartsdag"),
        (date(2027, 5, 17), "tweede Pinksterdag"),
        (date(2027, 1, 1), "Nieuwjaarsdag"),
    ],
)
def test_public_holidays_have_no_regular_hours(day: date, name: str) -> None:
    assert schedule.is_public_holiday(day), name
    assert schedule.opening_periods(day, TOWN_HALL, []) == [], name
    # The same weekday two weeks later is open as usual.
    assert not schedule.is_public_holiday(day + timedelta(days=14))
    assert len(schedule.opening_periods(day + timedelta(days=14), TOWN_HALL, [])) >= 2


def test_an_extra_opening_on_a_public_holiday_still_opens() -> None:
    koningsdag = date(2027, 4, 27)
    rules = [DayRule(koningsdag, "open", time(10), time(12))]
    assert spans(schedule.opening_periods(koningsdag, TOWN_HALL, rules)) == [
        (utc(2027, 4, 27, 8), utc(2027, 4, 27, 10))
    ]


def test_a_two_person_twenty_minute_appointment_starts_every_ten_minutes() -> None:
    periods = schedule.opening_periods(date(2027, 3, 10), TOWN_HALL, [])
    starts = schedule.slot_starts(periods, step=timedelta(minutes=10), length=timedelta(minutes=20))
    local = [s.astimezone(schedule.AMSTERDAM).strftime("%H:%M") for s in starts]
    assert local[:4] == ["09:00", "09:10", "09:20", "09:30"]
    # It must end before closing: the last morning start is 12:10, not 12:20.
    assert "12:10" in local
    assert "12:20" not in local
    assert local[local.index("12:10") + 1] == "13:30"
    assert local[-1] == "16:10"
    assert len(local) == 20 + 17
    assert all(b - a == timedelta(minutes=10) for a, b in itertools.pairwise(starts[:20]))


def test_a_period_shorter_than_the_appointment_offers_nothing() -> None:
    short = [Period(utc(2027, 3, 10, 8), utc(2027, 3, 10, 8, 15))]
    assert (
        schedule.slot_starts(short, step=timedelta(minutes=10), length=timedelta(minutes=20)) == []
    )
    exact = [Period(utc(2027, 3, 10, 8), utc(2027, 3, 10, 8, 20))]
    assert schedule.slot_starts(
        exact, step=timedelta(minutes=10), length=timedelta(minutes=20)
    ) == [utc(2027, 3, 10, 8)]


def occupy(start: datetime, minutes: int) -> set[int]:
    return set(schedule.units_between(start, start + timedelta(minutes=minutes)))


def test_free_desk_skips_desks_with_an_occupied_unit() -> None:
    start = utc(2027, 3, 10, 8)
    length = timedelta(minutes=20)
    assert schedule.free_desk(start, length, [1, 2, 3], {}) == 1
    # One unit in the middle taken on desk 1: desk 2.
    occupied = {1: occupy(start + timedelta(minutes=10), 5)}
    assert schedule.free_desk(start, length, [1, 2, 3], occupied) == 2
    occupied[2] = occupy(start - timedelta(minutes=5), 10)  # overlaps the first unit
    assert schedule.free_desk(start, length, [1, 2, 3], occupied) == 3
    occupied[3] = occupy(start + timedelta(minutes=15), 5)  # the last unit
    assert schedule.free_desk(start, length, [1, 2, 3], occupied) is None


def test_free_desk_units_are_half_open() -> None:
    start = utc(2027, 3, 10, 8)
    length = timedelta(minutes=20)
    # Taken right before and right after: the appointment still fits between.
    occupied = {1: occupy(start - timedelta(minutes=20), 20) | occupy(start + length, 30)}
    assert schedule.free_desk(start, length, [1], occupied) == 1
    starts = [start - timedelta(minutes=10), start, start + timedelta(minutes=10)]
    assert schedule.free_starts(starts, length, [1], occupied) == [start]


def test_units_are_five_minutes_since_the_epoch() -> None:
    start = utc(2027, 3, 10, 8)
    units = schedule.units_between(start, start + timedelta(minutes=20))
    assert len(units) == 4
    assert schedule.unit_instant(units[0]) == start
    assert schedule.unit_instant(units[-1]) == start + timedelta(minutes=15)


# Daylight saving: summer time starts on 28 March 2027 and ends on 25 October 2026 and
# 31 October 2027 (the last Sundays of March and October).


def test_nine_o_clock_around_the_start_of_summer_time_2027() -> None:
    assert schedule.local_instant(date(2027, 3, 26), time(9)) == utc(2027, 3, 26, 8)
    assert schedule.local_instant(date(2027, 3, 29), time(9)) == utc(2027, 3, 29, 7)
    # Both are public holidays in 2027 (Goede Vrijdag and tweede Paasdag), so the days
    # next to them show the regular hours: Thursday in winter time, Tuesday in summer time.
    thursday = schedule.opening_periods(date(2027, 3, 25), TOWN_HALL, [])
    tuesday = schedule.opening_periods(date(2027, 3, 30), TOWN_HALL, [])
    assert thursday[0].start == utc(2027, 3, 25, 8)
    assert thursday[-1] == Period(utc(2027, 3, 25, 17), utc(2027, 3, 25, 19))
    assert tuesday[0].start == utc(2027, 3, 30, 7)
    assert tuesday[-1].end == utc(2027, 3, 30, 14, 30)


def test_extra_openings_on_the_friday_and_monday_around_the_change_in_march() -> None:
    friday, monday = date(2027, 3, 26), date(2027, 3, 29)
    rules = [
        DayRule(friday, "open", time(9), time(12)),
        DayRule(friday, "open", time(18), time(20)),
        DayRule(monday, "open", time(9), time(12)),
        DayRule(monday, "open", time(18), time(20)),
    ]
    assert spans(schedule.opening_periods(friday, TOWN_HALL, rules)) == [
        (utc(2027, 3, 26, 8), utc(2027, 3, 26, 11)),
        (utc(2027, 3, 26, 17), utc(2027, 3, 26, 19)),
    ]
    assert spans(schedule.opening_periods(monday, TOWN_HALL, rules)) == [
        (utc(2027, 3, 29, 7), utc(2027, 3, 29, 10)),
        (utc(2027, 3, 29, 16), utc(2027, 3, 29, 18)),
    ]
    starts = schedule.slot_starts(
        schedule.opening_periods(monday, TOWN_HALL, rules),
        step=timedelta(minutes=10),
        length=timedelta(minutes=10),
    )
    local = [s.astimezone(schedule.AMSTERDAM).strftime("%H:%M") for s in starts]
    assert local[0] == "09:00"
    assert local[-1] == "19:50"
    assert len(local) == 18 + 12


@pytest.mark.parametrize(
    ("friday", "monday"),
    [(date(2026, 10, 23), date(2026, 10, 26)), (date(2027, 10, 29), date(2027, 11, 1))],
)
def test_nine_o_clock_around_the_end_of_summer_time(friday: date, monday: date) -> None:
    # On the Friday it is still summer time (UTC+2), on the Monday winter time (UTC+1).
    for day, offset in ((friday, 2), (monday, 1)):
        periods = schedule.opening_periods(
            day, TOWN_HALL, [DayRule(day, "open", time(18), time(20))]
        )
        nine = datetime.combine(day, time(9 - offset), tzinfo=UTC)
        assert periods[0].start == nine
        assert periods[0].end == nine + timedelta(hours=3, minutes=30)
        evening = datetime.combine(day, time(18 - offset), tzinfo=UTC)
        assert periods[-1] == Period(evening, evening + timedelta(hours=2))
        starts = schedule.slot_starts(
            periods, step=timedelta(minutes=10), length=timedelta(minutes=10)
        )
        assert starts[0] == nine
        assert starts[-1] == evening + timedelta(hours=1, minutes=50)
        assert all(schedule.local_day(s) == day for s in starts)


def test_an_opening_across_the_missing_hour_lasts_its_real_length() -> None:
    # 01:00-04:00 on 28 March 2027 is two real hours: 02:00-03:00 does not exist.
    sunday = date(2027, 3, 28)
    rules = [DayRule(sunday, "open", time(1), time(4))]
    [period] = schedule.opening_periods(sunday, TOWN_HALL, rules)
    assert period == Period(utc(2027, 3, 28, 0), utc(2027, 3, 28, 2))
    assert (
        len(
            schedule.slot_starts([period], step=timedelta(minutes=10), length=timedelta(minutes=10))
        )
        == 12
    )


# The booking window: from the next working day to eight weeks ahead.


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2027, 3, 1), date(2027, 3, 2)),  # Monday → Tuesday
        (date(2027, 3, 5), date(2027, 3, 8)),  # Friday → Monday
        (date(2027, 3, 6), date(2027, 3, 8)),  # Saturday → Monday
        (date(2026, 12, 24), date(2026, 12, 28)),  # before Christmas → after the holidays
        (date(2026, 12, 31), date(2027, 1, 4)),  # New Year's Eve → after New Year and weekend
        (date(2027, 4, 26), date(2027, 4, 28)),  # the day before Koningsdag
        (date(2027, 3, 25), date(2027, 3, 30)),  # before Goede Vrijdag and Easter
    ],
)
def test_the_window_starts_on_the_next_working_day(today: date, first: date) -> None:
    assert schedule.booking_window(today, weeks=8)[0] == first


def test_the_window_ends_eight_weeks_ahead() -> None:
    first, last = schedule.booking_window(date(2027, 3, 5), weeks=8)
    assert (first, last) == (date(2027, 3, 8), date(2027, 4, 30))
    assert schedule.booking_window(date(2027, 3, 5), weeks=2)[1] == date(2027, 3, 19)


def test_the_last_day_of_the_window_is_bookable_and_the_next_is_not() -> None:
    today = date(2027, 3, 5)
    first, last = schedule.booking_window(today, weeks=8)
    slots = {
        day: schedule.slot_starts(
            schedule.opening_periods(day, TOWN_HALL, []),
            step=timedelta(minutes=10),
            length=timedelta(minutes=10),
        )
        for day in (last, last + timedelta(days=1))
    }
    # Friday 30 April has its regular hours and is inside; Saturday 1 May is outside, and
    # Monday 3 May too although it is open.
    assert first <= last
    assert slots[last]
    assert not first <= last + timedelta(days=1) <= last
    assert not first <= date(2027, 5, 3) <= last
    assert schedule.opening_periods(date(2027, 5, 3), TOWN_HALL, [])


def test_the_window_follows_the_day_in_amsterdam_not_in_utc() -> None:
    settings = make_settings("sqlite://")
    # 23:30 UTC on Thursday 4 March is already Friday 00:30 in Haren.
    assert service.window(settings, utc(2027, 3, 4, 23, 30)) == (
        date(2027, 3, 8),
        date(2027, 4, 30),
    )
    assert service.window(settings, utc(2027, 3, 4, 22, 30)) == (
        date(2027, 3, 5),
        date(2027, 4, 29),
    )
