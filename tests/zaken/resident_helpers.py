"""Cases in the states the resident's pages show, written straight into the test database with
the same services and handling functions the portal uses."""

from __future__ import annotations

import io
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from portal.files import file_store
from portal.settings import Settings
from portal.zaken import handling, service
from portal.zaken.models import Zaak, ZaakVerzoek
from tests.conftest import BV_KVK, DAGOBERT_KVK, LANCE_BSN, SUZANNE_BSN, make_settings

STAFF = handling.Actor(subject="behandelaar", name="Bram Behandelaar", role="behandelaar")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
_tokens = itertools.count()

PEOPLE: dict[str, service.Initiator] = {
    "suzanne": service.Initiator(kind="natuurlijk_persoon", bsn=SUZANNE_BSN, name="Suzanne Moulin"),
    "lance": service.Initiator(kind="natuurlijk_persoon", bsn=LANCE_BSN, name="Lance Smit"),
    "dagobert": service.Initiator(
        kind="niet_natuurlijk_persoon", kvk=DAGOBERT_KVK, name="Test EMZ Dagobert"
    ),
    "bv": service.Initiator(kind="niet_natuurlijk_persoon", kvk=BV_KVK, name="Test BV"),
}


def settings_for(engine: Any) -> Settings:
    return make_settings(engine.url.render_as_string(hide_password=False))


def make_zaak(
    engine: Any,
    who: str = "suzanne",
    *,
    omschrijving: str = "Parkeervergunning",
    zaaktype: str = "parkeervergunning",
    vestiging: str | None = None,
    received_at: datetime | None = None,
    email: str | None = "inwoner@example.nl",
) -> str:
    """A new case of `who` (or one of a company branch), just received; returns its reference."""
    initiator = PEOPLE[who]
    if vestiging:
        initiator = service.Initiator(
            kind=initiator.kind, kvk=initiator.kvk, vestiging=vestiging, name=initiator.name
        )
    with Session(engine) as db:
        zaak = service.create_zaak(
            db,
            zaaktype=zaaktype,
            omschrijving=omschrijving,
            initiator=initiator,
            answers={},
            submission_token=f"resident-test-{next(_tokens)}",
            received_at=received_at or datetime.now(UTC) - timedelta(days=3),
            contact_email=email,
        )
        db.commit()
        return zaak.reference


def _zaak(db: Session, reference: str) -> Zaak:
    zaak = service.get_zaak_by_reference(db, reference=reference)
    assert zaak is not None
    return zaak


def set_status(
    engine: Any, reference: str, status: str = "in_behandeling", note: str = "", internal: str = ""
) -> None:
    with Session(engine) as db:
        zaak = _zaak(db, reference)
        handling.change_status(
            db,
            zaak,
            version=zaak.version,
            status=status,
            actor=STAFF,
            settings=settings_for(engine),
            now=datetime.now(UTC),
            note_for_resident=note,
            internal_note=internal,
        )
        db.commit()


def ask(
    engine: Any,
    reference: str,
    *,
    kind: str = "documenten",
    question: str = "Stuur ons een kopie van uw huurcontract.",
    internal: str = "",
) -> int:
    """Staff ask for information; the case waits. Returns the request's id."""
    with Session(engine) as db:
        zaak = _zaak(db, reference)
        verzoek = handling.request_information(
            db,
            zaak,
            version=zaak.version,
            kind=kind,
            question=question,
            deadline=datetime.now(UTC).date() + timedelta(days=14),
            actor=STAFF,
            settings=settings_for(engine),
            now=datetime.now(UTC),
            internal_note=internal,
        )
        db.commit()
        assert verzoek.id is not None
        return verzoek.id


def close(engine: Any, reference: str, *, result: str = "toegekend", letter: bool = False) -> None:
    """Staff close the case, with a decision letter in the file store when `letter`."""
    with Session(engine) as db:
        zaak = _zaak(db, reference)
        assert zaak.id is not None
        now = datetime.now(UTC)
        if letter:
            stored = file_store(settings_for(engine).data_dir).save(io.BytesIO(PDF))
            service.add_document(
                db,
                zaak_id=zaak.id,
                title="Besluit parkeervergunning",
                filename="besluit.pdf",
                content_type="application/pdf",
                size=stored.size,
                stored_name=stored.stored_name,
                sha256=stored.sha256,
                now=now,
                source="besluit",
                added_by=STAFF.name,
            )
        handling.close_zaak(
            db,
            zaak,
            version=zaak.version,
            result=result,
            actor=STAFF,
            settings=settings_for(engine),
            now=now,
            note_for_resident="Uw vergunning is verleend.",
        )
        db.commit()


def add_submission_pdf(engine: Any, reference: str, content: bytes = PDF) -> int:
    """The submission PDF of the case; returns the document's id."""
    with Session(engine) as db:
        zaak = _zaak(db, reference)
        assert zaak.id is not None
        stored = file_store(settings_for(engine).data_dir).save(io.BytesIO(content))
        document = service.add_document(
            db,
            zaak_id=zaak.id,
            title="Uw aanvraag",
            filename="aanvraag parkeervergunning.pdf",
            content_type="application/pdf",
            size=stored.size,
            stored_name=stored.stored_name,
            sha256=stored.sha256,
            now=datetime.now(UTC),
        )
        db.commit()
        assert document.id is not None
        return document.id


def load(engine: Any, reference: str) -> Zaak:
    with Session(engine) as db:
        return _zaak(db, reference)


def requests_of(engine: Any, reference: str) -> list[ZaakVerzoek]:
    with Session(engine) as db:
        zaak = _zaak(db, reference)
        return list(db.exec(select(ZaakVerzoek).where(ZaakVerzoek.zaak_id == zaak.id)).all())
