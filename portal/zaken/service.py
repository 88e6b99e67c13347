"""Rules for cases: numbering, creation from a submission (exactly once), and reading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from portal.zaken.models import ReferenceCounter, Zaak, ZaakDocument, ZaakStatus

REFERENCE_PREFIX = "HRN"
FIRST_STATUS = "ontvangen"


@dataclass(frozen=True)
class Initiator:
    """Who started the case: a resident (BSN), a company (KVK, optional branch) or nobody known."""

    kind: str  # natuurlijk_persoon | niet_natuurlijk_persoon | anoniem
    bsn: str | None = None
    kvk: str | None = None
    vestiging: str | None = None
    name: str = ""


def next_reference(db: Session, *, year: int) -> str:
    """The next case number of `year`, e.g. HRN-2026-000123; unique across processes.

    The counter row is created if missing (insert-or-ignore) and then incremented with a
    single UPDATE ... RETURNING, which the database serialises.
    """
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    table: Any = ReferenceCounter.__table__  # type: ignore[attr-defined]
    db.execute(dialect.insert(table).values(year=year, last_number=0).on_conflict_do_nothing())
    number = db.execute(
        update(table)
        .where(table.c.year == year)
        .values(last_number=table.c.last_number + 1)
        .returning(table.c.last_number)
    ).scalar_one()
    return f"{REFERENCE_PREFIX}-{year}-{number:06d}"


def add_working_days(start: date, days: int) -> date:
    """`start` plus `days` working days (Monday to Friday)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def create_zaak(
    db: Session,
    *,
    zaaktype: str,
    omschrijving: str,
    initiator: Initiator,
    answers: dict[str, Any],
    submission_token: str,
    received_at: datetime,
    form_slug: str | None = None,
    contact_email: str | None = None,
    norm_days: int | None = None,
    legal_days: int | None = None,
    channel: str = "online",
) -> Zaak:
    """A new case in its first status; the submission token makes a repeat impossible."""
    zaak = Zaak(
        reference=next_reference(db, year=received_at.year),
        zaaktype=zaaktype,
        omschrijving=omschrijving[:200],
        form_slug=form_slug,
        channel=channel,
        initiator_kind=initiator.kind,
        initiator_bsn=initiator.bsn,
        initiator_kvk=initiator.kvk,
        initiator_vestiging=initiator.vestiging,
        initiator_name=initiator.name[:200],
        contact_email=contact_email,
        status=FIRST_STATUS,
        received_at=received_at,
        due_by_norm=add_working_days(received_at.date(), norm_days) if norm_days else None,
        due_by_law=received_at.date() + timedelta(days=legal_days) if legal_days else None,
        answers=answers,
        submission_token=submission_token,
    )
    db.add(zaak)
    db.flush()
    assert zaak.id is not None
    db.add(ZaakStatus(zaak_id=zaak.id, status=FIRST_STATUS, set_at=received_at))
    db.flush()
    return zaak


def get_zaak_by_reference(db: Session, *, reference: str) -> Zaak | None:
    return db.exec(select(Zaak).where(col(Zaak.reference) == reference)).first()


def count_open_zaken(db: Session, *, bsn: str | None, kvk: str | None) -> int:
    """How many of this resident's or company's cases are still open."""
    query = select(func.count()).select_from(Zaak).where(col(Zaak.closed_at).is_(None))
    if bsn:
        query = query.where(col(Zaak.initiator_bsn) == bsn)
    elif kvk:
        query = query.where(col(Zaak.initiator_kvk) == kvk)
    else:
        return 0
    return int(db.exec(query).one())


def add_document(
    db: Session,
    *,
    zaak_id: int,
    title: str,
    filename: str,
    content_type: str,
    size: int,
    stored_name: str,
    sha256: str,
    now: datetime,
) -> ZaakDocument:
    """Attach a stored file to a case."""
    document = ZaakDocument(
        zaak_id=zaak_id,
        title=title[:200],
        filename=filename[:200],
        content_type=content_type[:100],
        size=size,
        stored_name=stored_name,
        sha256=sha256,
        created_at=now,
    )
    db.add(document)
    db.flush()
    return document


def list_documents(db: Session, *, zaak_id: int) -> list[ZaakDocument]:
    query = select(ZaakDocument).where(col(ZaakDocument.zaak_id) == zaak_id)
    return list(db.exec(query.order_by(col(ZaakDocument.id))).all())


def stored_document_names(db: Session) -> set[str]:
    """The stored file names of every case document."""
    return set(db.exec(select(ZaakDocument.stored_name)).all())
