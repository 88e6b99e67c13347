"""A `ZgwStore` served over HTTP as the ZGW APIs: the standard's URLs, its authentication
(HS256 JWT with `client_id`), `Accept-Crs` on /zaken, pagination (`count/next/previous/
results`, except zaakinformatieobjecten: a plain array), 400 for an invalid write and the
Notificaties API's abonnement. `mijn-haren zgw demo-server` runs it with the demo case system,
so the portal and its worker (two processes) share one case system in development; the tests'
stub is this app with `CaseSystemState`'s hooks made to misbehave.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from portal.integrations.zgw import ZgwRefused
from portal.integrations.zgw.local import RESOURCES, ZgwStore

UNPAGINATED = {"zaakinformatieobjecten"}


@dataclass
class CaseSystemState:
    """What the server serves and whom it lets in; the two hooks let a test interfere."""

    store: ZgwStore
    client_id: str
    secret: str
    page_size: int = 100
    subscriptions: list[dict[str, Any]] = field(default_factory=list)

    async def interfere(self, request: Request, resource: str) -> Response | None:
        """An answer instead of the real one (a test's outage or delay); None: carry on."""
        return None

    def write_fault(self, resource: str, moment: str) -> Response | None:
        """An answer instead of the real one just "before" or "after" storing a write."""
        return None

    def authorized(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return False
        key = OctKey.import_key(self.secret.encode())
        try:
            token = jwt.decode(header.removeprefix("Bearer "), key)
        except (JoseError, ValueError):
            return False
        return (
            token.header.get("alg") == "HS256" and token.claims.get("client_id") == self.client_id
        )


def _state(request: Request) -> CaseSystemState:
    state: CaseSystemState = request.app.state.case_system
    return state


def _problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"status": status, "detail": detail}, status_code=status)


async def _guard(request: Request, resource: str) -> Response | None:
    state = _state(request)
    interfered = await state.interfere(request, resource)
    if interfered is not None:
        return interfered
    if not state.authorized(request):
        return _problem(403, "Niet geautoriseerd")
    crs = request.headers.get("accept-crs")
    if resource == "zaken" and request.method in ("GET", "POST") and crs != "EPSG:4326":
        return _problem(412, "Accept-Crs ontbreekt")
    return None


async def _collection(request: Request) -> Response:
    state = _state(request)
    resource = request.path_params["resource"]
    if RESOURCES.get(resource) != request.path_params["component"]:
        return _problem(404, "Niet gevonden")
    refused = await _guard(request, resource)
    if refused is not None:
        return refused
    if request.method == "POST":
        return await _create(request, resource)
    found = state.store.search(resource, dict(request.query_params))
    if resource in UNPAGINATED:
        return JSONResponse(found)
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return _problem(400, "page")
    start = (page - 1) * state.page_size
    following = None
    if start + state.page_size < len(found):
        following = str(request.url.include_query_params(page=page + 1))
    return JSONResponse(
        {
            "count": len(found),
            "next": following,
            "previous": None,
            "results": found[start : start + state.page_size],
        }
    )


async def _create(request: Request, resource: str) -> Response:
    state = _state(request)
    fault = state.write_fault(resource, "before")
    if fault is not None:
        return fault
    try:
        body = json.loads(await request.body())
        if not isinstance(body, dict):
            raise ZgwRefused(resource, "body: invalid")
        created = state.store.create(resource, body)
    except (ZgwRefused, ValueError) as refused:
        name = refused.detail if isinstance(refused, ZgwRefused) else "body"
        invalid = [{"name": name, "code": "invalid"}]
        return JSONResponse(
            {"title": "Invalid input.", "status": 400, "invalidParams": invalid},
            status_code=400,
        )
    fault = state.write_fault(resource, "after")
    if fault is not None:
        return fault
    return JSONResponse(created, status_code=201)


async def _item(request: Request) -> Response:
    refused = await _guard(request, request.path_params["resource"])
    if refused is not None:
        return refused
    found = _state(request).store.get(str(request.url).split("?")[0])
    if found is None:
        return _problem(404, "Niet gevonden")
    return JSONResponse(found)


async def _download(request: Request) -> Response:
    refused = await _guard(request, "enkelvoudiginformatieobjecten")
    if refused is not None:
        return refused
    content = _state(request).store.content_of(str(request.url).split("?")[0])
    if content is None:
        return _problem(404, "Niet gevonden")
    return Response(content, media_type="application/octet-stream")


async def _subscribe(request: Request) -> Response:
    """The Notificaties API's abonnement (kept, never called back: there is no NRC here)."""
    refused = await _guard(request, "abonnement")
    if refused is not None:
        return refused
    state = _state(request)
    try:
        body = json.loads(await request.body())
    except ValueError:
        body = None
    if not isinstance(body, dict) or not body.get("callbackUrl") or not body.get("kanalen"):
        return JSONResponse({"invalidParams": [{"name": "callbackUrl"}]}, status_code=400)
    body["url"] = f"{request.url}/{len(state.subscriptions) + 1}"
    state.subscriptions.append(body)
    return JSONResponse(body, status_code=201)


def case_system_app(state: CaseSystemState) -> Starlette:
    """The app; it serves whatever store `state.store` holds at the time."""
    prefix = "/{component:str}/api/v1/{resource:str}"
    app = Starlette(
        routes=[
            Route("/notificaties/api/v1/abonnement", _subscribe, methods=["POST"]),
            Route(prefix, _collection, methods=["GET", "POST"]),
            Route(prefix + "/{uuid:str}/download", _download),
            Route(prefix + "/{uuid:str}", _item),
        ]
    )
    app.state.case_system = state
    return app
