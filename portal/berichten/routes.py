"""The resident's message log (/mijn/berichten) and their choice of which e-mails they want."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from auth.identity import Identity
from portal.berichten import service
from portal.database import SessionDep
from portal.security import CustomerAccess
from portal.templating import gettext, render, url_for

router = APIRouter()


def _owner(identity: Identity) -> str:
    owner = service.Recipient(email=None, bsn=identity.bsn, kvk=identity.kvk).owner
    assert owner is not None  # CustomerAccess: a resident (BSN) or a company (KVK)
    return owner


def _delivery_labels() -> dict[str, str]:
    return {
        "verstuurd": gettext("Verstuurd per e-mail"),
        "wordt_verstuurd": gettext("Wordt verstuurd"),
        "vertraagd": gettext("Vertraagd: wij proberen het opnieuw"),
        "niet_gemaild_voorkeur": gettext("Niet gemaild: u heeft dit soort e-mail uitgezet"),
        "geen_adres": gettext("Niet gemaild: wij hebben geen e-mailadres van u"),
    }


@router.get("/mijn/berichten", name="berichten:list")
def berichten_list(
    request: Request,
    identity: CustomerAccess,
    db: SessionDep,
    pagina: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Every message we sent this person, newest first, with whether the e-mail went out."""
    messages, total = service.list_messages_for(db, bsn=identity.bsn, kvk=identity.kvk, page=pagina)
    pages = max(1, -(-total // service.PAGE_SIZE))
    if pagina > pages:
        pagina = pages
        messages, total = service.list_messages_for(
            db, bsn=identity.bsn, kvk=identity.kvk, page=pagina
        )
    labels = _delivery_labels()
    return render(
        request,
        "berichten/lijst.html",
        {
            "messages": messages,
            "total": total,
            "page_number": pagina,
            "page_count": pages,
            "states": {m.id: labels[service.delivery_state(m)] for m in messages},
            "kinds": service.KINDS,
        },
    )


def _render_preferences(
    request: Request,
    chosen: dict[str, bool],
    *,
    saved: bool = False,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "berichten/voorkeuren.html",
        {
            "kinds": list(service.KINDS.values()),
            "chosen": chosen,
            "saved": saved,
            "error": error,
            "has_errors": bool(error),
        },
        status_code=status_code,
    )


@router.get("/mijn/berichten/voorkeuren", name="berichten:preferences_form")
def preferences_form(
    request: Request,
    identity: CustomerAccess,
    db: SessionDep,
    opgeslagen: Annotated[str, Query(max_length=1)] = "",
) -> HTMLResponse:
    """A checkbox per kind of e-mail; the ones that ask you to act cannot be switched off."""
    chosen = service.preferences(db, owner=_owner(identity))
    return _render_preferences(request, chosen, saved=opgeslagen == "1")


@router.post("/mijn/berichten/voorkeuren", name="berichten:preferences")
def save_preferences(
    request: Request,
    identity: CustomerAccess,
    db: SessionDep,
    soort: Annotated[list[str], Form(max_length=len(service.KINDS) * 2)] = [],  # noqa: B006
) -> Response:
    """Store which e-mails the person wants; only the kinds on the page are accepted."""
    wanted = set(soort)
    if not wanted <= set(service.KINDS):
        chosen = service.preferences(db, owner=_owner(identity))
        message = gettext("Kies alleen uit de soorten e-mail op deze pagina.")
        return _render_preferences(request, chosen, error=message, status_code=422)
    service.set_preferences(db, owner=_owner(identity), wanted=wanted)
    target = f"{url_for('berichten:preferences_form')}?opgeslagen=1"
    return RedirectResponse(target, status_code=303)
