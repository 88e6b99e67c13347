"""Cases and their status history, shaped after ZGW (Zaak, Status) so a Zaken API is a mapping."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class ReferenceCounter(SQLModel, table=True):
    """The last case number handed out per year (HRN-2026-000123); shared by all processes."""

    __tablename__ = "zaak_reference_counter"

    year: int = Field(primary_key=True)
    last_number: int = Field(default=0)


class Zaak(SQLModel, table=True):
    """One case: an application, report or question being handled (ZGW: Zaak)."""

    __tablename__ = "zaak"
    __table_args__ = (UniqueConstraint("submission_token", name="uq_zaak_submission_token"),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True)  # ZGW identificatie
    zaaktype: str = Field(max_length=80, index=True)  # the product slug
    omschrijving: str = Field(max_length=200)
    form_slug: str | None = Field(default=None, max_length=80)
    channel: str = Field(default="online", max_length=20)
    # natuurlijk_persoon | niet_natuurlijk_persoon | anoniem
    initiator_kind: str = Field(max_length=30)
    initiator_bsn: str | None = Field(default=None, max_length=9, index=True)
    initiator_kvk: str | None = Field(default=None, max_length=8, index=True)
    initiator_vestiging: str | None = Field(default=None, max_length=12)
    initiator_name: str = Field(default="", max_length=200)
    contact_email: str | None = Field(default=None, max_length=254)
    status: str = Field(default="ontvangen", max_length=40)
    received_at: datetime = Field(index=True)  # ZGW registratiedatum
    due_by_norm: date | None = None  # ZGW einddatumGepland
    due_by_law: date | None = None  # ZGW uiterlijkeEinddatumAfdoening
    closed_at: datetime | None = None  # ZGW einddatum
    result: str | None = Field(default=None, max_length=40)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    submission_token: str = Field(max_length=64)


class ZaakStatus(SQLModel, table=True):
    """One step in a case's status history (ZGW: Status)."""

    __tablename__ = "zaak_status"

    id: int | None = Field(default=None, primary_key=True)
    zaak_id: int = Field(foreign_key="zaak.id", index=True)
    status: str = Field(max_length=40)
    set_at: datetime
    set_by: str = Field(default="systeem", max_length=100)
    note_for_resident: str = Field(default="")
    internal_note: str = Field(default="")


class ZaakDocument(SQLModel, table=True):
    """A file belonging to a case (ZGW: ZaakInformatieObject); the bytes live in the file store."""

    __tablename__ = "zaak_document"

    id: int | None = Field(default=None, primary_key=True)
    zaak_id: int = Field(foreign_key="zaak.id", index=True)
    title: str = Field(max_length=200)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size: int
    stored_name: str = Field(max_length=80, unique=True)
    sha256: str = Field(max_length=64)
    created_at: datetime
