"""The ZGW APIs over real HTTP for the tests: the portal's own case system server
(portal/integrations/zgw/server.py) with a `ZgwControl` that makes it misbehave: down (503),
slow, or failing a chosen write before or after storing it (the answer lost on the way back),
and that records every request (method, path, query, headers).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from portal.integrations.zgw import COMPONENTS, Component
from portal.integrations.zgw.demo import demo_store
from portal.integrations.zgw.http import HttpZgwApi
from portal.integrations.zgw.local import ZgwStore
from portal.integrations.zgw.server import CaseSystemState, case_system_app
from tests.integrations.stubs import StubServer

CLIENT_ID = "mijn-haren-test"
SECRET = "zgw-test-secret-van-voldoende-lengte"


@dataclass
class ZgwControl(CaseSystemState):
    """How the stub misbehaves, and what it was asked."""

    store: ZgwStore = field(default_factory=ZgwStore)
    client_id: str = CLIENT_ID
    secret: str = SECRET
    down: bool = False
    delay_seconds: float = 0.0
    # (resource, "before" | "after"): fail the next create of that resource, once.
    fail_write: tuple[str, str] | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)

    def reset(self) -> None:
        self.down = False
        self.delay_seconds = 0.0
        self.page_size = 100
        self.fail_write = None
        self.requests.clear()
        self.subscriptions.clear()

    async def interfere(self, request: Request, resource: str) -> Response | None:
        self.requests.append(
            {
                "method": request.method,
                "path": request.url.path,
                "query": dict(request.query_params),
                "headers": {k.lower(): v for k, v in request.headers.items()},
            }
        )
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        if self.down:
            return JSONResponse({"detail": "onderhoud"}, status_code=503)
        return None

    def write_fault(self, resource: str, moment: str) -> Response | None:
        if self.fail_write != (resource, moment):
            return None
        self.fail_write = None
        if moment == "before":
            return JSONResponse({"detail": "storing"}, status_code=500)
        return JSONResponse({"detail": "verbinding verbroken"}, status_code=502)


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
    server = StubServer(case_system_app(control), control)  # type: ignore[arg-type]
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
