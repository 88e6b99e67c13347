"""Cases, their types and everything that happens in them, shaped after ZGW so that a Zaken and
Catalogi API is a mapping: ZaakType ~ ZaakType, StatusType ~ StatusType, Zaak ~ Zaak,
ZaakStatus ~ Status, ZaakDocument ~ ZaakInformatieObject (+ EnkelvoudigInformatieObject),
Zaak.result ~ Resultaat (ResultaatType by code)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class ReferenceCounter(SQLModel, table=True):
    """The last case number handed out per year (HRN-2026-000123); shared by all processes."""

    __tablename__ = "zaak_reference_counter"

    year: int = Field(primary_key=True)
    last_number: int = Field(default=0)


class ZaakType(SQLModel, table=True):
    """How cases of one product are handled: terms, whether the norm clock may pause, results."""

    __tablename__ = "zaaktype"

    slug: str = Field(primary_key=True, max_length=80)  # the product slug (ZGW identificatie)
    name: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    norm_days: int = Field(default=20)  # service norm, working days
    legal_days: int | None = None  # legal term, calendar days (Awb)
    pause_allowed: bool = Field(default=True)  # the norm clock stops while we wait on the resident
    results: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: datetime


class StatusType(SQLModel, table=True):
    """One step of a case type, in the order residents see them (ZGW: StatusType)."""

    __tablename__ = "zaaktype_status"
    __table_args__ = (UniqueConstraint("zaaktype", "code", name="uq_zaaktype_status_code"),)

    id: int | None = Field(default=None, primary_key=True)
    zaaktype: str = Field(foreign_key="zaaktype.slug", max_length=80, index=True)
    code: str = Field(max_length=40)
    order: int  # ZGW volgnummer
    name: str = Field(max_length=100)
    name_en: str = Field(max_length=100)
    explanation: str = Field(max_length=500)
    explanation_en: str = Field(max_length=500)
    resident_can_upload: bool = Field(default=False)
    notifies_resident: bool = Field(default=True)
    # A detour (waiting for the resident) is not shown as a next step on the timeline.
    is_detour: bool = Field(default=False)


class StaffProduct(SQLModel, table=True):
    """Which products a behandelaar handles; kept by the beheerder."""

    __tablename__ = "medewerker_product"

    staff_subject: str = Field(primary_key=True, max_length=100)
    zaaktype: str = Field(primary_key=True, max_length=80)
    staff_name: str = Field(default="", max_length=200)


class Zaak(SQLModel, table=True):
    """One case: an application, report or question being handled (ZGW: Zaak)."""

    __tablename__ = "zaak"
    __table_args__ = (
        UniqueConstraint("submission_token", name="uq_zaak_submission_token"),
        # The work queue: open cases by due date, whole or per product, status or assignee.
        Index("ix_zaak_queue", "closed_at", "due_by_norm", "id"),
        Index("ix_zaak_queue_type", "zaaktype", "closed_at", "due_by_norm", "id"),
        Index("ix_zaak_queue_status", "status", "closed_at", "due_by_norm", "id"),
        Index("ix_zaak_queue_assignee", "assigned_to", "closed_at", "due_by_norm", "id"),
        # The resident's and the company's lists: newest change first.
        Index("ix_zaak_bsn_changed", "initiator_bsn", "last_changed_at"),
        Index("ix_zaak_kvk_changed", "initiator_kvk", "last_changed_at"),
        # The performance figures: a month's closed cases, per product, without the table.
        Index(
            "ix_zaak_figures",
            "closed_month",
            "zaaktype",
            "norm_met",
            "legal_met",
            "first_time_right",
            "lead_working_days",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True)  # ZGW identificatie
    zaaktype: str = Field(max_length=80)  # the product slug
    omschrijving: str = Field(max_length=200)
    form_slug: str | None = Field(default=None, max_length=80)
    channel: str = Field(default="online", max_length=20)  # online | telefoon | balie | post
    # natuurlijk_persoon | niet_natuurlijk_persoon | anoniem
    initiator_kind: str = Field(max_length=30)
    initiator_bsn: str | None = Field(default=None, max_length=9)
    initiator_kvk: str | None = Field(default=None, max_length=8)
    initiator_vestiging: str | None = Field(default=None, max_length=12)
    initiator_name: str = Field(default="", max_length=200)
    # Lower-case name; the back office searches its words (ZaakNaamwoord).
    search_name: str = Field(default="", max_length=200)
    representative_name: str = Field(default="", max_length=200)  # ZGW rol: gemachtigde
    representative_id: str = Field(default="", max_length=20)
    contact_email: str | None = Field(default=None, max_length=254)
    status: str = Field(default="ontvangen", max_length=40)
    received_at: datetime = Field(index=True)  # ZGW registratiedatum
    due_by_norm: date | None = None  # ZGW einddatumGepland
    due_by_law: date | None = None  # ZGW uiterlijkeEinddatumAfdoening
    closed_at: datetime | None = None  # ZGW einddatum
    last_changed_at: datetime
    paused_at: datetime | None = None  # ZGW opschorting
    result: str | None = Field(default=None, max_length=40)
    withdraw_reason: str = Field(default="", max_length=1000)
    assigned_to: str | None = Field(default=None, max_length=100)  # staff subject
    assigned_name: str = Field(default="", max_length=200)
    version: int = Field(default=1)  # every change bumps it; a stale form is refused
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    submission_token: str = Field(max_length=64)
    # Written when the case closes, for the published figures (portal/prestaties).
    closed_month: str | None = Field(default=None, max_length=7)  # YYYY-MM in Haren
    lead_working_days: int | None = None  # received to closed, in working days
    norm_met: bool | None = None  # None: withdrawn, or no norm
    legal_met: bool | None = None  # None: withdrawn, or no legal term
    first_time_right: bool | None = None  # closed without asking the resident for anything


class ZaakNaamwoord(SQLModel, table=True):
    """One word of an open case's initiator name, so staff find "Suzanne Moulin" by "moulin"
    too (a prefix index on the whole name only finds what the name starts with). Closing a case
    removes its words: the work queue shows open cases only."""

    __tablename__ = "zaak_naamwoord"

    woord: str = Field(primary_key=True, max_length=100)
    zaak_id: int = Field(primary_key=True, foreign_key="zaak.id")


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
    # aanvraag (the submission), inwoner (sent later by the resident), besluit (decision letter),
    # medewerker (another letter from staff)
    source: str = Field(default="aanvraag", max_length=20)
    added_by: str = Field(default="", max_length=100)
    verzoek_id: int | None = Field(default=None, foreign_key="zaak_verzoek.id")


class ZaakVerzoek(SQLModel, table=True):
    """Staff ask the resident for information or documents, with a deadline ("actie nodig")."""

    __tablename__ = "zaak_verzoek"

    id: int | None = Field(default=None, primary_key=True)
    zaak_id: int = Field(foreign_key="zaak.id", index=True)
    kind: str = Field(max_length=20)  # vraag | documenten
    question: str = Field(max_length=2000)
    deadline: date
    created_at: datetime
    created_by: str = Field(max_length=100)
    answered_at: datetime | None = None
    answer: str = Field(default="", max_length=4000)
    reminder_sent_at: datetime | None = None
    cancelled_at: datetime | None = None


class ZaakBericht(SQLModel, table=True):
    """One message in the thread between the resident and staff about a case."""

    __tablename__ = "zaak_bericht"

    id: int | None = Field(default=None, primary_key=True)
    zaak_id: int = Field(foreign_key="zaak.id", index=True)
    sender: str = Field(max_length=20)  # inwoner | medewerker
    author: str = Field(max_length=200)  # the resident's name, or the staff role shown
    body: str = Field(max_length=4000)
    created_at: datetime
