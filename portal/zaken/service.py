"""Rules for cases: numbering, creation (exactly once), dates, and reading them for their owner."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import case, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.gegevens import service as gegevens_service
from portal.zaken import zaaktypen
from portal.zaken.models import (
    ReferenceCounter,
    StatusType,
    Zaak,
    ZaakBericht,
    ZaakDocument,
    ZaakNaamwoord,
    ZaakStatus,
    ZaakVerzoek,
)

REFERENCE_PREFIX = "HRN"
REFERENCE_PATTERN = re.compile(r"^HRN-\d{4}-\d{6}$")
FIRST_STATUS = zaaktypen.RECEIVED
RESIDENT_PAGE_SIZE = 20


class ZaakNotFound(LookupError):
    """No such case, or not this person's: the same 404 either way."""


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


@cache
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a Dutch public holiday."""
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """`start` plus `days` working days."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after `start` up to and including `end`."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


HAREN_TIME = ZoneInfo("Europe/Amsterdam")


def local_date(moment: datetime) -> date:
    """The calendar date in Haren of a stored UTC time."""
    return moment.astimezone(HAREN_TIME).date()


def closing_figures(zaak: Zaak, *, result: str, asked: bool, now: datetime) -> dict[str, Any]:
    """What the published figures need of a case that closes now: its month, how many working
    days it took, whether it met the norm and the legal term (not counted for a withdrawal,
    which is no decision), and whether it was handled without asking the resident anything."""
    closed_on = local_date(now)
    decided = result != "ingetrokken"
    return {
        "closed_month": f"{closed_on:%Y-%m}",
        "lead_working_days": working_days_between(local_date(zaak.received_at), closed_on),
        "norm_met": closed_on <= zaak.due_by_norm if decided and zaak.due_by_norm else None,
        "legal_met": closed_on <= zaak.due_by_law if decided and zaak.due_by_law else None,
        "first_time_right": not asked,
    }


def name_words(name: str) -> list[str]:
    """The words staff can find a name by: lower case, split at spaces and hyphens."""
    return sorted({word[:100] for word in name.lower().replace("-", " ").split()[:20]})


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
    channel: str = "online",
    representative_name: str = "",
    representative_id: str = "",
) -> Zaak:
    """A new case in its first status, with the terms of its case type.

    The submission token makes a repeat impossible (unique constraint).
    """
    case_type = zaaktypen.ensure_zaaktype(db, zaaktype, now=received_at)
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
        search_name=initiator.name[:200].lower(),
        representative_name=representative_name[:200],
        representative_id=representative_id[:20],
        contact_email=contact_email,
        status=FIRST_STATUS,
        received_at=received_at,
        last_changed_at=received_at,
        due_by_norm=add_working_days(received_at.date(), case_type.norm_days),
        due_by_law=(
            received_at.date() + timedelta(days=case_type.legal_days)
            if case_type.legal_days
            else None
        ),
        answers=answers,
        submission_token=submission_token,
    )
    db.add(zaak)
    db.flush()
    assert zaak.id is not None
    db.add(ZaakStatus(zaak_id=zaak.id, status=FIRST_STATUS, set_at=received_at))
    db.add_all(
        ZaakNaamwoord(woord=word, zaak_id=zaak.id) for word in name_words(zaak.initiator_name)
    )
    db.flush()
    return zaak


def get_zaak_by_reference(db: Session, *, reference: str) -> Zaak | None:
    if not REFERENCE_PATTERN.match(reference):
        return None
    return db.exec(select(Zaak).where(col(Zaak.reference) == reference)).first()


def reference_for_token(db: Session, *, token: str) -> str | None:
    """The reference of the case created with this submission token, if there is one."""
    return db.exec(select(Zaak.reference).where(col(Zaak.submission_token) == token)).first()


def _owned_by(identity: Identity) -> list[Any]:
    """The conditions that make a case this resident's or this company's (branch)."""
    if identity.is_resident:
        return [col(Zaak.initiator_bsn) == identity.bsn]
    if identity.is_company:
        conditions = [col(Zaak.initiator_kvk) == identity.kvk]
        if identity.vestiging:
            conditions.append(col(Zaak.initiator_vestiging) == identity.vestiging)
        return conditions
    return [col(Zaak.id).is_(None)]


def owns(identity: Identity, zaak: Zaak) -> bool:
    if identity.is_resident:
        return zaak.initiator_bsn == identity.bsn
    if identity.is_company and zaak.initiator_kvk == identity.kvk:
        return not identity.vestiging or zaak.initiator_vestiging == identity.vestiging
    return False


def get_zaak_for(db: Session, *, identity: Identity, reference: str) -> Zaak:
    """The case if it belongs to this resident or company; otherwise ZaakNotFound."""
    zaak = get_zaak_by_reference(db, reference=reference)
    if zaak is None or not owns(identity, zaak):
        raise ZaakNotFound(reference)
    return zaak


@dataclass(frozen=True)
class ZaakPage:
    zaken: list[Zaak]
    page: int
    total: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def list_zaken_for(db: Session, *, identity: Identity, page: int = 1) -> ZaakPage:
    """This person's cases: open ones first, then by latest change."""
    conditions = _owned_by(identity)
    total = int(db.exec(select(func.count()).select_from(Zaak).where(*conditions)).one())
    page = max(1, min(page, max(1, -(-total // RESIDENT_PAGE_SIZE))))
    query = (
        select(Zaak)
        .where(*conditions)
        .order_by(
            case((col(Zaak.closed_at).is_(None), 0), else_=1),
            col(Zaak.last_changed_at).desc(),
            col(Zaak.id).desc(),
        )
        .offset((page - 1) * RESIDENT_PAGE_SIZE)
        .limit(RESIDENT_PAGE_SIZE)
    )
    return ZaakPage(list(db.exec(query).all()), page, total, RESIDENT_PAGE_SIZE)


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


@dataclass(frozen=True)
class TimelineStep:
    code: str
    name: str
    explanation: str
    state: str  # gedaan | huidig | volgend
    at: datetime | None = None
    note: str = ""


def timeline(db: Session, zaak: Zaak, *, language: str) -> list[TimelineStep]:
    """What happened (with notes for the resident), where the case is now, and what comes next."""
    assert zaak.id is not None
    types = {t.code: t for t in zaaktypen.status_types(db, zaak.zaaktype)}
    history = status_history(db, zaak_id=zaak.id)
    steps: list[TimelineStep] = []
    for number, entry in enumerate(history):
        status_type = types.get(entry.status)
        current = number == len(history) - 1
        steps.append(
            TimelineStep(
                code=entry.status,
                name=_name(status_type, entry.status, language),
                explanation=_explanation(status_type, language) if current else "",
                state="huidig" if current and zaak.closed_at is None else "gedaan",
                at=entry.set_at,
                note=entry.note_for_resident,
            )
        )
    if zaak.closed_at is None:
        # From a detour (waiting for the resident) the case returns to the main path, so the
        # next steps follow the last main step it reached.
        main_path = [
            e.status for e in history if e.status in types and not types[e.status].is_detour
        ]
        here = zaak.status if zaak.status in types else None
        if here is not None and types[here].is_detour:
            here = main_path[-1] if main_path else None
        current_order = types[here].order if here is not None else 0
        for status_type in types.values():
            if status_type.order > current_order and not status_type.is_detour:
                steps.append(
                    TimelineStep(
                        code=status_type.code,
                        name=_name(status_type, status_type.code, language),
                        explanation=_explanation(status_type, language),
                        state="volgend",
                    )
                )
    return steps


def _name(status_type: StatusType | None, code: str, language: str) -> str:
    if status_type is None:
        return code
    return status_type.name_en if language == "en" else status_type.name


def _explanation(status_type: StatusType | None, language: str) -> str:
    if status_type is None:
        return ""
    return status_type.explanation_en if language == "en" else status_type.explanation


def status_history(db: Session, *, zaak_id: int) -> list[ZaakStatus]:
    query = select(ZaakStatus).where(col(ZaakStatus.zaak_id) == zaak_id)
    return list(db.exec(query.order_by(col(ZaakStatus.set_at), col(ZaakStatus.id))).all())


def resident_can_upload(db: Session, zaak: Zaak) -> bool:
    """Whether the case's current step lets the resident add documents."""
    if zaak.closed_at is not None:
        return False
    status_type = zaaktypen.status_type(db, zaak.zaaktype, zaak.status)
    return status_type is not None and status_type.resident_can_upload


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
    source: str = "aanvraag",
    added_by: str = "",
    verzoek_id: int | None = None,
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
        source=source,
        added_by=added_by[:100],
        verzoek_id=verzoek_id,
    )
    db.add(document)
    db.flush()
    return document


def list_documents(db: Session, *, zaak_id: int) -> list[ZaakDocument]:
    query = select(ZaakDocument).where(col(ZaakDocument.zaak_id) == zaak_id)
    return list(db.exec(query.order_by(col(ZaakDocument.id))).all())


def get_document(db: Session, *, zaak: Zaak, document_id: int) -> ZaakDocument:
    """A document of this case; another case's document is ZaakNotFound."""
    document = db.get(ZaakDocument, document_id)
    if document is None or document.zaak_id != zaak.id:
        raise ZaakNotFound(str(document_id))
    return document


def stored_document_names(db: Session) -> set[str]:
    """The stored file names of every case document."""
    return set(db.exec(select(ZaakDocument.stored_name)).all())


def list_messages(db: Session, *, zaak_id: int) -> list[ZaakBericht]:
    query = select(ZaakBericht).where(col(ZaakBericht.zaak_id) == zaak_id)
    return list(db.exec(query.order_by(col(ZaakBericht.created_at), col(ZaakBericht.id))).all())


def list_requests(db: Session, *, zaak_id: int) -> list[ZaakVerzoek]:
    query = select(ZaakVerzoek).where(col(ZaakVerzoek.zaak_id) == zaak_id)
    return list(db.exec(query.order_by(col(ZaakVerzoek.id))).all())


def open_requests(db: Session, *, zaak_id: int) -> list[ZaakVerzoek]:
    """Requests the resident still has to answer."""
    return [
        r
        for r in list_requests(db, zaak_id=zaak_id)
        if r.answered_at is None and r.cancelled_at is None
    ]


# --- Reading for the resident's pages ----------------------------------------------------


def get_request(db: Session, *, zaak: Zaak, verzoek_id: int) -> ZaakVerzoek:
    """A request of this case; another case's request is ZaakNotFound."""
    verzoek = db.get(ZaakVerzoek, verzoek_id)
    if verzoek is None or verzoek.zaak_id != zaak.id:
        raise ZaakNotFound(str(verzoek_id))
    return verzoek


def status_names(db: Session, zaken: list[Zaak], *, language: str) -> dict[tuple[str, str], str]:
    """The resident-facing name of each case's current status, by (zaaktype, code)."""
    slugs = {zaak.zaaktype for zaak in zaken}
    if not slugs:
        return {}
    types = db.exec(select(StatusType).where(col(StatusType.zaaktype).in_(slugs))).all()
    return {(t.zaaktype, t.code): _name(t, t.code, language) for t in types}


def zaken_waiting_for(db: Session, *, identity: Identity, limit: int = 10) -> list[Zaak]:
    """This person's open cases that wait for them (an unanswered request), newest first."""
    query = (
        select(Zaak)
        .where(*_owned_by(identity), col(Zaak.status) == zaaktypen.WAITING)
        .where(col(Zaak.closed_at).is_(None))
        .order_by(col(Zaak.last_changed_at).desc())
        .limit(limit)
    )
    return list(db.exec(query).all())


# zaak_naamwoord holds only words of the initiator's name, which the case itself exports.
EXPORT_TABLES = ("zaak", "zaak_status", "zaak_document", "zaak_verzoek", "zaak_bericht")


def export_personal_data(db: Session, identity: Identity) -> list[gegevens_service.ExportSection]:
    """The person's cases with statuses, answers, documents (the files too), requests and
    messages. Five queries whatever the number of cases, so 100 cases take no longer than one."""
    iso = gegevens_service.iso
    zaken = db.exec(select(Zaak).where(*_owned_by(identity)).order_by(col(Zaak.received_at))).all()
    ids = [z.id for z in zaken if z.id is not None]
    children: dict[type[Any], dict[int, list[Any]]] = {}
    models: tuple[Any, ...] = (ZaakStatus, ZaakDocument, ZaakVerzoek, ZaakBericht)
    for model in models:
        grouped: dict[int, list[Any]] = {}
        if ids:
            rows = db.exec(
                select(model).where(col(model.zaak_id).in_(ids)).order_by(col(model.id))
            ).all()
            for row in rows:
                grouped.setdefault(row.zaak_id, []).append(row)
        children[model] = grouped
    records: list[dict[str, Any]] = []
    files: list[gegevens_service.ExportFile] = []
    for zaak in zaken:
        assert zaak.id is not None
        documents = []
        for document in children[ZaakDocument].get(zaak.id, []):
            path = (
                f"zaken/{zaak.reference}/{document.id}-"
                f"{gegevens_service.safe_file_name(document.filename)}"
            )
            files.append(gegevens_service.ExportFile(path=path, stored_name=document.stored_name))
            documents.append(
                {
                    "titel": document.title,
                    "naam": document.filename,
                    "soort": document.content_type,
                    "grootte": document.size,
                    "sha256": document.sha256,
                    "bron": document.source,
                    "toegevoegd_op": iso(document.created_at),
                    "bestand": path,
                }
            )
        records.append(
            {
                "zaaknummer": zaak.reference,
                "product": zaak.zaaktype,
                "omschrijving": zaak.omschrijving,
                "kanaal": zaak.channel,
                "naam": zaak.initiator_name,
                "vestiging": zaak.initiator_vestiging,
                "gemachtigde": zaak.representative_name,
                "email": zaak.contact_email,
                "status": zaak.status,
                "ontvangen_op": iso(zaak.received_at),
                "klaar_volgens_norm": zaak.due_by_norm.isoformat() if zaak.due_by_norm else None,
                "uiterlijk_klaar": zaak.due_by_law.isoformat() if zaak.due_by_law else None,
                "afgehandeld_op": iso(zaak.closed_at),
                "resultaat": zaak.result,
                "reden_intrekken": zaak.withdraw_reason,
                "antwoorden": zaak.answers,
                "statussen": [
                    {
                        "status": s.status,
                        "op": iso(s.set_at),
                        "toelichting": s.note_for_resident,
                    }
                    for s in children[ZaakStatus].get(zaak.id, [])
                ],
                "documenten": documents,
                "vragen": [
                    {
                        "soort": v.kind,
                        "vraag": v.question,
                        "uiterlijk": v.deadline.isoformat(),
                        "gesteld_op": iso(v.created_at),
                        "antwoord": v.answer,
                        "beantwoord_op": iso(v.answered_at),
                        "vervallen_op": iso(v.cancelled_at),
                    }
                    for v in children[ZaakVerzoek].get(zaak.id, [])
                ],
                "berichten": [
                    {
                        "van": b.sender,
                        "auteur": b.author,
                        "tekst": b.body,
                        "op": iso(b.created_at),
                    }
                    for b in children[ZaakBericht].get(zaak.id, [])
                ],
            }
        )
    return [
        gegevens_service.ExportSection(
            key="zaken",
            title="Zaken",
            description="Uw aanvragen, meldingen en vragen, met hun statussen, uw antwoorden, "
            "documenten, vragen van ons en berichten.",
            fields={
                "zaaknummer": "het nummer van de zaak",
                "product": "waar de zaak over gaat",
                "status": "de status nu",
                "ontvangen_op": "wanneer wij de zaak ontvingen (UTC)",
                "klaar_volgens_norm": "wanneer wij klaar willen zijn (onze servicenorm)",
                "uiterlijk_klaar": "wanneer wij volgens de wet klaar moeten zijn",
                "afgehandeld_op": "wanneer de zaak klaar was (UTC)",
                "resultaat": "de uitkomst",
                "antwoorden": "uw antwoorden op het formulier",
                "statussen": "elke status die de zaak had, met de uitleg aan u",
                "documenten": "de documenten; 'bestand' is de plek in de ZIP",
                "vragen": "wat wij u vroegen en uw antwoord",
                "berichten": "berichten tussen u en de gemeente over de zaak",
            },
            records=records,
            files=files,
        )
    ]
