"""The kcc registers a question taken by phone, at the desk or by post as a case for the
resident or company who asked it."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portal.backoffice import forms, service, web
from portal.backoffice.web import Kcc
from portal.database import SessionDep
from portal.templating import render, url_for
from portal.zaken import service as zaken_service

router = APIRouter()

Text = Annotated[str, Form(max_length=forms.FORM_LIMIT)]
Short = Annotated[str, Form(max_length=300)]


def _render(
    request: Request,
    products: list[tuple[str, str]],
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "backoffice/contact.html",
        {
            "values": values,
            "errors": errors,
            "error_list": list(errors.items()),
            "has_errors": bool(errors),
            "products": products,
            "channels": forms.CHANNELS,
        },
        status_code=status_code,
    )


@router.get("/backoffice/contact/nieuw", name="backoffice:contact_form")
def contact_form(request: Request, identity: Kcc, db: SessionDep) -> HTMLResponse:
    """The form to register a question someone asked by phone, at the desk or by post."""
    values = {"wie": "bsn", "kanaal": "telefoon", "product": "vraag"}
    return _render(request, service.product_choices(db), values=values, errors={})


@router.post("/backoffice/contact/nieuw", name="backoffice:contact")
def register_contact(
    request: Request,
    identity: Kcc,
    db: SessionDep,
    wie: Short = "",
    nummer: Short = "",
    naam: Text = "",
    kanaal: Short = "",
    vraag: Text = "",
    email: Text = "",
    product: Short = "",
) -> Response:
    """Register the question as a case and open it in the back office."""
    products = service.product_choices(db)
    contact, errors = forms.check_contact(
        who=wie,
        number=nummer,
        name=naam,
        channel=kanaal,
        question=vraag,
        email=email,
        product=product,
        products={slug for slug, _name in products},
    )
    if contact is None:
        values = {
            "wie": wie,
            "nummer": nummer,
            "naam": naam,
            "kanaal": kanaal,
            "vraag": vraag,
            "email": email,
            "product": product,
        }
        return _render(request, products, values=values, errors=errors, status_code=422)
    is_person = contact.kind == "natuurlijk_persoon"
    now = web.now()
    zaak = zaken_service.create_zaak(
        db,
        zaaktype=contact.product,
        omschrijving=f"Vraag via {contact.channel}",
        initiator=zaken_service.Initiator(
            kind=contact.kind,
            bsn=contact.number if is_person else None,
            kvk=None if is_person else contact.number,
            name=contact.name,
        ),
        answers={
            "contact": {
                "vraag": contact.question,
                "kanaal": contact.channel,
                "geregistreerd_door": identity.display_name or identity.subject,
            }
        },
        submission_token=secrets.token_urlsafe(32),
        received_at=now,
        contact_email=contact.email,
        channel=contact.channel,
    )
    return RedirectResponse(url_for("backoffice:case", reference=zaak.reference), status_code=303)
