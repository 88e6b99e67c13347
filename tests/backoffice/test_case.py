"""The case page: what it shows, who may see it, and the access log row of every view and every
document download."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from auth.identity import Identity
from portal.files import file_store
from portal.gegevens.models import AccessLogEntry
from portal.settings import Settings
from portal.zaken import service as zaken_service
from tests.backoffice.helpers import PDF, load_zaak, new_zaak
from tests.conftest import DAGOBERT_KVK, SUZANNE_BSN


def access_log(engine: Any) -> list[AccessLogEntry]:
    with Session(engine) as db:
        return list(db.exec(select(AccessLogEntry).order_by(AccessLogEntry.id)).all())  # type: ignore[arg-type]


def text_of(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def test_case_page_shows_the_case_and_logs_each_view(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    identity = login("staff:kcc")
    reference = new_zaak(db_engine, answers={"contact": {"vraag": "Wanneer komt de bus?"}})
    for _ in range(2):
        response = client.get(f"/backoffice/zaken/{reference}")
        assert response.status_code == 200
    text = text_of(response.text)
    assert reference in text
    assert "Suzanne Moulin" in text
    assert SUZANNE_BSN in text
    assert "suzanne@example.org" in text
    assert "Wanneer komt de bus?" in text
    entries = access_log(db_engine)
    assert len(entries) == 2
    for entry in entries:
        assert entry.staff_subject == identity.subject
        assert entry.staff_role == "kcc"
        assert entry.action == "zaak_bekeken"
        assert entry.zaak_reference == reference
        assert entry.subject_bsn == SUZANNE_BSN
        assert entry.purpose == f"Behandeling zaak {reference}"


def test_behandelaar_views_are_logged_as_behandelaar(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:kcc,behandelaar")
    reference = new_zaak(db_engine, bsn=None, kvk=DAGOBERT_KVK, name="Test EMZ Dagobert")
    assert client.get(f"/backoffice/zaken/{reference}").status_code == 200
    (entry,) = access_log(db_engine)
    assert entry.staff_role == "behandelaar"
    assert entry.subject_kvk == DAGOBERT_KVK


def test_submitted_form_answers_are_shown_as_on_the_check_page(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:kcc")
    answers = {"vraag": {"onderwerp": "afval", "vraag": "Wanneer wordt het oud papier opgehaald?"}}
    reference = new_zaak(db_engine, product="vraag", answers=answers, form_slug="vraag")
    text = text_of(client.get(f"/backoffice/zaken/{reference}").text)
    assert "Wanneer wordt het oud papier opgehaald?" in text


def test_unknown_case_is_404_and_others_are_refused(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    reference = new_zaak(db_engine)
    login("staff:kcc")
    assert client.get("/backoffice/zaken/HRN-2020-999999").status_code == 404
    assert client.get("/backoffice/zaken/iets-anders").status_code == 404
    login("staff:beheerder")
    assert client.get(f"/backoffice/zaken/{reference}").status_code == 403
    login("suzanne")
    assert client.get(f"/backoffice/zaken/{reference}").status_code == 403
    assert access_log(db_engine) == []


def test_document_download_is_an_attachment_and_logged(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any, settings: Settings
) -> None:
    login("staff:behandelaar")
    reference = new_zaak(db_engine)
    zaak = load_zaak(db_engine, reference)
    stored = file_store(settings.data_dir).save(io.BytesIO(PDF))
    with Session(db_engine) as db:
        document = zaken_service.add_document(
            db,
            zaak_id=zaak.id or 0,
            title="Bewijs",
            filename='bewijs "1".pdf',
            content_type="application/pdf",
            size=stored.size,
            stored_name=stored.stored_name,
            sha256=stored.sha256,
            now=datetime.now(UTC),
        )
        db.commit()
        document_id = document.id
    other = new_zaak(db_engine)
    response = client.get(f"/backoffice/zaken/{reference}/documenten/{document_id}")
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "no-store" in response.headers["cache-control"]
    (entry,) = access_log(db_engine)
    assert entry.action == "document_bekeken"
    assert entry.zaak_reference == reference
    assert entry.staff_role == "behandelaar"
    # The document through another case's address does not exist.
    assert client.get(f"/backoffice/zaken/{other}/documenten/{document_id}").status_code == 404
    assert client.get(f"/backoffice/zaken/{reference}/documenten/999999").status_code == 404
    assert len(access_log(db_engine)) == 1


def test_a_document_number_beyond_any_row_is_a_bad_request(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    """Found by fuzzing: the driver failed on a number too large for the database (500)."""
    login("staff:behandelaar")
    reference = new_zaak(db_engine)
    for number in ("2147483648", "9" * 80):
        response = client.get(f"/backoffice/zaken/{reference}/documenten/{number}")
        assert response.status_code == 400
    assert access_log(db_engine) == []
