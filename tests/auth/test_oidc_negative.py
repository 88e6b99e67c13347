"""Every way a login can be forged or go wrong ends without a session (RFC 9700, ASVS V10)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from auth import oidc
from auth.identity import DIGID_LEVELS
from auth.models import UserSession
from portal.main import create_app
from tests.auth.fake_op import FakeOP, Scenario
from tests.conftest import SUZANNE_BSN, make_settings

GOOD_CLAIMS = {"bsn": SUZANNE_BSN, "acr": DIGID_LEVELS[2]}


@pytest.fixture(scope="module")
def fake_op() -> Iterator[FakeOP]:
    op = FakeOP().start()
    yield op
    op.stop()


@pytest.fixture(scope="module")
def other_op() -> Iterator[FakeOP]:
    op = FakeOP().start()
    yield op
    op.stop()


@pytest.fixture
def op(fake_op: FakeOP) -> FakeOP:
    fake_op.scenario = Scenario(claims=dict(GOOD_CLAIMS))
    fake_op.codes.clear()
    oidc.clear_metadata_cache()
    return fake_op


@pytest.fixture
def portal(database_url: str, op: FakeOP, other_op: FakeOP) -> Iterator[TestClient]:
    settings = make_settings(
        database_url, digid_issuer=op.issuer, eherkenning_issuer=other_op.issuer
    )
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


def sessions(db_engine: Any) -> int:
    with db_engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(UserSession)).scalar_one())


def start(portal: TestClient, provider: str = "digid", next: str = "/mijn") -> str:
    response = portal.get(f"/auth/{provider}/login", params={"next": next})
    assert response.status_code == 303, response.text
    return response.headers["location"]


def authorize(url: str) -> str:
    response = httpx.get(url, follow_redirects=False)
    assert response.status_code == 302
    return response.headers["location"]


def callback(portal: TestClient, callback_url: str) -> httpx.Response:
    parts = urlsplit(callback_url)
    return portal.get(f"{parts.path}?{parts.query}")


def assert_no_session(response: httpx.Response, db_engine: Any) -> None:
    assert response.status_code in (400, 503), response.status_code
    assert "mh_sessie" not in response.headers.get("set-cookie", "")
    assert sessions(db_engine) == 0


def test_a_correct_provider_logs_in(portal: TestClient, db_engine: Any) -> None:
    response = callback(portal, authorize(start(portal)))
    assert response.status_code == 303
    assert response.headers["location"] == "/mijn"
    assert sessions(db_engine) == 1


def test_authorization_request_uses_pkce_s256_state_and_nonce(portal: TestClient) -> None:
    query = parse_qs(urlsplit(start(portal)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 32
    assert len(query["nonce"][0]) >= 32
    assert query["response_type"] == ["code"]
    assert query["prompt"] == ["login"]


def test_missing_state(portal: TestClient, db_engine: Any) -> None:
    url = authorize(start(portal))
    parts = urlsplit(url)
    code = parse_qs(parts.query)["code"][0]
    assert_no_session(portal.get(f"{parts.path}?code={code}"), db_engine)


def test_wrong_state(portal: TestClient, db_engine: Any) -> None:
    url = authorize(start(portal))
    parts = urlsplit(url)
    code = parse_qs(parts.query)["code"][0]
    assert_no_session(portal.get(f"{parts.path}?code={code}&state=forged"), db_engine)


def test_replayed_callback_is_refused(portal: TestClient, db_engine: Any) -> None:
    url = authorize(start(portal))
    assert callback(portal, url).status_code == 303
    portal.cookies.clear()
    with db_engine.begin() as connection:
        connection.execute(UserSession.__table__.delete())  # type: ignore[attr-defined]
    assert_no_session(callback(portal, url), db_engine)


def test_state_from_another_browser_is_refused(
    portal: TestClient, database_url: str, op: FakeOP, other_op: FakeOP, db_engine: Any
) -> None:
    url = authorize(start(portal))
    settings = make_settings(
        database_url, digid_issuer=op.issuer, eherkenning_issuer=other_op.issuer
    )
    with TestClient(create_app(settings), follow_redirects=False) as victim:
        assert_no_session(callback(victim, url), db_engine)


def test_wrong_nonce(portal: TestClient, op: FakeOP, db_engine: Any) -> None:
    op.scenario.nonce = "not-the-nonce-we-sent"
    assert_no_session(callback(portal, authorize(start(portal))), db_engine)


def test_wrong_issuer_in_token(portal: TestClient, op: FakeOP, db_engine: Any) -> None:
    op.scenario.issuer_in_token = "http://127.0.0.1:1/elsewhere"
    assert_no_session(callback(portal, authorize(start(portal))), db_engine)


def test_wrong_issuer_in_discovery(portal: TestClient, op: FakeOP, db_engine: Any) -> None:
    op.scenario.issuer_in_discovery = "http://127.0.0.1:1/elsewhere"
    response = portal.get("/auth/digid/login")
    assert_no_session(response, db_engine)


def test_wrong_audience(portal: TestClient, op: FakeOP, db_engine: Any) -> None:
    op.scenario.audience = "someone-else"
    assert_no_session(callback(portal, authorize(start(portal))), db_engine)


def test_several_audiences_without_azp(portal: TestClient, op: FakeOP, db_engine: Any) -> None:
    op.scenario.audience = ["mijn-haren-digid", "someone-else"]
    assert_no_session(callback(portal, authorize(start(portal))), db_engine)


def test_expired_token(portal: TestClient, op: FakeOP, db_engine: Any) -> None:
    op.scenario.expires_in = -600
    assert_no_session(callback(portal, authorize(start(portal))), db_engine)


def test_alg_none(portal: TestClient, op: FakeOP, db_engine: Any) -> None:
    op.scenario.alg_none = True
    assert_no_session(callback(portal, authorize(start(portal))), db_engine)


def test_bad_signature(portal: TestClient, op: FakeOP, db_engine: Any) -> None:
    op.scenario.foreign_key = True
    assert_no_session(callback(portal, authorize(start(portal))), db_engine)


def test_code_injected_into_another_login_fails_pkce(portal: TestClient, db_engine: Any) -> None:
    stolen = parse_qs(urlsplit(authorize(start(portal))).query)["code"][0]
    own_state = parse_qs(urlsplit(start(portal)).query)["state"][0]
    response = portal.get(f"/auth/digid/callback?code={stolen}&state={own_state}")
    assert_no_session(response, db_engine)


def test_code_reuse(portal: TestClient, op: FakeOP, db_engine: Any) -> None:
    first = authorize(start(portal))
    assert callback(portal, first).status_code == 303
    code = parse_qs(urlsplit(first).query)["code"][0]
    portal.cookies.clear()
    with db_engine.begin() as connection:
        connection.execute(UserSession.__table__.delete())  # type: ignore[attr-defined]
    state = parse_qs(urlsplit(start(portal)).query)["state"][0]
    assert_no_session(portal.get(f"/auth/digid/callback?code={code}&state={state}"), db_engine)


def test_access_denied_by_provider(portal: TestClient, op: FakeOP, db_engine: Any) -> None:
    op.scenario.authorize_error = "access_denied"
    response = callback(portal, authorize(start(portal)))
    assert_no_session(response, db_engine)
    assert "afgebroken" in response.text


def test_mix_up_other_providers_iss(
    portal: TestClient, op: FakeOP, other_op: FakeOP, db_engine: Any
) -> None:
    op.scenario.send_iss_parameter = other_op.issuer
    assert_no_session(callback(portal, authorize(start(portal))), db_engine)


def test_state_of_one_provider_at_another_providers_callback(
    portal: TestClient, db_engine: Any
) -> None:
    url = authorize(start(portal, "digid"))
    assert_no_session(
        callback(portal, url.replace("/auth/digid/", "/auth/eherkenning/")), db_engine
    )


def test_level_of_assurance_below_minimum(portal: TestClient, op: FakeOP, db_engine: Any) -> None:
    op.scenario.claims["acr"] = DIGID_LEVELS[0]
    assert_no_session(callback(portal, authorize(start(portal))), db_engine)


def test_missing_level_of_assurance_counts_as_lowest(
    portal: TestClient, op: FakeOP, db_engine: Any
) -> None:
    del op.scenario.claims["acr"]
    assert_no_session(callback(portal, authorize(start(portal))), db_engine)


def test_product_can_require_a_higher_level(portal: TestClient, db_engine: Any) -> None:
    response = portal.get("/auth/digid/login", params={"niveau": DIGID_LEVELS[3]})
    assert parse_qs(urlsplit(response.headers["location"]).query)["acr_values"] == [DIGID_LEVELS[3]]
    assert_no_session(callback(portal, authorize(response.headers["location"])), db_engine)


def test_invalid_bsn_in_token(portal: TestClient, op: FakeOP, db_engine: Any) -> None:
    op.scenario.claims["bsn"] = "123456789"
    assert_no_session(callback(portal, authorize(start(portal))), db_engine)


@pytest.mark.parametrize(
    "next_path",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/x",
    ],
)
def test_open_redirect_in_next_is_ignored(portal: TestClient, next_path: str) -> None:
    response = callback(portal, authorize(start(portal, next=next_path)))
    assert response.status_code == 303
    assert response.headers["location"] == "/mijn"


def test_slow_login_expires(portal: TestClient, db_engine: Any) -> None:
    url = authorize(start(portal))
    with time_machine.travel(time.time() + 11 * 60, tick=False):
        assert_no_session(callback(portal, url), db_engine)


def test_unreachable_provider_gives_a_clear_page(database_url: str, db_engine: Any) -> None:
    oidc.clear_metadata_cache()
    settings = make_settings(database_url, digid_issuer="http://127.0.0.1:9/nothing-here")
    with TestClient(create_app(settings), follow_redirects=False) as client:
        response = client.get("/auth/digid/login")
    assert response.status_code == 503
    assert "14 050" in response.text
    assert sessions(db_engine) == 0


def test_unknown_or_oversized_level_and_next_are_ignored(
    portal: TestClient, db_engine: Any
) -> None:
    response = portal.get(
        "/auth/digid/login", params={"niveau": "x" * 300, "next": "/" + "a" * 600}
    )
    assert response.status_code == 303
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["acr_values"] == [DIGID_LEVELS[1]]
    back = callback(portal, authorize(response.headers["location"]))
    assert back.headers["location"] == "/mijn"
