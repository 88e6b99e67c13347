"""Whole logins: through a third-party OpenID provider (oidc-provider-mock), and through the
portal's own development provider over real HTTP, ending on the overview with the BRP name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from oidc_provider_mock import User, run_server_in_thread

from auth import oidc
from auth.identity import DIGID_LEVELS, EHERKENNING_LEVELS
from portal.main import create_app
from tests.conftest import SUZANNE_BSN, LiveServer, make_settings


@pytest.fixture(scope="module")
def mock_provider() -> Iterator[str]:
    users = [User(sub="suzanne", claims={"bsn": SUZANNE_BSN, "acr": DIGID_LEVELS[1]})]
    with run_server_in_thread(user_claims=users) as server:
        yield f"http://127.0.0.1:{server.server_port}"


def test_login_through_a_third_party_provider(mock_provider: str, database_url: str) -> None:
    oidc.clear_metadata_cache()
    settings = make_settings(database_url, digid_issuer=mock_provider)
    with TestClient(create_app(settings), follow_redirects=False) as portal:
        authorize_url = portal.get("/auth/digid/login").headers["location"]
        assert authorize_url.startswith(mock_provider)
        chosen = httpx.post(authorize_url, data={"sub": "suzanne"}, follow_redirects=False)
        assert chosen.status_code == 302, chosen.text
        back = urlsplit(chosen.headers["location"])
        assert back.path == "/auth/digid/callback"
        landed = portal.get(f"{back.path}?{back.query}")
        assert landed.status_code == 303, landed.text
        overview = portal.get(landed.headers["location"])
    assert overview.status_code == 200
    heading = BeautifulSoup(overview.text, "html.parser").select_one("h1")
    assert heading is not None
    assert "Suzanne Moulin" in heading.get_text()


def follow_dev_login(
    server: LiveServer, provider: str, subject: str, loa: str | None
) -> httpx.Response:
    """Log in through the development provider as a browser would, without JavaScript."""
    with httpx.Client(base_url=server.url, follow_redirects=False) as browser:
        response = browser.get(f"/auth/{provider}/login")
        assert response.status_code == 303
        page = browser.get(response.headers["location"])
        assert page.status_code == 200, page.text
        form = BeautifulSoup(page.text, "html.parser").select_one("form[method=post]")
        assert form is not None
        fields: dict[str, Any] = {
            i["name"]: i.get("value", "")
            for i in form.select("input[type=hidden]")
            if i.get("name")
        }
        fields["subject"] = subject
        if loa:
            fields["loa"] = loa
        action = urljoin(str(page.url), str(form.get("action") or page.url))
        response = browser.post(action, data=fields)
        for _ in range(5):
            if response.status_code not in (302, 303):
                break
            response = browser.get(urljoin(str(response.url), response.headers["location"]))
        return response


@pytest.mark.live
def test_resident_logs_in_with_development_digid(live_server: LiveServer) -> None:
    oidc.clear_metadata_cache()
    page = follow_dev_login(live_server, "digid", SUZANNE_BSN, DIGID_LEVELS[1])
    assert page.status_code == 200
    assert urlsplit(str(page.url)).path == "/mijn"
    heading = BeautifulSoup(page.text, "html.parser").select_one("h1")
    assert heading is not None
    assert "Suzanne Moulin" in heading.get_text()


@pytest.mark.live
def test_company_logs_in_with_development_eherkenning(live_server: LiveServer) -> None:
    page = follow_dev_login(live_server, "eherkenning", "69599084", EHERKENNING_LEVELS[3])
    assert page.status_code == 200
    assert "Test EMZ Dagobert" in page.text


@pytest.mark.live
def test_staff_logs_in_with_roles(live_server: LiveServer) -> None:
    page = follow_dev_login(live_server, "medewerker", "behandelaar", None)
    assert page.status_code == 200
    assert urlsplit(str(page.url)).path == "/backoffice"
    roles = [
        li.get_text(strip=True) for li in BeautifulSoup(page.text, "html.parser").select("main li")
    ]
    assert "behandelaar" in roles


@pytest.mark.live
def test_logout_ends_the_session_here_and_at_the_provider(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url, follow_redirects=False) as browser:
        response = browser.get("/auth/digid/login")
        page = browser.get(response.headers["location"])
        form = BeautifulSoup(page.text, "html.parser").select_one("form[method=post]")
        assert form is not None
        fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
        fields.update(subject=SUZANNE_BSN, loa=DIGID_LEVELS[1])
        response = browser.post(
            urljoin(str(page.url), str(form.get("action") or page.url)), data=fields
        )
        while response.status_code in (302, 303):
            response = browser.get(urljoin(str(response.url), response.headers["location"]))
        assert urlsplit(str(response.url)).path == "/mijn"
        logout_form = BeautifulSoup(response.text, "html.parser").select_one(
            "header form[action$='/uitloggen']"
        )
        assert logout_form is not None
        token_input = logout_form.select_one("input[name=csrf_token]")
        assert token_input is not None
        response = browser.post("/uitloggen", data={"csrf_token": token_input["value"]})
        assert response.status_code == 303
        provider_logout = urlsplit(response.headers["location"])
        assert provider_logout.path == "/dev-idp/digid/logout"
        assert "id_token_hint=" in provider_logout.query
        response = browser.get(response.headers["location"])
        assert response.status_code in (302, 303)
        assert urlsplit(response.headers["location"]).path == "/uitgelogd"
        assert browser.get("/mijn").status_code == 303
