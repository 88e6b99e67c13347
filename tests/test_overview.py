"""The overview greets by the name the BRP or KVK knows, fetches it once per session, and says
clearly when a source is unavailable."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from auth.models import UserSession
from portal.main import create_app
from tests.conftest import csrf_token_for, make_settings
from tests.zaken import resident_helpers as cases


def heading(response: Any) -> str:
    h1 = BeautifulSoup(response.text, "html.parser").select_one("main h1")
    assert h1 is not None
    return h1.get_text(" ", strip=True)


def test_resident_is_greeted_with_the_brp_name(client: TestClient, login: Any) -> None:
    login("suzanne")
    response = client.get("/mijn")
    assert response.status_code == 200
    assert "Suzanne Moulin" in heading(response)


def test_company_is_greeted_with_the_kvk_name(client: TestClient, login: Any) -> None:
    login("dagobert")
    response = client.get("/mijn")
    assert "Test EMZ Dagobert" in heading(response)


def test_brp_data_lives_in_the_session_and_dies_with_it(
    client: TestClient, login: Any, db_engine: Any
) -> None:
    login("suzanne")
    client.get("/mijn")
    with Session(db_engine) as db:
        row = db.exec(select(UserSession)).one()
        assert row.session_cache["brp_persoon"]["burgerservicenummer"] == "999993653"
    client.post("/uitloggen", data={"csrf_token": csrf_token_for(client)})
    with Session(db_engine) as db:
        assert db.exec(select(UserSession)).all() == []


def test_name_is_shown_in_the_header_on_other_pages(client: TestClient, login: Any) -> None:
    login("suzanne")
    client.get("/mijn")
    page = BeautifulSoup(client.get("/contact").text, "html.parser")
    header = page.select_one("header")
    assert header is not None
    assert "Suzanne Moulin" in header.get_text(" ", strip=True)


def test_staff_cannot_open_the_resident_overview(client: TestClient, login: Any) -> None:
    login("staff:kcc")
    assert client.get("/mijn").status_code == 403


def test_residents_cannot_open_the_back_office(client: TestClient, login: Any) -> None:
    login("suzanne")
    assert client.get("/backoffice").status_code == 403


def test_unreachable_brp_gives_a_clear_page(
    database_url: str, client: TestClient, login: Any
) -> None:
    login("suzanne")
    token = client.cookies.get("mh_sessie")
    settings = make_settings(
        database_url, brp_backend="haalcentraal", brp_url="http://127.0.0.1:9/brp"
    )
    with TestClient(create_app(settings), follow_redirects=False) as other:
        other.cookies.set("mh_sessie", token or "")
        response = other.get("/mijn")
    assert response.status_code == 503
    assert "niet beschikbaar" in heading(response)
    assert "14 050" in response.text


def test_overview_says_which_cases_wait_for_the_resident(
    client: TestClient, login: Any, db_engine: Any
) -> None:
    waiting = cases.make_zaak(db_engine, omschrijving="Parkeervergunning")
    cases.ask(db_engine, waiting)
    cases.make_zaak(db_engine, omschrijving="Verhuizing doorgeven")
    login("suzanne")
    page = BeautifulSoup(client.get("/mijn").text, "html.parser")
    action = page.select_one("section#actie-nodig, section[aria-labelledby=actie-nodig]")
    assert action is not None
    links = [a["href"] for a in action.select("a")]
    assert links == [f"/mijn/zaken/{waiting}"]

    login("lance")
    page = BeautifulSoup(client.get("/mijn").text, "html.parser")
    assert page.select_one("section[aria-labelledby=actie-nodig]") is None
