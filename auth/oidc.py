"""The OpenID Connect relying party: discovery, authorization, code exchange, ID token checks.

Authlib builds the authorization URL (with PKCE S256) and exchanges the code; joserfc verifies
the ID token's signature against the provider's JWKS. Every check that RFC 9700 and ASVS V10
ask of a client is here, each failing with `LoginFailed` and a reason that is safe to log.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from auth.identity import Identity, loa_meets
from formulieren.fields.nummers import is_valid_bsn
from portal.settings import OIDCProviderSettings

ALLOWED_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]
CLOCK_SKEW_SECONDS = 120
METADATA_TTL_SECONDS = 3600


class LoginFailed(Exception):
    """The login did not succeed; `reason` is a short code for the log, never personal data."""

    def __init__(self, reason: str, *, user_cancelled: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.user_cancelled = user_cancelled


class ProviderUnavailable(LoginFailed):
    """The identity provider could not be reached or answered nonsense."""


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class LoginResult:
    identity: Identity
    id_token: str


class _MetadataCache:
    """Discovery documents and key sets, kept per process for an hour (they rarely change)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, Any]] = {}

    def get(self, key: str) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry and entry[0] > time.monotonic():
                return entry[1]
            return None

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + METADATA_TTL_SECONDS, value)

    def forget(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)


_cache = _MetadataCache()


def clear_metadata_cache() -> None:
    """Forget every cached discovery document and key set (after a provider's keys changed)."""
    global _cache
    _cache = _MetadataCache()


def _get_json(url: str, timeout: float) -> dict[str, Any]:
    try:
        response = httpx.get(url, timeout=timeout, headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise ProviderUnavailable(f"fetching {type(error).__name__}") from error
    if not isinstance(data, dict):
        raise ProviderUnavailable("document is not a JSON object")
    return data


def provider_metadata(provider: OIDCProviderSettings, *, timeout: float) -> ProviderMetadata:
    """The provider's discovery document; its `issuer` must equal the configured one exactly."""
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    cached = _cache.get(url)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    document = _get_json(url, timeout)
    if document.get("issuer") != provider.issuer:
        raise ProviderUnavailable("discovery issuer differs from configured issuer")
    try:
        metadata = ProviderMetadata(
            issuer=document["issuer"],
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            jwks_uri=document["jwks_uri"],
            end_session_endpoint=document.get("end_session_endpoint"),
        )
    except KeyError as error:
        raise ProviderUnavailable("discovery document incomplete") from error
    _cache.put(url, metadata)
    return metadata


def _key_set(jwks_uri: str, *, timeout: float, refresh: bool = False) -> KeySet:
    if refresh:
        _cache.forget(jwks_uri)
    cached = _cache.get(jwks_uri)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    try:
        key_set = KeySet.import_key_set(_get_json(jwks_uri, timeout))  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError) as error:
        raise ProviderUnavailable("provider keys unusable") from error
    _cache.put(jwks_uri, key_set)
    return key_set


def _oauth_client(
    provider: OIDCProviderSettings, redirect_uri: str, timeout: float
) -> OAuth2Client:
    return OAuth2Client(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        scope=provider.scope,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",  # noqa: S106 - a method name
        timeout=timeout,
    )


def start_authorization(
    provider: OIDCProviderSettings, *, redirect_uri: str, minimum_loa: str, timeout: float
) -> AuthorizationRequest:
    """A fresh authorization request: new state, nonce and PKCE verifier (RFC 9700 §2.1.1)."""
    metadata = provider_metadata(provider, timeout=timeout)
    state, nonce, verifier = generate_token(48), generate_token(48), generate_token(64)
    extra: dict[str, str] = {"prompt": "login"}
    if minimum_loa:
        extra["acr_values"] = minimum_loa
    with _oauth_client(provider, redirect_uri, timeout) as client:
        url, _ = client.create_authorization_url(
            metadata.authorization_endpoint,
            state=state,
            nonce=nonce,
            code_verifier=verifier,
            **extra,
        )
    return AuthorizationRequest(url=url, state=state, nonce=nonce, code_verifier=verifier)


def finish_authorization(
    provider: OIDCProviderSettings,
    *,
    redirect_uri: str,
    code: str,
    code_verifier: str,
    nonce: str,
    minimum_loa: str,
    timeout: float,
) -> LoginResult:
    """Exchange the code, verify the ID token completely, and read the identity from it."""
    metadata = provider_metadata(provider, timeout=timeout)
    try:
        with _oauth_client(provider, redirect_uri, timeout) as client:
            token = client.fetch_token(
                metadata.token_endpoint,
                grant_type="authorization_code",
                code=code,
                code_verifier=code_verifier,
            )
    except OAuthError as error:
        raise LoginFailed(f"token endpoint refused: {error.error}") from error
    except httpx.HTTPError as error:
        raise ProviderUnavailable(f"token endpoint {type(error).__name__}") from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str) or not id_token:
        raise LoginFailed("no id_token in token response")
    claims = verify_id_token(
        id_token, provider=provider, metadata=metadata, nonce=nonce, timeout=timeout
    )
    identity = identity_from_claims(provider, claims)
    required = max_loa(provider.name, provider.minimum_loa, minimum_loa)
    if not loa_meets(provider.name, identity.loa, required):
        raise LoginFailed("level of assurance below the minimum")
    return LoginResult(identity=identity, id_token=id_token)


def max_loa(provider: str, first: str, second: str) -> str:
    """The stricter of two minimum levels of assurance."""
    if not first:
        return second
    if not second:
        return first
    return second if loa_meets(provider, second, first) else first


def verify_id_token(
    id_token: str,
    *,
    provider: OIDCProviderSettings,
    metadata: ProviderMetadata,
    nonce: str,
    timeout: float,
) -> dict[str, Any]:
    """Signature (JWKS, no `none`), iss, aud, azp, exp, iat and nonce (OIDC Core §3.1.3.7)."""
    decoded = _decode_signed(id_token, metadata.jwks_uri, timeout)
    claims: dict[str, Any] = dict(decoded.claims)
    registry = jwt.JWTClaimsRegistry(
        leeway=CLOCK_SKEW_SECONDS,
        iss={"essential": True, "value": metadata.issuer},
        sub={"essential": True},
        aud={"essential": True, "value": provider.client_id},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        raise LoginFailed(f"id_token claim invalid: {error.error}") from error
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise LoginFailed("id_token azp does not name this client")
    if claims["iat"] > time.time() + CLOCK_SKEW_SECONDS:
        raise LoginFailed("id_token issued in the future")
    return claims


def _decode_signed(id_token: str, jwks_uri: str, timeout: float) -> jwt.Token:
    for refresh in (False, True):
        key_set = _key_set(jwks_uri, timeout=timeout, refresh=refresh)
        try:
            return jwt.decode(id_token, key_set, algorithms=ALLOWED_ALGORITHMS)
        except JoseError as error:
            # An unknown key id may mean the provider rotated its keys: fetch them once more.
            if refresh or "key" not in type(error).__name__.lower():
                raise LoginFailed(f"id_token signature invalid: {error.error}") from error
        except (ValueError, TypeError) as error:
            raise LoginFailed("id_token malformed") from error
    raise LoginFailed("id_token signature invalid")


def identity_from_claims(provider: OIDCProviderSettings, claims: dict[str, Any]) -> Identity:
    """The normalised identity; a login without its identifying claim fails (ASVS 6.8.1)."""
    loa = claims.get(provider.loa_claim)
    loa = str(loa) if loa is not None else None
    if provider.name == "digid":
        bsn = str(claims.get(provider.claims["bsn"]) or "")
        bsn = bsn.removeprefix("s00000000:")  # Signicat sends idp_id as "s00000000:<bsn>"
        if not is_valid_bsn(bsn):
            raise LoginFailed("no valid BSN in the token")
        return Identity(provider="digid", subject=bsn, loa=loa, bsn=bsn)
    if provider.name == "eherkenning":
        kvk = str(claims.get(provider.claims["kvk"]) or "")
        if len(kvk) != 8 or not kvk.isdigit():
            raise LoginFailed("no valid KVK number in the token")
        vestiging = claims.get(provider.claims["vestiging"])
        vestiging = str(vestiging) if vestiging else None
        if vestiging is not None and (len(vestiging) != 12 or not vestiging.isdigit()):
            raise LoginFailed("malformed vestigingsnummer in the token")
        acting = claims.get(provider.claims["acting_subject"])
        return Identity(
            provider="eherkenning",
            subject=kvk,
            loa=loa,
            kvk=kvk,
            vestiging=vestiging,
            acting_subject=str(acting) if acting else None,
        )
    roles_claim = claims.get(provider.claims["roles"]) or []
    roles = roles_claim.split() if isinstance(roles_claim, str) else list(roles_claim)
    name = claims.get(provider.claims["name"])
    return Identity(
        provider="medewerker",
        subject=str(claims["sub"]),
        loa=loa,
        roles=tuple(sorted(str(role) for role in roles)),
        display_name=str(name) if name else None,
    )


def end_session_url(
    provider: OIDCProviderSettings, *, id_token: str, post_logout_redirect_uri: str, timeout: float
) -> str | None:
    """Where to send the browser to end the provider's session too (RP-initiated logout)."""
    try:
        metadata = provider_metadata(provider, timeout=timeout)
    except ProviderUnavailable:
        return None
    if not metadata.end_session_endpoint:
        return None
    params = {
        "post_logout_redirect_uri": post_logout_redirect_uri,
        "client_id": provider.client_id,
    }
    if id_token:
        params["id_token_hint"] = id_token
    return str(httpx.URL(metadata.end_session_endpoint, params=params))
