"""`mijn-haren demo load` gives the demo people cases in every state, and running it again
changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.berichten.models import OutboxMessage
from portal.demo import load_demo_data
from portal.files import file_store
from portal.producten import service as producten_service
from portal.zaken import service as zaken_service
from portal.zaken import zaaktypen
from portal.zaken.models import (
    StaffProduct,
    Zaak,
    ZaakBericht,
    ZaakDocument,
    ZaakStatus,
    ZaakVerzoek,
)
from tests.conftest import SUZANNE_BSN, make_settings

TABLES = (Zaak, ZaakStatus, ZaakDocument, ZaakVerzoek, ZaakBericht, OutboxMessage, StaffProduct)


def counts(db_engine: Any) -> dict[str, int]:
    with Session(db_engine) as db:
        return {
            table.__name__: int(db.exec(select(func.count()).select_from(table)).one())
            for table in TABLES
        }


def test_demo_load_twice_changes_nothing(db_engine: Any, database_url: str, tmp_path: Path) -> None:
    settings = make_settings(database_url, data_dir=tmp_path)
    first_lines = list(load_demo_data(settings))
    first = counts(db_engine)
    second_lines = list(load_demo_data(settings))
    assert counts(db_engine) == first
    assert "0 demo cases created" in second_lines[0]
    assert first_lines[0] != second_lines[0]
    assert first["Zaak"] >= 20
    with Session(db_engine) as db:
        # Every resident and company has cases; the e-mails of the past count as sent.
        owners = set(db.exec(select(Zaak.initiator_bsn)).all()) | set(
            db.exec(select(Zaak.initiator_kvk)).all()
        )
        assert {"999993653", "999990858", "69599084", "68750110", "90004760"} <= owners
        unsent = db.exec(
            select(OutboxMessage).where(
                col(OutboxMessage.sent_at).is_(None), OutboxMessage.skipped == ""
            )
        ).all()
        assert unsent == []
        assert len(list(file_store(tmp_path).root.iterdir())) == first["ZaakDocument"]


def test_suzanne_has_a_new_a_waiting_and_a_decided_case(
    db_engine: Any, database_url: str, tmp_path: Path
) -> None:
    settings = make_settings(database_url, data_dir=tmp_path)
    list(load_demo_data(settings))
    with Session(db_engine) as db:
        cases = db.exec(select(Zaak).where(col(Zaak.initiator_bsn) == SUZANNE_BSN)).all()
        by_type = {zaak.zaaktype: zaak for zaak in cases}
        assert len(cases) >= 3

        new = by_type["verhuizing-doorgeven"]
        assert new.status == zaaktypen.RECEIVED
        assert new.assigned_to is None
        assert new.closed_at is None
        assert new.form_slug == "verhuizing"

        waiting = by_type["parkeervergunning"]
        assert waiting.id is not None
        assert waiting.status == zaaktypen.WAITING
        [request] = zaken_service.open_requests(db, zaak_id=waiting.id)
        assert request.question == "Stuur ons een kopie van het kentekenbewijs"
        assert (request.deadline - waiting.last_changed_at.date()).days >= 10
        assert len(zaken_service.list_messages(db, zaak_id=waiting.id)) >= 2

        closed = by_type["kapvergunning"]
        assert closed.id is not None
        assert (closed.status, closed.result) == (zaaktypen.CLOSED, "toegekend")
        assert closed.closed_at is not None
        letters = [
            d for d in zaken_service.list_documents(db, zaak_id=closed.id) if d.source == "besluit"
        ]
        assert len(letters) == 1
        assert letters[0].content_type == "application/pdf"
        path = file_store(tmp_path).path_of(letters[0].stored_name)
        assert path.read_bytes().startswith(b"%PDF-")
        assert path.stat().st_size == letters[0].size
        history = [s.status for s in zaken_service.status_history(db, zaak_id=closed.id)]
        assert history == [zaaktypen.RECEIVED, zaaktypen.IN_PROGRESS, zaaktypen.CLOSED]


def test_demo_behandelaars_handle_every_product(
    db_engine: Any, database_url: str, tmp_path: Path
) -> None:
    list(load_demo_data(make_settings(database_url, data_dir=tmp_path)))
    slugs = {product.slug for product in producten_service.list_products()}
    with Session(db_engine) as db:
        for subject in ("behandelaar", "behandelaar-beheerder"):
            assert zaaktypen.products_of(db, subject) == slugs
        assert {t.slug for t in zaaktypen.list_zaaktypen(db)} >= slugs
