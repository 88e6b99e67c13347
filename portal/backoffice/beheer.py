"""The beheerder's pages: case types (terms, pause, results, step texts) and which products
each behandelaar handles."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from portal.backoffice import forms, service, web
from portal.backoffice.web import Beheerder
from portal.database import SessionDep
from portal.producten import service as producten_service
from portal.templating import render, url_for
from portal.zaken import zaaktypen
from portal.zaken.models import ZaakType

router = APIRouter()

Short = Annotated[str, Form(max_length=300)]
Texts = Annotated[list[str], Form()]


@router.get("/backoffice/beheer/zaaktypen", name="backoffice:zaaktypen")
def list_zaaktypen(
    request: Request,
    identity: Beheerder,
    db: SessionDep,
    opgeslagen: Annotated[str, Query(max_length=80)] = "",
) -> HTMLResponse:
    """Every product's case type with its terms."""
    now = web.now()
    every_type = {t.slug: t for t in zaaktypen.list_zaaktypen(db)}
    for product in producten_service.list_products():
        every_type.setdefault(product.slug, zaaktypen.default_zaaktype(product.slug, now=now))
    return render(
        request,
        "backoffice/zaaktypen.html",
        {
            "zaaktypen": sorted(every_type.values(), key=lambda t: t.name),
            "results": zaaktypen.RESULTS,
            "saved": db.get(ZaakType, opgeslagen) if opgeslagen else None,
        },
    )


def _zaaktype_or_404(db: Session, slug: str, *, saved: bool) -> ZaakType:
    """The case type; `saved` stores the defaults first (before a change), a read does not."""
    existing = db.get(ZaakType, slug[:80])
    if existing is not None:
        return existing
    if producten_service.get_product(slug) is None:
        raise HTTPException(status_code=404)
    if saved:
        return zaaktypen.ensure_zaaktype(db, slug, now=web.now())
    return zaaktypen.default_zaaktype(slug, now=web.now())


def _render_zaaktype(
    request: Request,
    db: Session,
    zaaktype: ZaakType,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    steps = zaaktypen.status_types(db, zaaktype.slug)
    if values is None:
        values = {
            "norm": str(zaaktype.norm_days),
            "wettelijk": str(zaaktype.legal_days or ""),
            "pauze": zaaktype.pause_allowed,
            "resultaten": list(zaaktype.results),
            "stappen": {
                s.code: forms.StepTexts(
                    s.code,
                    s.name,
                    s.name_en,
                    s.explanation,
                    s.explanation_en,
                    s.resident_can_upload,
                    s.notifies_resident,
                )
                for s in steps
            },
        }
    errors = errors or {}
    return render(
        request,
        "backoffice/zaaktype.html",
        {
            "zaaktype": zaaktype,
            "steps": steps,
            "values": values,
            "errors": errors,
            "error_list": list(errors.items()),
            "has_errors": bool(errors),
            "results": zaaktypen.RESULTS,
        },
        status_code=status_code,
    )


@router.get("/backoffice/beheer/zaaktypen/{slug}", name="backoffice:zaaktype_form")
def zaaktype_form(request: Request, slug: str, identity: Beheerder, db: SessionDep) -> HTMLResponse:
    """The form to change a case type's terms, results and step texts."""
    return _render_zaaktype(request, db, _zaaktype_or_404(db, slug, saved=False))


@router.post("/backoffice/beheer/zaaktypen/{slug}", name="backoffice:zaaktype")
def save_zaaktype(
    request: Request,
    slug: str,
    identity: Beheerder,
    db: SessionDep,
    norm: Short = "",
    wettelijk: Short = "",
    pauze: Short = "",
    resultaten: Texts = [],  # noqa: B006 (FastAPI copies defaults)
    stap_code: Texts = [],  # noqa: B006
    stap_naam: Texts = [],  # noqa: B006
    stap_naam_en: Texts = [],  # noqa: B006
    stap_uitleg: Texts = [],  # noqa: B006
    stap_uitleg_en: Texts = [],  # noqa: B006
    stap_upload: Texts = [],  # noqa: B006
    stap_bericht: Texts = [],  # noqa: B006
) -> Response:
    """Save the terms and step texts; open cases keep the dates they were given."""
    zaaktype = _zaaktype_or_404(db, slug, saved=True)
    steps = {s.code: s for s in zaaktypen.status_types(db, zaaktype.slug)}
    terms, errors = forms.check_terms(
        norm, wettelijk, pauze == "ja", resultaten, set(zaaktypen.RESULTS)
    )
    columns = (stap_naam, stap_naam_en, stap_uitleg, stap_uitleg_en)
    if sorted(stap_code) != sorted(steps) or any(len(c) != len(stap_code) for c in columns):
        raise HTTPException(status_code=400)
    texts = [
        forms.StepTexts(
            code=code,
            name=stap_naam[number],
            name_en=stap_naam_en[number],
            explanation=stap_uitleg[number],
            explanation_en=stap_uitleg_en[number],
            resident_can_upload=code in stap_upload,
            notifies_resident=code in stap_bericht,
        )
        for number, code in enumerate(stap_code)
    ]
    for step in texts:
        errors.update(forms.check_step(step))
    if errors or terms is None:
        values = {
            "norm": norm,
            "wettelijk": wettelijk,
            "pauze": pauze == "ja",
            "resultaten": resultaten,
            "stappen": {step.code: step for step in texts},
        }
        return _render_zaaktype(
            request, db, zaaktype, values=values, errors=errors, status_code=422
        )
    zaaktypen.update_zaaktype(
        db,
        zaaktype,
        norm_days=terms.norm_days,
        legal_days=terms.legal_days,
        pause_allowed=terms.pause_allowed,
        results=terms.results,
        now=web.now(),
    )
    for step in texts:
        zaaktypen.update_status_type(
            db,
            steps[step.code],
            name=step.name.strip(),
            name_en=step.name_en.strip(),
            explanation=step.explanation.strip(),
            explanation_en=step.explanation_en.strip(),
            resident_can_upload=step.resident_can_upload,
            notifies_resident=step.notifies_resident,
        )
    return RedirectResponse(url_for("backoffice:zaaktypen") + "?opgeslagen=" + zaaktype.slug, 303)


def _render_staff(
    request: Request,
    db: Session,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    rows = zaaktypen.list_staff_products(db)
    behandelaars = [
        (subject, list(group)) for subject, group in groupby(rows, key=lambda r: r.staff_subject)
    ]
    errors = errors or {}
    return render(
        request,
        "backoffice/medewerkers.html",
        {
            "behandelaars": behandelaars,
            "products": service.product_choices(db),
            "values": values or {"producten": []},
            "errors": errors,
            "error_list": list(errors.items()),
            "has_errors": bool(errors),
        },
        status_code=status_code,
    )


@router.get("/backoffice/beheer/medewerkers", name="backoffice:staff")
def staff_list(request: Request, identity: Beheerder, db: SessionDep) -> HTMLResponse:
    """The behandelaars and the products each handles, and a form to add one."""
    return _render_staff(request, db)


@router.post("/backoffice/beheer/medewerkers", name="backoffice:staff_save")
def staff_save(
    request: Request,
    identity: Beheerder,
    db: SessionDep,
    medewerker: Short = "",
    naam: Short = "",
    producten: Texts = [],  # noqa: B006
) -> Response:
    """Set the products a behandelaar handles (none: they are taken off the list)."""
    known = {slug for slug, _name in service.product_choices(db)}
    errors = forms.check_staff(medewerker, naam, producten, known)
    if errors:
        values = {"medewerker": medewerker, "naam": naam, "producten": producten}
        return _render_staff(request, db, values=values, errors=errors, status_code=422)
    zaaktypen.set_staff_products(
        db,
        staff_subject=medewerker.strip(),
        staff_name=" ".join(naam.split()),
        zaaktypen=set(producten),
    )
    return RedirectResponse(url_for("backoffice:staff"), status_code=303)
