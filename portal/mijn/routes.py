"""The personal overview of a logged-in resident or entrepreneur."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from auth.dependencies import CurrentSession
from portal.database import SessionDep
from portal.integrations.brp import BRPDep
from portal.integrations.kvk import KVKDep
from portal.mijn import service
from portal.security import CustomerAccess
from portal.templating import render

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
    return render(request, "mijn/overzicht.html", {"identity": identity, "greeting": greeting})
