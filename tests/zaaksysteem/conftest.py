"""A case system for the tests: the demo ZGW store in this process (`local`) or served over
HTTP by the stub (`http`), and the portal configured to use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portal.integrations.zgw import demo
from portal.integrations.zgw.local import LOCAL_BASE, LocalZgwApi, ZgwStore
from portal.main import create_app
from portal.settings import Settings
from portal.zaaksysteem import service
from tests.zaaksysteem.helpers import case_system_settings


@pytest.fixture
def store() -> ZgwStore:
    service.clear_catalogue_cache()
    return demo.demo_store(LOCAL_BASE)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return case_system_settings(database_url, LOCAL_BASE)


@pytest.fixture
def app(settings: Settings, store: ZgwStore, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    # The local backend is one store per process; each test gets a fresh demo store.
    monkeypatch.setattr("portal.integrations.zgw._local_api", lambda: LocalZgwApi(store))
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as test_client:
        yield test_client


from tests.integrations.zgw_stub import _zgw_server, zgw_server  # noqa: E402, F401
