"""The worker's monthly totals give exactly the figures counting the cases live gives, and a
month the worker has not added up yet is counted live."""

from __future__ import annotations

from dataclasses import astuple
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from portal.prestaties import service
from portal.prestaties.models import CaseMonthFigure, RefreshedMonth
from portal.zaken import generator

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _rows(figures: dict[tuple[str, str], service.CaseMonth]) -> dict[tuple[str, str], Any]:
    return {key: astuple(figure) for key, figure in figures.items()}


def test_cached_figures_equal_live_ones_and_missing_months_are_counted_live(
    db_engine: Any,
) -> None:
    generator.generate_cases(db_engine, cases=600, now=NOW)
    months = service.last_months(NOW.date(), 12)
    with Session(db_engine) as db:
        live = service.live_case_months(db, months=months)
        assert sum(f.closed for f in live.values()) > 100
        # Nothing added up yet: everything is counted live.
        assert _rows(service.case_months(db, months=months)) == _rows(live)
        service.refresh_case_months(db, months=months[:-1], now=NOW)
        db.commit()
    with Session(db_engine) as db:
        assert len(db.exec(select(RefreshedMonth)).all()) == 11
        assert db.exec(select(CaseMonthFigure)).first() is not None
        # Eleven months from the totals, the last one live: the same figures.
        assert _rows(service.case_months(db, months=months)) == _rows(live)
        one = next(iter(live))[0]
        assert _rows(service.case_months(db, months=months, product=one)) == {
            key: row for key, row in _rows(live).items() if key[0] == one
        }


def test_the_worker_adds_up_this_month_each_round_and_older_months_when_stale(
    db_engine: Any,
) -> None:
    generator.generate_cases(db_engine, cases=200, now=NOW)
    with Session(db_engine) as db:
        assert service.refresh_due(db, now=NOW) > 0
        db.commit()
        first = {r.month: r.refreshed_at for r in db.exec(select(RefreshedMonth)).all()}
        assert len(first) == 13
        later = NOW + timedelta(minutes=5)
        service.refresh_due(db, now=later)
        db.commit()
        second = {r.month: r.refreshed_at for r in db.exec(select(RefreshedMonth)).all()}
    current = service.last_months(NOW.date(), 1)[0]
    changed = {month for month in second if second[month] != first[month]}
    assert changed == {current}
