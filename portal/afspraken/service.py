"""What can be booked, where and when: products, locations, and the free dates and times.

Reading never writes. The state changes (hold, confirm, reschedule, cancel, attend, closures)
are in `booking.py`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.afspraken import schedule
from portal.afspraken.models import (
    Appointment,
    BookableProduct,
    DayException,
    Desk,
    DeskProduct,
    DeskUnit,
    Location,
    OpeningHours,
)
from portal.gegevens import service as gegevens_service
from portal.settings import Settings

MAX_PRODUCTS = 3
OPEN_STATES = ("vastgehouden", "bevestigd")


class InvalidChoice(ValueError):
    """The products or number of persons asked for cannot be booked (a message for the page)."""


@dataclass(frozen=True)
class Choice:
    """What the resident comes for: one or more products, for a number of persons."""

    products: tuple[BookableProduct, ...]
    persons: int

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.products]

    @property
    def step(self) -> timedelta:
        return timedelta(minutes=sum(p.minutes_per_person for p in self.products))

    @property
    def length(self) -> timedelta:
        return self.step * self.persons

    @property
    def max_persons(self) -> int:
        return min(p.max_persons for p in self.products)


def bookable_products(db: Session) -> list[BookableProduct]:
    query = select(BookableProduct).order_by(col(BookableProduct.position), BookableProduct.code)
    return list(db.exec(query).all())


def make_choice(db: Session, codes: list[str], persons: int) -> Choice:
    """The choice for these product codes and persons, or InvalidChoice saying what is wrong."""
    if not codes:
        raise InvalidChoice("geen_product")
    if len(codes) > MAX_PRODUCTS or len(set(codes)) != len(codes):
        raise InvalidChoice("te_veel_producten")
    found = {
        p.code: p
        for p in db.exec(select(BookableProduct).where(col(BookableProduct.code).in_(codes))).all()
    }
    if set(found) != set(codes):
        raise InvalidChoice("onbekend_product")
    choice = Choice(tuple(found[code] for code in codes), persons)
    if persons < 1 or persons > choice.max_persons:
        raise InvalidChoice("personen")
    return choice


def desks_for(db: Session, location_code: str, choice: Choice) -> list[int]:
    """The desks at a location that serve every chosen product."""
    query = (
        select(DeskProduct.desk_id)
        .join(Desk, col(Desk.id) == col(DeskProduct.desk_id))
        .where(Desk.location_code == location_code, col(DeskProduct.product_code).in_(choice.codes))
        .group_by(col(DeskProduct.desk_id))
        .having(func.count() == len(choice.codes))
        .order_by(col(DeskProduct.desk_id))
    )
    return list(db.exec(query).all())


def locations_for(db: Session, choice: Choice) -> list[Location]:
    """Locations with at least one desk for everything chosen."""
    locations = db.exec(select(Location).order_by(col(Location.position), Location.code)).all()
    return [loc for loc in locations if desks_for(db, loc.code, choice)]


def get_location(db: Session, code: str) -> Location | None:
    return db.get(Location, code)


def all_locations(db: Session) -> list[Location]:
    return list(db.exec(select(Location).order_by(col(Location.position), Location.code)).all())


@dataclass
class LocationCalendar:
    """A location's hours, exceptions and occupied desk units for a range of days."""

    weekly: list[schedule.WeeklyHours]
    exceptions: list[schedule.DayRule]
    occupied: dict[int, set[int]]

    def periods(self, day: date) -> list[schedule.Period]:
        return schedule.opening_periods(day, self.weekly, self.exceptions)


def load_calendar(
    db: Session,
    location_code: str,
    desks: list[int],
    first: date,
    last: date,
    now: datetime,
    ignore: int | None = None,
) -> LocationCalendar:
    """Everything the slot arithmetic needs for [first, last], in three queries."""
    weekly = [
        schedule.WeeklyHours(h.weekday, h.opens, h.closes)
        for h in db.exec(select(OpeningHours).where(OpeningHours.location_code == location_code))
    ]
    exceptions = [
        schedule.DayRule(e.day, e.kind, e.opens, e.closes)
        for e in db.exec(
            select(DayException).where(
                DayException.location_code == location_code,
                col(DayException.day) >= first,
                col(DayException.day) <= last,
            )
        )
    ]
    occupied: dict[int, set[int]] = defaultdict(set)
    if desks:
        start = schedule.local_instant(first, datetime.min.time())
        end = schedule.local_instant(last + timedelta(days=1), datetime.min.time())
        rows = db.exec(
            select(DeskUnit.desk_id, DeskUnit.unit_start).where(
                col(DeskUnit.desk_id).in_(desks),
                col(DeskUnit.unit_start) >= start,
                col(DeskUnit.unit_start) < end,
                or_(col(DeskUnit.hold_until).is_(None), col(DeskUnit.hold_until) > now),
                col(DeskUnit.appointment_id) != (ignore or 0),
            )
        )
        for desk_id, unit_start in rows:
            occupied[desk_id].add(schedule.unit_of(unit_start))
    return LocationCalendar(weekly, exceptions, occupied)


def window(settings: Settings, now: datetime) -> tuple[date, date]:
    return schedule.booking_window(schedule.local_day(now), weeks=settings.appointment_window_weeks)


def available_times_by_day(
    db: Session,
    choice: Choice,
    location_code: str,
    *,
    first: date,
    last: date,
    now: datetime,
    ignore: int | None = None,
) -> dict[date, list[datetime]]:
    """Per day in [first, last], the start times with a desk free for the whole appointment."""
    desks = desks_for(db, location_code, choice)
    if not desks or first > last:
        return {}
    calendar = load_calendar(db, location_code, desks, first, last, now, ignore)
    result: dict[date, list[datetime]] = {}
    day = first
    while day <= last:
        starts = schedule.slot_starts(calendar.periods(day), step=choice.step, length=choice.length)
        free = schedule.free_starts(starts, choice.length, desks, calendar.occupied)
        if free:
            result[day] = free
        day += timedelta(days=1)
    return result


def available_days(
    db: Session,
    choice: Choice,
    location_code: str,
    *,
    settings: Settings,
    now: datetime,
    ignore: int | None = None,
) -> list[date]:
    """The days with a free time; `ignore`: an appointment whose own time counts as free
    (the one being moved)."""
    first, last = window(settings, now)
    times = available_times_by_day(
        db, choice, location_code, first=first, last=last, now=now, ignore=ignore
    )
    return sorted(times)


def available_times(
    db: Session,
    choice: Choice,
    location_code: str,
    day: date,
    *,
    settings: Settings,
    now: datetime,
    ignore: int | None = None,
) -> list[datetime]:
    """The free start times on one day; none outside the booking window."""
    first, last = window(settings, now)
    if not first <= day <= last:
        return []
    times = available_times_by_day(
        db, choice, location_code, first=day, last=day, now=now, ignore=ignore
    )
    return times.get(day, [])


def open_appointment_count(
    db: Session, *, now: datetime, bsn: str | None = None, email: str | None = None
) -> int:
    """Appointments still to come (or held) for this person or address."""
    condition = (
        col(Appointment.bsn) == bsn
        if bsn
        else func.lower(col(Appointment.email)) == (email or "").lower()
    )
    query = select(func.count()).where(
        condition,
        col(Appointment.state).in_(OPEN_STATES),
        col(Appointment.starts_at) > now,
        or_(col(Appointment.hold_expires_at).is_(None), col(Appointment.hold_expires_at) > now),
    )
    return int(db.exec(query).one())


def appointments_for(db: Session, *, bsn: str | None, kvk: str | None) -> list[Appointment]:
    """A logged-in person's confirmed, past and cancelled appointments, coming ones first."""
    if bsn:
        condition = col(Appointment.bsn) == bsn
    elif kvk:
        condition = col(Appointment.kvk) == kvk
    else:
        return []
    query = (
        select(Appointment)
        .where(
            condition,
            col(Appointment.state) != "vastgehouden",
            col(Appointment.state) != "verlopen",
        )
        .order_by(col(Appointment.starts_at).desc())
        .limit(200)
    )
    return list(db.exec(query).all())


def split_coming(
    appointments: list[Appointment], now: datetime
) -> tuple[list[Appointment], list[Appointment]]:
    """(confirmed appointments still to come, soonest first; all the others, as given)."""
    coming: list[Appointment] = []
    earlier: list[Appointment] = []
    for appointment in appointments:
        is_coming = appointment.state == "bevestigd" and appointment.ends_at > now
        (coming if is_coming else earlier).append(appointment)
    return sorted(coming, key=lambda a: a.starts_at), earlier


def coming_appointments(
    db: Session, *, bsn: str | None, kvk: str | None, now: datetime
) -> list[Appointment]:
    return split_coming(appointments_for(db, bsn=bsn, kvk=kvk), now)[0]


def products_by_code(db: Session, codes: list[str]) -> list[BookableProduct]:
    found = {
        p.code: p
        for p in db.exec(select(BookableProduct).where(col(BookableProduct.code).in_(codes))).all()
    }
    return [found[code] for code in codes if code in found]


def choice_of(db: Session, appointment: Appointment) -> Choice:
    return Choice(tuple(products_by_code(db, appointment.product_codes)), appointment.persons)


def day_schedule(db: Session, location_code: str, day: date) -> list[Appointment]:
    """Every confirmed, attended or missed appointment at a location on a day, by start."""
    start = schedule.local_instant(day, datetime.min.time())
    end = schedule.local_instant(day + timedelta(days=1), datetime.min.time())
    query = (
        select(Appointment)
        .where(
            Appointment.location_code == location_code,
            col(Appointment.starts_at) >= start,
            col(Appointment.starts_at) < end,
            col(Appointment.state).in_(("bevestigd", "verschenen", "niet_verschenen")),
        )
        .order_by(col(Appointment.starts_at), col(Appointment.desk_id))
    )
    return list(db.exec(query).all())


def desks_at(db: Session, location_code: str) -> list[Desk]:
    query = select(Desk).where(Desk.location_code == location_code).order_by(col(Desk.id))
    return list(db.exec(query).all())


def find_appointments(db: Session, text: str, *, limit: int = 50) -> list[Appointment]:
    """Staff search: an exact reference, or a part of the name or e-mail address."""
    cleaned = text.strip()
    if not cleaned:
        return []
    by_reference = db.exec(
        select(Appointment).where(Appointment.reference == cleaned.upper())
    ).first()
    if by_reference is not None:
        return [by_reference]
    pattern = f"%{cleaned.lower()}%"
    query = (
        select(Appointment)
        .where(
            col(Appointment.state).in_(
                ("bevestigd", "verschenen", "niet_verschenen", "geannuleerd")
            ),
            or_(
                func.lower(col(Appointment.name)).like(pattern),
                func.lower(col(Appointment.email)).like(pattern),
            ),
        )
        .order_by(col(Appointment.starts_at).desc())
        .limit(limit)
    )
    return list(db.exec(query).all())


def closures(db: Session, *, from_day: date, limit: int = 100) -> list[DayException]:
    query = (
        select(DayException)
        .where(DayException.kind == "gesloten", col(DayException.day) >= from_day)
        .order_by(col(DayException.day))
        .limit(limit)
    )
    return list(db.exec(query).all())


def get_by_reference(db: Session, reference: str) -> Appointment | None:
    return db.exec(select(Appointment).where(Appointment.reference == reference[:12])).first()


def attendance_between(
    db: Session, start: datetime, end: datetime
) -> list[tuple[str, datetime, str]]:
    """(first product, start, attended or not) of every appointment staff marked in [start, end)."""
    rows = db.exec(
        select(Appointment.product_codes, Appointment.starts_at, Appointment.state).where(
            col(Appointment.starts_at) >= start,
            col(Appointment.starts_at) < end,
            col(Appointment.state).in_(("verschenen", "niet_verschenen")),
        )
    ).all()
    return [(codes[0], starts_at, state) for codes, starts_at, state in rows if codes]


def first_free_days(
    db: Session, *, settings: Settings, now: datetime
) -> list[tuple[str, str, date | None]]:
    """For each product and each location offering it: the first day with a free time for
    one person in the booking window, or None."""
    first, last = window(settings, now)
    result: list[tuple[str, str, date | None]] = []
    for product in bookable_products(db):
        choice = Choice((product,), 1)
        for location in locations_for(db, choice):
            free = _first_free_day(db, choice, location.code, first, last, now)
            result.append((product.code, location.code, free))
    return result


def _first_free_day(
    db: Session, choice: Choice, location_code: str, first: date, last: date, now: datetime
) -> date | None:
    # A week at a time: the first free day is usually near, and a week is one query.
    start = first
    while start <= last:
        end = min(start + timedelta(days=6), last)
        times = available_times_by_day(db, choice, location_code, first=start, last=end, now=now)
        if times:
            return min(times)
        start = end + timedelta(days=1)
    return None


EXPORT_TABLES = ("afspraak", "afspraak_bezetting")


def export_personal_data(db: Session, identity: Identity) -> list[gegevens_service.ExportSection]:
    """The person's appointments (made while logged in), for "Download mijn gegevens". The desk
    units (afspraak_bezetting) are the appointment's time, which is in each record."""
    iso = gegevens_service.iso
    appointments = appointments_for(db, bsn=identity.bsn, kvk=identity.kvk)
    return [
        gegevens_service.ExportSection(
            key="afspraken",
            title="Afspraken",
            description="Uw afspraken op het gemeentehuis of een servicepunt.",
            fields={
                "kenmerk": "het kenmerk van de afspraak",
                "stand": "bevestigd, geannuleerd, verschenen of niet_verschenen",
                "producten": "waarvoor de afspraak is",
                "personen": "voor hoeveel personen",
                "locatie": "waar",
                "begint_op": "begin (UTC)",
                "eindigt_op": "einde (UTC)",
                "naam": "de naam die u opgaf",
                "email": "het e-mailadres dat u opgaf",
                "telefoon": "het telefoonnummer dat u opgaf",
                "gemaakt_op": "wanneer de afspraak is gemaakt (UTC)",
                "afgezegd_op": "wanneer de afspraak is afgezegd (UTC)",
                "keer_verzet": "hoe vaak de afspraak is verzet",
            },
            records=[
                {
                    "kenmerk": a.reference,
                    "stand": a.state,
                    "producten": list(a.product_codes),
                    "personen": a.persons,
                    "locatie": a.location_code,
                    "begint_op": iso(a.starts_at),
                    "eindigt_op": iso(a.ends_at),
                    "naam": a.name,
                    "email": a.email,
                    "telefoon": a.phone,
                    "gemaakt_op": iso(a.confirmed_at or a.created_at),
                    "afgezegd_op": iso(a.cancelled_at),
                    "keer_verzet": a.rescheduled_count,
                }
                for a in appointments
            ],
        )
    ]


def owned_appointment(
    db: Session, reference: str, *, bsn: str | None, kvk: str | None
) -> Appointment | None:
    """The appointment with this reference when this person or company made it (a hold is
    not an appointment yet); None for anything else, so callers answer 404 alike."""
    appointment = get_by_reference(db, reference)
    if appointment is None or appointment.state in ("vastgehouden", "verlopen", "vervangen"):
        return None
    if (bsn and appointment.bsn == bsn) or (kvk and appointment.kvk == kvk):
        return appointment
    return None


def appointments_by_id(db: Session, ids: list[int]) -> dict[int, Appointment]:
    if not ids:
        return {}
    rows = db.exec(select(Appointment).where(col(Appointment.id).in_(ids))).all()
    return {a.id: a for a in rows if a.id is not None}
