"""The slot arithmetic, free of the database: opening periods of a day, and which start times
have a desk free for the whole appointment.

Opening hours are wall-clock times in Europe/Amsterdam; every instant is turned into UTC through
zoneinfo, so the days around the change to and from summer time get their own UTC offsets.
Occupied capacity is counted in five-minute units since the epoch (integers), which makes the
check for a free desk a set lookup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UNIT = timedelta(minutes=5)
UNIT_SECONDS = int(UNIT.total_seconds())


@dataclass(frozen=True)
class WeeklyHours:
    weekday: int  # 0 = Monday
    opens: time
    closes: time


@dataclass(frozen=True)
class DayRule:
    day: date
    kind: str  # open | gesloten
    opens: time | None = None
    closes: time | None = None


@dataclass(frozen=True)
class Period:
    """An opening period as UTC instants."""

    start: datetime
    end: datetime


@lru_cache(maxsize=16)
def _dutch_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def is_public_holiday(day: date) -> bool:
    return day in _dutch_holidays(day.year)


def local_instant(day: date, moment: time) -> datetime:
    """The UTC instant of a wall-clock time in Amsterdam on `day`."""
    return datetime.combine(day, moment, tzinfo=AMSTERDAM).astimezone(UTC)


def local_day(instant: datetime) -> date:
    return instant.astimezone(AMSTERDAM).date()


def opening_periods(
    day: date, weekly: Iterable[WeeklyHours], exceptions: Iterable[DayRule]
) -> list[Period]:
    """When the location is open on `day`: its weekday hours (none on a public holiday) plus
    the extra openings of that date, minus partial closures; a whole-day closure closes all."""
    todays = [e for e in exceptions if e.day == day]
    if any(e.kind == "gesloten" and e.opens is None for e in todays):
        return []
    extra = [(e.opens, e.closes) for e in todays if e.kind == "open" and e.opens and e.closes]
    regular = (
        []
        if is_public_holiday(day)
        else [(w.opens, w.closes) for w in weekly if w.weekday == day.weekday()]
    )
    spans = sorted(
        (local_instant(day, opens), local_instant(day, closes))
        for opens, closes in [*regular, *extra]
        if opens < closes
    )
    for closure in todays:
        if closure.kind == "gesloten" and closure.opens and closure.closes:
            spans = _subtract(
                spans, local_instant(day, closure.opens), local_instant(day, closure.closes)
            )
    return [Period(start, end) for start, end in _merge(spans)]


def _merge(spans: Sequence[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _subtract(
    spans: Sequence[tuple[datetime, datetime]], cut_start: datetime, cut_end: datetime
) -> list[tuple[datetime, datetime]]:
    kept: list[tuple[datetime, datetime]] = []
    for start, end in spans:
        if end <= cut_start or start >= cut_end:
            kept.append((start, end))
            continue
        if start < cut_start:
            kept.append((start, cut_start))
        if end > cut_end:
            kept.append((cut_end, end))
    return kept


def unit_of(instant: datetime) -> int:
    return int(instant.timestamp()) // UNIT_SECONDS


def units_between(start: datetime, end: datetime) -> range:
    return range(unit_of(start), unit_of(end))


def unit_instant(unit: int) -> datetime:
    return datetime.fromtimestamp(unit * UNIT_SECONDS, tz=UTC)


def slot_starts(periods: Iterable[Period], *, step: timedelta, length: timedelta) -> list[datetime]:
    """Every start on the period's grid of `step` where an appointment of `length` fits."""
    starts: list[datetime] = []
    for period in periods:
        start = period.start
        while start + length <= period.end:
            starts.append(start)
            start += step
    return starts


def free_desk(
    start: datetime,
    length: timedelta,
    desks: Sequence[int],
    occupied: Mapping[int, set[int]],
) -> int | None:
    """The first desk of `desks` with every unit of [start, start + length) free."""
    units = units_between(start, start + length)
    for desk in desks:
        taken = occupied.get(desk)
        if not taken or not any(unit in taken for unit in units):
            return desk
    return None


def free_starts(
    starts: Iterable[datetime],
    length: timedelta,
    desks: Sequence[int],
    occupied: Mapping[int, set[int]],
) -> list[datetime]:
    return [start for start in starts if free_desk(start, length, desks, occupied) is not None]


def working_days_after(today: date, count: int) -> date:
    """The `count`-th working day after `today` (weekends and public holidays skipped)."""
    day = today
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and not is_public_holiday(day):
            count -= 1
    return day


def booking_window(today: date, *, weeks: int) -> tuple[date, date]:
    """From the next working day up to `weeks` weeks ahead."""
    return working_days_after(today, 1), today + timedelta(weeks=weeks)
