"""The performance figures, per product and month, from the portal's own data.

Every figure is an SQL aggregation over an index range: closed cases by `closed_month`
(the covering index `ix_zaak_figures`), appointments by `starts_at`, feedback by `month`.
Lead-time percentiles come from a histogram of whole working days per product and month, so
the database returns at most a few hundred rows whatever the number of cases.
A figure of fewer than SUPPRESS_BELOW cases is not published (privacy): it is None.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from portal.aanvragen import service as aanvragen_service
from portal.afspraken import service as afspraken_service
from portal.prestaties.models import (
    CaseMonthFigure,
    Feedback,
    RefreshedMonth,
    ServiceNorm,
    WaitMeasurement,
)
from portal.zaken import service as zaken_service
from portal.zaken.models import Zaak

SUPPRESS_BELOW = 10
HAREN_TIME = zaken_service.HAREN_TIME


def month_of(moment: datetime) -> str:
    return f"{moment.astimezone(HAREN_TIME):%Y-%m}"


def last_months(today: date, count: int = 12) -> list[str]:
    """The `count` months up to and including this one, oldest first: ['2025-12', ...]."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def share(part: int, whole: int) -> float | None:
    """part/whole as a percentage, or None when the whole is too small to publish."""
    if whole < SUPPRESS_BELOW:
        return None
    return round(100 * part / whole, 1)


def percentile(histogram: dict[int, int], fraction: float) -> int | None:
    """The smallest value with at least `fraction` of the counts at or below it."""
    total = sum(histogram.values())
    if total < SUPPRESS_BELOW:
        return None
    needed = fraction * total
    running = 0
    for value in sorted(histogram):
        running += histogram[value]
        if running >= needed:
            return value
    return None


@dataclass
class CaseMonth:
    """One product in one month: cases closed and how they went."""

    product: str
    month: str
    closed: int = 0
    decided: int = 0  # closed with a decision (not withdrawn) and a norm
    within_norm: int = 0
    with_legal_term: int = 0
    within_law: int = 0
    first_time_right: int = 0
    lead_days: dict[int, int] = field(default_factory=dict)

    @property
    def published(self) -> bool:
        return self.closed >= SUPPRESS_BELOW

    @property
    def within_norm_share(self) -> float | None:
        return share(self.within_norm, self.decided)

    @property
    def within_law_share(self) -> float | None:
        return share(self.within_law, self.with_legal_term)

    @property
    def first_time_right_share(self) -> float | None:
        return share(self.first_time_right, self.closed)

    @property
    def median_days(self) -> int | None:
        return percentile(self.lead_days, 0.5)

    @property
    def p90_days(self) -> int | None:
        return percentile(self.lead_days, 0.9)


def _truthy(column: Any) -> Any:
    """SUM of a boolean column that works alike on SQLite and PostgreSQL."""
    return func.sum(case((column, 1), else_=0))


def case_months(
    db: Session, *, months: list[str], product: str | None = None, live: bool = False
) -> dict[tuple[str, str], CaseMonth]:
    """Closed cases per (product, month): the months the worker added up are read from
    `prestatie_maand`, the others (and everything when `live`) are counted from the cases."""
    figures: dict[tuple[str, str], CaseMonth] = {}
    missing = list(months)
    if not live:
        refreshed = set(
            db.exec(select(RefreshedMonth.month).where(col(RefreshedMonth.month).in_(months)))
        )
        missing = [month for month in months if month not in refreshed]
        query = select(CaseMonthFigure).where(col(CaseMonthFigure.month).in_(refreshed))
        if product:
            query = query.where(col(CaseMonthFigure.product) == product)
        for row in db.exec(query):
            figures[(row.product, row.month)] = CaseMonth(
                row.product,
                row.month,
                row.closed,
                row.decided,
                row.within_norm,
                row.with_legal_term,
                row.within_law,
                row.first_time_right,
                {int(days): count for days, count in row.lead_days.items()},
            )
    if missing:
        figures.update(live_case_months(db, months=missing, product=product))
    return figures


def refresh_case_months(db: Session, *, months: list[str], now: datetime) -> int:
    """Count these months again from the cases and store the result (the worker's job)."""
    counted = live_case_months(db, months=months)
    db.execute(delete(CaseMonthFigure).where(col(CaseMonthFigure.month).in_(months)))
    db.execute(delete(RefreshedMonth).where(col(RefreshedMonth.month).in_(months)))
    for figure in counted.values():
        db.add(
            CaseMonthFigure(
                product=figure.product,
                month=figure.month,
                closed=figure.closed,
                decided=figure.decided,
                within_norm=figure.within_norm,
                with_legal_term=figure.with_legal_term,
                within_law=figure.within_law,
                first_time_right=figure.first_time_right,
                lead_days={str(days): count for days, count in figure.lead_days.items()},
            )
        )
    for month in months:
        db.add(RefreshedMonth(month=month, refreshed_at=now))
    db.flush()
    return len(counted)


def refresh_due(db: Session, *, now: datetime, every: timedelta = timedelta(hours=1)) -> int:
    """The worker keeps the last 13 months added up: this month every round (cases close all
    the time), earlier months when missing or older than `every` (they only change when cases
    are loaded in bulk, such as the demo history)."""
    months = last_months(now.astimezone(HAREN_TIME).date(), 13)
    current = months[-1]
    fresh = {
        row.month
        for row in db.exec(select(RefreshedMonth).where(col(RefreshedMonth.month).in_(months)))
        if _aware(row.refreshed_at) > now - every
    }
    due = [month for month in months if month == current or month not in fresh]
    return refresh_case_months(db, months=due, now=now)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def live_case_months(
    db: Session, *, months: list[str], product: str | None = None
) -> dict[tuple[str, str], CaseMonth]:
    """Closed cases per (product, month) counted from the cases now, in two grouped queries."""
    filters: list[Any] = [col(Zaak.closed_month).in_(months)]
    if product:
        filters.append(col(Zaak.zaaktype) == product)
    totals = db.execute(
        sa_select(
            col(Zaak.zaaktype),
            col(Zaak.closed_month),
            func.count(),
            func.count(col(Zaak.norm_met)),
            _truthy(col(Zaak.norm_met)),
            func.count(col(Zaak.legal_met)),
            _truthy(col(Zaak.legal_met)),
            _truthy(col(Zaak.first_time_right)),
        )
        .where(*filters)
        .group_by(col(Zaak.zaaktype), col(Zaak.closed_month))
    ).all()
    figures: dict[tuple[str, str], CaseMonth] = {}
    for slug, month, closed, decided, norm, legal_total, legal, right in totals:
        assert month is not None
        figures[(slug, month)] = CaseMonth(
            slug,
            month,
            closed,
            decided,
            int(norm or 0),
            legal_total,
            int(legal or 0),
            int(right or 0),
        )
    histogram = db.exec(
        select(Zaak.zaaktype, Zaak.closed_month, Zaak.lead_working_days, func.count())
        .where(*filters, col(Zaak.lead_working_days).is_not(None))
        .group_by(col(Zaak.zaaktype), col(Zaak.closed_month), col(Zaak.lead_working_days))
    ).all()
    for slug, month, days, count in histogram:
        figure = figures.get((slug, month or ""))
        if figure is not None and days is not None:
            figure.lead_days[days] = count
    return figures


@dataclass
class AppointmentMonth:
    product: str
    month: str
    attended: int = 0
    no_show: int = 0
    wait_days: list[int] = field(default_factory=list)

    @property
    def no_show_share(self) -> float | None:
        return share(self.no_show, self.attended + self.no_show)

    @property
    def median_wait_days(self) -> int | None:
        """The middle of the daily 'working days to the first free appointment'."""
        if not self.wait_days:
            return None
        ordered = sorted(self.wait_days)
        return ordered[len(ordered) // 2]


def _month_range(months: list[str]) -> tuple[datetime, datetime]:
    first = datetime.strptime(months[0] + "-01", "%Y-%m-%d").replace(tzinfo=HAREN_TIME)
    last = datetime.strptime(months[-1] + "-01", "%Y-%m-%d").replace(tzinfo=HAREN_TIME)
    end = (last + timedelta(days=32)).replace(day=1)
    return first.astimezone(UTC), end.astimezone(UTC)


def appointment_months(
    db: Session, *, months: list[str]
) -> dict[tuple[str, str], AppointmentMonth]:
    """No-shows per product and month (each appointment counts for its first product) and
    the daily waits measured by the worker."""
    start, end = _month_range(months)
    figures: dict[tuple[str, str], AppointmentMonth] = {}
    for first_product, starts_at, state in afspraken_service.attendance_between(db, start, end):
        key = (first_product, month_of(starts_at))
        figure = figures.setdefault(key, AppointmentMonth(*key))
        if state == "verschenen":
            figure.attended += 1
        else:
            figure.no_show += 1
    waits = db.exec(
        select(WaitMeasurement).where(
            col(WaitMeasurement.day) >= start.date(), col(WaitMeasurement.day) < end.date()
        )
    ).all()
    by_product_day: dict[tuple[str, date], int] = {}
    for wait in waits:
        if wait.working_days is None:
            continue
        day_key = (wait.product_code, wait.day)
        # The best location counts: a resident can choose where to go.
        by_product_day[day_key] = min(
            by_product_day.get(day_key, wait.working_days), wait.working_days
        )
    for (product, day), days in by_product_day.items():
        month = f"{day:%Y-%m}"
        figures.setdefault((product, month), AppointmentMonth(product, month)).wait_days.append(
            days
        )
    return figures


@dataclass
class FeedbackMonth:
    product: str
    month: str
    answers: int
    score_sum: int

    @property
    def average(self) -> float | None:
        if self.answers < SUPPRESS_BELOW:
            return None
        return round(self.score_sum / self.answers, 1)


def feedback_months(db: Session, *, months: list[str]) -> dict[tuple[str, str], FeedbackMonth]:
    rows = db.exec(
        select(Feedback.product, Feedback.month, func.count(), func.sum(col(Feedback.score)))
        .where(col(Feedback.month).in_(months))
        .group_by(col(Feedback.product), col(Feedback.month))
    ).all()
    return {
        (product, month): FeedbackMonth(product, month, count, int(total or 0))
        for product, month, count, total in rows
    }


@dataclass
class FormFigure:
    form: str
    month: str
    started: int
    submitted: int

    @property
    def submitted_share(self) -> float | None:
        return share(self.submitted, self.started)


def form_months(db: Session, *, months: list[str]) -> dict[tuple[str, str], FormFigure]:
    return {
        (row.form_slug, row.month): FormFigure(row.form_slug, row.month, row.started, row.submitted)
        for row in aanvragen_service.form_months(db, months=months)
    }


def channel_norms(db: Session) -> list[ServiceNorm]:
    query = select(ServiceNorm).order_by(col(ServiceNorm.position), ServiceNorm.code)
    return list(db.exec(query).all())


def record_waits(db: Session, *, settings: Any, now: datetime) -> int:
    """Write today's working days to the first free appointment per product and location
    (once a day: the primary key keeps a second measurement of the same day out)."""
    today = zaken_service.local_date(now)
    existing = db.exec(select(func.count()).where(col(WaitMeasurement.day) == today)).one()
    if existing:
        return 0
    written = 0
    for product, location, first_free in afspraken_service.first_free_days(
        db, settings=settings, now=now
    ):
        days = zaken_service.working_days_between(today, first_free) if first_free else None
        db.add(
            WaitMeasurement(
                day=today, product_code=product, location_code=location, working_days=days
            )
        )
        written += 1
    db.flush()
    return written


def cases_near_their_norm(db: Session, *, today: date, working_days: int = 2) -> list[Zaak]:
    """Open cases whose norm date falls within `working_days` working days (or has passed)."""
    horizon = zaken_service.add_working_days(today, working_days)
    query = (
        select(Zaak)
        .where(col(Zaak.closed_at).is_(None), col(Zaak.due_by_norm) <= horizon)
        .order_by(col(Zaak.due_by_norm), col(Zaak.id))
        .limit(100)
    )
    return list(db.exec(query).all())


def summary_by_product(
    figures: dict[tuple[str, str], CaseMonth],
) -> dict[str, CaseMonth]:
    """All months of each product added up (for the overview at the top of the page)."""
    totals: dict[str, CaseMonth] = {}
    for (slug, _month), figure in figures.items():
        total = totals.setdefault(slug, CaseMonth(slug, "totaal"))
        total.closed += figure.closed
        total.decided += figure.decided
        total.within_norm += figure.within_norm
        total.with_legal_term += figure.with_legal_term
        total.within_law += figure.within_law
        total.first_time_right += figure.first_time_right
        merged: defaultdict[int, int] = defaultdict(int, total.lead_days)
        for days, count in figure.lead_days.items():
            merged[days] += count
        total.lead_days = dict(merged)
    return totals


@dataclass
class HandlerFigure:
    """One behandelaar's (assigned_to) closed cases in the chosen months."""

    staff_subject: str | None
    staff_name: str
    closed: int
    decided: int
    within_norm: int
    first_time_right: int

    @property
    def within_norm_share(self) -> float | None:
        return share(self.within_norm, self.decided)

    @property
    def first_time_right_share(self) -> float | None:
        return share(self.first_time_right, self.closed)


def handler_figures(db: Session, *, months: list[str]) -> list[HandlerFigure]:
    """Closed cases per behandelaar in these months, in one grouped query; cases nobody was
    assigned to are one row with staff_subject None. Most closed first."""
    rows = db.execute(
        sa_select(
            col(Zaak.assigned_to),
            func.max(col(Zaak.assigned_name)),
            func.count(),
            func.count(col(Zaak.norm_met)),
            _truthy(col(Zaak.norm_met)),
            _truthy(col(Zaak.first_time_right)),
        )
        .where(col(Zaak.closed_month).in_(months))
        .group_by(col(Zaak.assigned_to))
    ).all()
    figures = [
        HandlerFigure(subject, name or "", closed, decided, int(norm or 0), int(right or 0))
        for subject, name, closed, decided, norm, right in rows
    ]
    return sorted(figures, key=lambda f: (-f.closed, f.staff_name, f.staff_subject or ""))


# --- The norm and last month's result of one product (the case page's line) ------------------


@dataclass
class NormResult:
    """A product's decision norm and how often it was met in one month (None: too few)."""

    product: str
    norm_days: int
    month: str
    within_norm_share: float | None


def last_month_result(db: Session, *, product: str, today: date) -> NormResult:
    """The product's norm in working days and its share within norm in the previous month
    (one grouped query over that month's index range)."""
    from portal.zaken import zaaktypen

    month = last_months(today, 2)[0]
    case_type = zaaktypen.zaaktype_or_default(
        db, product, now=datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    )
    figure = case_months(db, months=[month], product=product).get((product, month))
    return NormResult(
        product, case_type.norm_days, month, figure.within_norm_share if figure else None
    )
