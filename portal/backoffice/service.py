"""Rules of the back office: who may handle a case, what the case page shows, and the log of
every look at a person's case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from auth.identity import Identity
from formulieren import FormDefinition, runner
from portal.gegevens import service as gegevens_service
from portal.producten import service as producten_service
from portal.zaken import service as zaken_service
from portal.zaken import zaaktypen
from portal.zaken.handling import Actor
from portal.zaken.models import (
    StaffProduct,
    StatusType,
    Zaak,
    ZaakBericht,
    ZaakDocument,
    ZaakStatus,
    ZaakType,
    ZaakVerzoek,
)

# Statuses a behandelaar can choose directly: closing and waiting have their own forms.
_NOT_CHOSEN_DIRECTLY = (zaaktypen.CLOSED, zaaktypen.WAITING)


class NotYourProduct(Exception):
    """A behandelaar acting on a case of a product they do not handle."""


def viewing_role(identity: Identity) -> str:
    """The role an employee looks at cases in: behandelaar when they have it, else kcc."""
    return "behandelaar" if identity.has_role("behandelaar") else "kcc"


def actor_for(identity: Identity, role: str) -> Actor:
    return Actor(
        subject=identity.subject, name=identity.display_name or identity.subject, role=role
    )


def can_handle(db: Session, identity: Identity, zaak: Zaak) -> bool:
    """A behandelaar handles the cases of the products the beheerder gave them."""
    if not identity.has_role("behandelaar"):
        return False
    return zaak.zaaktype in zaaktypen.products_of(db, identity.subject)


def require_handler(db: Session, identity: Identity, zaak: Zaak) -> None:
    if not can_handle(db, identity, zaak):
        raise NotYourProduct(zaak.reference)


def record_view(db: Session, *, identity: Identity, zaak: Zaak, action: str, now: datetime) -> None:
    """Log that this employee saw the case (or one of its documents); the resident sees it."""
    gegevens_service.record_access(
        db,
        staff=identity,
        role=viewing_role(identity),
        action=action,
        now=now,
        subject_bsn=zaak.initiator_bsn,
        subject_kvk=zaak.initiator_kvk,
        zaak_reference=zaak.reference,
        purpose=f"Behandeling zaak {zaak.reference}",
    )


def product_names() -> dict[str, str]:
    """Every catalogue product's name by slug."""
    return {product.slug: product.naam for product in producten_service.list_products()}


def result_names(language: str) -> dict[str, str]:
    return {
        code: result.name_en if language == "en" else result.name
        for code, result in zaaktypen.RESULTS.items()
    }


def product_choices(db: Session) -> list[tuple[str, str]]:
    """(slug, name) of every product a case can be about, by name."""
    names = product_names()
    for zaaktype in zaaktypen.list_zaaktypen(db):
        names.setdefault(zaaktype.slug, zaaktype.name)
    return sorted(names.items(), key=lambda item: item[1].lower())


def assignable_staff(db: Session, zaak: Zaak) -> list[StaffProduct]:
    """The behandelaars of this case's product."""
    query = select(StaffProduct).where(col(StaffProduct.zaaktype) == zaak.zaaktype)
    return list(db.exec(query.order_by(col(StaffProduct.staff_name))).all())


def choosable_statuses(types: list[StatusType], zaak: Zaak) -> list[StatusType]:
    return [t for t in types if t.code not in _NOT_CHOSEN_DIRECTLY and t.code != zaak.status]


@dataclass(frozen=True)
class AnswerSection:
    title: str
    rows: list[tuple[str, list[str]]]


def answer_sections(zaak: Zaak, form: FormDefinition | None, language: str) -> list[AnswerSection]:
    """The submitted answers as the check page showed them, or a plain list when no form
    definition describes them (a contact registered by the kcc, an old form)."""
    if form is not None:
        return [
            AnswerSection(section.title, [(row.label, row.lines) for row in section.rows])
            for section in runner.summary(form, zaak.answers, language)
        ]
    sections: list[AnswerSection] = []
    loose: list[tuple[str, list[str]]] = []
    for key, value in zaak.answers.items():
        if isinstance(value, dict):
            rows = [(str(k), _lines(v)) for k, v in value.items()]
            sections.append(AnswerSection(_label(str(key)), [(_label(k), v) for k, v in rows]))
        else:
            loose.append((_label(str(key)), _lines(value)))
    if loose:
        sections.insert(0, AnswerSection("", loose))
    return sections


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _lines(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value] or [""]
    if isinstance(value, bool):
        return ["ja" if value else "nee"]
    return str("" if value is None else value).split("\n")


@dataclass
class CaseView:
    """Everything the case page shows."""

    zaak: Zaak
    zaaktype: ZaakType | None
    status_types: list[StatusType]
    history: list[ZaakStatus]
    documents: list[ZaakDocument]
    requests: list[ZaakVerzoek]
    messages: list[ZaakBericht]
    answers: list[AnswerSection]
    can_handle: bool
    may_message: bool
    assignable: list[StaffProduct] = field(default_factory=list)
    statuses: list[StatusType] = field(default_factory=list)
    results: list[str] = field(default_factory=list)

    @property
    def status_names(self) -> dict[str, str]:
        return {t.code: t.name for t in self.status_types}

    def overdue_days(self, today: date) -> int:
        due = self.zaak.due_by_norm
        if self.zaak.closed_at is not None or due is None or due >= today:
            return 0
        return (today - due).days


def case_view(
    db: Session, *, identity: Identity, zaak: Zaak, form: FormDefinition | None, language: str
) -> CaseView:
    assert zaak.id is not None
    types = zaaktypen.status_types(db, zaak.zaaktype)
    zaaktype = db.get(ZaakType, zaak.zaaktype)
    handles = can_handle(db, identity, zaak)
    is_open = zaak.closed_at is None
    return CaseView(
        zaak=zaak,
        zaaktype=zaaktype,
        status_types=types,
        history=zaken_service.status_history(db, zaak_id=zaak.id),
        documents=zaken_service.list_documents(db, zaak_id=zaak.id),
        requests=zaken_service.list_requests(db, zaak_id=zaak.id),
        messages=zaken_service.list_messages(db, zaak_id=zaak.id),
        answers=answer_sections(zaak, form, language),
        can_handle=handles and is_open,
        may_message=is_open and identity.has_role("kcc", "behandelaar"),
        assignable=assignable_staff(db, zaak) if handles and is_open else [],
        statuses=choosable_statuses(types, zaak),
        results=list(zaaktype.results) if zaaktype else [],
    )
