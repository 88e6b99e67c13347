"""The queue's queries walk an index for every combination of filters and paging, so a page
costs the same with a million cases: on SQLite one of the ix_zaak_queue* indexes in due order
(no full scan, no sort); on PostgreSQL the plan can use an index scan."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import col, select

from portal.backoffice import queue
from portal.zaken.models import ZaakNaamwoord

TODAY = date(2026, 3, 3)
CURSOR = queue.Cursor(date(2026, 3, 1), 42)


def combinations() -> list[tuple[queue.QueueFilters, dict[str, Any]]]:
    found = []
    for product, status, assigned, term, search in itertools.product(
        ("", "paspoort"),
        ("", "in_behandeling"),
        queue.ASSIGNED_CHOICES,
        queue.TERM_CHOICES,
        ("", "jans", "HRN-2026-000001"),
    ):
        filters = queue.QueueFilters.clean(
            product=product, status=status, toegewezen=assigned, termijn=term, q=search
        )
        for paging in ({}, {"after": CURSOR}, {"before": CURSOR}):
            found.append((filters, paging))
    return found


def plan(connection: Any, filters: queue.QueueFilters, paging: dict[str, Any]) -> str:
    dialect = connection.dialect
    query = queue.queue_query(
        filters, staff_subject="medewerker", today=TODAY, dialect=dialect.name, **paging
    )
    sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN QUERY PLAN " if dialect.name == "sqlite" else "EXPLAIN "
    return "\n".join(str(row[-1]) for row in connection.execute(text(prefix + sql)))


def expected_index(filters: queue.QueueFilters, paging: dict[str, Any]) -> tuple[str, ...]:
    if filters.reference:
        return ("(reference=?)",)
    return ("USING INDEX ix_zaak_queue",)


def test_every_queue_query_uses_an_index(db_engine: Any) -> None:
    with db_engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # The test tables are nearly empty, where a sequential scan is cheapest: forbid it
            # to see whether the query can be answered from an index at all.
            connection.execute(text("SET enable_seqscan = off"))
        for filters, paging in combinations():
            found = plan(connection, filters, paging)
            if connection.dialect.name == "sqlite":
                assert "SCAN zaak" not in found, (filters, paging, found)
                assert any(index in found for index in expected_index(filters, paging)), (
                    filters,
                    paging,
                    found,
                )
                if not filters.reference:
                    assert "TEMP B-TREE" not in found, (filters, paging, found)
            else:
                assert "Seq Scan on zaak" not in found, (filters, paging, found)
                assert "Index" in found, (filters, paging, found)


def test_name_candidates_use_the_word_index(db_engine: Any) -> None:
    with db_engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if not sqlite:
            connection.execute(text("SET enable_seqscan = off"))
        conditions = queue.word_prefix_conditions("jans", connection.dialect.name)
        query = (
            select(col(ZaakNaamwoord.zaak_id)).where(*conditions).limit(queue.NAME_CANDIDATES + 1)
        )
        sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
        prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
        found = " ".join(str(row[-1]) for row in connection.execute(text(prefix + sql)))
        if sqlite:
            assert "(woord>? AND woord<?)" in found, found
            assert "SCAN zaak_naamwoord" not in found, found
        else:
            assert "Index" in found, found
            assert "zaak_naamwoord_pkey" in found, found
