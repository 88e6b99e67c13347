"""The busy location: the demo town hall with most of its counter places booked for the whole
booking window, and the in-process measurement of the free-time reads."""

from __future__ import annotations

import random
import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from forms.load import percentile

LOCATION = "gemeentehuis"
PRODUCT = "paspoort"


@dataclass
class Busy:
    days: int
    places: int
    taken: int

    @property
    def free(self) -> int:
        return self.places - self.taken


@dataclass
class ReadTiming:
    name: str
    calls: int
    median_ms: float
    p95_ms: float
    result: str


def settings_for(database_url: str, data_dir: Any, **overrides: Any) -> Any:
    from portal.settings import Settings

    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "base_url": "http://127.0.0.1",
        "data_dir": data_dir,
        "log_level": "WARNING",
        **overrides,
    }
    return Settings(**values)


def build_busy_location(database_url: str, settings: Any, *, fill: float, seed: int) -> Busy:
    """Migrate, load the demo locations and products, and book `fill` of the counters' ten-
    minute places on every day of the window (confirmed appointments with their desk units)."""
    from sqlalchemy import insert
    from sqlmodel import Session

    from portal.afspraken import booking, schedule, service
    from portal.afspraken.demo import load_afspraken_demo
    from portal.afspraken.models import Appointment, DeskUnit
    from portal.database import make_engine, upgrade_database

    upgrade_database(database_url)
    engine = make_engine(database_url)
    rng = random.Random(seed)
    now = datetime.now(UTC)
    places = taken = days = 0
    try:
        with Session(engine) as db:
            load_afspraken_demo(db, settings)
            db.commit()
            choice = service.make_choice(db, [PRODUCT], 1)
            desks = service.desks_for(db, LOCATION, choice)
            first, last = service.window(settings, now)
            calendar = service.load_calendar(db, LOCATION, desks, first, last, now)
            booked: list[tuple[Appointment, range]] = []
            day = first
            while day <= last:
                starts = schedule.slot_starts(
                    calendar.periods(day), step=choice.length, length=choice.length
                )
                days += bool(starts)
                for desk in desks:
                    for start in starts:
                        span = schedule.units_between(start, start + choice.length)
                        if any(u in calendar.occupied.get(desk, set()) for u in span):
                            continue
                        places += 1
                        if rng.random() >= fill:
                            continue
                        taken += 1
                        appointment = Appointment(
                            reference=booking.new_reference(),
                            state="bevestigd",
                            product_codes=[PRODUCT],
                            persons=1,
                            location_code=LOCATION,
                            desk_id=desk,
                            starts_at=start,
                            ends_at=start + choice.length,
                            name=f"Bezoeker {taken}",
                            email=f"bezoeker{taken}@example.nl",
                            link_nonce=secrets.token_hex(8),
                            created_at=now,
                            confirmed_at=now,
                        )
                        booked.append((appointment, span))
                day += timedelta(days=1)
            db.add_all([appointment for appointment, _ in booked])
            db.flush()
            units = [
                {
                    "desk_id": appointment.desk_id,
                    "unit_start": schedule.unit_instant(unit),
                    "appointment_id": appointment.id,
                    "hold_until": None,
                }
                for appointment, span in booked
                for unit in span
            ]
            if units:
                db.execute(insert(DeskUnit), units)
            db.commit()
    finally:
        engine.dispose()
    return Busy(days=days, places=places, taken=taken)


def _timed(
    name: str, call: Callable[[], Any], repeat: int, describe: Callable[[Any], str]
) -> ReadTiming:
    call()  # warm: imports, the holiday table, the connection
    durations = []
    result: Any = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        durations.append(time.perf_counter() - started)
    durations.sort()
    return ReadTiming(
        name=name,
        calls=repeat,
        median_ms=round(statistics.median(durations) * 1000, 2),
        p95_ms=round(percentile(durations, 0.95) * 1000, 2),
        result=describe(result),
    )


def measure_reads(database_url: str, settings: Any, *, repeat: int) -> list[ReadTiming]:
    """Milliseconds per call of the free-time reads the date and time steps make."""
    from sqlmodel import Session

    from portal.afspraken import service
    from portal.database import make_engine

    engine = make_engine(database_url)
    now = datetime.now(UTC)
    timings = []
    try:
        with Session(engine) as db:
            one = service.make_choice(db, [PRODUCT], 1)
            two = service.make_choice(db, [PRODUCT], 2)
            days = service.available_days(db, one, LOCATION, settings=settings, now=now)
            busiest = days[len(days) // 2]

            def days_with(choice: Any) -> Callable[[], list[Any]]:
                return lambda: service.available_days(
                    db, choice, LOCATION, settings=settings, now=now
                )

            timings.append(
                _timed(
                    "available_days, 8 weeks, 1 person (10 min)",
                    days_with(one),
                    repeat,
                    lambda r: f"{len(r)} days with a free time",
                )
            )
            timings.append(
                _timed(
                    "available_days, 8 weeks, 2 persons (20 min)",
                    days_with(two),
                    repeat,
                    lambda r: f"{len(r)} days with a free time",
                )
            )
            timings.append(
                _timed(
                    "available_times, 1 day, 1 person",
                    lambda: service.available_times(
                        db, one, LOCATION, busiest, settings=settings, now=now
                    ),
                    repeat,
                    lambda r: f"{len(r)} free times",
                )
            )
    finally:
        engine.dispose()
    return timings
