"""The access matrix of every case-related route (quality.md S2): two residents, two companies
and each staff role. What is not yours answers 404 (as if it did not exist), a wrong role 403,
and an anonymous visitor is sent to log in. Routes are found by walking the app, so a new case
route is in the matrix without anyone adding it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from portal.afspraken import booking
from portal.afspraken import service as afspraken_service
from portal.afspraken.demo import load_afspraken_demo
from portal.files import file_store
from portal.integrations.zgw import demo as zgw_demo
from portal.integrations.zgw.local import LOCAL_BASE, LocalZgwApi, ZgwStore
from portal.main import create_app
from portal.settings import Settings
from portal.zaaksysteem import registratie
from portal.zaken import handling, service, zaaktypen
from tests.conftest import BV_KVK, DAGOBERT_KVK, LANCE_BSN, SUZANNE_BSN, csrf_token_for
from tests.security.routes import ClassifiedRoute, classified_routes
from tests.zaaksysteem.helpers import case_system_settings

CASE_PREFIXES = (
    "/mijn/zaken",
    "/mijn/berichten",
    "/mijn/afspraken",
    "/mijn/gegevens",
    "/backoffice",
)
STAFF_KINDS = {
    "kcc": "staff:kcc",
    "behandelaar": "staff:behandelaar",
    "beheerder": "staff:beheerder",
    "balie": "staff:balie",
}
CUSTOMERS = {"suzanne": SUZANNE_BSN, "lance": LANCE_BSN, "dagobert": DAGOBERT_KVK, "bv": BV_KVK}


@pytest.fixture
def settings(database_url: str) -> Settings:
    """With the case system on, so its routes are in the matrix too."""
    return case_system_settings(database_url, LOCAL_BASE)


@pytest.fixture
def store() -> ZgwStore:
    """The case system with one case (and a shown document) for each customer."""
    store = ZgwStore(LOCAL_BASE)
    zgw_demo.add_catalogue(store)
    for number, owner in enumerate(CUSTOMERS, start=1):
        key = CUSTOMERS[owner]
        zgw_demo.add_case(
            store,
            zaaktype=zgw_demo.ZAAKTYPE_MELDING,
            identificatie=f"MATRIX-{number}",
            omschrijving=f"Melding van {owner}",
            initiator={"bsn": key} if len(key) == 9 else {"kvk": key},
            started=datetime.now(UTC) - timedelta(days=2),
            statuses=1,
            documents=(("Ontvangstbevestiging", "definitief", "openbaar"),),
        )
    return store


@pytest.fixture
def app(settings: Settings, store: ZgwStore, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    monkeypatch.setattr("portal.integrations.zgw._local_api", lambda: LocalZgwApi(store))
    return create_app(settings)


def _case_system_params(store: ZgwStore, owner: str) -> dict[str, str]:
    identificatie = f"MATRIX-{list(CUSTOMERS).index(owner) + 1}"
    (zaak,) = store.search("zaken", {"identificatie": identificatie})
    (link,) = store.search("zaakinformatieobjecten", {"zaak": zaak["url"]})
    document = store.get(link["informatieobject"])
    assert document is not None
    return {"identificatie": identificatie, "key": document["uuid"]}


def _registration_of(db: Session, owner: str, now: datetime) -> str:
    number = CUSTOMERS[owner]
    resident = len(number) == 9
    queued = registratie.queue_registration(
        db,
        registratie.NewRegistration(
            reference=service.next_reference(db, year=now.year),
            submission_token=f"matrix-registratie-{owner}",
            form_slug="gehandicaptenparkeerkaart",
            product="gehandicaptenparkeerkaart",
            zaaktype_url="http://zgw.invalid/catalogi/api/v1/zaaktypen/x",
            omschrijving="Gehandicaptenparkeerkaart",
            initiator_kind="natuurlijk_persoon" if resident else "niet_natuurlijk_persoon",
            initiator_bsn=number if resident else None,
            initiator_kvk=None if resident else number,
            initiator_vestiging=None,
            initiator_name=owner,
            contact_email=None,
            received_at=now,
            summary=[],
        ),
        [],
    )
    return str(queued.id)


def case_routes(app: FastAPI) -> list[ClassifiedRoute]:
    return [r for r in classified_routes(app) if r.path.startswith(CASE_PREFIXES)]


def _case_of(db: Session, owner: str, settings: Any, now: datetime) -> dict[str, str]:
    """A case with a document and an open information request, owned by `owner`."""
    number = CUSTOMERS[owner]
    resident = len(number) == 9
    zaak = service.create_zaak(
        db,
        zaaktype="parkeervergunning",
        omschrijving="Parkeervergunning",
        initiator=service.Initiator(
            kind="natuurlijk_persoon" if resident else "niet_natuurlijk_persoon",
            bsn=number if resident else None,
            kvk=None if resident else number,
            name=owner,
        ),
        answers={},
        submission_token=f"matrix-{owner}",
        received_at=now,
        contact_email=f"{owner}@example.nl",
    )
    assert zaak.id is not None
    stored = file_store(settings.data_dir).save(BytesIO(b"%PDF-1.4\n%%EOF\n"))
    document = service.add_document(
        db,
        zaak_id=zaak.id,
        title="Aanvraag",
        filename="aanvraag.pdf",
        content_type="application/pdf",
        size=stored.size,
        stored_name=stored.stored_name,
        sha256=stored.sha256,
        now=now,
    )
    verzoek = handling.request_information(
        db,
        zaak,
        version=zaak.version,
        kind="vraag",
        question="Welk kenteken?",
        deadline=now.date() + timedelta(days=14),
        actor=handling.Actor("medewerker-behandelaar", "Test", "behandelaar"),
        settings=settings,
        now=now,
    )
    return {
        "reference": zaak.reference,
        "document_id": str(document.id),
        "verzoek_id": str(verzoek.id),
        "slug": "parkeervergunning",
        "kenmerk": _appointment_of(db, owner, settings, now),
        "registratie_id": _registration_of(db, owner, now),
    }


def _appointment_of(db: Session, owner: str, settings: Any, now: datetime) -> str:
    """A confirmed appointment of `owner` on the first bookable day (demo locations)."""
    if afspraken_service.get_location(db, "gemeentehuis") is None:
        load_afspraken_demo(db, settings)
    choice = afspraken_service.make_choice(db, ["paspoort"], 1)
    times = afspraken_service.available_times_by_day(
        db,
        choice,
        "gemeentehuis",
        first=now.date() + timedelta(days=1),
        last=now.date() + timedelta(days=14),
        now=now,
    )
    number = CUSTOMERS[owner]
    resident = len(number) == 9
    appointment = booking.book_for_caller(
        db,
        choice=choice,
        location_code="gemeentehuis",
        start=times[min(times)][list(CUSTOMERS).index(owner)],
        contact=booking.Contact(name=owner, email=f"{owner}@example.nl", phone=""),
        staff_subject="medewerker-balie",
        settings=settings,
        now=now,
    )
    appointment.bsn = number if resident else None
    appointment.kvk = None if resident else number
    db.add(appointment)
    db.flush()
    return appointment.reference


@pytest.fixture
def cases(db_engine: Any, settings: Any, store: ZgwStore) -> dict[str, dict[str, str]]:
    now = datetime.now(UTC)
    with Session(db_engine) as db:
        made = {
            owner: {**_case_of(db, owner, settings, now), **_case_system_params(store, owner)}
            for owner in CUSTOMERS
        }
        zaaktypen.set_staff_products(
            db,
            staff_subject="medewerker-behandelaar",
            staff_name="Test Medewerker",
            zaaktypen={"parkeervergunning"},
        )
        db.commit()
    return made


def _request(client: TestClient, route: ClassifiedRoute, params: dict[str, str]) -> int:
    path = route.path.format(**params)
    if "GET" in route.methods:
        return client.get(path, follow_redirects=False).status_code
    data = {"csrf_token": csrf_token_for(client), "version": "1"}
    return client.post(path, data=data, follow_redirects=False).status_code


def _reached(status: int) -> bool:
    """The page itself answered (a page, a redirect after success, or a validation error)."""
    return status not in (403, 404) and status < 500


def _staff_allowed(route: ClassifiedRoute, role: str) -> bool:
    (access,) = route.access
    allowed = access.removeprefix("staff:").split("|")
    return access == "staff:any" or role in allowed


def test_every_case_route_is_in_the_matrix(app: FastAPI) -> None:
    names = {r.name for r in case_routes(app)}
    assert {"zaken:detail", "zaken:document", "zaken:answer", "backoffice:case"} <= names
    assert {"zaaksysteem:detail", "zaaksysteem:document", "backoffice:registrations"} <= names
    for route in case_routes(app):
        (access,) = route.access
        assert access == "customer" or access.startswith("staff:"), route.path


def test_anonymous_visitors_are_sent_to_log_in(
    client: TestClient, app: FastAPI, cases: dict[str, dict[str, str]]
) -> None:
    for route in case_routes(app):
        response_status = _request(client, route, cases["suzanne"])
        assert response_status in (302, 303, 307), f"{route.methods} {route.path}"


@pytest.mark.parametrize("owner", list(CUSTOMERS))
def test_customers_get_404_for_what_is_not_theirs(
    client: TestClient, app: FastAPI, login: Any, cases: dict[str, dict[str, str]], owner: str
) -> None:
    customer_routes = [r for r in case_routes(app) if r.access == ("customer",)]
    for other in CUSTOMERS:
        if other == owner:
            continue
        login(other)
        for route in customer_routes:
            if "{" not in route.path:
                continue
            status = _request(client, route, cases[owner])
            assert status == 404, f"{other} on {owner}'s {route.methods} {route.path}: {status}"


@pytest.mark.parametrize("owner", list(CUSTOMERS))
def test_customers_reach_their_own_cases(
    client: TestClient, app: FastAPI, login: Any, cases: dict[str, dict[str, str]], owner: str
) -> None:
    login(owner)
    for route in case_routes(app):
        status = _request(client, route, cases[owner])
        if route.access == ("customer",):
            assert _reached(status), f"{route.path}: {status}"
        else:
            assert status == 403, f"{owner} on staff route {route.path}: {status}"


@pytest.mark.parametrize("role", list(STAFF_KINDS))
def test_staff_roles(
    client: TestClient, app: FastAPI, login: Any, cases: dict[str, dict[str, str]], role: str
) -> None:
    login(STAFF_KINDS[role])
    for route in case_routes(app):
        status = _request(client, route, cases["suzanne"])
        if route.access == ("customer",):
            assert status == 403, f"{role} on resident route {route.path}: {status}"
        elif _staff_allowed(route, role):
            assert _reached(status), f"{role} {route.path}: {status}"
        else:
            assert status == 403, f"{role} on {route.methods} {route.path}: {status}"


def test_a_behandelaar_of_another_product_cannot_handle_the_case(
    client: TestClient, app: FastAPI, login: Any, cases: dict[str, dict[str, str]], db_engine: Any
) -> None:
    with Session(db_engine) as db:
        zaaktypen.set_staff_products(
            db, staff_subject="medewerker-behandelaar", staff_name="T", zaaktypen={"paspoort"}
        )
        db.commit()
    login("staff:behandelaar")
    for route in case_routes(app):
        (access,) = route.access
        if "POST" in route.methods and access == "staff:behandelaar":
            status = _request(client, route, cases["suzanne"])
            assert status == 403, f"{route.path}: {status}"
