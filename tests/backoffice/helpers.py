"""Back-office test helpers: files in a temporary folder, and cases written straight into the
database (the way a submitted form or a kcc registration writes them)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, select

from auth.identity import Identity
from portal.settings import Settings
from portal.zaken import service as zaken_service
from portal.zaken import zaaktypen
from portal.zaken.models import Zaak
from tests.conftest import SUZANNE_BSN, csrf_token_for, make_settings

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, data_dir=tmp_path)


def new_zaak(
    engine: Any,
    *,
    product: str = "verhuizing-doorgeven",
    name: str = "Suzanne Moulin",
    bsn: str | None = SUZANNE_BSN,
    kvk: str | None = None,
    due: date | None = None,
    received_at: datetime | None = None,
    email: str | None = "suzanne@example.org",
    answers: dict[str, Any] | None = None,
    form_slug: str | None = None,
) -> str:
    """A new open case; `due` overrides the due date the case type gives it."""
    with Session(engine) as db:
        zaak = zaken_service.create_zaak(
            db,
            zaaktype=product,
            omschrijving=f"Aanvraag {product}",
            initiator=zaken_service.Initiator(
                kind="natuurlijk_persoon" if bsn else "niet_natuurlijk_persoon",
                bsn=bsn,
                kvk=kvk,
                name=name,
            ),
            answers=answers if answers is not None else {"stap": {"veld": "waarde"}},
            submission_token=secrets.token_urlsafe(32),
            received_at=received_at or datetime.now(UTC),
            contact_email=email,
            form_slug=form_slug,
        )
        if due is not None:
            db.execute(update(Zaak).where(Zaak.id == zaak.id).values(due_by_norm=due))  # type: ignore[arg-type]
        db.commit()
        return zaak.reference


def give_products(engine: Any, subject: str, *products: str, name: str = "Test Medewerker") -> None:
    with Session(engine) as db:
        zaaktypen.set_staff_products(
            db, staff_subject=subject, staff_name=name, zaaktypen=set(products)
        )
        db.commit()


def load_zaak(engine: Any, reference: str) -> Zaak:
    with Session(engine) as db:
        zaak = db.exec(select(Zaak).where(Zaak.reference == reference)).one()
        db.expunge(zaak)
        return zaak


def version_of(engine: Any, reference: str) -> int:
    return load_zaak(engine, reference).version


Poster = Callable[..., Any]


@pytest.fixture
def post(client: TestClient) -> Poster:
    """POST a back-office form with its anti-forgery token."""

    def send(path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        return client.post(
            path, data={"csrf_token": csrf_token_for(client), **(data or {})}, **kwargs
        )

    return send


@pytest.fixture
def behandelaar(login: Callable[[str], Identity], db_engine: Any) -> Identity:
    """A behandelaar of the relocation product."""
    identity = login("staff:behandelaar")
    give_products(db_engine, identity.subject, "verhuizing-doorgeven")
    return identity


REFERENCE_IN_PAGE = re.compile(r"HRN-\d{4}-\d{6}")
