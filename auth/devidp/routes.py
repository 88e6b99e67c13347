"""HTTP endpoints of the development identity provider under `/dev-idp/<provider>/`.

The portal's OIDC client talks to these exactly as to a real broker. Every route answers 404 in
production, and for a provider that has a real issuer configured.
"""

from __future__ import annotations

from typing import Annotated, Any

from authlib.oauth2.rfc6749 import OAuth2Error
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from auth.devidp.adapter import StarletteOAuth2Request
from auth.devidp.clients import DemoLogin, demo_claims, issuer_url, utcnow
from auth.devidp.keys import SIGNING_ALGORITHM, public_jwks
from auth.devidp.people import ACCOUNTS, find_account
from auth.devidp.server import DevAuthorizationServer, describe_error
from auth.identity import (
    DIGID_LEVEL_NAMES,
    DIGID_LEVELS,
    EHERKENNING_LEVEL_NAMES,
    EHERKENNING_LEVELS,
    loa_meets,
)
from portal.database import SessionDep
from portal.openapi import form_body
from portal.security import PlatformAccess, PublicAccess
from portal.settings import PROVIDERS, ProviderName, Settings, SettingsDep
from portal.templating import render


def refuse_in_production(settings: SettingsDep) -> None:
    """Defence in depth: the development provider does not exist in production."""
    if settings.is_production:
        raise HTTPException(status_code=404)


router = APIRouter(dependencies=[Depends(refuse_in_production)])

# Fields of the login form itself; everything else on it is the original authorization request.
LOGIN_FORM_FIELDS = frozenset({"subject", "loa", "cancel", "csrf_token"})
LEVELS: dict[ProviderName, tuple[tuple[str, str], ...]] = {
    "digid": tuple(zip(DIGID_LEVELS, DIGID_LEVEL_NAMES, strict=True)),
    "eherkenning": tuple(zip(EHERKENNING_LEVELS, EHERKENNING_LEVEL_NAMES, strict=True)),
    "medewerker": (),
}
DEFAULT_LEVEL: dict[ProviderName, str | None] = {
    "digid": DIGID_LEVELS[1],  # Midden
    "eherkenning": EHERKENNING_LEVELS[3],  # EH3
    "medewerker": None,
}
PROVIDER_TITLES: dict[ProviderName, str] = {
    "digid": "DigiD",
    "eherkenning": "eHerkenning",
    "medewerker": "Medewerkers",
}


def development_provider(provider: str, settings: SettingsDep) -> ProviderName:
    """The provider named in the path, if this portal uses the development provider for it."""
    for name in PROVIDERS:
        if name == provider and settings.provider(name).uses_development_provider:
            return name
    raise HTTPException(status_code=404)


async def read_form(request: Request) -> FormData:
    """The posted form, read before the (synchronous) endpoint runs."""
    return await request.form()


DevProvider = Annotated[ProviderName, Depends(development_provider)]
PostedForm = Annotated[FormData, Depends(read_form)]


def _server(settings: Settings, provider: ProviderName, db: Session) -> DevAuthorizationServer:
    return DevAuthorizationServer(settings=settings, provider=provider, db=db)


@router.get("/dev-idp/{provider}/.well-known/openid-configuration", name="devidp:discovery")
def discovery(idp: DevProvider, settings: SettingsDep, _: PublicAccess) -> JSONResponse:
    """OpenID Provider metadata (OIDC Discovery 1.0 §3, RFC 8414)."""
    issuer = issuer_url(settings, idp)
    config = settings.provider(idp)
    claims = ["sub", "acr", "auth_time", "nonce", *config.claims.values()]
    return JSONResponse(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "jwks_uri": f"{issuer}/jwks",
            "end_session_endpoint": f"{issuer}/logout",
            "scopes_supported": sorted(set(config.scope.split()) | {"openid"}),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [SIGNING_ALGORITHM],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "acr_values_supported": [uri for uri, _name in LEVELS[idp]],
            "claims_supported": sorted(set(claims)),
            "prompt_values_supported": ["login"],
            "authorization_response_iss_parameter_supported": True,
            "request_parameter_supported": False,
            "claims_parameter_supported": False,
        }
    )


@router.get("/dev-idp/{provider}/jwks", name="devidp:jwks")
def jwks(idp: DevProvider, settings: SettingsDep, _: PublicAccess) -> JSONResponse:
    """The public signing key (RFC 7517), the same in every process with the same secret."""
    return JSONResponse(public_jwks(settings.secret_key, idp))


@router.get("/dev-idp/{provider}/authorize", name="devidp:authorize")
def authorize_page(
    request: Request, idp: DevProvider, settings: SettingsDep, db: SessionDep, _: PublicAccess
) -> Response:
    """The test login page: check the authorization request, then let the tester pick someone."""
    server = _server(settings, idp, db)
    oauth_request = StarletteOAuth2Request(request)
    try:
        server.get_consent_grant(oauth_request)
    except OAuth2Error as error:
        return _invalid_request(request, idp, error)
    return _login_page(request, idp, oauth_request)


@router.post("/dev-idp/{provider}/authorize", name="devidp:authorize", openapi_extra=form_body())
def authorize(
    request: Request,
    idp: DevProvider,
    settings: SettingsDep,
    db: SessionDep,
    form: PostedForm,
    _: PublicAccess,
) -> Response:
    """Complete the login: back to the portal with a code, or with access_denied on cancel."""
    server = _server(settings, idp, db)
    oauth_request = StarletteOAuth2Request(request, form)
    try:
        # The request came back through the browser, so it is checked all over again.
        grant = server.get_consent_grant(oauth_request)
    except OAuth2Error as error:
        return _invalid_request(request, idp, error)
    if "cancel" in form:
        response: Response = server.create_authorization_response(
            oauth_request, grant_user=None, grant=grant
        )
        return response
    account = find_account(idp, oauth_request.form.get("subject", ""))
    levels = [uri for uri, _name in LEVELS[idp]]
    loa = oauth_request.form.get("loa") if levels else None
    invalid_level = bool(levels) and loa not in levels
    if account is None or invalid_level:
        return _login_page(
            request,
            idp,
            oauth_request,
            missing_subject=account is None,
            invalid_level=invalid_level,
        )
    login = DemoLogin(
        subject=account.subject,
        claims=demo_claims(settings, idp, account, loa),
        auth_time=utcnow(),
    )
    response = server.create_authorization_response(oauth_request, grant_user=login, grant=grant)
    return response


@router.post("/dev-idp/{provider}/token", name="devidp:token", openapi_extra=form_body())
def token(
    request: Request,
    idp: DevProvider,
    settings: SettingsDep,
    db: SessionDep,
    form: PostedForm,
    _: PlatformAccess,
) -> Response:
    """Exchange a code for tokens (client_secret_basic, PKCE verifier); a code works once."""
    response: Response = _server(settings, idp, db).create_token_response(
        StarletteOAuth2Request(request, form)
    )
    return response


@router.get("/dev-idp/{provider}/userinfo", name="devidp:userinfo")
def userinfo(
    request: Request, idp: DevProvider, settings: SettingsDep, db: SessionDep, _: PlatformAccess
) -> JSONResponse:
    """The claims of the logged-in user, for a bearer access token from the token endpoint."""
    scheme, _sep, credentials = request.headers.get("authorization", "").partition(" ")
    claims = None
    if scheme.lower() == "bearer" and credentials:
        claims = _server(settings, idp, db).userinfo(credentials.strip())
    if claims is None:
        return JSONResponse(
            {"error": "invalid_token"},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return JSONResponse(claims)


@router.get("/dev-idp/{provider}/logout", name="devidp:end_session")
def end_session(
    request: Request, idp: DevProvider, settings: SettingsDep, db: SessionDep, _: PublicAccess
) -> Response:
    """RP-initiated logout: straight back to the portal when the return address is on it."""
    server = _server(settings, idp, db)
    try:
        validated = server.validate_endpoint_request("end_session", StarletteOAuth2Request(request))
    except OAuth2Error:
        validated = None
    if validated is not None:
        response: Response | None = server.create_endpoint_response("end_session", validated)
        if response is not None:
            return response
    return render(request, "devidp/logged_out.html", {"provider_title": PROVIDER_TITLES[idp]})


def _invalid_request(request: Request, provider: ProviderName, error: OAuth2Error) -> Response:
    """An authorization request we cannot answer: say why, and never redirect anywhere."""
    code, description = describe_error(error)
    return render(
        request,
        "devidp/error.html",
        {
            "provider_title": PROVIDER_TITLES[provider],
            "error_code": code,
            "error_description": description,
        },
        status_code=400,
    )


def _login_page(
    request: Request,
    provider: ProviderName,
    oauth_request: StarletteOAuth2Request,
    *,
    missing_subject: bool = False,
    invalid_level: bool = False,
) -> Response:
    requested = oauth_request.payload.data.get("acr_values", "").split()
    levels = [uri for uri, _name in LEVELS[provider]]
    chosen = oauth_request.form.get("loa")
    selected = chosen if chosen in levels else _preselected_level(provider, requested)
    hidden = [
        (key, value)
        for key, values in oauth_request.payload.datalist.items()
        for value in values
        if key not in LOGIN_FORM_FIELDS
    ]
    context: dict[str, Any] = {
        "provider": provider,
        "provider_title": PROVIDER_TITLES[provider],
        "accounts": ACCOUNTS[provider],
        "levels": LEVELS[provider],
        "selected_level": selected,
        "selected_subject": oauth_request.form.get("subject"),
        "requested_levels": [name for uri, name in LEVELS[provider] if uri in requested],
        "hidden_fields": hidden,
        "missing_subject": missing_subject,
        "invalid_level": invalid_level,
        "has_errors": missing_subject or invalid_level,
    }
    status = 400 if context["has_errors"] else 200
    return render(request, "devidp/login.html", context, status_code=status)


def _preselected_level(provider: ProviderName, requested: list[str]) -> str | None:
    """The default level, or the lowest requested level above it (so the login can succeed)."""
    default = DEFAULT_LEVEL[provider]
    for uri, _name in LEVELS[provider]:
        if uri in requested and not loa_meets(provider, default, uri):
            return uri
    return default
