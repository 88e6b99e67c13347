"""Refused changes change nothing: a stale version, a closed case, or a rolled-back transaction
leave the case, its history, its requests and the outbox as they were."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from portal.settings import Settings
from portal.zaken import handling, zaaktypen
from portal.zaken import service as zaken_service
from portal.zaken.models import Zaak, ZaakBericht, ZaakVerzoek
from tests.zaken.test_handling import (
    RECEIVED,
    RESIDENT,
    STAFF,
    ask,
    history,
    new_zaak,
    outbox,
)


def snapshot(db: Session, zaak: Zaak) -> tuple[Any, ...]:
    """Everything a refused change must leave as it was."""
    assert zaak.id is not None
    db.expire_all()
    stored = db.get(Zaak, zaak.id)
    assert stored is not None
    requests = [
        (r.answered_at, r.answer, r.cancelled_at)
        for r in zaken_service.list_requests(db, zaak_id=zaak.id)
    ]
    return (
        stored.model_dump(),
        len(history(db, stored)),
        len(outbox(db)),
        len(db.exec(select(ZaakBericht)).all()),
        requests,
    )


def every_change(
    zaak: Zaak, verzoek: ZaakVerzoek, settings: Settings, version: int
) -> dict[str, Any]:
    at = RECEIVED + timedelta(days=2)
    common = {"settings": settings, "now": at}
    return {
        "change_status": lambda db: handling.change_status(
            db, zaak, version=version, status=zaaktypen.IN_PROGRESS, actor=STAFF, **common
        ),
        "assign": lambda db: handling.assign(
            db, zaak, version=version, staff_subject="x", staff_name="X", now=at
        ),
        "request_information": lambda db: handling.request_information(
            db,
            zaak,
            version=version,
            kind="vraag",
            question="?",
            deadline=at.date(),
            actor=STAFF,
            **common,
        ),
        "answer_request": lambda db: handling.answer_request(
            db, zaak, verzoek, version=version, answer="antwoord", actor=RESIDENT, now=at
        ),
        "close_zaak": lambda db: handling.close_zaak(
            db, zaak, version=version, result="afgewezen", actor=STAFF, **common
        ),
        "withdraw": lambda db: handling.withdraw(
            db, zaak, version=version, reason="nieuwe reden", actor=RESIDENT, **common
        ),
    }


CHANGES = [
    "change_status",
    "assign",
    "request_information",
    "answer_request",
    "close_zaak",
    "withdraw",
]


@pytest.mark.parametrize("change", CHANGES)
def test_a_stale_version_changes_nothing(db_engine: Any, settings: Settings, change: str) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        verzoek = ask(db, zaak, settings, at=RECEIVED)  # version 1 -> 2
        db.commit()
        before = snapshot(db, zaak)
        zaak = db.get(Zaak, zaak.id)
        assert zaak is not None
        with pytest.raises(handling.StaleZaak):
            every_change(zaak, verzoek, settings, version=1)[change](db)
        assert snapshot(db, zaak) == before


@pytest.mark.parametrize("change", CHANGES)
def test_a_closed_case_changes_nothing(db_engine: Any, settings: Settings, change: str) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        verzoek = ask(db, zaak, settings, at=RECEIVED)
        handling.withdraw(
            db,
            zaak,
            version=zaak.version,
            reason="oude reden",
            actor=RESIDENT,
            settings=settings,
            now=RECEIVED + timedelta(days=1),
        )
        db.commit()
        before = snapshot(db, zaak)
        zaak = db.get(Zaak, zaak.id)
        assert zaak is not None
        with pytest.raises(handling.ZaakClosed):
            every_change(zaak, verzoek, settings, version=zaak.version)[change](db)
        assert snapshot(db, zaak) == before
        assert zaak.withdraw_reason == "oude reden"


def test_a_rolled_back_change_leaves_no_message(db_engine: Any, settings: Settings) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        db.commit()
        handling.change_status(
            db,
            zaak,
            version=1,
            status=zaaktypen.IN_PROGRESS,
            actor=STAFF,
            settings=settings,
            now=RECEIVED,
        )
        assert len(outbox(db)) == 1
        db.rollback()
    with Session(db_engine, expire_on_commit=False) as db:
        assert outbox(db) == []
        stored = db.exec(select(Zaak)).one()
        assert (stored.status, stored.version) == (zaaktypen.RECEIVED, 1)
        assert len(history(db, stored)) == 1
