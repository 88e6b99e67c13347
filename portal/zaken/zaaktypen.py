"""Case types: the steps residents see, the terms, and the possible results.

Every product gets its case type the first time it is needed, from the catalogue's terms and
the standard steps below; the beheerder can then change the terms and the texts. Creating it
is an insert-or-ignore, so concurrent first cases in several processes agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from portal.producten import service as producten_service
from portal.zaken.models import StaffProduct, StatusType, ZaakType

RECEIVED = "ontvangen"
IN_PROGRESS = "in_behandeling"
WAITING = "wacht_op_u"
CLOSED = "afgehandeld"
DEFAULT_NORM_DAYS = 20


@dataclass(frozen=True)
class Result:
    """A way a case can end (ZGW: ResultaatType)."""

    code: str
    name: str
    name_en: str


RESULTS: dict[str, Result] = {
    r.code: r
    for r in (
        Result("toegekend", "Toegekend", "Granted"),
        Result("deels_toegekend", "Gedeeltelijk toegekend", "Partly granted"),
        Result("afgewezen", "Afgewezen", "Refused"),
        Result("ingetrokken", "Ingetrokken", "Withdrawn"),
        Result("geen_besluit", "Geen besluit nodig", "No decision needed"),
    )
}

# code, name, name_en, explanation, explanation_en, resident_can_upload, notifies, is_detour
_STANDARD_STEPS: tuple[tuple[str, str, str, str, str, bool, bool, bool], ...] = (
    (
        RECEIVED,
        "Ontvangen",
        "Received",
        "Wij hebben uw aanvraag ontvangen. U hoeft nu niets te doen.",
        "We have received your application. You do not need to do anything now.",
        True,
        False,
        False,
    ),
    (
        IN_PROGRESS,
        "In behandeling",
        "Being handled",
        "Een medewerker werkt aan uw aanvraag. Hebben wij iets van u nodig? "
        "Dan krijgt u een bericht.",
        "An employee is working on your application. If we need something from you, "
        "we will send you a message.",
        True,
        True,
        False,
    ),
    (
        WAITING,
        "Wij wachten op u",
        "Waiting for you",
        "Wij hebben u iets gevraagd. Kijk bij 'Actie nodig'. "
        "Als wij uw antwoord hebben, gaan wij verder.",
        "We have asked you something. See 'Action needed'. "
        "When we have your answer, we will continue.",
        True,
        True,
        True,
    ),
    (
        CLOSED,
        "Afgehandeld",
        "Completed",
        "Wij hebben uw aanvraag afgehandeld. De uitkomst staat hieronder. "
        "Is er een brief? Die vindt u bij Documenten.",
        "We have completed your application. The outcome is shown below. "
        "If there is a letter, you will find it under Documents.",
        False,
        True,
        False,
    ),
)


def _insert_ignore(db: Session, table: Any, **values: Any) -> None:
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    db.execute(dialect.insert(table).values(**values).on_conflict_do_nothing())


def _norm_in_working_days(doorlooptijd: Any) -> int:
    """The catalogue's norm as working days (a norm in calendar days: five of every seven)."""
    if doorlooptijd is None or not doorlooptijd.servicenorm_dagen:
        return DEFAULT_NORM_DAYS
    days = int(doorlooptijd.servicenorm_dagen)
    return days if doorlooptijd.servicenorm_eenheid == "werkdagen" else max(1, -(-days * 5 // 7))


def default_zaaktype(slug: str, *, now: datetime) -> ZaakType:
    """The case type a product starts with (not saved): the catalogue's terms, all results."""
    product = producten_service.get_product(slug)
    doorlooptijd = product.doorlooptijd if product else None
    return ZaakType(
        slug=slug,
        name=product.naam if product else slug,
        name_en=product.naam_en if product else slug,
        norm_days=_norm_in_working_days(doorlooptijd),
        legal_days=doorlooptijd.wettelijke_termijn_dagen if doorlooptijd else None,
        pause_allowed=True,
        results=[code for code in RESULTS if code != "geen_besluit"]
        if product is None or product.slug != "vraag"
        else ["geen_besluit", "ingetrokken"],
        updated_at=now,
    )


def default_status_types(slug: str) -> list[StatusType]:
    """The standard steps (not saved)."""
    return [
        StatusType(
            zaaktype=slug,
            code=code,
            order=order,
            name=name,
            name_en=name_en,
            explanation=explanation,
            explanation_en=explanation_en,
            resident_can_upload=upload,
            notifies_resident=notifies,
            is_detour=detour,
        )
        for order, (
            code,
            name,
            name_en,
            explanation,
            explanation_en,
            upload,
            notifies,
            detour,
        ) in enumerate(_STANDARD_STEPS, start=1)
    ]


def zaaktype_or_default(db: Session, slug: str, *, now: datetime) -> ZaakType:
    """The saved case type, or the one the product would start with (reading writes nothing)."""
    return db.get(ZaakType, slug) or default_zaaktype(slug, now=now)


def ensure_zaaktype(db: Session, slug: str, *, now: datetime) -> ZaakType:
    """The case type of a product, saved from the defaults if new (before the first change)."""
    existing = db.get(ZaakType, slug)
    if existing is not None:
        return existing
    defaults = default_zaaktype(slug, now=now)
    _insert_ignore(
        db,
        ZaakType.__table__,  # type: ignore[attr-defined]
        **defaults.model_dump(),
    )
    for step in default_status_types(slug):
        _insert_ignore(
            db,
            StatusType.__table__,  # type: ignore[attr-defined]
            **step.model_dump(exclude={"id"}),
        )
    db.flush()
    zaaktype = db.get(ZaakType, slug)
    assert zaaktype is not None
    return zaaktype


def status_types(db: Session, slug: str) -> list[StatusType]:
    """The steps of a case type, in order (the standard steps while it is not saved yet)."""
    query = select(StatusType).where(col(StatusType.zaaktype) == slug)
    return list(db.exec(query.order_by(col(StatusType.order))).all()) or default_status_types(slug)


def status_type(db: Session, slug: str, code: str) -> StatusType | None:
    query = select(StatusType).where(col(StatusType.zaaktype) == slug, StatusType.code == code)
    return db.exec(query).first()


def list_zaaktypen(db: Session) -> list[ZaakType]:
    return list(db.exec(select(ZaakType).order_by(col(ZaakType.name))).all())


def update_zaaktype(
    db: Session,
    zaaktype: ZaakType,
    *,
    norm_days: int,
    legal_days: int | None,
    pause_allowed: bool,
    results: list[str],
    now: datetime,
) -> None:
    """The beheerder changes the terms; open cases keep the dates they were given."""
    zaaktype.norm_days = norm_days
    zaaktype.legal_days = legal_days
    zaaktype.pause_allowed = pause_allowed
    zaaktype.results = [code for code in RESULTS if code in results]
    zaaktype.updated_at = now
    db.add(zaaktype)
    db.flush()


def update_status_type(
    db: Session,
    status_type: StatusType,
    *,
    name: str,
    name_en: str,
    explanation: str,
    explanation_en: str,
    resident_can_upload: bool,
    notifies_resident: bool,
) -> None:
    """The beheerder changes the texts of a step and whether it lets residents upload or
    sends them a message; the codes and their order stay."""
    status_type.name = name[:100]
    status_type.name_en = name_en[:100]
    status_type.explanation = explanation[:500]
    status_type.explanation_en = explanation_en[:500]
    status_type.resident_can_upload = resident_can_upload
    status_type.notifies_resident = notifies_resident
    db.add(status_type)
    db.flush()


def products_of(db: Session, staff_subject: str) -> set[str]:
    """The products a behandelaar handles."""
    query = select(StaffProduct.zaaktype).where(col(StaffProduct.staff_subject) == staff_subject)
    return set(db.exec(query).all())


def list_staff_products(db: Session) -> list[StaffProduct]:
    query = select(StaffProduct).order_by(col(StaffProduct.staff_subject), StaffProduct.zaaktype)
    return list(db.exec(query).all())


def set_staff_products(
    db: Session, *, staff_subject: str, staff_name: str, zaaktypen: set[str]
) -> None:
    """Replace the set of products a behandelaar handles."""
    current = db.exec(
        select(StaffProduct).where(col(StaffProduct.staff_subject) == staff_subject)
    ).all()
    for row in current:
        if row.zaaktype not in zaaktypen:
            db.delete(row)
        elif row.staff_name != staff_name:
            row.staff_name = staff_name
            db.add(row)
    known = {row.zaaktype for row in current}
    for slug in sorted(zaaktypen - known):
        db.add(StaffProduct(staff_subject=staff_subject, zaaktype=slug, staff_name=staff_name))
    db.flush()
