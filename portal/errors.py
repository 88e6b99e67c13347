"""Friendly pages for every failure in the site's layout; details go to the log, not the user."""

from __future__ import annotations

from urllib.parse import urlencode

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from portal.integrations import IntegrationUnavailable
from portal.security import (
    AccessDenied,
    CaseSystemRefused,
    CsrfFailed,
    LoginRequired,
    RateLimited,
    security_headers,
)
from portal.templating import render

log = structlog.get_logger("mijnharen.errors")


def _error_page(request: Request, status: int, kind: str, **context: object) -> Response:
    return render(
        request,
        "errors/error.html",
        {"status": status, "kind": kind, **context},
        status_code=status,
    )


async def login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    query = {"next": exc.next_path}
    if exc.provider:
        query["provider"] = exc.provider
    target = "/sessie-verlopen" if exc.expired else "/inloggen"
    return RedirectResponse(f"{target}?{urlencode(query)}", status_code=303)


async def access_denied(request: Request, exc: Exception) -> Response:
    log.warning("access_denied", path=request.url.path, reason=str(exc))
    return _error_page(request, 403, "forbidden")


async def case_system_refused(request: Request, exc: Exception) -> Response:
    log.warning("case_system_refused", path=request.url.path)
    return JSONResponse(
        {"detail": "Authorization ontbreekt of klopt niet"},
        status_code=401,
        headers={"WWW-Authenticate": "Bearer"},
    )


async def csrf_failed(request: Request, exc: Exception) -> Response:
    log.warning("csrf_failed", path=request.url.path, reason=str(exc))
    return _error_page(request, 403, "csrf")


async def rate_limited(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RateLimited)
    log.warning("rate_limited", path=request.url.path)
    response = _error_page(request, 429, "rate_limited", retry_after=exc.retry_after)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def integration_unavailable(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IntegrationUnavailable)
    log.error("integration_unavailable", system=exc.system, reason=exc.reason)
    return _error_page(request, 503, "unavailable", system=exc.system)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    kind = {404: "not_found", 405: "not_found", 403: "forbidden"}.get(exc.status_code, "error")
    if exc.status_code == 404 and exc.detail == "afspraak_link":
        kind = "afspraak_link"
    response = _error_page(request, exc.status_code, kind)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


async def invalid_request(request: Request, exc: Exception) -> Response:
    log.info("invalid_request", path=request.url.path)
    return _error_page(request, 400, "bad_request")


async def server_error(request: Request, exc: Exception) -> Response:
    log.error("server_error", path=request.url.path, error=type(exc).__name__, exc_info=exc)
    response = _error_page(request, 500, "server_error")
    # Starlette sends this page from its outermost middleware, past our header middleware.
    for name, value in security_headers(request.app.state.settings):
        response.headers[name.decode()] = value.decode()
    response.headers["cache-control"] = "no-store"
    return response


def register_error_pages(app: FastAPI) -> None:
    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(AccessDenied, access_denied)
    app.add_exception_handler(CaseSystemRefused, case_system_refused)
    app.add_exception_handler(CsrfFailed, csrf_failed)
    app.add_exception_handler(RateLimited, rate_limited)
    app.add_exception_handler(IntegrationUnavailable, integration_unavailable)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(Exception, server_error)
