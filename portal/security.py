"""Security headers, CSRF protection, rate limits shared by all processes, route access classes."""

from __future__ import annotations

import binascii
import hashlib
import re
import secrets
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from auth.dependencies import CurrentIdentity, IdentityWithoutSession, session_cookie_name
from auth.identity import Identity
from portal.models import RateLimitWindow
from portal.settings import PROVIDERS, Settings, SettingsDep

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Server-to-server endpoints that browsers never post to: the development provider's token
# endpoint is called by the portal's own OIDC client with client credentials.
# PostgreSQL: rate-limit hits per process at once, with the sessions below the pool of 15.
RATE_LIMIT_HITS = 4
# Machine callers that authenticate themselves: the dev IdP token endpoint, ZGW notifications.
CSRF_EXEMPT_PATHS = re.compile(r"^(/dev-idp/[a-z]+/token|/zaaksysteem/notificaties)$")


def cookie_name(settings: Settings, name: str) -> str:
    """`__Host-` cookies need https; on plain-http development we drop the prefix."""
    return f"__Host-{name}" if settings.uses_https else name


class CsrfFailed(Exception):
    """A state-changing request without a valid anti-forgery token or from another site."""


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited, retry after {retry_after}s")
        self.retry_after = retry_after


class LoginRequired(Exception):
    """The page needs a login; `expired` tells whether a session just ran out."""

    def __init__(self, next_path: str, *, expired: bool = False, provider: str | None = None):
        super().__init__(next_path)
        self.next_path = next_path
        self.expired = expired
        self.provider = provider


class AccessDenied(Exception):
    """Logged in, but not as someone who may use this page (wrong kind of login or role)."""


# --- Headers ---------------------------------------------------------------------------


def content_security_policy(settings: Settings) -> str:
    # A form that posts to /uitloggen is redirected to the provider's logout; browsers
    # enforce form-action on that redirect, so the providers' origins must be allowed.
    form_targets = {"'self'"}
    for name in PROVIDERS:
        issuer = settings.provider(name).issuer
        match = re.match(r"^(https?://[^/]+)", issuer)
        if match and match.group(1) != settings.base_origin:
            form_targets.add(match.group(1))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action " + " ".join(sorted(form_targets)),
        ]
    )


def security_headers(settings: Settings) -> list[tuple[bytes, bytes]]:
    """The headers every response carries (ASVS 3.4), error pages included."""
    headers = [
        (b"content-security-policy", content_security_policy(settings).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"cross-origin-resource-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    ]
    if settings.uses_https:
        headers.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))
    return headers


class SecurityHeadersMiddleware:
    """Adds the security headers to every response and hands out the CSRF cookie."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.csrf_cookie = cookie_name(settings, "mh_csrf")
        self.session_cookie = session_cookie_name(settings)
        self.static_headers = security_headers(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        cookies = _request_cookies(scope)
        csrf_secret = cookies.get(self.csrf_cookie)
        new_csrf_secret = None
        if not csrf_secret or len(csrf_secret) < 32:
            csrf_secret = new_csrf_secret = secrets.token_urlsafe(32)
        state["csrf_secret"] = csrf_secret
        is_static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in self.static_headers if h[0] not in present)
                if not is_static and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                if new_csrf_secret and not is_static:
                    headers.append((b"set-cookie", self._cookie(self.csrf_cookie, new_csrf_secret)))
                if state.get("clear_session_cookie"):
                    headers.append((b"set-cookie", self._expired_cookie(self.session_cookie)))
                expires_in = state.get("session_expires_in")
                if expires_in is not None:
                    headers.append((b"x-session-expires-in", str(expires_in).encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _cookie(self, name: str, value: str) -> bytes:
        secure = "; Secure" if self.settings.uses_https else ""
        return f"{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}".encode()

    def _expired_cookie(self, name: str) -> bytes:
        secure = "; Secure" if self.settings.uses_https else ""
        return f"{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}".encode()


def _request_cookies(scope: Scope) -> dict[str, str]:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            parsed: SimpleCookie = SimpleCookie()
            try:
                parsed.load(value.decode("latin-1"))
            except Exception:
                return {}
            return {key: morsel.value for key, morsel in parsed.items()}
    return {}


# --- CSRF ------------------------------------------------------------------------------


def _csrf_serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key, salt="mijn-haren-csrf")


def issue_csrf_token(settings: Settings, secret: str) -> str:
    """A new form token for the browser holding `secret`: signed, then masked with a fresh
    one-time pad, so no two responses carry the same text (compressed pages cannot leak it
    byte by byte, BREACH) while each still unmasks to the same signed secret."""
    signed = str(_csrf_serializer(settings).dumps(secret)).encode()
    pad = secrets.token_bytes(len(signed))
    return urlsafe_b64encode(pad + bytes(a ^ b for a, b in zip(signed, pad, strict=True))).decode()


def _unmask(token: str) -> str | None:
    try:
        data = urlsafe_b64decode(token.encode("ascii"))
    except (ValueError, binascii.Error):
        return None
    half = len(data) // 2
    if not half or len(data) % 2:
        return None
    pad, masked = data[:half], data[half:]
    try:
        return bytes(a ^ b for a, b in zip(masked, pad, strict=True)).decode("ascii")
    except UnicodeDecodeError:
        return None


def csrf_token(request: Request) -> str:
    """The anti-forgery token to put in forms (hidden field) and htmx headers."""
    token: str | None = getattr(request.state, "csrf_token", None)
    if token is None:
        token = issue_csrf_token(request.app.state.settings, request.state.csrf_secret)
        request.state.csrf_token = token
    return token


async def csrf_protect(request: Request) -> None:
    """Refuse state-changing requests from other sites or without the form's token."""
    if request.method in SAFE_METHODS or CSRF_EXEMPT_PATHS.match(request.url.path):
        return
    settings: Settings = request.app.state.settings
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise CsrfFailed("cross-site request")
    origin = request.headers.get("origin")
    if origin is not None and origin != settings.base_origin:
        raise CsrfFailed("foreign origin")
    # The posted form is read here, before any dependency opens a database session, even when
    # the header carries the token: a client sending its body slowly (a large upload over a
    # poor line, or on purpose) must never hold a transaction open meanwhile; on SQLite that
    # would be the write lock of every process.
    form = None
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
    token = request.headers.get(CSRF_HEADER)
    if token is None and form is not None:
        field = form.get(CSRF_FIELD)
        token = field if isinstance(field, str) else None
    if not token:
        raise CsrfFailed("missing token")
    signed = _unmask(token)
    if signed is None:
        raise CsrfFailed("bad token")
    try:
        value = _csrf_serializer(settings).loads(signed)
    except BadSignature as error:
        raise CsrfFailed("bad token") from error
    if not secrets.compare_digest(str(value), str(request.state.csrf_secret)):
        raise CsrfFailed("token does not match cookie")


# --- Rate limits -----------------------------------------------------------------------


def hit_rate_limit(engine: Engine, *, key: str, limit: int, window: timedelta) -> int | None:
    """Count one hit; None when allowed, else the seconds until the window ends.

    Counted in its own committed transaction so that failed requests count too, and in
    the database so that the limit holds across processes.
    """
    now = datetime.now(UTC)
    seconds = int(window.total_seconds())
    window_start = datetime.fromtimestamp((int(now.timestamp()) // seconds) * seconds, tz=UTC)
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    table: Any = RateLimitWindow.__table__  # type: ignore[attr-defined]
    statement = (
        dialect.insert(table)
        .values(key=key, window_start=window_start, hits=1)
        .on_conflict_do_update(
            index_elements=["key", "window_start"], set_={"hits": table.c.hits + 1}
        )
        .returning(table.c.hits)
    )
    with engine.begin() as connection:
        hits = connection.execute(statement).scalar_one()
    if hits > limit:
        return max(1, int((window_start + window - now).total_seconds()))
    return None


def client_key(request: Request, settings: Settings, action: str) -> str:
    """A rate-limit key for this client and action; the address is hashed, not stored."""
    address = request.client.host if request.client else "unknown"
    digest = hashlib.sha256(f"{settings.secret_key}:{address}".encode()).hexdigest()[:32]
    return f"{action}:{digest}"


def _rate_limit_gate(request: Request) -> anyio.Semaphore:
    """How many rate-limit hits per process may wait for the database at once.

    A hit uses a connection of its own, outside the request's session gate. Without a limit,
    a burst of requests (200 holds of one appointment time) filled every worker thread with hits
    waiting for a pool connection, while the request holding SQLite's write lock needed a thread
    to commit: nothing moved until the pool's 30-second timeout. The gate is waited for on the
    event loop, so threads stay free.
    """
    state = request.app.state
    gate: anyio.Semaphore | None = getattr(state, "rate_limit_gate", None)
    if gate is None:
        sqlite = state.engine.dialect.name == "sqlite"
        gate = state.rate_limit_gate = anyio.Semaphore(1 if sqlite else RATE_LIMIT_HITS)
    return gate


def rate_limit(action: str, limit_of: Callable[[Settings], int]) -> Callable[..., Awaitable[None]]:
    """A dependency allowing `limit_of(settings)` requests per client per minute."""

    async def check(request: Request, settings: SettingsDep) -> None:
        async with _rate_limit_gate(request):
            retry_after = await run_in_threadpool(
                hit_rate_limit,
                request.app.state.engine,
                key=client_key(request, settings, action),
                limit=limit_of(settings),
                window=timedelta(minutes=1),
            )
        if retry_after is not None:
            raise RateLimited(retry_after)

    return check


# --- Access classes -------------------------------------------------------------------
# The checks are `async def` although they wait for nothing: FastAPI runs a plain `def`
# dependency on the thread pool, a hop per dependency per request.

ACCESS_CLASSES: dict[Callable[..., Any], str] = {}


def _access_class(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(dependency: Callable[..., Any]) -> Callable[..., Any]:
        ACCESS_CLASSES[dependency] = name
        return dependency

    return register


def _next_path(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{request.url.path}{query}"


@_access_class("platform")
async def platform() -> None:
    """Open to anyone and touching no session or data: health checks and metrics."""


@_access_class("login-flow")
async def login_flow() -> None:
    """Open to anyone, loading no session: the login start and the OIDC redirect endpoint,
    which establish who it is themselves and must not hold a database session while they
    talk to the provider."""


@_access_class("public")
async def public(identity: CurrentIdentity) -> Identity | None:
    """Anyone may use this route; the identity (if any) is there for the header."""
    return identity


def _require(request: Request, identity: Identity | None, provider: str | None) -> Identity:
    if identity is None:
        raise LoginRequired(
            _next_path(request),
            expired=bool(getattr(request.state, "session_expired", False)),
            provider=provider,
        )
    return identity


@_access_class("resident")
async def resident(request: Request, identity: CurrentIdentity) -> Identity:
    """Only a resident logged in with DigiD."""
    who = _require(request, identity, "digid")
    if not who.is_resident:
        raise AccessDenied("resident")
    return who


@_access_class("company")
async def company(request: Request, identity: CurrentIdentity) -> Identity:
    """Only an entrepreneur logged in with eHerkenning."""
    who = _require(request, identity, "eherkenning")
    if not who.is_company:
        raise AccessDenied("company")
    return who


def _customer(request: Request, identity: Identity | None) -> Identity:
    who = _require(request, identity, None)
    if not (who.is_resident or who.is_company):
        raise AccessDenied("customer")
    return who


@_access_class("customer")
async def customer(request: Request, identity: CurrentIdentity) -> Identity:
    """A resident (DigiD) or an entrepreneur (eHerkenning)."""
    return _customer(request, identity)


@_access_class("any-login")
async def any_login(request: Request, identity: CurrentIdentity) -> Identity:
    """Anyone logged in, resident, entrepreneur or staff (logout, session extension)."""
    return _require(request, identity, None)


@_access_class("customer")
async def customer_without_session(request: Request, identity: IdentityWithoutSession) -> Identity:
    """A resident or an entrepreneur, on a page that holds no database session while it
    waits on another system."""
    return _customer(request, identity)


class CaseSystemRefused(Exception):
    """A notification callback without the case system's credentials."""


@_access_class("case-system")
def case_system(request: Request, settings: SettingsDep) -> None:
    """Only the municipality's case system (the Notificaties API), by the Authorization value
    agreed in its subscription (MIJNHAREN_ZGW_NOTIFICATIES_AUTH)."""
    expected = settings.zgw_notificaties_auth
    given = request.headers.get("authorization", "")
    if not expected or not secrets.compare_digest(given.encode(), expected.encode()):
        raise CaseSystemRefused()


_STAFF_DEPENDENCIES: dict[tuple[str, ...], Callable[..., Awaitable[Identity]]] = {}


def staff(*roles: str) -> Callable[..., Awaitable[Identity]]:
    """Only staff holding one of `roles` (any staff member when no role is named)."""
    key = tuple(sorted(roles))
    if key in _STAFF_DEPENDENCIES:
        return _STAFF_DEPENDENCIES[key]

    async def require_staff(request: Request, identity: CurrentIdentity) -> Identity:
        who = _require(request, identity, "medewerker")
        if not who.is_staff:
            raise AccessDenied("staff")
        if key and not who.has_role(*key):
            raise AccessDenied("role")
        return who

    require_staff.__name__ = f"staff_{'_'.join(key) or 'any'}"
    _access_class("staff:" + ("|".join(key) or "any"))(require_staff)
    _STAFF_DEPENDENCIES[key] = require_staff
    return require_staff


PlatformAccess = Annotated[None, Depends(platform)]
PublicAccess = Annotated[Identity | None, Depends(public)]
LoginFlowAccess = Annotated[None, Depends(login_flow)]
ResidentAccess = Annotated[Identity, Depends(resident)]
CompanyAccess = Annotated[Identity, Depends(company)]
CustomerAccess = Annotated[Identity, Depends(customer)]
AnyLoginAccess = Annotated[Identity, Depends(any_login)]
CustomerWithoutSession = Annotated[Identity, Depends(customer_without_session)]
CaseSystemAccess = Annotated[None, Depends(case_system)]
