"""Submissions on their way to the case system: staff see each one that is not registered yet,
how often it was tried and what went wrong, and can ask for another attempt now."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from auth.identity import Identity
from portal.database import RowId, SessionDep
from portal.security import staff
from portal.templating import render
from portal.zaaksysteem import inzage as registratie

router = APIRouter()

RegistrationStaff = Annotated[Identity, Depends(staff("beheerder", "behandelaar"))]


@router.get("/backoffice/registraties", name="backoffice:registrations")
def registrations(request: Request, identity: RegistrationStaff, db: SessionDep) -> HTMLResponse:
    """Every submission not yet in the case system; the ones that keep failing first."""
    return render(
        request,
        "backoffice/registraties.html",
        {
            "identity": identity,
            "items": registratie.unfinished(db),
            "failing_after": registratie.FAILING_AFTER,
            "retried": request.query_params.get("opnieuw") == "1",
        },
    )


@router.post(
    "/backoffice/registraties/{registratie_id}/opnieuw", name="backoffice:registration_retry"
)
def retry(registratie_id: RowId, identity: RegistrationStaff, db: SessionDep) -> Response:
    """Try this registration again at the worker's next round."""
    if not registratie.retry_now(db, registratie_id=registratie_id, now=datetime.now(UTC)):
        raise HTTPException(status_code=404)
    return RedirectResponse("/backoffice/registraties?opnieuw=1", status_code=303)
