"""Every change to an appointment: hold, details, confirm, reschedule, cancel, attend, closures.

A slot is taken by inserting the desk's five-minute units with ON CONFLICT DO NOTHING and
counting what went in: the primary key decides who was first, whichever process or database.
Units left by an expired hold are deleted in the same transaction just before, so a hold that
ran out frees its slot without waiting for the worker. Appointment rows change by conditional
UPDATE on their state and version, so two requests never both win.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import CursorResult, and_, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from portal.afspraken import schedule, service
from portal.afspraken.models import Appointment, DayException, DeskUnit
from portal.afspraken.service import Choice
from portal.settings import Settings

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class SlotTaken(Exception):
    """Someone else took this time first (or it never was free)."""


class InvalidSlot(ValueError):
    """The time is not one the location offers for this choice (outside hours or window)."""


class LimitReached(Exception):
    """The person or address already has the maximum of open appointments."""


class NotChangeable(Exception):
    """The appointment is cancelled, passed, or changed by someone else meanwhile."""


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"AF-{code[:4]}-{code[4:]}"


def _rows(result: Any) -> int:
    cursor: CursorResult[Any] = result
    return int(cursor.rowcount or 0)


def _take_units(
    db: Session,
    *,
    appointment_id: int,
    desks: list[int],
    start: datetime,
    length: timedelta,
    hold_until: datetime | None,
    now: datetime,
) -> int | None:
    """Put the appointment on the first desk whose units are all free; None when none is."""
    units = [schedule.unit_instant(u) for u in schedule.units_between(start, start + length)]
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    table: Any = DeskUnit.__table__  # type: ignore[attr-defined]
    for desk in desks:
        db.execute(
            delete(DeskUnit).where(
                col(DeskUnit.desk_id) == desk,
                col(DeskUnit.unit_start).in_(units),
                col(DeskUnit.hold_until).is_not(None),
                col(DeskUnit.hold_until) <= now,
            )
        )
        statement = (
            dialect.insert(table)
            .values(
                [
                    {
                        "desk_id": desk,
                        "unit_start": unit,
                        "appointment_id": appointment_id,
                        "hold_until": hold_until,
                    }
                    for unit in units
                ]
            )
            .on_conflict_do_nothing()
            .returning(table.c.unit_start)
        )
        inserted = len(db.execute(statement).all())
        if inserted == len(units):
            return desk
        if inserted:
            db.execute(
                delete(DeskUnit).where(
                    col(DeskUnit.appointment_id) == appointment_id, col(DeskUnit.desk_id) == desk
                )
            )
    return None


def _place(
    db: Session,
    appointment: Appointment,
    desks: list[int],
    start: datetime,
    length: timedelta,
    *,
    hold_until: datetime | None,
    now: datetime,
) -> None:
    """Take the units of [start, start + length) on a free desk for it; SlotTaken when none."""
    assert appointment.id is not None
    desk = _take_units(
        db,
        appointment_id=appointment.id,
        desks=desks,
        start=start,
        length=length,
        hold_until=hold_until,
        now=now,
    )
    if desk is None:
        raise SlotTaken
    appointment.desk_id = desk
    db.flush()


def _check_offered(
    db: Session,
    choice: Choice,
    location_code: str,
    start: datetime,
    settings: Settings,
    now: datetime,
) -> list[int]:
    """The desks for this choice, when `start` is on the location's grid inside the window."""
    day = schedule.local_day(start)
    first, last = service.window(settings, now)
    desks = service.desks_for(db, location_code, choice)
    if not desks or not first <= day <= last:
        raise InvalidSlot
    calendar = service.load_calendar(db, location_code, [], day, day, now)
    starts = schedule.slot_starts(calendar.periods(day), step=choice.step, length=choice.length)
    if start not in starts:
        raise InvalidSlot
    return desks


def hold_slot(
    db: Session,
    *,
    choice: Choice,
    location_code: str,
    start: datetime,
    settings: Settings,
    now: datetime,
    bsn: str | None = None,
    kvk: str | None = None,
    language: str = "nl",
    replacing: Appointment | None = None,
) -> Appointment:
    """Hold a time for the resident while they give their details; SlotTaken when gone.

    `replacing` is the resident's earlier hold that this one takes the place of (another time
    chosen from the check page): it does not count towards the limit of open appointments.
    """
    desks = _check_offered(db, choice, location_code, start, settings, now)
    replaced = int(replacing is not None and replacing.bsn == bsn and hold_is_live(replacing, now))
    if (
        bsn
        and service.open_appointment_count(db, bsn=bsn, now=now) - replaced
        >= settings.appointment_open_limit
    ):
        raise LimitReached
    hold_until = now + timedelta(minutes=settings.appointment_hold_minutes)
    appointment = Appointment(
        reference=new_reference(),
        state="vastgehouden",
        product_codes=choice.codes,
        persons=choice.persons,
        location_code=location_code,
        desk_id=desks[0],
        starts_at=start,
        ends_at=start + choice.length,
        hold_expires_at=hold_until,
        bsn=bsn,
        kvk=kvk,
        language=language,
        link_nonce=secrets.token_hex(8),
        created_at=now,
    )
    db.add(appointment)
    db.flush()
    _place(db, appointment, desks, start, choice.length, hold_until=hold_until, now=now)
    return appointment


def take_over_contact(
    db: Session, *, previous: Appointment, new: Appointment, now: datetime
) -> None:
    """The resident chose another time: the new hold gets the details given for the old one,
    and the old hold lets go of its time."""
    new.name, new.email, new.phone = previous.name, previous.email, previous.phone
    db.add(new)
    if previous.state in ("vastgehouden", "verlopen"):
        # Its link dies with it, so the old time cannot be confirmed beside the new one.
        db.execute(delete(DeskUnit).where(col(DeskUnit.appointment_id) == previous.id))
        previous.state = "vervangen"
        previous.hold_expires_at = now
        previous.link_nonce = secrets.token_hex(8)
        db.add(previous)
    db.flush()


def hold_is_live(appointment: Appointment, now: datetime) -> bool:
    return appointment.state == "vastgehouden" and (
        appointment.hold_expires_at is not None and appointment.hold_expires_at > now
    )


def save_contact(
    db: Session, appointment: Appointment, contact: Contact, *, settings: Settings, now: datetime
) -> None:
    """Store the details on a held appointment; LimitReached when the address has enough.

    Also on a hold the worker already let go of ('verlopen'): the resident who took longer
    than the hold keeps what they typed, and it is carried over when they choose a new time.
    """
    if appointment.state not in ("vastgehouden", "verlopen"):
        raise NotChangeable
    if (
        not appointment.bsn
        and contact.email.lower() != appointment.email.lower()
        and service.open_appointment_count(db, email=contact.email, now=now)
        >= settings.appointment_open_limit
    ):
        raise LimitReached
    appointment.name = contact.name
    appointment.email = contact.email
    appointment.phone = contact.phone
    db.add(appointment)
    db.flush()


def confirm(db: Session, appointment: Appointment, *, now: datetime) -> None:
    """Turn a hold into an appointment; SlotTaken when its time is no longer free.

    A hold that ran out (even one the worker already let go) is still confirmed when its time
    is free: at its own desk, or else at another desk that serves the same products.
    """
    assert appointment.id is not None
    expected = len(schedule.units_between(appointment.starts_at, appointment.ends_at))
    kept = _rows(
        db.execute(
            update(DeskUnit)
            .where(col(DeskUnit.appointment_id) == appointment.id)
            .values(hold_until=None)
        )
    )
    if kept != expected:
        db.execute(delete(DeskUnit).where(col(DeskUnit.appointment_id) == appointment.id))
        choice = service.choice_of(db, appointment)
        desks = service.desks_for(db, appointment.location_code, choice)
        length = appointment.ends_at - appointment.starts_at
        _place(db, appointment, desks, appointment.starts_at, length, hold_until=None, now=now)
    changed = _rows(
        db.execute(
            update(Appointment)
            .where(
                col(Appointment.id) == appointment.id,
                col(Appointment.state).in_(("vastgehouden", "verlopen")),
                col(Appointment.version) == appointment.version,
            )
            .values(
                state="bevestigd",
                desk_id=appointment.desk_id,
                hold_expires_at=None,
                confirmed_at=now,
                version=Appointment.version + 1,
            )
        )
    )
    if changed != 1:
        raise NotChangeable
    db.refresh(appointment)


def reschedule(
    db: Session, appointment: Appointment, *, start: datetime, settings: Settings, now: datetime
) -> None:
    """Move to a new time: the old units go and the new ones come in one transaction, so a
    failure leaves the old appointment as it was (the caller rolls back)."""
    if not is_changeable(appointment, now):
        raise NotChangeable
    assert appointment.id is not None
    choice = service.choice_of(db, appointment)
    desks = _check_offered(db, choice, appointment.location_code, start, settings, now)
    changed = _rows(
        db.execute(
            update(Appointment)
            .where(
                col(Appointment.id) == appointment.id,
                col(Appointment.state) == "bevestigd",
                col(Appointment.version) == appointment.version,
            )
            .values(version=Appointment.version + 1)
        )
    )
    if changed != 1:
        raise NotChangeable
    db.execute(delete(DeskUnit).where(col(DeskUnit.appointment_id) == appointment.id))
    _place(db, appointment, desks, start, choice.length, hold_until=None, now=now)
    appointment.starts_at = start
    appointment.ends_at = start + choice.length
    appointment.reminder_sent_at = None
    appointment.rescheduled_count += 1
    appointment.link_nonce = secrets.token_hex(8)
    db.add(appointment)
    db.flush()


def is_changeable(appointment: Appointment, now: datetime) -> bool:
    return appointment.state == "bevestigd" and appointment.starts_at > now


def cancel(db: Session, appointment: Appointment, *, now: datetime, reason: str) -> None:
    """Cancel and free the desk; NotChangeable when already cancelled, passed or changed."""
    if not is_changeable(appointment, now):
        raise NotChangeable
    changed = _rows(
        db.execute(
            update(Appointment)
            .where(
                col(Appointment.id) == appointment.id,
                col(Appointment.state) == "bevestigd",
                col(Appointment.version) == appointment.version,
            )
            .values(
                state="geannuleerd",
                cancelled_at=now,
                cancel_reason=reason[:40],
                link_nonce=secrets.token_hex(8),
                version=Appointment.version + 1,
            )
        )
    )
    if changed != 1:
        raise NotChangeable
    db.execute(delete(DeskUnit).where(col(DeskUnit.appointment_id) == appointment.id))
    db.refresh(appointment)


def mark_attendance(
    db: Session, appointment: Appointment, *, attended: bool, now: datetime
) -> None:
    """Staff record whether the resident came; only on or after the appointment's day."""
    if appointment.state not in ("bevestigd", "verschenen", "niet_verschenen"):
        raise NotChangeable
    if schedule.local_day(appointment.starts_at) > schedule.local_day(now):
        raise NotChangeable
    changed = _rows(
        db.execute(
            update(Appointment)
            .where(
                col(Appointment.id) == appointment.id,
                col(Appointment.version) == appointment.version,
            )
            .values(
                state="verschenen" if attended else "niet_verschenen",
                attended_at=now if attended else None,
                version=Appointment.version + 1,
            )
        )
    )
    if changed != 1:
        raise NotChangeable
    db.refresh(appointment)


def book_for_caller(
    db: Session,
    *,
    choice: Choice,
    location_code: str,
    start: datetime,
    contact: Contact,
    staff_subject: str,
    settings: Settings,
    now: datetime,
) -> Appointment:
    """Staff book a time on the phone: hold, details and confirmation in one go."""
    appointment = hold_slot(
        db, choice=choice, location_code=location_code, start=start, settings=settings, now=now
    )
    appointment.booked_by = staff_subject[:100]
    save_contact(db, appointment, contact, settings=settings, now=now)
    confirm(db, appointment, now=now)
    return appointment


def add_closure(
    db: Session,
    *,
    location_code: str,
    day: date,
    reason: str,
    staff_subject: str,
    now: datetime,
    opens: time | None = None,
    closes: time | None = None,
) -> list[Appointment]:
    """Close a location for a day or part of it; returns the appointments that fall in it."""
    db.add(
        DayException(
            location_code=location_code,
            day=day,
            kind="gesloten",
            opens=opens,
            closes=closes,
            reason=reason[:200],
            created_at=now,
            created_by=staff_subject[:100],
        )
    )
    db.flush()
    start = schedule.local_instant(day, opens or time(0))
    end = (
        schedule.local_instant(day, closes)
        if closes
        else schedule.local_instant(day + timedelta(days=1), time(0))
    )
    return [
        a
        for a in service.day_schedule(db, location_code, day)
        if a.state == "bevestigd" and a.starts_at < end and a.ends_at > start
    ]


def release_expired_holds(db: Session, *, now: datetime) -> int:
    """Mark holds that ran out as expired and free their units (the worker's job)."""
    expired = db.exec(
        select(Appointment.id).where(
            Appointment.state == "vastgehouden", col(Appointment.hold_expires_at) < now
        )
    ).all()
    if not expired:
        return 0
    db.execute(
        delete(DeskUnit).where(
            col(DeskUnit.appointment_id).in_(expired), col(DeskUnit.hold_until).is_not(None)
        )
    )
    return _rows(
        db.execute(
            update(Appointment)
            .where(
                col(Appointment.id).in_(expired),
                and_(
                    col(Appointment.state) == "vastgehouden", col(Appointment.hold_expires_at) < now
                ),
            )
            .values(state="verlopen", version=Appointment.version + 1)
        )
    )


def claim_reminders(db: Session, *, settings: Settings, now: datetime) -> list[Appointment]:
    """Appointments starting within the reminder time that have had no reminder, claimed by
    a conditional UPDATE so two workers never remind twice."""
    horizon = now + timedelta(hours=settings.appointment_reminder_hours)
    due = db.exec(
        select(Appointment)
        .where(
            Appointment.state == "bevestigd",
            col(Appointment.reminder_sent_at).is_(None),
            col(Appointment.starts_at) > now,
            col(Appointment.starts_at) <= horizon,
        )
        .limit(500)
    ).all()
    claimed = []
    for appointment in due:
        won = _rows(
            db.execute(
                update(Appointment)
                .where(
                    col(Appointment.id) == appointment.id,
                    col(Appointment.reminder_sent_at).is_(None),
                )
                .values(reminder_sent_at=now)
            )
        )
        if won:
            db.refresh(appointment)
            claimed.append(appointment)
    return claimed
