"""Running the worker's registration round in tests, and a case system that fails on cue."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from portal.integrations import IntegrationUnavailable
from portal.integrations.zgw import Component, ZgwApi
from portal.integrations.zgw.local import ZgwStore
from portal.settings import Settings
from portal.zaaksysteem import registratie


def register_round(engine: Any, settings: Settings, api: ZgwApi) -> int:
    return registratie.register_due(engine, settings, api, now=datetime.now(UTC))


def submitted_zaken(store: ZgwStore, reference: str) -> list[dict[str, Any]]:
    return store.search("zaken", {"identificatie": reference})


class FailingApi:
    """A case system whose first create of `resource` fails: before it is stored, or after
    (stored, but the answer never arrives)."""

    def __init__(self, api: ZgwApi, *, resource: str, when: str) -> None:
        self.api = api
        self.resource = resource
        self.when = when
        self.failed = False

    def url_of(self, component: Component, resource: str) -> str:
        return self.api.url_of(component, resource)

    def get(self, url: str) -> dict[str, Any] | None:
        return self.api.get(url)

    def search(
        self, component: Component, resource: str, params: Mapping[str, str]
    ) -> list[dict[str, Any]]:
        return self.api.search(component, resource, params)

    def create(
        self, component: Component, resource: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        if resource == self.resource and not self.failed:
            self.failed = True
            if self.when == "after":
                self.api.create(component, resource, body)
            raise IntegrationUnavailable("zgw", f"{resource}: HTTP 502")
        return self.api.create(component, resource, body)

    def download(self, url: str) -> bytes:
        return self.api.download(url)

    def check(self) -> None:
        self.api.check()
