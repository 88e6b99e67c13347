"""Every state-changing route refuses requests without a valid anti-forgery token or from another
site (ASVS 3.5.1), and no GET changes the database (ASVS 3.5.3)."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from portal.registry import import_all_models
from portal.security import CSRF_EXEMPT_PATHS, issue_csrf_token
from tests.conftest import csrf_token_for
from tests.security.routes import classified_routes

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def concrete_path(path: str) -> str:
    return (
        path.replace("{provider}", "digid")
        .replace("{language}", "en")
        .replace("{", "x")
        .replace("}", "x")
    )


def unsafe_routes(app: FastAPI) -> list[tuple[str, str]]:
    return [
        (method, concrete_path(r.path))
        for r in classified_routes(app)
        for method in r.methods
        if method in UNSAFE and not CSRF_EXEMPT_PATHS.match(concrete_path(r.path))
    ]


def test_there_are_state_changing_routes_to_check(app: FastAPI) -> None:
    assert ("POST", "/uitloggen") in unsafe_routes(app)


@pytest.mark.parametrize(
    "case", ["no token", "bad token", "token of another browser", "cross-site", "foreign origin"]
)
def test_unsafe_routes_refuse_forgeries(
    client: TestClient, app: FastAPI, login: Any, case: str
) -> None:
    login("suzanne")
    good = csrf_token_for(client)
    for method, path in unsafe_routes(app):
        headers: dict[str, str] = {}
        data: dict[str, str] = {}
        if case == "bad token":
            data["csrf_token"] = good[:-4] + "AAAA"
        elif case == "token of another browser":
            data["csrf_token"] = issue_csrf_token(app.state.settings, "x" * 43)
        elif case == "cross-site":
            data["csrf_token"] = good
            headers["Sec-Fetch-Site"] = "cross-site"
        elif case == "foreign origin":
            data["csrf_token"] = good
            headers["Origin"] = "https://evil.example"
        response = client.request(method, path, data=data, headers=headers)
        assert response.status_code == 403, f"{method} {path} accepted {case}"
        assert "Uw formulier is verlopen" in response.text


def test_valid_token_is_accepted(client: TestClient, login: Any) -> None:
    login("suzanne")
    response = client.post("/uitloggen", data={"csrf_token": csrf_token_for(client)})
    assert response.status_code == 303


def test_token_in_htmx_header_is_accepted(client: TestClient, login: Any) -> None:
    login("suzanne")
    response = client.post("/uitloggen", headers={"X-CSRF-Token": csrf_token_for(client)})
    assert response.status_code == 303


def _form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_each_response_carries_a_differently_masked_token(client: TestClient, login: Any) -> None:
    """BREACH: compressed pages must not repeat a secret, so the token in each response is
    masked with a new one-time pad; every masked form unmasks to the same signed secret."""
    login("suzanne")
    first = _form_token(client.get("/mijn", headers={"Accept-Encoding": "gzip"}).text)
    second = _form_token(client.get("/mijn", headers={"Accept-Encoding": "gzip"}).text)
    assert first != second
    assert len(first) == len(second)
    shared = sum(a == b for a, b in zip(first, second, strict=True))
    assert shared < len(first) / 4, "the two tokens should look unrelated"
    for token in (first, second):
        assert client.post("/sessie/verlengen", data={"csrf_token": token}).status_code == 303
    assert client.post("/uitloggen", data={"csrf_token": first}).status_code == 303


@pytest.mark.parametrize("where", ["pad", "masked token", "length"])
def test_a_tampered_masked_token_is_refused(client: TestClient, login: Any, where: str) -> None:
    login("suzanne")
    token = _form_token(client.get("/mijn").text)
    raw = bytearray(base64.urlsafe_b64decode(token))
    if where == "pad":
        raw[0] ^= 1
    elif where == "masked token":
        raw[-5] ^= 1  # the last characters of base64 carry bits that decoding drops
    else:
        raw = raw[:-2]
    tampered = base64.urlsafe_b64encode(bytes(raw)).decode()
    response = client.post("/uitloggen", data={"csrf_token": tampered})
    assert response.status_code == 403
    assert "Uw formulier is verlopen" in response.text


def table_snapshot(db_engine: Any) -> dict[str, int]:
    with db_engine.connect() as connection:
        return {
            table.name: int(
                connection.execute(text(f'SELECT COUNT(*) FROM "{table.name}"')).scalar_one()
            )
            for table in import_all_models().metadata.sorted_tables
            if table.name not in ("rate_limit_window", "auth_session", "auth_pending_login")
        }


def test_no_get_changes_the_database(
    client: TestClient, app: FastAPI, login: Any, db_engine: Any
) -> None:
    """The one write a resident's GET makes is the record of the portal asking the BRP for
    their data (once per session; the resident sees it in their access log)."""
    login("suzanne")
    before = table_snapshot(db_engine)
    for route in classified_routes(app):
        if "GET" in route.methods and "{" not in route.path and not route.path.startswith("/auth/"):
            client.get(route.path)
    after = table_snapshot(db_engine)
    with db_engine.connect() as connection:
        brp_requests = connection.execute(
            text("SELECT COUNT(*) FROM inzage_log WHERE action = 'brp_opgevraagd'")
        ).scalar_one()
    assert brp_requests == 1
    assert {**after, "inzage_log": after["inzage_log"] - brp_requests} == before


def test_no_staff_get_changes_the_database(
    client: TestClient, app: FastAPI, login: Any, db_engine: Any
) -> None:
    """Staff pages only read; the one write a view makes is the access log row (a record of
    the view itself, which the resident can see), and these pages name no person."""
    login("staff:kcc,behandelaar,beheerder")
    before = table_snapshot(db_engine)
    for route in classified_routes(app):
        if (
            "GET" in route.methods
            and "{" not in route.path
            and route.path.startswith("/backoffice")
        ):
            assert client.get(route.path).status_code == 200, route.path
    assert table_snapshot(db_engine) == before
