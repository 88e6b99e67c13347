"""The resident's BRP record and the company's KVK profile, fetched once per session.

Data from the basic registrations is kept in the server-side session only, and dies with it
(DigiD checklist D2): never in a table of its own.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from auth.identity import Identity
from auth.sessions import LoadedSession, session_cache_get, session_cache_put
from portal.gegevens.models import AccessLogEntry
from portal.integrations.brp import BRP, Persoon
from portal.integrations.kvk import KVK, Basisprofiel, Vestiging

BRP_PURPOSE = "Mijn Haren: dienstverlening aan de inwoner"


def get_persoon_for_session(db: Session, *, loaded: LoadedSession, brp: BRP) -> Persoon | None:
    """The resident's BRP record, fetched once per session and kept only in that session."""
    cached = session_cache_get(loaded, "brp_persoon")
    if cached is not None:
        return Persoon.from_json(cached) if cached else None
    bsn = loaded.identity.bsn
    persoon = brp.get_persoon(bsn, purpose=BRP_PURPOSE) if bsn else None
    session_cache_put(db, loaded, "brp_persoon", persoon.to_json() if persoon else {})
    return persoon


def get_basisprofiel_for_session(
    db: Session, *, loaded: LoadedSession, kvk: KVK
) -> Basisprofiel | None:
    """The company's KVK profile, fetched once per session and kept only in that session."""
    cached = session_cache_get(loaded, "kvk_basisprofiel")
    if cached is not None:
        return Basisprofiel.from_json(cached) if cached else None
    number = loaded.identity.kvk
    profiel = kvk.get_basisprofiel(number) if number else None
    session_cache_put(db, loaded, "kvk_basisprofiel", profiel.to_json() if profiel else {})
    return profiel


def branch_of(profiel: Basisprofiel, vestigingsnummer: str | None) -> Vestiging | None:
    """The branch the entrepreneur logged in for, or the main branch."""
    branches = [v for v in (profiel.hoofdvestiging, *profiel.vestigingen) if v is not None]
    if vestigingsnummer:
        for branch in branches:
            if branch.vestigingsnummer == vestigingsnummer:
                return branch
    return profiel.hoofdvestiging


def record_access(
    db: Session,
    *,
    staff: Identity,
    role: str,
    action: str,
    now: datetime,
    subject_bsn: str | None = None,
    subject_kvk: str | None = None,
    zaak_reference: str | None = None,
    purpose: str = "",
) -> None:
    """Write down that an employee looked at data about a person (in the viewing request's
    transaction, so a view that is shown is a view that is logged)."""
    if not subject_bsn and not subject_kvk:
        return
    db.add(
        AccessLogEntry(
            at=now,
            staff_subject=staff.subject[:100],
            staff_name=(staff.display_name or "")[:200],
            staff_role=role[:40],
            subject_bsn=subject_bsn,
            subject_kvk=subject_kvk,
            action=action[:40],
            zaak_reference=zaak_reference,
            purpose=purpose[:200],
        )
    )
    db.flush()


def access_log_for(
    db: Session, *, bsn: str | None, kvk: str | None, limit: int = 200
) -> list[AccessLogEntry]:
    """The newest staff views of this person's data."""
    if bsn:
        condition = col(AccessLogEntry.subject_bsn) == bsn
    elif kvk:
        condition = col(AccessLogEntry.subject_kvk) == kvk
    else:
        return []
    query = select(AccessLogEntry).where(condition).order_by(col(AccessLogEntry.at).desc())
    return list(db.exec(query.limit(limit)).all())
