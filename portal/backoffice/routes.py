"""The staff start page: who is logged in and with which roles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from auth.identity import Identity
from portal.security import staff
from portal.templating import render

router = APIRouter()

AnyStaff = Annotated[Identity, Depends(staff())]


@router.get("/backoffice", name="backoffice:home")
def home(request: Request, identity: AnyStaff) -> HTMLResponse:
    """The back office start page for any staff member."""
    return render(request, "backoffice/home.html", {"identity": identity})
