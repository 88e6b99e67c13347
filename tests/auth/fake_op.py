"""A misbehaving OpenID provider for negative login tests: each knob breaks one thing the client
must check. Served on a loopback port, because the portal's OIDC client speaks real HTTP."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.conftest import free_port


@dataclass
class Scenario:
    """What the provider does wrong this time (all defaults: a correct provider)."""

    claims: dict[str, Any] = field(default_factory=dict)
    issuer_in_token: str | None = None
    issuer_in_discovery: str | None = None
    audience: str | list[str] | None = None
    expires_in: int = 300
    nonce: str | None = None
    alg_none: bool = False
    foreign_key: bool = False
    authorize_error: str | None = None
    send_iss_parameter: str | None = None


@dataclass
class IssuedCode:
    client_id: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None
    used: bool = False


class FakeOP:
    def __init__(self) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.key = RSAKey.generate_key(2048, parameters={"kid": "good"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "good"})
        self.scenario = Scenario()
        self.codes: dict[str, IssuedCode] = {}
        self.token_requests: list[dict[str, str]] = []
        self.app = Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/jwks", self.jwks),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
                Route("/logout", self.logout),
            ]
        )
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_config=None)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> FakeOP:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)

    async def discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.scenario.issuer_in_discovery or self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "end_session_endpoint": f"{self.issuer}/logout",
                "response_types_supported": ["code"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    async def jwks(self, request: Request) -> Response:
        return JSONResponse(KeySet([self.key]).as_dict(private=False))

    async def authorize(self, request: Request) -> Response:
        params = request.query_params
        answer: dict[str, str] = {"state": params.get("state", "")}
        if self.scenario.authorize_error:
            answer["error"] = self.scenario.authorize_error
        else:
            code = secrets.token_urlsafe(24)
            self.codes[code] = IssuedCode(
                client_id=params["client_id"],
                redirect_uri=params["redirect_uri"],
                nonce=params.get("nonce"),
                code_challenge=params.get("code_challenge"),
            )
            answer["code"] = code
        if self.scenario.send_iss_parameter:
            answer["iss"] = self.scenario.send_iss_parameter
        return RedirectResponse(f"{params['redirect_uri']}?{urlencode(answer)}", status_code=302)

    async def token(self, request: Request) -> Response:
        form = dict(await request.form())
        self.token_requests.append({k: str(v) for k, v in form.items()})
        issued = self.codes.get(str(form.get("code")))
        if issued is None or issued.used:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        issued.used = True
        verifier = str(form.get("code_verifier", ""))
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if challenge != issued.code_challenge:
            return JSONResponse({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self._id_token(issued),
            }
        )

    def _id_token(self, issued: IssuedCode) -> str:
        now = int(time.time())
        scenario = self.scenario
        claims = {
            "iss": scenario.issuer_in_token or self.issuer,
            "sub": "fake-subject",
            "aud": scenario.audience if scenario.audience is not None else issued.client_id,
            "iat": now,
            "exp": now + scenario.expires_in,
            "nonce": scenario.nonce if scenario.nonce is not None else issued.nonce,
            **scenario.claims,
        }
        if scenario.alg_none:
            header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=")
            body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
            return f"{header.decode()}.{body.decode()}."
        key = self.other_key if scenario.foreign_key else self.key
        return jwt.encode({"alg": "RS256", "kid": "good"}, claims, key)

    async def logout(self, request: Request) -> Response:
        target = request.query_params.get("post_logout_redirect_uri", "/")
        return RedirectResponse(target, status_code=302)


__all__ = ["ECKey", "FakeOP", "Scenario"]
