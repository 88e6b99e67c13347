"""Request-side helpers shared by the back-office pages: the case page with its forms, and
the answers to refusals (another product, a stale form, a closed case)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from auth.identity import Identity
from portal.aanvragen.web import get_form
from portal.backoffice import service
from portal.security import staff
from portal.templating import LOCAL_TIME, current_language, render
from portal.templating import gettext as _
from portal.zaken import service as zaken_service
from portal.zaken.models import Zaak

CaseReader = Annotated[Identity, Depends(staff("kcc", "behandelaar"))]
Handler = Annotated[Identity, Depends(staff("behandelaar"))]
Beheerder = Annotated[Identity, Depends(staff("beheerder"))]
Kcc = Annotated[Identity, Depends(staff("kcc"))]
AnyStaff = Annotated[Identity, Depends(staff())]


def stale_message() -> str:
    return _(
        "Deze zaak is intussen gewijzigd door iemand anders. "
        "Bekijk de nieuwe stand en probeer het opnieuw."
    )


def closed_message() -> str:
    return _("Deze zaak is afgehandeld. U kunt niets meer wijzigen.")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today in Haren: due dates are Dutch calendar dates."""
    return now().astimezone(LOCAL_TIME).date()


def case_or_404(db: Session, reference: str) -> Zaak:
    zaak = zaken_service.get_zaak_by_reference(db, reference=reference)
    if zaak is None:
        raise HTTPException(status_code=404)
    return zaak


def render_case(
    request: Request,
    db: Session,
    identity: Identity,
    zaak: Zaak,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    alert: str | None = None,
) -> HTMLResponse:
    """The case page: every view, also one after a refused form, is written to the access log,
    since it shows the person's data again."""
    language = current_language()
    form = get_form(zaak.form_slug) if zaak.form_slug else None
    view = service.case_view(db, identity=identity, zaak=zaak, form=form, language=language)
    service.record_view(db, identity=identity, zaak=zaak, action="zaak_bekeken", now=now())
    errors = errors or {}
    return render(
        request,
        "backoffice/zaak.html",
        {
            "view": view,
            "zaak": zaak,
            "today": today(),
            "errors": errors,
            "error_list": list(errors.items()),
            "has_errors": bool(errors),
            "values": values or {},
            # Which form failed (its field ids start with its name): only it keeps its input.
            "failed": next(iter(errors), "").split("-")[0],
            "alert": alert,
            "product_names": service.product_names(),
            "result_names": service.result_names(language),
        },
        status_code=status_code,
    )


def stale(request: Request, db: Session, identity: Identity, zaak: Zaak) -> HTMLResponse:
    """Someone changed the case meanwhile: nothing of this form was saved."""
    db.rollback()
    db.refresh(zaak)
    message = stale_message() if zaak.closed_at is None else closed_message()
    return render_case(request, db, identity, zaak, status_code=409, alert=message)


def not_your_product(request: Request, zaak: Zaak) -> HTMLResponse:
    return render(
        request,
        "backoffice/geen_product.html",
        {"zaak": zaak, "product_names": service.product_names()},
        status_code=403,
    )
