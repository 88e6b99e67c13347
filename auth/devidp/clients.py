"""The portal as the provider's only client, and the demo user who logs in at the test page."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from auth.devidp.people import DemoAccount
from portal.settings import ProviderName, Settings


def issuer_url(settings: Settings, provider: ProviderName) -> str:
    """The issuer the portal's settings point at when the provider has none configured."""
    return f"{settings.base_url.rstrip('/')}/dev-idp/{provider}"


def portal_redirect_uri(settings: Settings, provider: ProviderName) -> str:
    """The one redirect URI the portal's client may use."""
    return f"{settings.base_url.rstrip('/')}/auth/{provider}/callback"


def utcnow() -> datetime:
    """Now, in UTC (the table's datetime columns take aware datetimes)."""
    return datetime.now(UTC)


class PortalUrls:
    """The post-logout redirect URIs of the portal: any address on its base URL."""

    def __init__(self, base_url: str) -> None:
        self.base = urlsplit(base_url.rstrip("/"))

    def __contains__(self, uri: object) -> bool:
        if not isinstance(uri, str):
            return False
        parts = urlsplit(uri)
        return (parts.scheme, parts.netloc) == (self.base.scheme, self.base.netloc) and (
            parts.path + "/"
        ).startswith(self.base.path + "/")


@dataclass(frozen=True)
class PortalClient:
    """The portal's OIDC client, the only client this provider knows (Authlib's ClientMixin)."""

    client_id: str
    client_secret: str
    redirect_uri: str
    scope: str
    base_url: str

    @classmethod
    def for_provider(cls, settings: Settings, provider: ProviderName) -> PortalClient:
        config = settings.provider(provider)
        return cls(
            client_id=config.client_id,
            client_secret=config.client_secret,
            redirect_uri=portal_redirect_uri(settings, provider),
            scope=config.scope,
            base_url=settings.base_url,
        )

    @property
    def client_metadata(self) -> dict[str, Any]:
        return {"post_logout_redirect_uris": PortalUrls(self.base_url)}

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None  # the request must name the redirect URI (OIDC Core §3.1.2.1)

    def get_allowed_scope(self, scope: str | None) -> str:
        if not scope:
            return self.scope
        allowed = set(self.scope.split()) | {"openid"}
        return " ".join(item for item in scope.split() if item in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint != "token" or method == "client_secret_basic"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass(frozen=True)
class DemoLogin:
    """Who logged in at the test login page, with the claims the tokens will carry."""

    subject: str
    claims: dict[str, Any]
    auth_time: datetime


def demo_claims(
    settings: Settings, provider: ProviderName, account: DemoAccount, loa: str | None
) -> dict[str, Any]:
    """The user claims of a demo login, under the claim names the portal is configured for."""
    claims: dict[str, Any] = {"sub": account.subject}
    if loa:
        claims["acr"] = loa
        claims[settings.provider(provider).loa_claim] = loa
    if provider == "digid":
        claims[settings.digid_bsn_claim] = account.bsn
    elif provider == "eherkenning":
        claims[settings.eherkenning_kvk_claim] = account.kvk
        claims["namequalifier"] = "urn:etoegang:1.9:EntityConcernedID:KvKnr"
        if account.vestiging:
            claims[settings.eherkenning_vestiging_claim] = account.vestiging
        if account.acting_subject:
            claims[settings.eherkenning_acting_subject_claim] = account.acting_subject
    else:
        claims[settings.medewerker_roles_claim] = list(account.roles)
        claims[settings.medewerker_name_claim] = account.name
    return claims
