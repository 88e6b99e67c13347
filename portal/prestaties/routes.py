"""The public performance page (/prestaties): the service norms next to the results per product
and month, as charts with their data tables, and the same figures as open data (CSV, JSON)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from portal.database import SessionDep
from portal.prestaties import charts, opendata, service
from portal.prestaties.opendata import ProductFigures
from portal.security import PublicAccess
from portal.templating import current_language, gettext, render

router = APIRouter()

MONTHS = 12


def today() -> date:
    """The day the figures run up to (tests replace it to pin the twelve months)."""
    return datetime.now(UTC).astimezone(service.HAREN_TIME).date()


def _period() -> list[str]:
    return service.last_months(today(), MONTHS)


def _chart(product: ProductFigures, language: str) -> str:
    """The bar chart of one product's share within norm, described in words."""
    bars = [charts.Bar(m.label, m.cases.within_norm_share) for m in product.months]
    shown = [b for b in bars if b.value is not None]
    title = gettext("%(product)s: deel binnen de norm per maand") % {"product": product.name}
    parts = [
        gettext("Staafdiagram van %(first)s tot en met %(last)s, één staaf per maand.")
        % {"first": bars[0].label, "last": bars[-1].label}
    ]
    if shown:
        high = max(shown, key=lambda b: b.value or 0)
        low = min(shown, key=lambda b: b.value or 0)
        parts.append(
            gettext("Hoogste %(high)s%% (%(high_month)s), laagste %(low)s%% (%(low_month)s).")
            % {
                "high": _number(high.value, language),
                "high_month": high.label,
                "low": _number(low.value, language),
                "low_month": low.label,
            }
        )
    if product.target is not None:
        parts.append(
            gettext("De stippellijn is de norm van %(target)s%%.") % {"target": product.target}
        )
    missing = len(bars) - len(shown)
    if missing:
        parts.append(
            gettext("%(num)s maanden zonder staaf: minder dan 10 zaken.") % {"num": missing}
        )
    return charts.bar_chart(
        chart_id=f"grafiek-{product.slug}",
        title=title,
        description=" ".join(parts),
        bars=bars,
        target=product.target,
    )


def _number(value: float | None, language: str) -> str:
    if value is None:
        return ""
    text = f"{value:.1f}".removesuffix(".0")
    return text if language == "en" else text.replace(".", ",")


@router.get("/prestaties", name="prestaties:overview")
def overview(
    request: Request,
    identity: PublicAccess,
    db: SessionDep,
    product: Annotated[str, Query(max_length=80)] = "",
) -> HTMLResponse:
    """Our service norms and how often we met them in the last twelve months: every product's
    totals in one table, or one product's months as a chart and its table."""
    language = current_language()
    months = _period()
    norms = service.channel_norms(db)
    products = opendata.case_figures(db, months=months, language=language, norms=norms)
    chosen = next((p for p in products if p.slug == product), None)
    shown = [chosen] if chosen else products
    only = chosen.slug if chosen else None
    context = {
        "identity": identity,
        "months": months,
        "first_month": opendata.month_label(months[0], language),
        "last_month": opendata.month_label(months[-1], language),
        "norms": norms,
        "products": products,
        "shown": shown,
        "chosen": chosen,
        # Charts and months per product only on its own page: all of them on one page came
        # to 16 KB of HTML per product.
        "charts": {chosen.slug: _chart(chosen, language)} if chosen else {},
        "appointments": opendata.appointment_figures(
            db, months=months, language=language, norms=norms, product=only
        ),
        "appointment_norm": opendata.appointment_norm(norms),
        "forms": opendata.form_figures(db, months=months, language=language, product=only),
        "number": lambda value: _number(value, language),
        "minimum": service.SUPPRESS_BELOW,
    }
    return render(request, "prestaties/overzicht.html", context)


@router.get("/prestaties/open-data", name="prestaties:open_data")
def open_data(request: Request, identity: PublicAccess) -> HTMLResponse:
    """What the downloads hold: every column with its meaning and unit."""
    months = _period()
    language = current_language()
    return render(
        request,
        "prestaties/open_data.html",
        {
            "identity": identity,
            "datasets": opendata.datasets(),
            "first_month": opendata.month_label(months[0], language),
            "last_month": opendata.month_label(months[-1], language),
            "minimum": service.SUPPRESS_BELOW,
        },
    )


def _dataset(name: str) -> opendata.Dataset:
    found = next((d for d in opendata.datasets() if d.name == name), None)
    if found is None:
        raise HTTPException(status_code=404)
    return found


@router.get("/prestaties/{name}.csv", name="prestaties:csv")
def download_csv(name: str, identity: PublicAccess, db: SessionDep) -> Response:
    """One dataset as CSV (UTF-8, a header row; a suppressed cell is empty)."""
    dataset = _dataset(name)
    months = _period()
    rows = opendata.dataset_rows(db, name, months=months, language=current_language())
    return Response(
        opendata.to_csv(dataset.columns, rows).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="prestaties-{name}.csv"'},
    )


@router.get("/prestaties/{name}.json", name="prestaties:json")
def download_json(name: str, identity: PublicAccess, db: SessionDep) -> Response:
    """One dataset as JSON: its columns ("kolommen") and rows ("rijen"); suppressed is null."""
    dataset = _dataset(name)
    months = _period()
    rows = opendata.dataset_rows(db, name, months=months, language=current_language())
    return Response(
        opendata.to_json(dataset, rows, months=months).encode("utf-8"),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="prestaties-{name}.json"'},
    )
