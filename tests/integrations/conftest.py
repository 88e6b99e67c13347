"""The BRP and KVK stubs, started once per test session, reset before every test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.integrations.stubs import (
    BRP_PATH,
    KVK_PATH,
    StubControl,
    StubServer,
    brp_stub,
    kvk_stub,
)

OIN = "00000001001589623000"
BRP_API_KEY = "brp-test-key"
KVK_API_KEY = "kvk-test-key"


@dataclass
class RunningStub:
    url: str
    control: StubControl


@pytest.fixture(scope="session")
def _brp_server() -> Iterator[StubServer]:
    control = StubControl()
    server = StubServer(brp_stub(control), control)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _kvk_server() -> Iterator[StubServer]:
    control = StubControl()
    server = StubServer(kvk_stub(control), control)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def brp_stub_server(_brp_server: StubServer) -> Iterator[RunningStub]:
    """The BRP stub; `url` is what MIJNHAREN_BRP_URL would be."""
    _brp_server.control.reset()
    yield RunningStub(url=f"{_brp_server.origin}{BRP_PATH}", control=_brp_server.control)
    _brp_server.control.reset()


@pytest.fixture
def kvk_stub_server(_kvk_server: StubServer) -> Iterator[RunningStub]:
    """The KVK stub; `url` is what MIJNHAREN_KVK_URL would be."""
    _kvk_server.control.reset()
    yield RunningStub(url=f"{_kvk_server.origin}{KVK_PATH}", control=_kvk_server.control)
    _kvk_server.control.reset()


from tests.integrations.zgw_stub import _zgw_server, zgw_server  # noqa: E402, F401
