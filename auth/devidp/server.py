"""The development provider's OpenID server, assembled from Authlib's server parts.

Authlib does the protocol: the authorization code grant (RFC 6749 §4.1), PKCE (RFC 7636, here
S256 only and required), the OpenID Connect code flow extension that adds the signed ID token, and
RP-initiated logout (`grants.py` fits them to the portal). The server is made per request, around
the request's database session. Access tokens are signed JWTs (RFC 9068), so no token is stored.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749 import AuthorizationServer, OAuth2Error, OAuth2Request
from fastapi.responses import JSONResponse, Response
from joserfc import jwt
from joserfc.errors import JoseError
from sqlmodel import Session

from auth.devidp.adapter import StarletteOAuth2Request
from auth.devidp.clients import DemoLogin, PortalClient, issuer_url
from auth.devidp.grants import (
    PortalAuthorizationCodeGrant,
    PortalEndSessionEndpoint,
    PortalOpenIDCode,
    RequiredS256CodeChallenge,
)
from auth.devidp.keys import SIGNING_ALGORITHM, signing_key, verification_keys
from portal.settings import ProviderName, Settings

ACCESS_TOKEN_SECONDS = 3600
ACCESS_TOKEN_TYPE = "at+jwt"  # noqa: S105 - a media type, not a secret
# Claims of the access token that describe the token rather than the user (RFC 9068 §2.2).
ACCESS_TOKEN_ONLY_CLAIMS = frozenset(
    {"iss", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "auth_time"}
)


def _add_issuer_parameter(server: DevAuthorizationServer, response: Response) -> None:
    """RFC 9207: every authorization response names the issuer, errors included."""
    location = response.headers.get("location")
    if location:
        response.headers["location"] = add_params_to_uri(location, {"iss": server.issuer})


class DevAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    """One provider's authorization server, made per request (it holds the request's session)."""

    def __init__(self, *, settings: Settings, provider: ProviderName, db: Session) -> None:
        super().__init__()
        self.settings = settings
        self.provider = provider
        self.db = db
        self.issuer = issuer_url(settings, provider)
        self.key = signing_key(settings.secret_key, provider)
        self.client = PortalClient.for_provider(settings, provider)
        self.register_token_generator("default", self._generate_bearer_token)
        self.register_grant(
            PortalAuthorizationCodeGrant, [RequiredS256CodeChallenge(), PortalOpenIDCode(self)]
        )
        self.register_endpoint(PortalEndSessionEndpoint)
        self.register_hook("after_create_authorization_response", _add_issuer_parameter)

    def query_client(self, client_id: str | None) -> PortalClient | None:
        if client_id and secrets.compare_digest(client_id.encode(), self.client.client_id.encode()):
            return self.client
        return None

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        """Nothing to store: access tokens are signed and carry what userinfo returns."""

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No signals: nobody listens."""

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        if not isinstance(request, StarletteOAuth2Request):
            raise TypeError("pass a StarletteOAuth2Request (the form must be read first)")
        return request

    def create_json_request(self, request: Any) -> Any:
        raise NotImplementedError("this provider takes no JSON requests")

    def handle_response(
        self, status_code: int, payload: Any, headers: list[tuple[str, str]]
    ) -> Response:
        # 303 rather than 302: the browser must not post the login form on to the portal.
        status = 303 if status_code == 302 else status_code
        if isinstance(payload, dict):
            response: Response = JSONResponse(payload, status_code=status)
        else:
            response = Response(payload or b"", status_code=status)
        for name, value in headers:
            response.headers[name] = value
        return response

    def _generate_bearer_token(
        self,
        grant_type: str,
        client: PortalClient,
        user: DemoLogin | None = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        now = int(time.time())
        lifetime = expires_in or ACCESS_TOKEN_SECONDS
        claims: dict[str, Any] = {
            **(user.claims if user else {}),
            "iss": self.issuer,
            "aud": self.userinfo_endpoint,
            "client_id": client.client_id,
            "scope": scope or "",
            "iat": now,
            "exp": now + lifetime,
            "jti": secrets.token_urlsafe(16),
        }
        header = {"alg": SIGNING_ALGORITHM, "kid": str(self.key.kid), "typ": ACCESS_TOKEN_TYPE}
        return {
            "token_type": "Bearer",
            "access_token": jwt.encode(header, claims, self.key),
            "expires_in": lifetime,
            "scope": scope or "",
        }

    @property
    def userinfo_endpoint(self) -> str:
        return f"{self.issuer}/userinfo"

    def userinfo(self, access_token: str) -> dict[str, Any] | None:
        """The user claims of a valid access token of this provider, else None."""
        try:
            token = jwt.decode(
                access_token,
                verification_keys(self.settings.secret_key, self.provider),
                algorithms=[SIGNING_ALGORITHM],
            )
            if token.header.get("typ") != ACCESS_TOKEN_TYPE:
                return None  # an ID token is no access token
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.userinfo_endpoint},
                exp={"essential": True},
                sub={"essential": True},
            ).validate(token.claims)
        except (JoseError, ValueError, TypeError):
            return None
        return {k: v for k, v in token.claims.items() if k not in ACCESS_TOKEN_ONLY_CLAIMS}


def describe_error(error: OAuth2Error) -> tuple[str, str]:
    """The error code and description, for the error page."""
    return str(error.error or "invalid_request"), str(error.description or "")
