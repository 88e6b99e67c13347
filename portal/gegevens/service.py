"""The resident's BRP record and the company's KVK profile, fetched once per session.

Data from the basic registrations is kept in the server-side session only, and dies with it
(DigiD checklist D2): never in a table of its own.
"""

from __future__ import annotations

from sqlmodel import Session

from auth.sessions import LoadedSession, session_cache_get, session_cache_put
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
