"""Login and logout pages and the OIDC redirect endpoints for the three providers."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Annotated, Literal

import structlog
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine, delete
from sqlmodel import Session, col

from auth import oidc
from auth.dependencies import CurrentSession, session_cookie_name, session_policy
from auth.identity import known_levels
from auth.models import PendingLogin
from auth.sessions import create_session, end_session, extend_session, utcnow
from portal.database import SessionDep
from portal.security import (
    AnyLoginAccess,
    LoginFlowAccess,
    PublicAccess,
    cookie_name,
    rate_limit,
)
from portal.settings import Settings, SettingsDep
from portal.templating import is_htmx, render
from portal.urls import safe_next_path

log = structlog.get_logger("mijnharen.auth")
router = APIRouter()

Provider = Literal["digid", "eherkenning", "medewerker"]
PENDING_LOGIN_LIFETIME = timedelta(minutes=10)
LOGIN_BINDING_COOKIE = "mh_login"
DEFAULT_LANDING = {"digid": "/mijn", "eherkenning": "/mijn", "medewerker": "/backoffice"}

login_rate_limit = rate_limit("login", lambda settings: settings.login_rate_limit)
callback_rate_limit = rate_limit("callback", lambda settings: settings.login_rate_limit)


def _redirect_uri(settings: Settings, provider: str) -> str:
    return f"{settings.base_url.rstrip('/')}/auth/{provider}/callback"


def _binding_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@router.get("/inloggen", name="auth:choose")
def choose(
    request: Request,
    identity: PublicAccess,
    next: str = "/mijn",
    provider: str | None = None,
) -> HTMLResponse:
    """Choose DigiD (residents) or eHerkenning (entrepreneurs)."""
    return render(
        request,
        "auth/inloggen.html",
        {"next": safe_next_path(next, default="/mijn"), "provider_hint": provider},
    )


@router.get("/auth/{provider}/login", name="auth:login", dependencies=[Depends(login_rate_limit)])
def login(
    request: Request,
    provider: Provider,
    settings: SettingsDep,
    _: LoginFlowAccess,
    next: str | None = None,
    niveau: str = "",
) -> Response:
    """Start a login at the provider: a new pending login, then off to the provider."""
    config = settings.provider(provider)
    target = safe_next_path(next, default=DEFAULT_LANDING[provider])
    if niveau not in known_levels(provider):
        niveau = ""  # an unknown level asks nothing extra; the provider's minimum still holds
    minimum = oidc.max_loa(provider, config.minimum_loa, niveau)
    try:
        authorization = oidc.start_authorization(
            config,
            redirect_uri=_redirect_uri(settings, provider),
            minimum_loa=minimum,
            timeout=settings.http_timeout_seconds,
        )
    except oidc.LoginFailed as failure:
        return _login_failed(request, provider, failure)
    binding = secrets.token_urlsafe(32)
    # Its own short transaction: the login pages never hold the request's database session
    # while talking to a provider (which may be this very app, the development provider).
    with Session(request.app.state.engine) as db:
        db.add(
            PendingLogin(
                state=authorization.state,
                provider=provider,
                nonce=authorization.nonce,
                code_verifier=authorization.code_verifier,
                browser_binding_hash=_binding_hash(binding),
                next_path=target,
                minimum_loa=minimum,
                created_at=utcnow(),
            )
        )
        db.commit()
    log.info("login_started", provider=provider)
    response = RedirectResponse(authorization.url, status_code=303)
    response.set_cookie(
        cookie_name(settings, LOGIN_BINDING_COOKIE),
        binding,
        max_age=int(PENDING_LOGIN_LIFETIME.total_seconds()),
        httponly=True,
        secure=settings.uses_https,
        samesite="lax",
        path="/",
    )
    return response


@router.get(
    "/auth/{provider}/callback", name="auth:callback", dependencies=[Depends(callback_rate_limit)]
)
def callback(
    request: Request,
    provider: Provider,
    settings: SettingsDep,
    _: LoginFlowAccess,
    state: Annotated[str, Query(max_length=200)] = "",
    code: Annotated[str, Query(max_length=2000)] = "",
    error: Annotated[str, Query(max_length=200)] = "",
    iss: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """The provider sends the browser back here; on success a new session starts."""
    pending = _take_pending_login(request.app.state.engine, state) if state else None
    try:
        result = _finish_login(
            request, settings, provider, pending, code=code, error=error, iss=iss
        )
    except oidc.LoginFailed as failure:
        return _login_failed(request, provider, failure)
    assert pending is not None  # _finish_login refuses a login without one
    old_token = request.cookies.get(session_cookie_name(settings))
    with Session(request.app.state.engine, expire_on_commit=False) as db:
        if old_token:
            end_session(db, token=old_token)  # a new login gets a new token (ASVS 7.2.4)
        token = create_session(
            db, identity=result.identity, id_token=result.id_token, policy=session_policy(settings)
        )
        db.commit()
    log.info("login_succeeded", provider=provider, loa=result.identity.loa)
    response = RedirectResponse(pending.next_path, status_code=303)
    response.headers["Referrer-Policy"] = "no-referrer"
    _set_session_cookie(response, settings, token)
    response.delete_cookie(cookie_name(settings, LOGIN_BINDING_COOKIE), path="/")
    return response


def _finish_login(
    request: Request,
    settings: Settings,
    provider: Provider,
    pending: PendingLogin | None,
    *,
    code: str,
    error: str,
    iss: str | None,
) -> oidc.LoginResult:
    """Check the authorization response against the pending login, then redeem the code."""
    config = settings.provider(provider)
    if pending is None:
        raise oidc.LoginFailed("unknown, used or missing state")
    if pending.provider != provider:
        raise oidc.LoginFailed("state belongs to another provider")
    if utcnow() - pending.created_at > PENDING_LOGIN_LIFETIME:
        raise oidc.LoginFailed("login took too long")
    binding = request.cookies.get(cookie_name(settings, LOGIN_BINDING_COOKIE), "")
    if not binding or not secrets.compare_digest(
        _binding_hash(binding), pending.browser_binding_hash
    ):
        raise oidc.LoginFailed("state not started in this browser")
    if iss is not None and iss != config.issuer:
        raise oidc.LoginFailed("iss response parameter names another provider")
    if error:
        raise oidc.LoginFailed(
            f"provider error {error[:40]}", user_cancelled=error == "access_denied"
        )
    if not code:
        raise oidc.LoginFailed("no code")
    return oidc.finish_authorization(
        config,
        redirect_uri=_redirect_uri(settings, provider),
        code=code,
        code_verifier=pending.code_verifier,
        nonce=pending.nonce,
        minimum_loa=pending.minimum_loa,
        timeout=settings.http_timeout_seconds,
    )


def _take_pending_login(engine: Engine, state: str) -> PendingLogin | None:
    """Delete and return the pending login in its own committed transaction.

    One statement makes the state single-use across processes; committing at once makes
    that hold even when the rest of the login fails, and keeps no lock during the code
    exchange with the provider.
    """
    statement = delete(PendingLogin).where(col(PendingLogin.state) == state).returning(PendingLogin)
    with Session(engine, expire_on_commit=False) as db:
        row = db.execute(statement).scalars().first()
        db.commit()
    return row if isinstance(row, PendingLogin) else None


def _set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(
        session_cookie_name(settings),
        token,
        httponly=True,
        secure=settings.uses_https,
        samesite="lax",
        path="/",
    )


def _login_failed(request: Request, provider: str, failure: oidc.LoginFailed) -> HTMLResponse:
    unavailable = isinstance(failure, oidc.ProviderUnavailable)
    log.warning("login_failed", provider=provider, reason=failure.reason)
    return render(
        request,
        "auth/login_failed.html",
        {
            "provider": provider,
            "cancelled": failure.user_cancelled,
            "unavailable": unavailable,
            "retry_url": request.url_for("auth:login", provider=provider).path,
        },
        status_code=503 if unavailable else 400,
    )


@router.get("/uitloggen", name="auth:logout_confirm")
def logout_confirm(request: Request, identity: PublicAccess) -> Response:
    """Ask to confirm logging out (logging out is a POST, so it cannot be forged by a link)."""
    if identity is None:
        return RedirectResponse("/uitgelogd", status_code=303)
    return render(request, "auth/uitloggen.html", {})


@router.post("/uitloggen", name="auth:logout")
def logout(request: Request, db: SessionDep, settings: SettingsDep, _: PublicAccess) -> Response:
    """End the session here, then at the provider (RP-initiated logout)."""
    token = request.cookies.get(session_cookie_name(settings))
    ended = end_session(db, token=token) if token else None
    target = "/uitgelogd"
    if ended is not None:
        log.info("logout", provider=ended.provider)
        provider_logout = oidc.end_session_url(
            settings.provider(ended.provider),  # type: ignore[arg-type]
            id_token=ended.id_token,
            post_logout_redirect_uri=f"{settings.base_url.rstrip('/')}/uitgelogd",
            timeout=settings.http_timeout_seconds,
        )
        target = provider_logout or target
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(session_cookie_name(settings), path="/")
    return response


@router.get("/uitgelogd", name="auth:logged_out")
def logged_out(request: Request, identity: PublicAccess) -> HTMLResponse:
    """Confirmation that the session has ended."""
    return render(request, "auth/uitgelogd.html", {})


@router.get("/sessie-verlopen", name="auth:expired")
def expired(
    request: Request, identity: PublicAccess, next: str = "/mijn", provider: str | None = None
) -> HTMLResponse:
    """The session ended after 15 minutes without activity; log in again to go on."""
    return render(
        request,
        "auth/sessie_verlopen.html",
        {"next": safe_next_path(next, default="/mijn"), "provider_hint": provider},
    )


@router.post("/sessie/verlengen", name="auth:extend")
def extend(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    current: CurrentSession,
    _: AnyLoginAccess,
    next: Annotated[str, Form()] = "/mijn",
) -> Response:
    """Stay logged in: restart the inactivity clock."""
    assert current is not None  # AnyLoginAccess guarantees a session
    extend_session(db, loaded=current, policy=session_policy(settings))
    request.state.session_expires_in = current.seconds_left
    if is_htmx(request) or request.headers.get("accept") == "application/json":
        return Response(status_code=204)
    return RedirectResponse(safe_next_path(next, default="/mijn"), status_code=303)
