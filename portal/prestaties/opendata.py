"""The published figures as the page shows them and as open data: per product and month, with
the norm next to the result, and the same rows as CSV and JSON.

Everything comes from the grouped queries in `service` (a few rows per product and month), so
building the page costs the same with a thousand cases as with a million. A cell of fewer than
`service.SUPPRESS_BELOW` cases is None here: empty in CSV, null in JSON, and "fewer than 10" on
the page.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from babel.dates import format_date
from sqlmodel import Session

from formulieren.text import resolve
from portal.aanvragen.web import get_form
from portal.afspraken import service as afspraken_service
from portal.prestaties import service
from portal.prestaties.models import ServiceNorm
from portal.producten import service as producten_service
from portal.templating import gettext
from portal.zaken import zaaktypen

APPOINTMENT_NORM_CODE = "afspraak-beschikbaar"
DEFAULT_APPOINTMENT_NORM = 5
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # default case types are not saved: any time


@dataclass(frozen=True)
class Column:
    """One column of a download: its name, what it means and its unit."""

    name: str
    meaning: str
    unit: str


@dataclass(frozen=True)
class Dataset:
    """One download: a name (the file's stem), a title and its columns."""

    name: str
    title: str
    columns: list[Column]


def month_label(month: str, language: str) -> str:
    """'2026-01' as 'jan. 2026' (or 'Jan 2026')."""
    first = date.fromisoformat(month + "-01")
    return format_date(first, "MMM yyyy", locale=_LOCALES.get(language, "nl_NL"))


def published(count: int) -> int | None:
    """A count of cases or answers, or None when it is too small to publish."""
    return count if count >= service.SUPPRESS_BELOW else None


# Cases -----------------------------------------------------------------------------------


@dataclass
class ProductMonth:
    """One product in one month on the page and in the download."""

    month: str
    label: str
    cases: service.CaseMonth
    feedback: service.FeedbackMonth | None

    @property
    def satisfaction(self) -> float | None:
        return self.feedback.average if self.feedback else None


@dataclass
class ProductFigures:
    """The norm and the results of one product over the period."""

    slug: str
    name: str
    norm_days: int
    legal_days: int | None
    target: int | None  # a published percentage the product promises, if any
    total: service.CaseMonth
    satisfaction: service.FeedbackMonth
    months: list[ProductMonth] = field(default_factory=list)

    @property
    def closed(self) -> int:
        return self.total.closed

    @property
    def suppressed_months(self) -> list[ProductMonth]:
        """The months whose share is not published (too few cases), so the chart has no bar."""
        return [m for m in self.months if m.cases.within_norm_share is None]


def _product_name(slug: str, language: str, case_type_names: dict[str, tuple[str, str]]) -> str:
    product = producten_service.get_product(slug)
    if product is not None:
        return product.naam_en if language == "en" and product.naam_en else product.naam
    name, name_en = case_type_names.get(slug, (slug, ""))
    return name_en if language == "en" and name_en else name


def _targets(norms: list[ServiceNorm]) -> dict[str, int]:
    """A product's own percentage norm (unit 'procent' with a product): the chart's line."""
    return {n.product: n.target for n in norms if n.unit == "procent" and n.product}


def case_figures(
    db: Session,
    *,
    months: list[str],
    language: str,
    norms: list[ServiceNorm] | None = None,
    product: str | None = None,
) -> list[ProductFigures]:
    """Every product with closed cases in these months, most closed cases first."""
    figures = service.case_months(db, months=months, product=product)
    totals = service.summary_by_product(figures)
    feedback = service.feedback_months(db, months=months)
    case_types = {t.slug: t for t in zaaktypen.list_zaaktypen(db)}
    names = {slug: (t.name, t.name_en) for slug, t in case_types.items()}
    targets = _targets(norms if norms is not None else service.channel_norms(db))
    result = []
    for slug, total in totals.items():
        case_type = case_types.get(slug) or zaaktypen.default_zaaktype(slug, now=_EPOCH)
        answers = service.FeedbackMonth(slug, "totaal", 0, 0)
        rows = []
        for month in months:
            cases = figures.get((slug, month)) or service.CaseMonth(slug, month)
            said = feedback.get((slug, month))
            if said is not None:
                answers.answers += said.answers
                answers.score_sum += said.score_sum
            rows.append(ProductMonth(month, month_label(month, language), cases, said))
        result.append(
            ProductFigures(
                slug=slug,
                name=_product_name(slug, language, names),
                norm_days=case_type.norm_days,
                legal_days=case_type.legal_days,
                target=targets.get(slug),
                total=total,
                satisfaction=answers,
                months=rows,
            )
        )
    result.sort(key=lambda p: (-p.closed, p.name.lower()))
    return result


def zaak_columns() -> list[Column]:
    percent = gettext("procent (0-100, 1 decimaal)")
    days = gettext("werkdagen")
    cases = gettext("aantal zaken")
    return [
        Column(
            "product", gettext("Het product (de code uit de productcatalogus)"), gettext("tekst")
        ),
        Column("product_naam", gettext("De naam van het product"), gettext("tekst")),
        Column("maand", gettext("De maand waarin de zaken zijn afgesloten"), gettext("JJJJ-MM")),
        Column(
            "norm_werkdagen", gettext("De servicenorm: binnen zoveel werkdagen een besluit"), days
        ),
        Column(
            "wettelijke_termijn_dagen",
            gettext("De wettelijke beslistermijn (leeg: geen wettelijke termijn)"),
            gettext("kalenderdagen"),
        ),
        Column("zaken_afgesloten", gettext("Afgesloten zaken, ook ingetrokken aanvragen"), cases),
        Column(
            "binnen_norm_procent",
            gettext("Deel van de besluiten dat binnen de servicenorm is genomen"),
            percent,
        ),
        Column(
            "binnen_wettelijke_termijn_procent",
            gettext("Deel van de besluiten dat binnen de wettelijke termijn is genomen"),
            percent,
        ),
        Column(
            "doorlooptijd_mediaan_werkdagen",
            gettext("De helft van de zaken was binnen zoveel werkdagen klaar (mediaan)"),
            days,
        ),
        Column(
            "doorlooptijd_p90_werkdagen",
            gettext("90% van de zaken was binnen zoveel werkdagen klaar (90e percentiel)"),
            days,
        ),
        Column(
            "eerste_keer_goed_procent",
            gettext("Deel van de zaken afgehandeld zonder de aanvrager om informatie te vragen"),
            percent,
        ),
        Column(
            "tevredenheid_antwoorden",
            gettext("Aantal ingevulde tevredenheidsvragen"),
            gettext("aantal antwoorden"),
        ),
        Column(
            "tevredenheid_gemiddeld",
            gettext("Gemiddeld cijfer op de vraag 'Hoe tevreden bent u?'"),
            gettext("score 1-5, 1 decimaal"),
        ),
    ]


def zaak_rows(products: list[ProductFigures]) -> list[dict[str, Any]]:
    rows = []
    for product in products:
        for month in product.months:
            cases = month.cases
            answers = month.feedback.answers if month.feedback else 0
            rows.append(
                {
                    "product": product.slug,
                    "product_naam": product.name,
                    "maand": month.month,
                    "norm_werkdagen": product.norm_days,
                    "wettelijke_termijn_dagen": product.legal_days,
                    "zaken_afgesloten": published(cases.closed),
                    "binnen_norm_procent": cases.within_norm_share,
                    "binnen_wettelijke_termijn_procent": cases.within_law_share,
                    "doorlooptijd_mediaan_werkdagen": cases.median_days,
                    "doorlooptijd_p90_werkdagen": cases.p90_days,
                    "eerste_keer_goed_procent": cases.first_time_right_share,
                    "tevredenheid_antwoorden": published(answers),
                    "tevredenheid_gemiddeld": month.satisfaction,
                }
            )
    return rows


# Appointments ----------------------------------------------------------------------------


@dataclass
class AppointmentFigures:
    """One bookable product: waits to the first free appointment and no-shows."""

    code: str
    name: str
    catalogue_slug: str | None
    norm_days: int
    months: list[tuple[str, service.AppointmentMonth]]

    @property
    def wait_days(self) -> list[int]:
        return [days for _month, figure in self.months for days in figure.wait_days]

    @property
    def median_wait(self) -> int | None:
        ordered = sorted(self.wait_days)
        return ordered[len(ordered) // 2] if ordered else None

    @property
    def within_norm_days_share(self) -> float | None:
        """Share of the measured days on which an appointment was free within the norm."""
        waits = self.wait_days
        if not waits:
            return None
        return round(100 * sum(1 for d in waits if d <= self.norm_days) / len(waits), 1)

    @property
    def marked(self) -> int:
        return sum(f.attended + f.no_show for _m, f in self.months)

    @property
    def no_show_share(self) -> float | None:
        return service.share(sum(f.no_show for _m, f in self.months), self.marked)


def appointment_norm(norms: list[ServiceNorm]) -> int:
    for norm in norms:
        if norm.code == APPOINTMENT_NORM_CODE:
            return norm.target
    return DEFAULT_APPOINTMENT_NORM


def appointment_figures(
    db: Session,
    *,
    months: list[str],
    language: str,
    norms: list[ServiceNorm],
    product: str | None = None,
) -> list[AppointmentFigures]:
    """Every bookable product with measurements or marked appointments in these months."""
    figures = service.appointment_months(db, months=months)
    norm = appointment_norm(norms)
    result = []
    for bookable in afspraken_service.bookable_products(db):
        if product and bookable.catalogue_slug != product:
            continue
        rows = [
            (m, figures.get((bookable.code, m)) or service.AppointmentMonth(bookable.code, m))
            for m in months
        ]
        if not any(f.wait_days or f.attended or f.no_show for _m, f in rows):
            continue
        name = bookable.name_en if language == "en" and bookable.name_en else bookable.name_nl
        result.append(AppointmentFigures(bookable.code, name, bookable.catalogue_slug, norm, rows))
    return result


def afspraak_columns() -> list[Column]:
    return [
        Column("product", gettext("Waarvoor de afspraak is (code)"), gettext("tekst")),
        Column("product_naam", gettext("Waarvoor de afspraak is"), gettext("tekst")),
        Column("maand", gettext("De maand van de meting of de afspraak"), gettext("JJJJ-MM")),
        Column(
            "norm_werkdagen",
            gettext("De servicenorm: binnen zoveel werkdagen een afspraak beschikbaar"),
            gettext("werkdagen"),
        ),
        Column(
            "dagen_gemeten",
            gettext("Aantal dagen waarop de eerste vrije afspraak is gemeten"),
            gettext("dagen"),
        ),
        Column(
            "wachttijd_mediaan_werkdagen",
            gettext("Werkdagen tot de eerste vrije afspraak (mediaan per dag, beste locatie)"),
            gettext("werkdagen"),
        ),
        Column(
            "dagen_binnen_norm_procent",
            gettext("Deel van de gemeten dagen met een vrije afspraak binnen de norm"),
            gettext("procent (0-100, 1 decimaal)"),
        ),
        Column(
            "afspraken",
            gettext("Afspraken waarvan de balie heeft vastgelegd of de inwoner kwam"),
            gettext("aantal afspraken"),
        ),
        Column(
            "niet_verschenen_procent",
            gettext("Deel van die afspraken waarvoor niemand kwam"),
            gettext("procent (0-100, 1 decimaal)"),
        ),
    ]


def afspraak_rows(products: list[AppointmentFigures]) -> list[dict[str, Any]]:
    rows = []
    for product in products:
        for month, figure in product.months:
            single = AppointmentFigures(
                product.code, product.name, None, product.norm_days, [(month, figure)]
            )
            rows.append(
                {
                    "product": product.code,
                    "product_naam": product.name,
                    "maand": month,
                    "norm_werkdagen": product.norm_days,
                    "dagen_gemeten": len(figure.wait_days),
                    "wachttijd_mediaan_werkdagen": figure.median_wait_days,
                    "dagen_binnen_norm_procent": single.within_norm_days_share,
                    "afspraken": published(figure.attended + figure.no_show),
                    "niet_verschenen_procent": figure.no_show_share,
                }
            )
    return rows


# Online forms ----------------------------------------------------------------------------


@dataclass
class FormFigures:
    """One online form: how many started forms were sent."""

    slug: str
    name: str
    product: str | None
    months: list[tuple[str, service.FormFigure]]

    @property
    def started(self) -> int:
        return sum(f.started for _m, f in self.months)

    @property
    def submitted(self) -> int:
        return sum(f.submitted for _m, f in self.months)

    @property
    def submitted_share(self) -> float | None:
        return service.share(self.submitted, self.started)


def form_figures(
    db: Session, *, months: list[str], language: str, product: str | None = None
) -> list[FormFigures]:
    """Every form started in these months, most started first."""
    figures = service.form_months(db, months=months)
    slugs = sorted({slug for slug, _month in figures})
    result = []
    for slug in slugs:
        form = get_form(slug)
        if product and (form is None or form.product != product):
            continue
        rows = [(m, figures.get((slug, m)) or service.FormFigure(slug, m, 0, 0)) for m in months]
        name = resolve(form.title, language) if form else slug
        result.append(FormFigures(slug, name, form.product if form else None, rows))
    result.sort(key=lambda f: (-f.started, f.name.lower()))
    return result


def formulier_columns() -> list[Column]:
    return [
        Column("formulier", gettext("Het online formulier (code)"), gettext("tekst")),
        Column("formulier_naam", gettext("De naam van het formulier"), gettext("tekst")),
        Column("maand", gettext("De maand waarin het formulier is begonnen"), gettext("JJJJ-MM")),
        Column("gestart", gettext("Begonnen formulieren"), gettext("aantal formulieren")),
        Column(
            "ingediend",
            gettext("Daarvan verstuurd (ook later verstuurd)"),
            gettext("aantal formulieren"),
        ),
        Column(
            "ingediend_procent",
            gettext("Deel van de begonnen formulieren dat is verstuurd"),
            gettext("procent (0-100, 1 decimaal)"),
        ),
    ]


def formulier_rows(forms: list[FormFigures]) -> list[dict[str, Any]]:
    rows = []
    for form in forms:
        for month, figure in form.months:
            shown = figure.started >= service.SUPPRESS_BELOW
            rows.append(
                {
                    "formulier": form.slug,
                    "formulier_naam": form.name,
                    "maand": month,
                    "gestart": published(figure.started),
                    "ingediend": figure.submitted if shown else None,
                    "ingediend_procent": figure.submitted_share,
                }
            )
    return rows


# Downloads -------------------------------------------------------------------------------


def datasets() -> list[Dataset]:
    """The three downloads, in the order the open-data page lists them."""
    return [
        Dataset("zaken", gettext("Afgehandelde zaken per product en maand"), zaak_columns()),
        Dataset("afspraken", gettext("Afspraken per product en maand"), afspraak_columns()),
        Dataset(
            "formulieren", gettext("Online formulieren per formulier en maand"), formulier_columns()
        ),
    ]


def dataset_rows(
    db: Session, name: str, *, months: list[str], language: str
) -> list[dict[str, Any]]:
    norms = service.channel_norms(db)
    if name == "zaken":
        return zaak_rows(case_figures(db, months=months, language=language, norms=norms))
    if name == "afspraken":
        return afspraak_rows(appointment_figures(db, months=months, language=language, norms=norms))
    if name == "formulieren":
        return formulier_rows(form_figures(db, months=months, language=language))
    raise KeyError(name)


def to_csv(columns: list[Column], rows: list[dict[str, Any]]) -> str:
    """A header row and one line per row; a suppressed (None) cell is empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow(["" if row[c.name] is None else row[c.name] for c in columns])
    return out.getvalue()


def to_json(dataset: Dataset, rows: list[dict[str, Any]], *, months: list[str]) -> str:
    """{"dataset", "titel", "periode", "kolommen": [{naam, betekenis, eenheid}], "rijen": [...]}:
    each row an object keyed by the column names; a suppressed cell is null."""
    document = {
        "dataset": dataset.name,
        "titel": dataset.title,
        "periode": {"van": months[0], "tot_en_met": months[-1]},
        "onderdrukt_onder": service.SUPPRESS_BELOW,
        "kolommen": [
            {"naam": c.name, "betekenis": c.meaning, "eenheid": c.unit} for c in dataset.columns
        ],
        "rijen": [{c.name: row[c.name] for c in dataset.columns} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
