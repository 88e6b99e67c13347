"""The overview: who is logged in, by the name the basic registrations know them by."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from auth.identity import Identity
from auth.sessions import LoadedSession, session_cache_get, session_cache_put
from portal.gegevens.service import get_basisprofiel_for_session, get_persoon_for_session
from portal.integrations.brp import BRP
from portal.integrations.kvk import KVK


@dataclass(frozen=True)
class Greeting:
    name: str
    organisation: str | None = None
    branch: str | None = None


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
