"""The personal overview of a logged-in resident or entrepreneur."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from auth.dependencies import CurrentSession
from portal.aanvragen import service as aanvragen_service
from portal.afspraken import service as afspraken_service
from portal.database import SessionDep
from portal.integrations.brp import BRPDep
from portal.integrations.kvk import KVKDep
from portal.mijn import service
from portal.security import CustomerAccess
from portal.templating import render
from portal.zaken import service as zaken_service

router = APIRouter()


@router.get("/mijn", name="mijn:overview")
def overview(
    request: Request,
    identity: CustomerAccess,
    loaded: CurrentSession,
    db: SessionDep,
    brp: BRPDep,
    kvk: KVKDep,
) -> HTMLResponse:
    """Greeting by name, and what is going on: cases, drafts, appointments, messages."""
    assert loaded is not None
    greeting = service.greeting_for(db, loaded=loaded, brp=brp, kvk=kvk)
    request.state.display_name = greeting.name
    now = datetime.now(UTC)
    drafts = aanvragen_service.list_drafts(
        db, owner=aanvragen_service.owner_key(identity, None), now=now
    )
    open_cases = zaken_service.count_open_zaken(db, bsn=identity.bsn, kvk=identity.kvk)
    waiting = zaken_service.zaken_waiting_for(db, identity=identity)
    appointments = afspraken_service.coming_appointments(
        db, bsn=identity.bsn, kvk=identity.kvk, now=now
    )
    return render(
        request,
        "mijn/overzicht.html",
        {
            "identity": identity,
            "greeting": greeting,
            "draft_count": len(drafts),
            "open_case_count": open_cases,
            "waiting_cases": waiting,
            "appointments": appointments,
        },
    )
