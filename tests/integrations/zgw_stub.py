"""The ZGW APIs over real HTTP for the tests: a `ZgwStore` (the demo case system) behind the
standard's URLs, with its authentication (HS256 JWT with `client_id`), `Accept-Crs` on /zaken,
pagination (`count/next/previous/results`, except zaakinformatieobjecten: a plain array),
400 for an invalid write, and a `ZgwControl` to make it fail: down (503), slow, or failing a
chosen write before or after storing it (the answer lost on the way back).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from portal.integrations.zgw import COMPONENTS, Component, ZgwRefused
from portal.integrations.zgw.demo import demo_store
from portal.integrations.zgw.http import HttpZgwApi
from portal.integrations.zgw.local import RESOURCES, ZgwStore
from tests.integrations.stubs import StubServer

CLIENT_ID = "mijn-haren-test"
SECRET = "zgw-test-secret-van-voldoende-lengte"
UNPAGINATED = {"zaakinformatieobjecten"}


@dataclass
class ZgwControl:
    """How the stub misbehaves, and what it was asked (method, path, query, headers)."""

    down: bool = False
    delay_seconds: float = 0.0
    page_size: int = 100
    # (resource, "before" | "after"): fail the next create of that resource, once.
    fail_write: tuple[str, str] | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    store: ZgwStore = field(default_factory=ZgwStore)

    def reset(self) -> None:
        self.down = False
        self.delay_seconds = 0.0
        self.page_size = 100
        self.fail_write = None
        self.requests.clear()
        self.subscriptions.clear()


def _authorized(request: Request) -> bool:
    header = request.headers.get("authorization", "")
    if not header.startswith("Bearer "):
        return False
    try:
        token = jwt.decode(header.removeprefix("Bearer "), OctKey.import_key(SECRET.encode()))
    except (JoseError, ValueError):
        return False
    return token.header.get("alg") == "HS256" and token.claims.get("client_id") == CLIENT_ID


def _control(request: Request) -> ZgwControl:
    control: ZgwControl = request.app.state.control
    return control


async def _guard(request: Request, resource: str) -> Response | None:
    control = _control(request)
    control.requests.append(
        {
            "method": request.method,
            "path": request.url.path,
            "query": dict(request.query_params),
            "headers": {k.lower(): v for k, v in request.headers.items()},
        }
    )
    if control.delay_seconds:
        await asyncio.sleep(control.delay_seconds)
    if control.down:
        return JSONResponse({"detail": "onderhoud"}, status_code=503)
    if not _authorized(request):
        return JSONResponse({"detail": "Niet geautoriseerd"}, status_code=403)
    crs = request.headers.get("accept-crs")
    if resource == "zaken" and request.method in ("GET", "POST") and crs != "EPSG:4326":
        return JSONResponse({"detail": "Accept-Crs ontbreekt"}, status_code=412)
    return None


async def _collection(request: Request) -> Response:
    control = _control(request)
    resource = request.path_params["resource"]
    if RESOURCES.get(resource) != request.path_params["component"]:
        return JSONResponse({"detail": "Niet gevonden"}, status_code=404)
    refused = await _guard(request, resource)
    if refused is not None:
        return refused
    if request.method == "POST":
        return await _create(request, resource)
    found = control.store.search(resource, dict(request.query_params))
    if resource in UNPAGINATED:
        return JSONResponse(found)
    page = int(request.query_params.get("page", "1"))
    start = (page - 1) * control.page_size
    following = None
    if start + control.page_size < len(found):
        following = str(request.url.include_query_params(page=page + 1))
    return JSONResponse(
        {
            "count": len(found),
            "next": following,
            "previous": None,
            "results": found[start : start + control.page_size],
        }
    )


async def _create(request: Request, resource: str) -> Response:
    control = _control(request)
    failing = control.fail_write
    if failing == (resource, "before"):
        control.fail_write = None
        return JSONResponse({"detail": "storing"}, status_code=500)
    try:
        created = control.store.create(resource, json.loads(await request.body()))
    except ZgwRefused as refused:
        invalid = [{"name": refused.detail, "code": "invalid"}]
        return JSONResponse(
            {"title": "Invalid input.", "status": 400, "invalidParams": invalid},
            status_code=400,
        )
    if failing == (resource, "after"):
        control.fail_write = None
        return JSONResponse({"detail": "verbinding verbroken"}, status_code=502)
    return JSONResponse(created, status_code=201)


async def _item(request: Request) -> Response:
    refused = await _guard(request, request.path_params["resource"])
    if refused is not None:
        return refused
    found = _control(request).store.get(str(request.url).split("?")[0])
    if found is None:
        return JSONResponse({"detail": "Niet gevonden"}, status_code=404)
    return JSONResponse(found)


async def _download(request: Request) -> Response:
    refused = await _guard(request, "enkelvoudiginformatieobjecten")
    if refused is not None:
        return refused
    content = _control(request).store.content_of(str(request.url).split("?")[0])
    if content is None:
        return JSONResponse({"detail": "Niet gevonden"}, status_code=404)
    return Response(content, media_type="application/octet-stream")


async def _subscribe(request: Request) -> Response:
    """The Notificaties API's abonnement: kept in `control.subscriptions`."""
    refused = await _guard(request, "abonnement")
    if refused is not None:
        return refused
    body = json.loads(await request.body())
    if not body.get("callbackUrl") or not body.get("kanalen"):
        return JSONResponse({"invalidParams": [{"name": "callbackUrl"}]}, status_code=400)
    body["url"] = f"{request.url}/{len(_control(request).subscriptions) + 1}"
    _control(request).subscriptions.append(body)
    return JSONResponse(body, status_code=201)


def zgw_stub(control: ZgwControl) -> Starlette:
    """The stub app; it serves whatever store `control.store` holds at the time."""
    prefix = "/{component:str}/api/v1/{resource:str}"
    app = Starlette(
        routes=[
            Route("/notificaties/api/v1/abonnement", _subscribe, methods=["POST"]),
            Route(prefix, _collection, methods=["GET", "POST"]),
            Route(prefix + "/{uuid:str}/download", _download),
            Route(prefix + "/{uuid:str}", _item),
        ]
    )
    app.state.control = control
    return app


@dataclass
class RunningZgw:
    origin: str
    control: ZgwControl

    @property
    def store(self) -> ZgwStore:
        return self.control.store


@pytest.fixture(scope="session")
def _zgw_server() -> Iterator[StubServer]:
    control = ZgwControl()
    server = StubServer(zgw_stub(control), control)  # type: ignore[arg-type]
    server.start()
    yield server
    server.stop()


@pytest.fixture
def zgw_server(_zgw_server: StubServer) -> Iterator[RunningZgw]:
    """The stub on a loopback port, holding a fresh demo case system for each test."""
    control: ZgwControl = _zgw_server.control  # type: ignore[assignment]
    control.reset()
    control.store = demo_store(_zgw_server.origin)
    yield RunningZgw(_zgw_server.origin, control)
    control.reset()


def http_api_for(origin: str, *, secret: str = SECRET, timeout: float = 5.0) -> HttpZgwApi:
    """The portal's http client pointed at the stub."""
    bases: dict[Component, str] = {c: f"{origin}/{c}/api/v1" for c in COMPONENTS}
    return HttpZgwApi(bases, client_id=CLIENT_ID, secret=secret, timeout=timeout)
