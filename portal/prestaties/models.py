"""Service norms that are not a case type's term, what residents thought, and the measurements
the figures are made of.

A case's own figures (lead time, norm met, right first time) are written on the case when it
closes (`zaak.closed_month` and the columns next to it), so a month's figures are one index
range of the case table, however many cases it holds.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class ServiceNorm(SQLModel, table=True):
    """A promise per channel, such as 'an appointment within 5 working days' or 'the phone
    answered within 30 seconds'. A case type's decision term is its own norm (zaaktype)."""

    __tablename__ = "servicenorm"

    code: str = Field(primary_key=True, max_length=40)
    channel: str = Field(max_length=20)  # online | telefoon | balie | afspraak | email
    product: str | None = Field(default=None, max_length=80)  # None: every product
    text_nl: str = Field(max_length=300)
    text_en: str = Field(max_length=300)
    target: int
    unit: str = Field(max_length=20)  # werkdagen | seconden | procent
    measured_here: bool = Field(default=True)  # False: shown, measured by another system
    position: int = Field(default=0)


class Feedback(SQLModel, table=True):
    """One resident's answer to 'how did we do?' about a closed case or an appointment.

    At most one per case or appointment: the unique constraint keeps a second one out.
    The person is kept only so that staff may see who wrote it when the resident allowed that.
    """

    __tablename__ = "tevredenheid"
    __table_args__ = (
        UniqueConstraint("subject_kind", "subject_id", name="uq_tevredenheid_subject"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subject_kind: str = Field(max_length=10)  # zaak | afspraak
    subject_id: int
    product: str = Field(max_length=80, index=True)
    month: str = Field(max_length=7, index=True)  # YYYY-MM, Amsterdam time
    score: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=1000)
    share_identity: bool = Field(default=False)
    owner_bsn: str | None = Field(default=None, max_length=9)
    owner_kvk: str | None = Field(default=None, max_length=8)
    created_at: datetime


class WaitMeasurement(SQLModel, table=True):
    """Each day, per bookable product and location: how many working days until the first
    free appointment (None: nothing free in the booking window)."""

    __tablename__ = "afspraak_wachttijd"

    day: date = Field(primary_key=True)
    product_code: str = Field(primary_key=True, max_length=40)
    location_code: str = Field(primary_key=True, max_length=40)
    working_days: int | None = None


class CaseMonthFigure(SQLModel, table=True):
    """The closed cases of one product in one month, added up by the worker, so the public page
    reads a few hundred rows instead of aggregating every case on each visit. The numbers are
    the same as counting live (a test compares them)."""

    __tablename__ = "prestatie_maand"

    product: str = Field(primary_key=True, max_length=80)
    month: str = Field(primary_key=True, max_length=7)
    closed: int
    decided: int
    within_norm: int
    with_legal_term: int
    within_law: int
    first_time_right: int
    lead_days: dict[str, int] = Field(sa_column=Column(JSON, nullable=False))


class RefreshedMonth(SQLModel, table=True):
    """A month whose CaseMonthFigure rows are complete as of `refreshed_at`."""

    __tablename__ = "prestatie_maand_ververst"

    month: str = Field(primary_key=True, max_length=7)
    refreshed_at: datetime
