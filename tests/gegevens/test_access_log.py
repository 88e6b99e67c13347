"""'Wie heeft mijn gegevens ingezien': every staff view of the person's case leaves a row the
person sees (role in plain words, date, which case, linked), the employee's name only when the
municipality configures it; the portal's own BRP/KVK requests are listed apart."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from auth.identity import Identity
from portal.gegevens.models import AccessLogEntry
from portal.main import create_app
from portal.settings import Settings
from tests.conftest import LANCE_BSN
from tests.gegevens.helpers import page
from tests.zaken import resident_helpers as cases

Login = Callable[[str], Identity]
LOG = "/mijn/gegevens/inzage"


def rows(response: Any, section: str) -> list[list[str]]:
    table = page(response).select_one(f"section[aria-labelledby={section}] table")
    if table is None:
        return []
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in table.select("tbody tr")
    ]


def test_a_staff_view_always_leaves_a_row_the_person_sees(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine, "lance", omschrijving="Verhuizing doorgeven")
    login("lance")
    assert rows(client.get(LOG), "medewerkers") == []
    login("staff:kcc")
    assert client.get(f"/backoffice/zaken/{reference}").status_code == 200
    with Session(db_engine) as db:
        logged = db.exec(select(AccessLogEntry)).all()
    assert [(r.action, r.subject_bsn, r.zaak_reference) for r in logged] == [
        ("zaak_bekeken", LANCE_BSN, reference)
    ]
    login("lance")
    response = client.get(LOG)
    assert response.status_code == 200
    (row,) = rows(response, "medewerkers")
    assert row[1] == "Een medewerker van het Klantcontactcentrum"
    assert row[2] == "Heeft uw zaak bekeken"
    assert row[3] == f"Behandeling van zaak {reference}"
    assert "Test Medewerker" not in response.text  # no names unless the municipality says so
    link = page(response).select_one(f'a[href="/mijn/zaken/{reference}"]')
    assert link is not None


def test_the_name_is_shown_when_configured(
    db_engine: Any, settings: Settings, login: Login, client: TestClient
) -> None:
    reference = cases.make_zaak(db_engine, "lance")
    login("staff:behandelaar")
    client.get(f"/backoffice/zaken/{reference}")
    named: FastAPI = create_app(settings.model_copy(update={"access_log_shows_staff_name": True}))
    with TestClient(named, base_url="http://testserver", follow_redirects=False) as other:
        other.cookies = client.cookies
        login("lance")
        other.cookies = client.cookies
        (row,) = rows(other.get(LOG), "medewerkers")
    assert row[1].startswith("Test Medewerker (")


def test_other_peoples_views_are_not_shown(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine, "suzanne")
    login("staff:kcc")
    client.get(f"/backoffice/zaken/{reference}")
    login("lance")
    response = client.get(LOG)
    assert rows(response, "medewerkers") == []
    assert reference not in response.text


def test_the_portals_own_requests_to_brp_and_kvk_are_listed(
    client: TestClient, login: Login
) -> None:
    login("lance")
    client.get("/mijn")
    (row,) = rows(client.get(LOG), "opvragingen")
    assert row[1] == "Mijn Haren vroeg uw gegevens op bij de BRP"
    login("dagobert")
    client.get("/mijn/gegevens")
    (row,) = rows(client.get(LOG), "opvragingen")
    assert row[1] == "Mijn Haren vroeg uw bedrijfsgegevens op bij de KVK"
