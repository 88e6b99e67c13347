"""The development identity provider as an OpenID provider: discovery, keys, the code flow with
PKCE at the HTTP level, the login page, logout, and its refusal to exist in production."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import KeySet
from sqlalchemy import Engine, select, update

from auth.devidp.keys import public_jwks, signing_key
from auth.devidp.models import DevIdpAuthorizationCode
from auth.devidp.routes import refuse_in_production
from auth.devidp.routes import router as devidp_router
from auth.identity import DIGID_LEVELS, EHERKENNING_LEVELS
from auth.oidc import identity_from_claims
from portal.main import create_app
from portal.settings import PROVIDERS, Settings
from tests.conftest import (
    DAGOBERT_KVK,
    DAGOBERT_VESTIGING,
    SUZANNE_BSN,
    make_settings,
    project_root,
)

ACTING_SUBJECT = re.compile(r"^[0-9A-F]{64}@[0-9A-F]{32}$")


# --- Helpers -----------------------------------------------------------------------------


@dataclass
class Flow:
    """One authorization request: its parameters and the PKCE verifier behind them."""

    provider: str
    params: dict[str, str]
    verifier: str


def start_flow(settings: Settings, provider: str, **overrides: str | None) -> Flow:
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    config = settings.provider(provider)  # type: ignore[arg-type]
    params: dict[str, str | None] = {
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": f"{settings.base_url}/auth/{provider}/callback",
        "scope": config.scope,
        "state": secrets.token_urlsafe(16),
        "nonce": secrets.token_urlsafe(16),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "prompt": "login",
        **overrides,
    }
    return Flow(provider, {k: v for k, v in params.items() if v is not None}, verifier)


def page(response: httpx.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def login_form(client: TestClient, flow: Flow) -> tuple[str, dict[str, str], BeautifulSoup]:
    """Open the login page; return the form's action, its hidden fields, and the page."""
    response = client.get(f"/dev-idp/{flow.provider}/authorize", params=flow.params)
    assert response.status_code == 200, response.text
    soup = page(response)
    form = soup.select_one("main form[method=post]")
    assert form is not None
    fields = {str(i["name"]): str(i.get("value", "")) for i in form.select("input[type=hidden]")}
    return str(form["action"]), fields, soup


def choose(
    client: TestClient, flow: Flow, subject: str | None, loa: str | None = None, **extra: str
) -> httpx.Response:
    """Pick someone (and a level, else the preselected one) and submit, as a browser would."""
    action, fields, soup = login_form(client, flow)
    if subject is not None:
        fields["subject"] = subject
    preselected = soup.select_one("select[name=loa] option[selected]")
    if loa is not None:
        fields["loa"] = loa
    elif preselected is not None:
        fields["loa"] = str(preselected["value"])
    response: httpx.Response = client.post(action, data={**fields, **extra})
    return response


def callback_query(response: httpx.Response, flow: Flow) -> dict[str, str]:
    """The parameters the browser is sent back to the portal's callback with."""
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["location"])
    assert location._replace(query="").geturl() == flow.params["redirect_uri"]
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def redeem(
    client: TestClient,
    settings: Settings,
    flow: Flow,
    code: str,
    *,
    secret: str | None = None,
    verifier: str | None = None,
) -> httpx.Response:
    config = settings.provider(flow.provider)  # type: ignore[arg-type]
    response: httpx.Response = client.post(
        f"/dev-idp/{flow.provider}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": flow.params["redirect_uri"],
            "code_verifier": verifier or flow.verifier,
        },
        auth=(config.client_id, secret or config.client_secret),
    )
    return response


def log_in(
    client: TestClient, settings: Settings, provider: str, subject: str, loa: str | None = None
) -> tuple[Flow, dict[str, Any]]:
    """The whole flow; returns the flow and the token response."""
    flow = start_flow(settings, provider)
    query = callback_query(choose(client, flow, subject, loa), flow)
    response = redeem(client, settings, flow, query["code"])
    assert response.status_code == 200, response.text
    return flow, response.json()


def verified_claims(client: TestClient, provider: str, id_token: str) -> dict[str, Any]:
    keys = KeySet.import_key_set(client.get(f"/dev-idp/{provider}/jwks").json())
    token = jwt.decode(id_token, keys, algorithms=["ES256"])
    return dict(token.claims)


def assert_error_page_without_redirect(response: httpx.Response) -> None:
    assert response.status_code == 400
    assert "location" not in response.headers
    heading = page(response).select_one("h1")
    assert heading is not None
    assert heading.get_text(strip=True) == "Dit inlogverzoek klopt niet"


def production_settings(database_url: str) -> Settings:
    return make_settings(
        database_url,
        environment="production",
        base_url="https://mijn.haren.example",
        secret_key="x" * 48,
        digid_issuer="https://digid.broker.example",
        eherkenning_issuer="https://eherkenning.broker.example",
        medewerker_issuer="https://login.haren.example",
        brp_backend="haalcentraal",
        kvk_backend="kvk",
        mail_backend="smtp",
    )


# --- Discovery and keys ------------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
def test_discovery_describes_a_code_flow_provider_with_pkce(
    client: TestClient, settings: Settings, provider: str
) -> None:
    document = client.get(f"/dev-idp/{provider}/.well-known/openid-configuration").json()
    issuer = f"{settings.base_url}/dev-idp/{provider}"
    assert document["issuer"] == issuer == settings.provider(provider).issuer  # type: ignore[arg-type]
    assert document["authorization_endpoint"] == f"{issuer}/authorize"
    assert document["token_endpoint"] == f"{issuer}/token"
    assert document["userinfo_endpoint"] == f"{issuer}/userinfo"
    assert document["jwks_uri"] == f"{issuer}/jwks"
    assert document["end_session_endpoint"] == f"{issuer}/logout"
    assert document["response_types_supported"] == ["code"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["id_token_signing_alg_values_supported"] == ["ES256"]
    assert document["token_endpoint_auth_methods_supported"] == ["client_secret_basic"]
    expected_levels = {"digid": DIGID_LEVELS, "eherkenning": EHERKENNING_LEVELS}
    assert document["acr_values_supported"] == list(expected_levels.get(provider, ()))


def test_unknown_provider_does_not_exist(client: TestClient) -> None:
    assert client.get("/dev-idp/itsme/.well-known/openid-configuration").status_code == 404


def test_provider_with_a_real_issuer_is_not_served(database_url: str) -> None:
    settings = make_settings(database_url, digid_issuer="https://digid.broker.example")
    with TestClient(create_app(settings)) as client:
        assert client.get("/dev-idp/digid/jwks").status_code == 404
        assert client.get("/dev-idp/medewerker/jwks").status_code == 200


def test_jwks_holds_only_the_public_key_and_verifies_the_id_token(
    client: TestClient, settings: Settings
) -> None:
    keys = client.get("/dev-idp/digid/jwks").json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "EC"
    assert keys[0]["crv"] == "P-256"
    assert keys[0]["alg"] == "ES256"
    assert "d" not in keys[0]
    _, tokens = log_in(client, settings, "digid", SUZANNE_BSN)
    header = jwt.decode(tokens["id_token"], KeySet.import_key_set({"keys": keys})).header
    assert header["kid"] == keys[0]["kid"]
    assert header["alg"] == "ES256"


def test_same_secret_gives_the_same_key_in_every_process(
    database_url: str, settings: Settings
) -> None:
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        published = first.get("/dev-idp/digid/jwks").json()
        assert second.get("/dev-idp/digid/jwks").json() == published
        token = jwt.encode(
            {"alg": "ES256"}, {"sub": "x"}, signing_key(settings.secret_key, "digid")
        )
        jwt.decode(token, KeySet.import_key_set(second.get("/dev-idp/digid/jwks").json()))
    script = (
        "import json, sys; from auth.devidp.keys import public_jwks; "
        "print(json.dumps(public_jwks(sys.argv[1], 'digid')))"
    )
    other_process = subprocess.run(
        [sys.executable, "-c", script, settings.secret_key],
        capture_output=True,
        text=True,
        check=True,
        cwd=project_root(),
    )
    assert json.loads(other_process.stdout) == published
    other_secret = make_settings(database_url, secret_key="another-secret-" + "y" * 32)
    assert public_jwks(other_secret.secret_key, "digid") != published
    kids = {public_jwks(settings.secret_key, p)["keys"][0]["kid"] for p in PROVIDERS}
    assert len(kids) == len(PROVIDERS)


# --- The code flow -----------------------------------------------------------------------


def test_digid_code_flow_gives_a_signed_id_token_with_bsn_and_level(
    client: TestClient, settings: Settings
) -> None:
    flow = start_flow(settings, "digid", acr_values=DIGID_LEVELS[1])
    query = callback_query(choose(client, flow, SUZANNE_BSN, DIGID_LEVELS[2]), flow)
    assert query["state"] == flow.params["state"]
    assert query["iss"] == settings.provider("digid").issuer
    response = redeem(client, settings, flow, query["code"])
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    claims = verified_claims(client, "digid", tokens["id_token"])
    assert claims["iss"] == f"{settings.base_url}/dev-idp/digid"
    assert claims["aud"] == settings.digid_client_id
    assert claims["sub"] == SUZANNE_BSN
    assert claims["bsn"] == SUZANNE_BSN
    assert claims["nonce"] == flow.params["nonce"]
    assert claims["acr"] == DIGID_LEVELS[2]
    assert claims["iat"] <= claims["auth_time"] + 5
    assert claims["exp"] > claims["iat"]
    identity = identity_from_claims(settings.provider("digid"), claims)
    assert identity.bsn == SUZANNE_BSN
    assert identity.loa == DIGID_LEVELS[2]


def test_claim_names_follow_the_settings(client: TestClient, database_url: str) -> None:
    settings = make_settings(database_url, digid_bsn_claim="nin")
    with TestClient(create_app(settings), follow_redirects=False) as other:
        _, tokens = log_in(other, settings, "digid", SUZANNE_BSN, DIGID_LEVELS[1])
        claims = verified_claims(other, "digid", tokens["id_token"])
    assert claims["nin"] == SUZANNE_BSN
    assert "bsn" not in claims


@pytest.mark.parametrize(
    ("subject", "vestiging"),
    [(f"{DAGOBERT_KVK}-{DAGOBERT_VESTIGING}", DAGOBERT_VESTIGING), (DAGOBERT_KVK, None)],
    ids=["branch", "whole company"],
)
def test_eherkenning_login_carries_kvk_branch_and_acting_subject(
    client: TestClient, settings: Settings, subject: str, vestiging: str | None
) -> None:
    _, tokens = log_in(client, settings, "eherkenning", subject, EHERKENNING_LEVELS[3])
    claims = verified_claims(client, "eherkenning", tokens["id_token"])
    assert claims[settings.eherkenning_kvk_claim] == DAGOBERT_KVK
    assert claims.get(settings.eherkenning_vestiging_claim) == vestiging
    assert ACTING_SUBJECT.match(claims[settings.eherkenning_acting_subject_claim])
    assert claims["namequalifier"] == "urn:etoegang:1.9:EntityConcernedID:KvKnr"
    assert claims["acr"] == EHERKENNING_LEVELS[3]
    identity = identity_from_claims(settings.provider("eherkenning"), claims)
    assert (identity.kvk, identity.vestiging) == (DAGOBERT_KVK, vestiging)


def test_staff_login_carries_roles_and_name_but_no_level(
    client: TestClient, settings: Settings
) -> None:
    flow = start_flow(settings, "medewerker")
    _, _, soup = login_form(client, flow)
    assert soup.select_one("select[name=loa]") is None
    _, tokens = log_in(client, settings, "medewerker", "behandelaar-beheerder")
    claims = verified_claims(client, "medewerker", tokens["id_token"])
    assert claims[settings.medewerker_roles_claim] == ["behandelaar", "beheerder"]
    assert claims[settings.medewerker_name_claim]
    assert "acr" not in claims
    assert "email" not in claims
    identity = identity_from_claims(settings.provider("medewerker"), claims)
    assert identity.has_role("beheerder")


def test_userinfo_returns_the_claims_for_the_access_token_only(
    client: TestClient, settings: Settings
) -> None:
    _, tokens = log_in(client, settings, "digid", SUZANNE_BSN)
    id_claims = verified_claims(client, "digid", tokens["id_token"])
    response = client.get(
        "/dev-idp/digid/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert response.status_code == 200
    assert response.json() == {k: id_claims[k] for k in ("sub", "bsn", "acr")}
    for bad in (tokens["id_token"], "not-a-token", ""):
        refused = client.get("/dev-idp/digid/userinfo", headers={"Authorization": f"Bearer {bad}"})
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")
    other_provider = client.get(
        "/dev-idp/medewerker/userinfo",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert other_provider.status_code == 401


# --- Codes and client authentication -----------------------------------------------------


def issued_code(client: TestClient, settings: Settings) -> tuple[Flow, str]:
    flow = start_flow(settings, "digid")
    return flow, callback_query(choose(client, flow, SUZANNE_BSN), flow)["code"]


def test_a_code_works_only_once(client: TestClient, settings: Settings) -> None:
    flow, code = issued_code(client, settings)
    assert redeem(client, settings, flow, code).status_code == 200
    again = redeem(client, settings, flow, code)
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


def test_an_old_code_is_refused(client: TestClient, settings: Settings, db_engine: Engine) -> None:
    flow, code = issued_code(client, settings)
    six_minutes_ago = datetime.now(UTC) - timedelta(minutes=6)
    with db_engine.begin() as connection:
        connection.execute(update(DevIdpAuthorizationCode).values(created_at=six_minutes_ago))
    refused = redeem(client, settings, flow, code)
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_grant")


def test_codes_are_stored_only_as_hashes(
    client: TestClient, settings: Settings, db_engine: Engine
) -> None:
    _, code = issued_code(client, settings)
    with db_engine.connect() as connection:
        stored = connection.execute(select(DevIdpAuthorizationCode.code)).scalars().all()  # type: ignore[call-overload]
    assert stored == [hashlib.sha256(code.encode()).hexdigest()]


def test_wrong_client_secret_is_refused_and_leaves_the_code_usable(
    client: TestClient, settings: Settings
) -> None:
    flow, code = issued_code(client, settings)
    refused = redeem(client, settings, flow, code, secret="wrong-secret")
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
    assert redeem(client, settings, flow, code).status_code == 200


def test_client_secret_in_the_body_is_not_accepted(client: TestClient, settings: Settings) -> None:
    flow, code = issued_code(client, settings)
    fields = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": flow.params["redirect_uri"],
        "code_verifier": flow.verifier,
        "client_id": settings.digid_client_id,
        "client_secret": settings.digid_client_secret,
    }
    refused = client.post("/dev-idp/digid/token", data=fields)
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")


def test_wrong_code_verifier_is_refused(client: TestClient, settings: Settings) -> None:
    flow, code = issued_code(client, settings)
    refused = redeem(client, settings, flow, code, verifier=secrets.token_urlsafe(48))
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_grant")


# --- Invalid authorization requests ------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"client_id": "someone-else"}, id="unknown client"),
        pytest.param({"redirect_uri": "https://evil.example/auth/digid/callback"}, id="foreign"),
        pytest.param({"redirect_uri": "http://testserver/auth/digid/callback/"}, id="not exact"),
        pytest.param({"redirect_uri": None}, id="no redirect_uri"),
        pytest.param({"code_challenge": None, "code_challenge_method": None}, id="no PKCE"),
        pytest.param({"code_challenge_method": "plain"}, id="plain PKCE"),
        pytest.param({"nonce": None}, id="no nonce"),
        pytest.param({"response_type": "token"}, id="implicit"),
    ],
)
def test_invalid_authorization_request_shows_an_error_and_never_redirects(
    client: TestClient, settings: Settings, overrides: dict[str, str | None]
) -> None:
    flow = start_flow(settings, "digid", **overrides)
    assert_error_page_without_redirect(client.get("/dev-idp/digid/authorize", params=flow.params))


def test_tampered_form_is_checked_again_on_post(client: TestClient, settings: Settings) -> None:
    flow = start_flow(settings, "digid")
    action, fields, _ = login_form(client, flow)
    fields.update(subject=SUZANNE_BSN, redirect_uri="https://evil.example/callback")
    assert_error_page_without_redirect(client.post(action, data=fields))


def test_cancel_sends_access_denied_with_the_state(client: TestClient, settings: Settings) -> None:
    flow = start_flow(settings, "eherkenning")
    query = callback_query(choose(client, flow, None, cancel="1"), flow)
    assert query["error"] == "access_denied"
    assert query["state"] == flow.params["state"]
    assert "code" not in query


def test_login_form_needs_the_csrf_token(client: TestClient, settings: Settings) -> None:
    flow = start_flow(settings, "digid")
    action, fields, _ = login_form(client, flow)
    del fields["csrf_token"]
    assert client.post(action, data={**fields, "subject": SUZANNE_BSN}).status_code == 403


# --- The login page ----------------------------------------------------------------------


def test_login_page_is_plainly_a_test_environment(client: TestClient, settings: Settings) -> None:
    _, fields, soup = login_form(client, start_flow(settings, "digid"))
    assert "Testomgeving — dit is geen echte DigiD/eHerkenning" in soup.get_text()
    assert len(soup.select("h1")) == 1
    assert soup.select_one("fieldset legend") is not None
    radios = soup.select("input[type=radio][name=subject]")
    subjects = {str(radio["value"]) for radio in radios}
    assert {
        "999993653",
        "999990858",
        "999993872",
        "999990421",
        "999990949",
        "999994542",
    } <= subjects
    for radio in radios:
        assert soup.select_one(f"label[for={radio['id']}]") is not None
    assert soup.select_one("label[for=loa]") is not None
    buttons = [button.get_text(strip=True) for button in soup.select("form button")]
    assert buttons == ["Inloggen", "Annuleren"]
    assert soup.select_one("button[name=cancel]") is not None
    assert fields["code_challenge_method"] == "S256"
    assert "csrf_token" in fields


def test_companies_and_staff_are_listed(client: TestClient, settings: Settings) -> None:
    _, _, companies = login_form(client, start_flow(settings, "eherkenning"))
    values = {str(r["value"]) for r in companies.select("input[name=subject]")}
    assert {DAGOBERT_KVK, f"{DAGOBERT_KVK}-{DAGOBERT_VESTIGING}", "68750110"} <= values
    _, _, staff = login_form(client, start_flow(settings, "medewerker"))
    values = {str(r["value"]) for r in staff.select("input[name=subject]")}
    assert {"kcc", "behandelaar", "beheerder", "behandelaar-beheerder"} <= values


@pytest.mark.parametrize(
    ("provider", "acr_values", "expected"),
    [
        ("digid", None, DIGID_LEVELS[1]),
        ("digid", DIGID_LEVELS[0], DIGID_LEVELS[1]),
        ("digid", DIGID_LEVELS[3], DIGID_LEVELS[3]),
        ("eherkenning", None, EHERKENNING_LEVELS[3]),
        ("eherkenning", EHERKENNING_LEVELS[4], EHERKENNING_LEVELS[4]),
    ],
)
def test_level_preselected_is_the_default_or_the_higher_one_asked_for(
    client: TestClient, settings: Settings, provider: str, acr_values: str | None, expected: str
) -> None:
    _, _, soup = login_form(client, start_flow(settings, provider, acr_values=acr_values))
    selected = soup.select("select[name=loa] option[selected]")
    assert [str(option["value"]) for option in selected] == [expected]


def test_submitting_without_a_choice_shows_the_error_summary(
    client: TestClient, settings: Settings
) -> None:
    flow = start_flow(settings, "digid")
    response = choose(client, flow, None)
    assert response.status_code == 400
    soup = page(response)
    summary = soup.select_one(".haren-error-summary a[href='#subject-1']")
    assert summary is not None
    assert soup.select_one("#subject-1") is not None
    kept = {str(i["name"]): i.get("value") for i in soup.select("main form input[type=hidden]")}
    assert kept["state"] == flow.params["state"]
    assert soup.select_one("title") is not None
    assert soup.select_one("title").get_text().startswith("Fout:")  # type: ignore[union-attr]


# --- Logout ------------------------------------------------------------------------------


def test_logout_returns_to_the_portal(client: TestClient, settings: Settings) -> None:
    _, tokens = log_in(client, settings, "digid", SUZANNE_BSN)
    target = f"{settings.base_url}/uitgelogd"
    response = client.get(
        "/dev-idp/digid/logout",
        params={
            "post_logout_redirect_uri": target,
            "client_id": settings.digid_client_id,
            "id_token_hint": tokens["id_token"],
        },
    )
    assert response.status_code in (302, 303)
    assert response.headers["location"] == target


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"post_logout_redirect_uri": "https://evil.example/uitgelogd"}, id="foreign"),
        pytest.param(
            {"post_logout_redirect_uri": "http://testserver.evil.example/uitgelogd"}, id="lookalike"
        ),
        pytest.param(
            {"post_logout_redirect_uri": "http://testserver/uitgelogd", "id_token_hint": "x.y.z"},
            id="bad hint",
        ),
        pytest.param({}, id="no address"),
    ],
)
def test_logout_without_a_portal_address_shows_the_logged_out_page(
    client: TestClient, settings: Settings, params: dict[str, str]
) -> None:
    response = client.get(
        "/dev-idp/digid/logout", params={"client_id": settings.digid_client_id, **params}
    )
    assert response.status_code == 200
    assert "location" not in response.headers
    heading = page(response).select_one("h1")
    assert heading is not None
    assert heading.get_text(strip=True) == "U bent uitgelogd bij de testomgeving"


# --- Never in production -----------------------------------------------------------------


def test_guard_refuses_in_production(database_url: str, settings: Settings) -> None:
    with pytest.raises(HTTPException) as refused:
        refuse_in_production(production_settings(database_url))
    assert refused.value.status_code == 404
    refuse_in_production(settings)  # development and test: no objection


def test_production_app_has_no_development_provider_even_when_mounted(database_url: str) -> None:
    settings = production_settings(database_url)
    app: FastAPI = create_app(settings)
    with TestClient(app, base_url=settings.base_url) as client:
        assert client.get("/dev-idp/digid/jwks").status_code == 404
        app.include_router(devidp_router)  # as if someone mounted it after all
        for provider in PROVIDERS:
            for path in ("/.well-known/openid-configuration", "/jwks", "/authorize", "/logout"):
                assert client.get(f"/dev-idp/{provider}{path}").status_code == 404
            assert client.post(f"/dev-idp/{provider}/token").status_code == 404
