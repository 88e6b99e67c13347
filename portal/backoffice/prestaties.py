"""The performance figures in the back office: this month and last month per product and per
behandelaar, the open cases about to break their norm, and what residents wrote (without who
wrote it, unless the resident allowed that)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from babel.dates import format_date
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from auth.identity import Identity
from portal.afspraken import service as afspraken_service
from portal.afspraken import web as afspraken_web
from portal.backoffice.web import today
from portal.database import SessionDep
from portal.prestaties import reacties, service
from portal.security import staff
from portal.templating import current_language, render
from portal.zaken import zaaktypen

router = APIRouter()

FigureReader = Annotated[Identity, Depends(staff("beheerder", "behandelaar"))]


def product_names(db: Session) -> dict[str, str]:
    """Case types and bookable products by slug or code, in the page's language."""
    english = current_language() == "en"
    names = {
        product.code: afspraken_web.product_name(product)
        for product in afspraken_service.bookable_products(db)
    }
    for zaaktype in zaaktypen.list_zaaktypen(db):
        names[zaaktype.slug] = (zaaktype.name_en if english else "") or zaaktype.name
    return names


def month_name(month: str) -> str:
    """'2026-11' as 'november 2026' (or 'November 2026')."""
    year, number = (int(part) for part in month.split("-"))
    locale = "en_GB" if current_language() == "en" else "nl_NL"
    return format_date(date(year, number, 1), "LLLL y", locale=locale)


@router.get("/backoffice/prestaties", name="backoffice:performance")
def dashboard(request: Request, identity: FigureReader, db: SessionDep) -> HTMLResponse:
    """This month's and last month's figures per product and per behandelaar, live, with the
    open cases that are about to break their norm."""
    day = today()
    months = service.last_months(day, 2)[::-1]  # this month first
    figures = service.case_months(db, months=months, live=True)
    totals = service.summary_by_product(figures)
    products = sorted(totals, key=lambda slug: (-totals[slug].closed, slug))
    feedback = service.feedback_months(db, months=months)
    feedback_products = sorted({product for product, _month in feedback})
    return render(
        request,
        "backoffice/prestaties.html",
        {
            "identity": identity,
            "months": months,
            "figures": figures,
            "products": products,
            "feedback": feedback,
            "feedback_products": feedback_products,
            "handlers": service.handler_figures(db, months=months),
            "near": service.cases_near_their_norm(db, today=day),
            "names": product_names(db),
            "today": day,
            "suppress_below": service.SUPPRESS_BELOW,
            "month_name": month_name,
        },
    )


@router.get("/backoffice/prestaties/reacties", name="backoffice:feedback")
def comments(
    request: Request,
    identity: FigureReader,
    db: SessionDep,
    pagina: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """What residents wrote, newest first: product, month, score and comment; the person only
    when they allowed staff to see it."""
    return render(
        request,
        "backoffice/prestaties_reacties.html",
        {
            "identity": identity,
            "page": reacties.comments_page(db, page=pagina),
            "names": product_names(db),
            "month_name": month_name,
        },
    )
