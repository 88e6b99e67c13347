"""Handling a case from the back office: every action changes the case (and queues the
resident's message) or, refused, changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.backoffice.web import today
from portal.berichten.models import OutboxMessage
from portal.zaken.models import ZaakBericht, ZaakDocument, ZaakStatus, ZaakVerzoek
from tests.backoffice.helpers import PDF, Poster, give_products, load_zaak, new_zaak

STALE = "Deze zaak is intussen gewijzigd door iemand anders."


def case_url(reference: str, action: str = "") -> str:
    return f"/backoffice/zaken/{reference}" + (f"/{action}" if action else "")


def outbox(engine: Any, reference: str) -> list[str]:
    with Session(engine) as db:
        query = select(OutboxMessage).where(col(OutboxMessage.zaak_reference) == reference)
        return [m.kind for m in db.exec(query.order_by(col(OutboxMessage.id))).all()]


def history(engine: Any, reference: str) -> list[ZaakStatus]:
    zaak = load_zaak(engine, reference)
    with Session(engine) as db:
        query = select(ZaakStatus).where(col(ZaakStatus.zaak_id) == zaak.id)
        return list(db.exec(query.order_by(col(ZaakStatus.id))).all())


def test_claim_and_assign(post: Poster, behandelaar: Identity, db_engine: Any) -> None:
    reference = new_zaak(db_engine)
    give_products(db_engine, "collega", "verhuizing-doorgeven", name="Carla Collega")
    give_products(db_engine, "ander", "paspoort", name="Anton Ander")
    response = post(case_url(reference, "oppakken"), {"version": "1"})
    assert response.status_code == 303
    assert response.headers["location"] == case_url(reference)
    zaak = load_zaak(db_engine, reference)
    assert (zaak.assigned_to, zaak.assigned_name) == (behandelaar.subject, "Test Medewerker")
    # Only a behandelaar of this product can get the case.
    refused = post(case_url(reference, "toewijzen"), {"version": "2", "medewerker": "ander"})
    assert refused.status_code == 422
    assert "Kies een behandelaar van dit product." in refused.text
    assert load_zaak(db_engine, reference).version == 2
    given = post(case_url(reference, "toewijzen"), {"version": "2", "medewerker": "collega"})
    assert given.status_code == 303
    zaak = load_zaak(db_engine, reference)
    assert (zaak.assigned_to, zaak.assigned_name) == ("collega", "Carla Collega")
    released = post(case_url(reference, "toewijzen"), {"version": "3", "medewerker": ""})
    assert released.status_code == 303
    assert load_zaak(db_engine, reference).assigned_to is None


def test_status_change_with_notes_queues_the_message(
    post: Poster, behandelaar: Identity, db_engine: Any
) -> None:
    reference = new_zaak(db_engine)
    response = post(
        case_url(reference, "status"),
        {
            "version": "1",
            "status": "in_behandeling",
            "bericht": "Wij kijken ernaar.",
            "intern": "Adres controleren",
        },
    )
    assert response.status_code == 303
    assert load_zaak(db_engine, reference).status == "in_behandeling"
    last = history(db_engine, reference)[-1]
    assert (last.status, last.note_for_resident, last.internal_note, last.set_by) == (
        "in_behandeling",
        "Wij kijken ernaar.",
        "Adres controleren",
        "Test Medewerker",
    )
    assert outbox(db_engine, reference) == ["status_changed"]


def test_invalid_status_input_is_422_and_changes_nothing(
    post: Poster, behandelaar: Identity, db_engine: Any
) -> None:
    reference = new_zaak(db_engine)
    for data in (
        {"status": "afgehandeld"},
        {"status": "wacht_op_u"},
        {"status": ""},
        {"status": "in_behandeling", "bericht": "x" * 2001},
    ):
        response = post(case_url(reference, "status"), {"version": "1", **data})
        assert response.status_code == 422
        assert 'href="#status-' in response.text
    assert load_zaak(db_engine, reference).version == 1
    assert outbox(db_engine, reference) == []


def test_information_request_makes_the_case_wait(
    post: Poster, behandelaar: Identity, db_engine: Any
) -> None:
    reference = new_zaak(db_engine)
    deadline = today() + timedelta(days=14)
    response = post(
        case_url(reference, "verzoek"),
        {
            "version": "1",
            "soort": "documenten",
            "vraag": "Stuur uw huurcontract.",
            "termijn": deadline.strftime("%d-%m-%Y"),
        },
    )
    assert response.status_code == 303
    zaak = load_zaak(db_engine, reference)
    assert zaak.status == "wacht_op_u"
    assert zaak.paused_at is not None
    with Session(db_engine) as db:
        (verzoek,) = db.exec(select(ZaakVerzoek).where(ZaakVerzoek.zaak_id == zaak.id)).all()
    assert (verzoek.kind, verzoek.question, verzoek.deadline) == (
        "documenten",
        "Stuur uw huurcontract.",
        deadline,
    )
    assert outbox(db_engine, reference) == ["information_requested"]


def test_information_request_accepts_a_date_input_and_refuses_bad_input(
    post: Poster, behandelaar: Identity, db_engine: Any
) -> None:
    reference = new_zaak(db_engine)
    for termijn in (
        "",
        "31-02-2030",
        today().isoformat(),
        (today() + timedelta(days=400)).isoformat(),
    ):
        response = post(
            case_url(reference, "verzoek"),
            {
                "version": "1",
                "soort": "vraag",
                "vraag": "Wat is uw telefoonnummer?",
                "termijn": termijn,
            },
        )
        assert response.status_code == 422, termijn
        assert 'href="#verzoek-termijn"' in response.text
        assert "Wat is uw telefoonnummer?" in response.text  # what was typed stays
    empty = post(case_url(reference, "verzoek"), {"version": "1"})
    assert empty.status_code == 422
    assert 'href="#verzoek-vraag"' in empty.text
    assert load_zaak(db_engine, reference).status == "ontvangen"
    iso = (today() + timedelta(days=7)).isoformat()
    ok = post(
        case_url(reference, "verzoek"),
        {"version": "1", "soort": "vraag", "vraag": "Wat is uw telefoonnummer?", "termijn": iso},
    )
    assert ok.status_code == 303


def test_letter_upload_accepts_pdf_only(
    client: TestClient, post: Poster, behandelaar: Identity, db_engine: Any
) -> None:
    reference = new_zaak(db_engine)
    refused = post(
        case_url(reference, "brief"),
        {"version": "1", "titel": "Besluit", "soort": "besluit"},
        files={"bestand": ("besluit.pdf", b"GIF89a not a pdf", "application/pdf")},
    )
    assert refused.status_code == 422
    assert "geen PDF-bestand" in refused.text
    accepted = post(
        case_url(reference, "brief"),
        {"version": "1", "titel": "Besluit verhuizing", "soort": "besluit"},
        files={"bestand": ("besluit", PDF, "application/octet-stream")},
    )
    assert accepted.status_code == 303
    zaak = load_zaak(db_engine, reference)
    with Session(db_engine) as db:
        (document,) = db.exec(select(ZaakDocument).where(ZaakDocument.zaak_id == zaak.id)).all()
    assert (document.title, document.filename, document.source, document.added_by) == (
        "Besluit verhuizing",
        "besluit.pdf",
        "besluit",
        "Test Medewerker",
    )
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    assert zaak.version == 2
    download = client.get(case_url(reference, f"documenten/{document.id}"))
    assert download.status_code == 200
    assert download.content == PDF


def test_close_with_result(post: Poster, behandelaar: Identity, db_engine: Any) -> None:
    reference = new_zaak(db_engine)
    wrong = post(case_url(reference, "afsluiten"), {"version": "1", "resultaat": "geen_besluit"})
    assert wrong.status_code == 422
    response = post(
        case_url(reference, "afsluiten"),
        {"version": "1", "resultaat": "toegekend", "bericht": "Uw verhuizing is verwerkt."},
    )
    assert response.status_code == 303
    zaak = load_zaak(db_engine, reference)
    assert zaak.closed_at is not None
    assert zaak.result == "toegekend"
    assert zaak.status == "afgehandeld"
    assert outbox(db_engine, reference) == ["decision_made"]
    again = post(
        case_url(reference, "status"), {"version": str(zaak.version), "status": "in_behandeling"}
    )
    assert again.status_code == 409


def test_stale_version_is_409_and_changes_nothing(
    post: Poster, behandelaar: Identity, db_engine: Any
) -> None:
    reference = new_zaak(db_engine)
    assert post(case_url(reference, "oppakken"), {"version": "1"}).status_code == 303
    for action, data in (
        ("status", {"status": "in_behandeling", "bericht": "Hallo"}),
        ("afsluiten", {"resultaat": "toegekend"}),
        ("oppakken", {}),
        (
            "verzoek",
            {
                "soort": "vraag",
                "vraag": "Vraag?",
                "termijn": (today() + timedelta(days=5)).isoformat(),
            },
        ),
    ):
        response = post(case_url(reference, action), {"version": "1", **data})
        assert response.status_code == 409, action
        assert STALE in response.text
    zaak = load_zaak(db_engine, reference)
    assert (zaak.version, zaak.status, zaak.closed_at) == (2, "ontvangen", None)
    assert len(history(db_engine, reference)) == 1
    assert outbox(db_engine, reference) == []


def test_behandelaar_of_another_product_may_look_but_not_handle(
    client: TestClient, post: Poster, behandelaar: Identity, db_engine: Any
) -> None:
    reference = new_zaak(db_engine, product="paspoort")
    page = client.get(case_url(reference))
    assert page.status_code == 200
    assert "Zaak oppakken" not in page.text
    for action in ("oppakken", "status", "afsluiten", "verzoek", "toewijzen", "brief"):
        response = post(case_url(reference, action), {"version": "1", "status": "in_behandeling"})
        assert response.status_code == 403, action
        assert "U behandelt dit product niet" in response.text
    assert load_zaak(db_engine, reference).version == 1


def test_behandelaar_without_products_handles_nothing(
    client: TestClient, post: Poster, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:behandelaar")
    reference = new_zaak(db_engine)
    assert client.get("/backoffice/zaken").status_code == 200
    assert post(case_url(reference, "oppakken"), {"version": "1"}).status_code == 403


def test_kcc_answers_messages_but_does_not_handle(
    post: Poster, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:kcc")
    reference = new_zaak(db_engine)
    for action in ("oppakken", "toewijzen", "status", "verzoek", "brief", "afsluiten"):
        response = post(case_url(reference, action), {"version": "1", "status": "in_behandeling"})
        assert response.status_code == 403, action
    assert load_zaak(db_engine, reference).version == 1
    empty = post(case_url(reference, "berichten"), {"tekst": "  "})
    assert empty.status_code == 422
    assert 'href="#bericht-tekst"' in empty.text
    response = post(case_url(reference, "berichten"), {"tekst": "U kunt langskomen."})
    assert response.status_code == 303
    zaak = load_zaak(db_engine, reference)
    with Session(db_engine) as db:
        (message,) = db.exec(select(ZaakBericht).where(ZaakBericht.zaak_id == zaak.id)).all()
    # The resident sees the role, never the employee's name.
    assert (message.sender, message.author, message.body) == (
        "medewerker",
        "kcc",
        "U kunt langskomen.",
    )
    assert outbox(db_engine, reference) == ["message_received"]


def test_behandelaar_of_any_product_may_post_a_message(
    post: Poster, behandelaar: Identity, db_engine: Any
) -> None:
    reference = new_zaak(db_engine, product="paspoort")
    assert post(case_url(reference, "berichten"), {"tekst": "Even geduld."}).status_code == 303
    assert outbox(db_engine, reference) == ["message_received"]


def test_forms_need_the_anti_forgery_token(
    client: TestClient, behandelaar: Identity, db_engine: Any
) -> None:
    reference = new_zaak(db_engine)
    response = client.post(case_url(reference, "oppakken"), data={"version": "1"})
    assert response.status_code == 403
    assert load_zaak(db_engine, reference).assigned_to is None


def test_case_page_shows_the_handling_forms_to_its_behandelaar(
    client: TestClient, behandelaar: Identity, db_engine: Any
) -> None:
    reference = new_zaak(db_engine)
    html = client.get(case_url(reference)).text
    for action in ("oppakken", "toewijzen", "status", "verzoek", "brief", "afsluiten", "berichten"):
        assert f'action="{case_url(reference, action)}"' in html
    assert 'name="version" value="1"' in html
