"""Security headers on every kind of response: pages, errors, redirects, static files (ASVS 3.4)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portal.main import create_app
from tests.conftest import make_settings

PATHS = [
    "/",
    "/inloggen",
    "/contact",
    "/toegankelijkheid",
    "/privacy",
    "/does-not-exist",
    "/mijn",
    "/health/live",
    "/static/css/haren.css",
    "/auth/nope/login",
]


def assert_security_headers(headers: Any, *, https: bool) -> None:
    csp = headers["content-security-policy"]
    for directive in (
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "script-src 'self'",
        "default-src 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] in (
        "same-origin",
        "no-referrer",
        "strict-origin-when-cross-origin",
    )
    assert headers["x-frame-options"] == "DENY"
    if https:
        hsts = headers["strict-transport-security"]
        assert "includeSubDomains" in hsts
        assert int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000
    else:
        assert "strict-transport-security" not in headers


@pytest.mark.parametrize("path", PATHS)
def test_headers_over_http(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert_security_headers(response.headers, https=False)
    if not path.startswith("/static/"):
        assert response.headers["cache-control"] == "no-store"
    if response.status_code == 200 and "html" in response.headers["content-type"]:
        assert response.headers["content-type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize("path", PATHS)
def test_headers_over_https(database_url: str, path: str) -> None:
    app = create_app(make_settings(database_url, base_url="https://mijn.haren.example"))
    with TestClient(app, base_url="https://mijn.haren.example", follow_redirects=False) as client:
        response = client.get(path)
    assert_security_headers(response.headers, https=True)


def test_cookies_over_https_are_host_prefixed_secure_httponly_lax(database_url: str) -> None:
    app = create_app(make_settings(database_url, base_url="https://mijn.haren.example"))
    with TestClient(app, base_url="https://mijn.haren.example") as client:
        cookie = client.get("/").headers["set-cookie"]
    assert cookie.startswith("__Host-mh_csrf=")
    for attribute in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert attribute in cookie
    assert "Domain" not in cookie


def test_server_error_page_has_headers_and_no_details(app: FastAPI) -> None:
    @app.get("/__boom", name="test:boom")
    def boom() -> None:
        """Fails on purpose."""
        raise RuntimeError("secret internals 999993653")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/__boom")
    assert response.status_code == 500
    assert_security_headers(response.headers, https=False)
    assert "secret internals" not in response.text
    assert "999993653" not in response.text
    assert "Er ging iets mis" in response.text


def test_no_api_docs_unless_enabled(client: TestClient) -> None:
    for path in ("/docs", "/redoc", "/openapi.json", "/api/docs"):
        assert client.get(path).status_code == 404
