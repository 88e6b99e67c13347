"""The kcc registers contacts as cases; the beheerder keeps case types and behandelaars."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.zaken import zaaktypen
from portal.zaken.models import StaffProduct, StatusType, Zaak, ZaakType
from tests.backoffice.helpers import Poster
from tests.conftest import DAGOBERT_KVK, SUZANNE_BSN

CONTACT = "/backoffice/contact/nieuw"


def all_cases(engine: Any) -> list[Zaak]:
    with Session(engine) as db:
        return list(db.exec(select(Zaak)).all())


def test_kcc_registers_a_phone_question_as_a_case(
    client: TestClient, post: Poster, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:kcc")
    assert client.get(CONTACT).status_code == 200
    response = post(
        CONTACT,
        {
            "wie": "bsn",
            "nummer": "9999 93 653",
            "naam": "Suzanne  Moulin",
            "kanaal": "telefoon",
            "vraag": "Wanneer wordt het grofvuil opgehaald?",
            "email": "suzanne@example.org",
            "product": "",
        },
    )
    assert response.status_code == 303
    (zaak,) = all_cases(db_engine)
    assert response.headers["location"] == f"/backoffice/zaken/{zaak.reference}"
    assert (zaak.channel, zaak.zaaktype, zaak.initiator_bsn, zaak.initiator_name) == (
        "telefoon",
        "vraag",
        SUZANNE_BSN,
        "Suzanne Moulin",
    )
    assert zaak.initiator_kind == "natuurlijk_persoon"
    assert zaak.contact_email == "suzanne@example.org"
    assert zaak.answers["contact"]["vraag"] == "Wanneer wordt het grofvuil opgehaald?"
    page = client.get(response.headers["location"])
    assert "Wanneer wordt het grofvuil opgehaald?" in page.text


def test_kcc_registers_a_company_question_at_the_desk(
    post: Poster, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:kcc")
    response = post(
        CONTACT,
        {
            "wie": "kvk",
            "nummer": DAGOBERT_KVK,
            "naam": "Test EMZ Dagobert",
            "kanaal": "balie",
            "vraag": "Hebben wij een terrasvergunning nodig?",
            "product": "terrasvergunning",
        },
    )
    assert response.status_code == 303
    (zaak,) = all_cases(db_engine)
    assert (zaak.initiator_kvk, zaak.initiator_bsn, zaak.channel, zaak.zaaktype) == (
        DAGOBERT_KVK,
        None,
        "balie",
        "terrasvergunning",
    )


def test_invalid_contact_is_422_and_creates_nothing(
    post: Poster, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:kcc")
    valid = {
        "wie": "bsn",
        "nummer": SUZANNE_BSN,
        "naam": "Suzanne Moulin",
        "kanaal": "telefoon",
        "vraag": "Vraag",
    }
    for change, field in (
        ({"nummer": "123456789"}, "contact-nummer"),
        ({"wie": "kvk", "nummer": "1234"}, "contact-nummer"),
        ({"naam": " "}, "contact-naam"),
        ({"kanaal": "fax"}, "contact-kanaal"),
        ({"vraag": ""}, "contact-vraag"),
        ({"vraag": "x" * 4001}, "contact-vraag"),
        ({"email": "geen-adres"}, "contact-email"),
        ({"product": "bestaat-niet"}, "contact-product"),
    ):
        response = post(CONTACT, {**valid, **change})
        assert response.status_code == 422, change
        assert f'href="#{field}"' in response.text
    assert all_cases(db_engine) == []


def test_only_kcc_registers_contacts(client: TestClient, login: Callable[[str], Identity]) -> None:
    login("staff:behandelaar")
    assert client.get(CONTACT).status_code == 403


def test_beheerder_changes_the_terms_of_a_case_type(
    client: TestClient, post: Poster, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:beheerder")
    listing = client.get("/backoffice/beheer/zaaktypen")
    assert listing.status_code == 200
    assert "Paspoort" in listing.text
    form = client.get("/backoffice/beheer/zaaktypen/paspoort")
    assert form.status_code == 200
    with Session(db_engine) as db:
        steps = zaaktypen.status_types(db, "paspoort")
    step_fields: dict[str, list[str]] = {
        "stap_code": [s.code for s in steps],
        "stap_naam": [s.name for s in steps],
        "stap_naam_en": [s.name_en for s in steps],
        "stap_uitleg": [s.explanation for s in steps],
        "stap_uitleg_en": [s.explanation_en for s in steps],
        "stap_upload": ["ontvangen"],
        "stap_bericht": ["afgehandeld"],
    }
    step_fields["stap_naam"][1] = "Wij werken eraan"
    response = post(
        "/backoffice/beheer/zaaktypen/paspoort",
        {
            "norm": "12",
            "wettelijk": "",
            "pauze": "nee",
            "resultaten": ["toegekend", "afgewezen"],
            **step_fields,
        },
    )
    assert response.status_code == 303
    with Session(db_engine) as db:
        zaaktype = db.get(ZaakType, "paspoort")
        assert zaaktype is not None
        assert (zaaktype.norm_days, zaaktype.legal_days, zaaktype.pause_allowed) == (
            12,
            None,
            False,
        )
        assert zaaktype.results == ["toegekend", "afgewezen"]
        in_progress = zaaktypen.status_type(db, "paspoort", "in_behandeling")
        assert in_progress is not None
        assert in_progress.name == "Wij werken eraan"
        assert not in_progress.notifies_resident
        assert not in_progress.resident_can_upload


def test_invalid_case_type_values_are_422_and_change_nothing(
    post: Poster, login: Callable[[str], Identity], db_engine: Any, client: TestClient
) -> None:
    login("staff:beheerder")
    with Session(db_engine) as db:
        zaaktypen.ensure_zaaktype(db, "paspoort", now=datetime.now(UTC))
        db.commit()
    with Session(db_engine) as db:
        before = db.get(ZaakType, "paspoort")
        assert before is not None
        norm, results = before.norm_days, list(before.results)
        steps = zaaktypen.status_types(db, "paspoort")
    step_fields = {
        "stap_code": [s.code for s in steps],
        "stap_naam": [s.name for s in steps],
        "stap_naam_en": [s.name_en for s in steps],
        "stap_uitleg": [s.explanation for s in steps],
        "stap_uitleg_en": [s.explanation_en for s in steps],
    }
    for change, field in (
        ({"norm": "0"}, "zaaktype-norm"),
        ({"norm": "366"}, "zaaktype-norm"),
        ({"norm": "tien"}, "zaaktype-norm"),
        ({"wettelijk": "731"}, "zaaktype-wettelijk"),
        ({"resultaten": []}, "zaaktype-resultaten"),
        ({"resultaten": ["verzonnen"]}, "zaaktype-resultaten"),
        ({"stap_naam": ["", *step_fields["stap_naam"][1:]]}, "stap-ontvangen-naam"),
    ):
        data = {"norm": "10", "wettelijk": "56", "pauze": "ja", "resultaten": ["toegekend"]}
        response = post("/backoffice/beheer/zaaktypen/paspoort", {**data, **step_fields, **change})
        assert response.status_code == 422, change
        assert f'href="#{field}"' in response.text
    with Session(db_engine) as db:
        after = db.get(ZaakType, "paspoort")
        assert after is not None
        assert (after.norm_days, after.results) == (norm, results)
        names = [
            s.name
            for s in db.exec(select(StatusType).where(col(StatusType.zaaktype) == "paspoort")).all()
        ]
        assert "" not in names
    assert client.get("/backoffice/beheer/zaaktypen/bestaat-niet").status_code == 404


def test_beheerder_sets_the_products_of_a_behandelaar(
    client: TestClient, post: Poster, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:beheerder")
    assert client.get("/backoffice/beheer/medewerkers").status_code == 200
    response = post(
        "/backoffice/beheer/medewerkers",
        {"medewerker": "bram", "naam": "Bram Behandelaar", "producten": ["paspoort", "rijbewijs"]},
    )
    assert response.status_code == 303
    page = client.get("/backoffice/beheer/medewerkers")
    assert "Bram Behandelaar" in page.text
    post(
        "/backoffice/beheer/medewerkers",
        {"medewerker": "bram", "naam": "Bram", "producten": ["rijbewijs"]},
    )
    with Session(db_engine) as db:
        assert zaaktypen.products_of(db, "bram") == {"rijbewijs"}
    invalid = post(
        "/backoffice/beheer/medewerkers",
        {"medewerker": "bram pieters", "naam": "", "producten": ["bestaat-niet"]},
    )
    assert invalid.status_code == 422
    for field in ("medewerker-id", "medewerker-naam", "medewerker-producten"):
        assert f'href="#{field}"' in invalid.text
    with Session(db_engine) as db:
        rows = db.exec(select(StaffProduct)).all()
        assert [(r.staff_subject, r.zaaktype) for r in rows] == [("bram", "rijbewijs")]


def test_beheer_is_for_the_beheerder_only(
    client: TestClient, login: Callable[[str], Identity]
) -> None:
    login("staff:kcc,behandelaar")
    for path in ("/backoffice/beheer/zaaktypen", "/backoffice/beheer/medewerkers"):
        assert client.get(path).status_code == 403
