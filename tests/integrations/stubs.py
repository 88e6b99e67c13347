"""Stand-ins for the remote BRP and KVK APIs, served over real HTTP on a loopback port.

Each stub serves the SAME demo JSON files as the local implementations, in the real API shapes,
with the real error shapes (BRP 400 problem+json; KVK 404 `fout` IPD0005). A `StubControl` makes
a stub fail (any status), answer slowly, or answer with garbage, and records every request so
tests can look at headers and bodies.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from portal.integrations.brp.local import RAADPLEEG, DemoPersonen, invalid_fields, today_in_nl
from portal.integrations.kvk.local import DemoHandelsregister

BRP_PATH = "/haalcentraal/api/brp"
KVK_PATH = "/test/api"
PROBLEM_JSON = "application/problem+json"
HAL_JSON = "application/hal+json"
BSN_ITEM = r"^[0-9]{9}$"


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@dataclass
class StubControl:
    """How the stub misbehaves, and what it was asked."""

    fail_status: int | None = None
    delay_seconds: float = 0.0
    garbage: bool = False
    requests: list[RecordedRequest] = field(default_factory=list)

    def reset(self) -> None:
        self.fail_status = None
        self.delay_seconds = 0.0
        self.garbage = False
        self.requests.clear()

    async def record(self, request: Request) -> RecordedRequest:
        raw = await request.body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        recorded = RecordedRequest(
            method=request.method,
            path=request.url.path,
            query=dict(request.query_params),
            headers={key.lower(): value for key, value in request.headers.items()},
            body=body,
        )
        self.requests.append(recorded)
        return recorded

    async def misbehaviour(self) -> Response | None:
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        if self.fail_status is not None:
            return JSONResponse(
                {"status": self.fail_status, "title": "Interne fout", "code": "serverError"},
                status_code=self.fail_status,
                media_type=PROBLEM_JSON,
            )
        if self.garbage:
            return Response("<html><body>Gateway says hi</body></html>", media_type="text/html")
        return None


def _problem(instance: str, invalid: list[dict[str, str]]) -> JSONResponse:
    """The BRP's 400 (BRP-API/Haal-Centraal-BRP-bevragen, geheimhouding feature file)."""
    names = ", ".join(item["name"] for item in invalid)
    return JSONResponse(
        {
            "type": "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1",
            "title": "Een of meerdere parameters zijn niet correct.",
            "status": 400,
            "detail": f"De foutieve parameter(s) zijn: {names}.",
            "code": "paramsValidation",
            "instance": instance,
            "invalidParams": invalid,
        },
        status_code=400,
        media_type=PROBLEM_JSON,
    )


def _brp_invalid_params(body: Any) -> list[dict[str, str]]:
    if not isinstance(body, dict):
        return [{"code": "required", "name": "type", "reason": "Parameter is verplicht."}]
    invalid: list[dict[str, str]] = []
    if body.get("type") != RAADPLEEG:
        invalid.append({"code": "value", "name": "type", "reason": "Waarde is niet toegestaan."})
    bsns = body.get("burgerservicenummer")
    if not isinstance(bsns, list) or not 1 <= len(bsns) <= 20:
        invalid.append(
            {
                "code": "minItems",
                "name": "burgerservicenummer",
                "reason": "Array bevat minder dan 1 items.",
            }
        )
    else:
        invalid.extend(
            {
                "code": "pattern",
                "name": f"burgerservicenummer[{index}]",
                "reason": f"Waarde voldoet niet aan patroon {BSN_ITEM}.",
            }
            for index, bsn in enumerate(bsns)
            if not (isinstance(bsn, str) and len(bsn) == 9 and bsn.isdigit())
        )
    fields = body.get("fields")
    if not isinstance(fields, list) or not 1 <= len(fields) <= 130:
        invalid.append({"code": "array", "name": "fields", "reason": "Parameter is geen array."})
    else:
        invalid.extend(
            {
                "code": "fields",
                "name": f"fields[{index}]",
                "reason": "Parameter bevat een niet toegestane veldnaam.",
            }
            for index in invalid_fields(fields)
        )
    return invalid


def brp_stub(control: StubControl, personen: DemoPersonen | None = None) -> Starlette:
    """`POST {BRP_PATH}/personen`, RaadpleegMetBurgerservicenummer only."""
    register = personen or DemoPersonen.load()

    async def personen_endpoint(request: Request) -> Response:
        recorded = await control.record(request)
        failure = await control.misbehaviour()
        if failure is not None:
            return failure
        invalid = _brp_invalid_params(recorded.body)
        if invalid:
            return _problem(request.url.path, invalid)
        body = recorded.body
        answer = register.raadpleeg(
            body["burgerservicenummer"],
            body["fields"],
            today=today_in_nl(),
            gemeente_van_inschrijving=body.get("gemeenteVanInschrijving"),
        )
        return JSONResponse(answer)

    return Starlette(routes=[Route(f"{BRP_PATH}/personen", personen_endpoint, methods=["POST"])])


def _kvk_not_found(what: str, number: str) -> JSONResponse:
    return JSONResponse(
        {
            "fout": [
                {
                    "code": "IPD0005",
                    "omschrijving": (
                        f"Op basis van het {what} {number} kan het product niet worden geleverd."
                    ),
                }
            ]
        },
        status_code=404,
    )


def kvk_stub(control: StubControl, register: DemoHandelsregister | None = None) -> Starlette:
    """`GET {KVK_PATH}/v1/basisprofielen/{kvkNummer}`, its `/vestigingen`, and
    `GET {KVK_PATH}/v1/vestigingsprofielen/{vestigingsnummer}`."""
    documents = register or DemoHandelsregister.load()

    async def answer(request: Request, document: Any, what: str, number: str) -> Response:
        await control.record(request)
        failure = await control.misbehaviour()
        if failure is not None:
            return failure
        if document is None:
            return _kvk_not_found(what, number)
        return JSONResponse(document, media_type=HAL_JSON)

    async def basisprofiel(request: Request) -> Response:
        number = request.path_params["kvk_nummer"]
        return await answer(request, documents.basisprofiel(number), "KVK-nummer", number)

    async def vestigingen(request: Request) -> Response:
        number = request.path_params["kvk_nummer"]
        return await answer(request, documents.vestigingen(number), "KVK-nummer", number)

    async def vestigingsprofiel(request: Request) -> Response:
        number = request.path_params["vestigingsnummer"]
        return await answer(
            request, documents.vestigingsprofiel(number), "vestigingsnummer", number
        )

    return Starlette(
        routes=[
            Route(f"{KVK_PATH}/v1/basisprofielen/{{kvk_nummer}}", basisprofiel),
            Route(f"{KVK_PATH}/v1/basisprofielen/{{kvk_nummer}}/vestigingen", vestigingen),
            Route(f"{KVK_PATH}/v1/vestigingsprofielen/{{vestigingsnummer}}", vestigingsprofiel),
        ]
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class StubServer:
    """A stub app served by uvicorn in a thread on a loopback port (the http clients are sync)."""

    def __init__(self, app: Starlette, control: StubControl) -> None:
        self.control = control
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_config=None,
            access_log=False,
            lifespan="off",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("stub server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
