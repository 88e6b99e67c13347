"""The overview: who is logged in, by the name the basic registrations know them by."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from auth.identity import Identity
from auth.sessions import LoadedSession, session_cache_get, session_cache_put
from portal.integrations.brp import BRP, Persoon
from portal.integrations.kvk import KVK, Basisprofiel

BRP_PURPOSE = "Mijn Haren: overzicht voor de inwoner"


@dataclass(frozen=True)
class Greeting:
    name: str
    organisation: str | None = None
    branch: str | None = None


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


def greeting_for(db: Session, *, loaded: LoadedSession, brp: BRP, kvk: KVK) -> Greeting:
    """How to greet the logged-in resident or company; the name also goes in the page header."""
    greeting = _greeting(db, loaded=loaded, brp=brp, kvk=kvk)
    if greeting.name and session_cache_get(loaded, "display_name") != greeting.name:
        session_cache_put(db, loaded, "display_name", greeting.name)
    return greeting


def _greeting(db: Session, *, loaded: LoadedSession, brp: BRP, kvk: KVK) -> Greeting:
    identity: Identity = loaded.identity
    if identity.is_resident:
        persoon = get_persoon_for_session(db, loaded=loaded, brp=brp)
        return Greeting(name=persoon.naam.display if persoon else "")
    profiel = get_basisprofiel_for_session(db, loaded=loaded, kvk=kvk)
    if profiel is None:
        return Greeting(name="", organisation=identity.kvk)
    branch = None
    if identity.vestiging:
        branch = next(
            (
                v.eerste_handelsnaam
                for v in (profiel.hoofdvestiging, *profiel.vestigingen)
                if v is not None and v.vestigingsnummer == identity.vestiging
            ),
            None,
        )
    return Greeting(name=profiel.naam, organisation=profiel.naam, branch=branch)
