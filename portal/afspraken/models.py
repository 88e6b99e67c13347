"""Appointments at the municipal office: where, what, when, and who booked which desk.

Capacity is kept as one `afspraak_bezetting` row per desk per five-minute unit that an
appointment (or a hold on one) occupies; the primary key on (desk, unit) is what makes a double
booking impossible, across processes and on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


class Location(SQLModel, table=True):
    """A service point where residents can come by appointment."""

    __tablename__ = "afspraak_locatie"

    code: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=120)
    street: str = Field(max_length=120)
    postcode: str = Field(max_length=7)
    city: str = Field(max_length=80)
    accessibility_nl: str = Field(default="", max_length=1000)
    accessibility_en: str = Field(default="", max_length=1000)
    position: int = Field(default=0)


class OpeningHours(SQLModel, table=True):
    """A period a location is open on a weekday (0 = Monday); a day may have several."""

    __tablename__ = "afspraak_openingstijd"

    id: int | None = Field(default=None, primary_key=True)
    location_code: str = Field(foreign_key="afspraak_locatie.code", max_length=40, index=True)
    weekday: int = Field(ge=0, le=6)
    opens: time
    closes: time


class DayException(SQLModel, table=True):
    """An extra opening (an evening) or a closure (a holiday, a one-off closure) on one date.

    A closure without times closes the whole day; Dutch public holidays are closed without a row.
    """

    __tablename__ = "afspraak_uitzondering"
    __table_args__ = (Index("ix_afspraak_uitzondering_dag", "location_code", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    location_code: str = Field(foreign_key="afspraak_locatie.code", max_length=40)
    day: date
    kind: str = Field(max_length=10)  # open | gesloten
    opens: time | None = None
    closes: time | None = None
    reason: str = Field(default="", max_length=200)
    created_at: datetime
    created_by: str = Field(default="", max_length=100)


class BookableProduct(SQLModel, table=True):
    """Something a resident can come to the office for, and how long it takes per person."""

    __tablename__ = "afspraak_product"

    code: str = Field(primary_key=True, max_length=40)
    name_nl: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    minutes_per_person: int = Field(ge=5, le=240)
    max_persons: int = Field(default=4, ge=1, le=10)
    bring_nl: str = Field(default="", max_length=1000)
    bring_en: str = Field(default="", max_length=1000)
    catalogue_slug: str | None = Field(default=None, max_length=100)
    position: int = Field(default=0)


class Desk(SQLModel, table=True):
    """A desk at a location; an appointment is planned at one desk."""

    __tablename__ = "afspraak_balie"

    id: int | None = Field(default=None, primary_key=True)
    location_code: str = Field(foreign_key="afspraak_locatie.code", max_length=40, index=True)
    name: str = Field(max_length=60)


class DeskProduct(SQLModel, table=True):
    """Which products a desk serves (the product's number of desks at a location)."""

    __tablename__ = "afspraak_balie_product"

    desk_id: int = Field(foreign_key="afspraak_balie.id", primary_key=True)
    product_code: str = Field(foreign_key="afspraak_product.code", primary_key=True, max_length=40)


class Appointment(SQLModel, table=True):
    """One appointment, from hold to attended (or cancelled)."""

    __tablename__ = "afspraak"
    __table_args__ = (
        Index("ix_afspraak_dag", "location_code", "starts_at"),
        Index("ix_afspraak_bsn", "bsn", "starts_at"),
        Index("ix_afspraak_email", "email", "starts_at"),
        Index("ix_afspraak_hold", "state", "hold_expires_at"),
        Index("ix_afspraak_reminder", "state", "reminder_sent_at", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=12, unique=True)
    state: str = Field(max_length=20)  # vastgehouden | bevestigd | geannuleerd | ...
    product_codes: list[str] = Field(sa_column=Column(JSON, nullable=False))
    persons: int = Field(ge=1, le=10)
    location_code: str = Field(foreign_key="afspraak_locatie.code", max_length=40)
    desk_id: int = Field(foreign_key="afspraak_balie.id")
    starts_at: datetime
    ends_at: datetime
    hold_expires_at: datetime | None = None
    name: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=20)
    bsn: str | None = Field(default=None, max_length=9)
    kvk: str | None = Field(default=None, max_length=8)
    language: str = Field(default="nl", max_length=2)
    link_nonce: str = Field(max_length=32)
    booked_by: str = Field(default="", max_length=100)  # staff subject when booked for a caller
    created_at: datetime
    confirmed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str = Field(default="", max_length=40)
    attended_at: datetime | None = None
    reminder_sent_at: datetime | None = None
    rescheduled_count: int = Field(default=0)
    version: int = Field(default=1)


class DeskUnit(SQLModel, table=True):
    """Five minutes of one desk taken by an appointment; a hold's rows carry its expiry."""

    __tablename__ = "afspraak_bezetting"
    __table_args__ = (Index("ix_afspraak_bezetting_afspraak", "appointment_id"),)

    desk_id: int = Field(foreign_key="afspraak_balie.id", primary_key=True)
    unit_start: datetime = Field(primary_key=True)
    appointment_id: int = Field(foreign_key="afspraak.id")
    hold_until: datetime | None = None
