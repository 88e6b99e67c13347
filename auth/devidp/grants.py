"""Authlib's code grant and its extensions, fitted to the portal: codes in the database (single
use, five minutes), PKCE S256 required, an ES256 ID token, and RP-initiated logout."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import structlog
from authlib.oauth2.rfc6749 import InvalidRequestError, OAuth2Request
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.rpinitiated import EndSessionEndpoint, EndSessionRequest
from joserfc.jwk import ECKey, KeySet
from sqlalchemy import delete, update
from sqlmodel import col, select

from auth.devidp.clients import DemoLogin, PortalClient, utcnow
from auth.devidp.keys import SIGNING_ALGORITHM, verification_keys
from auth.devidp.models import DevIdpAuthorizationCode

if TYPE_CHECKING:
    from auth.devidp.server import DevAuthorizationServer

log = structlog.get_logger("mijnharen.devidp")

CODE_LIFETIME = timedelta(minutes=5)
CODE_RETENTION = timedelta(hours=1)


def _timestamp(moment: datetime) -> int:
    """Seconds since the epoch; a datetime without zone is taken as UTC."""
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def _hash_code(code: str) -> str:
    # Only the hash is stored: whoever reads the table cannot redeem the codes in it.
    return hashlib.sha256(code.encode()).hexdigest()


@dataclass(frozen=True)
class RedeemedCode:
    """An authorization code taken from the table (Authlib's AuthorizationCodeMixin)."""

    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    subject: str
    claims: dict[str, Any]
    auth_time: datetime

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return _timestamp(self.auth_time)

    def get_acr(self) -> str | None:
        acr = self.claims.get("acr")
        return str(acr) if acr else None

    def get_amr(self) -> list[str] | None:
        return None


class PortalAuthorizationCodeGrant(AuthorizationCodeGrant):  # type: ignore[misc]
    """The code grant, with codes in the database: single use, five minutes."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]  # noqa: RUF012 - Authlib's interface

    server: DevAuthorizationServer

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        login: DemoLogin = request.user
        now = utcnow()
        db = self.server.db
        db.execute(
            delete(DevIdpAuthorizationCode).where(
                col(DevIdpAuthorizationCode.created_at) < now - CODE_RETENTION
            )
        )
        db.add(
            DevIdpAuthorizationCode(
                code=_hash_code(code),
                provider=self.server.provider,
                client_id=request.client.client_id,
                redirect_uri=request.payload.redirect_uri,
                scope=request.scope or "",
                nonce=request.payload.data.get("nonce"),
                code_challenge=request.payload.data.get("code_challenge"),
                code_challenge_method=request.payload.data.get("code_challenge_method"),
                subject=login.subject,
                claims=login.claims,
                auth_time=login.auth_time,
                created_at=now,
            )
        )

    def query_authorization_code(self, code: str, client: PortalClient) -> RedeemedCode | None:
        """Mark the code used in one conditional update, so only one request can redeem it."""
        now = utcnow()
        table = DevIdpAuthorizationCode
        statement = (
            update(table)
            .where(
                col(table.code) == _hash_code(code),
                col(table.provider) == self.server.provider,
                col(table.client_id) == client.client_id,
                col(table.used_at).is_(None),
                col(table.created_at) > now - CODE_LIFETIME,
            )
            .values(used_at=now)
            .returning(table)
        )
        row = self.server.db.execute(statement).scalars().first()
        if not isinstance(row, DevIdpAuthorizationCode):
            log.info("devidp_code_refused", provider=self.server.provider)
            return None
        return RedeemedCode(
            redirect_uri=row.redirect_uri,
            scope=row.scope,
            nonce=row.nonce,
            code_challenge=row.code_challenge,
            code_challenge_method=row.code_challenge_method,
            subject=row.subject,
            claims=dict(row.claims),
            auth_time=row.auth_time,
        )

    def delete_authorization_code(self, authorization_code: RedeemedCode) -> None:
        """Nothing to do: the code was marked used when it was redeemed."""

    def authenticate_user(self, authorization_code: RedeemedCode) -> DemoLogin:
        return DemoLogin(
            subject=authorization_code.subject,
            claims=authorization_code.claims,
            auth_time=authorization_code.auth_time,
        )


class RequiredS256CodeChallenge(CodeChallenge):  # type: ignore[misc]
    """PKCE is required of every client, and only with S256 (RFC 9700 §2.1.1)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]  # noqa: RUF012 - Authlib's interface

    def validate_code_challenge(
        self, grant: PortalAuthorizationCodeGrant, redirect_uri: str | None
    ) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': PKCE with S256 is required.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be 'S256'.")
        super().validate_code_challenge(grant, redirect_uri)


class PortalOpenIDCode(OpenIDCode):  # type: ignore[misc]
    """Adds the ES256-signed ID token; a nonce is required and may not be used twice."""

    def __init__(self, server: DevAuthorizationServer) -> None:
        super().__init__(require_nonce=True)
        self.server = server

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        statement = select(DevIdpAuthorizationCode.code).where(
            col(DevIdpAuthorizationCode.client_id) == request.payload.client_id,
            col(DevIdpAuthorizationCode.nonce) == nonce,
        )
        return self.server.db.exec(statement).first() is not None

    def resolve_client_private_key(self, client: PortalClient) -> ECKey:
        return self.server.key

    def get_client_algorithm(self, client: PortalClient) -> str:
        return SIGNING_ALGORITHM

    def get_client_claims(self, client: PortalClient) -> dict[str, Any]:
        return {"iss": self.server.issuer, "aud": client.client_id}

    def get_encode_header(self, client: PortalClient) -> dict[str, str]:
        return {"alg": SIGNING_ALGORITHM, "kid": str(self.server.key.kid), "typ": "JWT"}

    def generate_user_info(self, user: DemoLogin, scope: str) -> dict[str, Any]:
        return dict(user.claims)


class PortalEndSessionEndpoint(EndSessionEndpoint):  # type: ignore[misc]
    """RP-initiated logout; this provider keeps no sessions, so there is nothing to end."""

    server: DevAuthorizationServer

    def get_server_jwks(self) -> KeySet:
        return verification_keys(self.server.settings.secret_key, self.server.provider)

    def get_algorithms(self) -> list[str]:
        return [SIGNING_ALGORITHM]

    def is_post_logout_redirect_uri_legitimate(
        self, request: OAuth2Request, post_logout_redirect_uri: str, client: Any, logout_hint: Any
    ) -> bool:
        # Without an id_token_hint: the only client is the portal and the address is on it.
        return client is not None

    def end_session(self, end_session_request: EndSessionRequest) -> None:
        log.info("devidp_logout", provider=self.server.provider)
