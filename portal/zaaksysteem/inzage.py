"""What residents and staff see of submissions on their way to the case system: a resident's
pending ones, the staff list with failures, another attempt on request, and the person's copy
in "Download mijn gegevens"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.gegevens.service import ExportFile, ExportSection, iso, safe_file_name
from portal.zaaksysteem.models import Registratie, RegistratieDocument

#: From this many failed attempts on, staff see the registration as failing.
FAILING_AFTER = 5


def _owned_by(identity: Identity) -> list[Any] | None:
    """The conditions that make a registration this person's or company's (a company login
    without a branch owns its branches' too, as with the portal's own cases); None: nobody's."""
    if identity.is_resident:
        return [col(Registratie.initiator_bsn) == identity.bsn]
    if identity.is_company:
        conditions = [col(Registratie.initiator_kvk) == identity.kvk]
        if identity.vestiging:
            conditions.append(col(Registratie.initiator_vestiging) == identity.vestiging)
        return conditions
    return None


def pending_for(db: Session, identity: Identity) -> list[Registratie]:
    """Submissions of this person or company not yet in the case system."""
    owned = _owned_by(identity)
    if owned is None:
        return []
    query = select(Registratie).where(col(Registratie.registered_at).is_(None), *owned)
    return list(db.exec(query.order_by(col(Registratie.received_at).desc())).all())


def unfinished(db: Session) -> list[Registratie]:
    """Every registration still to be done, the longest-failing first (for staff)."""
    return list(
        db.exec(
            select(Registratie)
            .where(col(Registratie.registered_at).is_(None))
            .order_by(col(Registratie.attempts).desc(), col(Registratie.received_at))
        ).all()
    )


def failing_count(db: Session) -> int:
    """How many registrations failed at least FAILING_AFTER times and are still not done."""
    return int(
        db.exec(
            select(func.count())
            .select_from(Registratie)
            .where(
                col(Registratie.registered_at).is_(None),
                col(Registratie.attempts) >= FAILING_AFTER,
            )
        ).one()
    )


def retry_now(db: Session, *, registratie_id: int, now: datetime) -> bool:
    """Staff ask for another attempt now; False when it is already registered or unknown."""
    changed = db.execute(
        update(Registratie)
        .where(col(Registratie.id) == registratie_id, col(Registratie.registered_at).is_(None))
        .values(next_attempt_at=now)
    )
    return bool(changed.rowcount == 1)  # type: ignore[attr-defined]


def stored_file_names(db: Session) -> set[str]:
    """Files a registration still needs (the sweep must keep them)."""
    names = db.exec(
        select(RegistratieDocument.stored_name).where(
            col(RegistratieDocument.stored_name).is_not(None)
        )
    ).all()
    return {name for name in names if name}


# --- Download mijn gegevens ---------------------------------------------------------------------

EXPORT_TABLES = ("zgw_registratie", "zgw_registratie_document")


def export_personal_data(db: Session, identity: Identity) -> list[ExportSection]:
    """Submissions sent to the case system through the portal, with what was sent and when.
    A company login without a branch gets the submissions of all its branches."""
    owned = _owned_by(identity)
    if owned is None:
        return []
    registraties = db.exec(
        select(Registratie).where(*owned).order_by(col(Registratie.received_at))
    ).all()
    ids = [r.id for r in registraties]
    documents = (
        db.exec(
            select(RegistratieDocument)
            .where(col(RegistratieDocument.registratie_id).in_(ids))
            .order_by(col(RegistratieDocument.position))
        ).all()
        if ids
        else []
    )
    files: list[ExportFile] = []
    by_registration: dict[int, list[dict[str, Any]]] = {}
    for document in documents:
        path = None
        if document.stored_name:
            name = safe_file_name(document.filename)
            path = f"zaaksysteem/{document.registratie_id}/{document.position}-{name}"
            files.append(ExportFile(path=path, stored_name=document.stored_name))
        by_registration.setdefault(document.registratie_id, []).append(
            {"titel": document.title, "naam": document.filename, "bestand": path}
        )
    records = [
        {
            "zaaknummer": r.reference,
            "aanvraag": r.omschrijving,
            "ontvangen_op": iso(r.received_at),
            "contact_email": r.contact_email,
            "antwoorden": r.summary,
            "documenten": by_registration.get(r.id or 0, []),
            "in_zaaksysteem_sinds": iso(r.registered_at),
            "zaaknummer_in_zaaksysteem": r.zaak_identificatie,
        }
        for r in registraties
    ]
    return [
        ExportSection(
            key="zaaksysteem",
            title="Aanvragen doorgestuurd naar het zaaksysteem",
            description=(
                "Aanvragen die u via Mijn Haren verstuurde en die wij in het zaaksysteem van de "
                "gemeente behandelen. De zaken zelf staan in dat zaaksysteem."
            ),
            fields={
                "zaaknummer": "het nummer dat u bij het versturen kreeg",
                "aanvraag": "wat u aanvroeg",
                "ontvangen_op": "wanneer wij het ontvingen (UTC)",
                "contact_email": "het e-mailadres dat u in het formulier gaf",
                "antwoorden": "uw antwoorden, zoals u ze controleerde",
                "documenten": "wat wij meestuurden; 'bestand' is de plek in de ZIP",
                "in_zaaksysteem_sinds": "wanneer de zaak in het zaaksysteem kwam (UTC)",
                "zaaknummer_in_zaaksysteem": "het nummer van de zaak in het zaaksysteem",
            },
            records=records,
            files=files,
        )
    ]
