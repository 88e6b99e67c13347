"""Server-side sessions: 15 idle minutes end them, extending restarts the clock, logout ends."""

from __future__ import annotations

import time
from typing import Any

import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from auth.models import UserSession
from portal.worker import run_jobs_once
from tests.conftest import csrf_token_for


def session_count(db_engine: Any) -> int:
    with db_engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(UserSession)).scalar_one())


def test_anonymous_visitor_is_sent_to_login(client: TestClient) -> None:
    response = client.get("/mijn")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/inloggen?next=%2Fmijn")


def test_logged_in_page_says_when_the_session_ends(client: TestClient, login: Any) -> None:
    login("suzanne")
    response = client.get("/mijn")
    assert response.status_code == 200
    assert 880 <= int(response.headers["x-session-expires-in"]) <= 900


def test_session_ends_after_fifteen_idle_minutes(
    client: TestClient, login: Any, db_engine: Any
) -> None:
    login("suzanne")
    later = time.time() + 15 * 60 + 1
    with time_machine.travel(later, tick=False):
        response = client.get("/mijn")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sessie-verlopen?next=%2Fmijn")
    assert "mh_sessie=; Path=/; Max-Age=0" in response.headers["set-cookie"]
    with time_machine.travel(later, tick=False):
        run_jobs_once(client.app.state.settings)  # type: ignore[attr-defined]
    assert session_count(db_engine) == 0


def test_activity_keeps_the_session_alive(client: TestClient, login: Any) -> None:
    login("suzanne")
    now = time.time()
    for minutes in (10, 20, 30):
        with time_machine.travel(now + minutes * 60, tick=False):
            assert client.get("/mijn").status_code == 200


def test_extending_restarts_the_idle_clock(client: TestClient, login: Any) -> None:
    login("suzanne")
    now = time.time()
    csrf = csrf_token_for(client)
    with time_machine.travel(now + 14 * 60, tick=False):
        response = client.post(
            "/sessie/verlengen", headers={"X-CSRF-Token": csrf, "Accept": "application/json"}
        )
        assert response.status_code == 204
    with time_machine.travel(now + 28 * 60, tick=False):
        assert client.get("/mijn").status_code == 200


def test_absolute_lifetime_ends_even_an_active_session(client: TestClient, login: Any) -> None:
    login("suzanne")
    now = time.time()
    for minutes in range(10, 12 * 60, 10):
        with time_machine.travel(now + minutes * 60, tick=False):
            assert client.get("/health/live").status_code == 200
            client.get("/")
    with time_machine.travel(now + 12 * 3600 + 60, tick=False):
        assert client.get("/mijn").status_code == 303


def test_logout_ends_the_server_session(client: TestClient, login: Any, db_engine: Any) -> None:
    login("suzanne")
    csrf = csrf_token_for(client)
    old_cookie = client.cookies.get("mh_sessie")
    response = client.post("/uitloggen", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert session_count(db_engine) == 0
    client.cookies.set("mh_sessie", old_cookie or "")
    assert client.get("/mijn").status_code == 303
