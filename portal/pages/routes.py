"""Public pages: home, contact, accessibility statement, privacy, language choice."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from portal.security import PublicAccess
from portal.settings import SettingsDep
from portal.templating import LANGUAGE_COOKIE, LANGUAGES, render
from portal.urls import safe_next_path

router = APIRouter()


@router.get("/", name="pages:home")
def home(request: Request, identity: PublicAccess) -> HTMLResponse:
    """What you can do here, a product search box and the login buttons."""
    return render(request, "pages/home.html", {"identity": identity})


@router.get("/contact", name="pages:contact")
def contact(request: Request, identity: PublicAccess) -> HTMLResponse:
    """How to reach the municipality: phone, desk, post."""
    return render(request, "pages/contact.html", {"identity": identity})


@router.get("/toegankelijkheid", name="pages:accessibility")
def accessibility(request: Request, identity: PublicAccess) -> HTMLResponse:
    """The accessibility statement."""
    return render(request, "pages/toegankelijkheid.html", {"identity": identity})


@router.get("/privacy", name="pages:privacy")
def privacy(request: Request, identity: PublicAccess) -> HTMLResponse:
    """The privacy statement: what we process, why, and for how long."""
    return render(request, "pages/privacy.html", {"identity": identity})


@router.get("/taal/{language}", name="pages:language")
def choose_language(
    language: str, identity: PublicAccess, settings: SettingsDep, next: str = "/"
) -> RedirectResponse:
    """Switch between Dutch and English; remembered in a cookie, nothing stored on the server."""
    response = RedirectResponse(safe_next_path(next, default="/"), status_code=303)
    if language in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=settings.uses_https,
        )
    return response
