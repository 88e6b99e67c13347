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
            norm_days=5,
            legal_days=56,
        )
        db.commit()
        stored = db.exec(select(Zaak)).one()
        history = db.exec(select(ZaakStatus)).all()
    assert zaak.reference == "HRN-2026-000001"
    assert stored.due_by_norm == date(2026, 12, 4)
    assert stored.due_by_law == date(2027, 1, 22)
    assert [h.status for h in history] == ["ontvangen"]
