"""Case numbering is unique and sequential per year; creation records the first status."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, select

from portal.zaken import service
from portal.zaken.models import Zaak, ZaakStatus


def test_references_count_up_per_year(db_engine: Any) -> None:
    with Session(db_engine) as db:
        first = service.next_reference(db, year=2026)
        second = service.next_reference(db, year=2026)
        other_year = service.next_reference(db, year=2027)
        db.commit()
    assert (first, second, other_year) == ("HRN-2026-000001", "HRN-2026-000002", "HRN-2027-000001")


def test_concurrent_numbering_never_hands_out_a_number_twice(db_engine: Any) -> None:
    references: list[str] = []
    lock = threading.Lock()

    def take() -> None:
        with Session(db_engine) as db:
            reference = service.next_reference(db, year=2026)
            db.commit()
        with lock:
            references.append(reference)

    threads = [threading.Thread(target=take) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(references)) == 20
    assert max(references) == "HRN-2026-000020"


def test_working_days_skip_weekends() -> None:
    friday = date(2026, 11, 27)
    assert service.add_working_days(friday, 1) == date(2026, 11, 30)
    assert service.add_working_days(friday, 5) == date(2026, 12, 4)


def test_working_days_skip_dutch_public_holidays() -> None:
    # Christmas 2026: Friday 25 and Saturday 26 December; Monday 28 is a working day.
    assert service.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    # King's Day, Monday 27 April 2026.
    assert service.add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)
    # Easter Monday 6 April 2026 and Good Friday 3 April.
    assert service.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert service.working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 2


def test_created_case_has_its_first_status_and_due_dates(db_engine: Any) -> None:
    received = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    with Session(db_engine) as db:
        zaak = service.create_zaak(
            db,
            zaaktype="parkeervergunning",
            omschrijving="Parkeervergunning",
            initiator=service.Initiator(kind="natuurlijk_persoon", bsn="999993653"),
            answers={"stap": {"kenteken": "12-ABC-3"}},
            submission_token="t" * 32,
            received_at=received,
        )
        db.commit()
        stored = db.exec(select(Zaak)).one()
        history = db.exec(select(ZaakStatus)).all()
    assert zaak.reference == "HRN-2026-000001"
    assert stored.due_by_norm == date(2026, 12, 4)
    assert stored.due_by_law == date(2027, 1, 22)
    assert [h.status for h in history] == ["ontvangen"]
