"""Client for the KVK API Basisprofiel v1 (OAS 1.3, live API-Version 1.5.0; open-formulieren/
open-forms:src/openforms/contrib/kvk/tests/files/basisprofiel_openapi.yaml) and the
Vestigingsprofiel v1 endpoint of the same API.

`GET {kvk_url}/v1/basisprofielen/{kvkNummer}?geoData=false`, its `/vestigingen` sub-resource, and
`GET {kvk_url}/v1/vestigingsprofielen/{vestigingsnummer}`, with the `apikey` header and
`application/hal+json`. An unknown number is a 404 with `{"fout": [{"code": "IPD0005", ...}]}`.
Answers are mapped by mapping.py, the same code the local KVK uses. Logs carry the system, HTTP
status and duration only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Self, TypeVar

import httpx
import structlog

from portal.integrations import IntegrationUnavailable
from portal.integrations.kvk import Basisprofiel, Vestiging
from portal.integrations.kvk.mapping import (
    KVKResponseError,
    is_not_found,
    map_basisprofiel,
    map_vestiging,
    require_kvk_nummer,
    require_vestigingsnummer,
)
from portal.settings import Settings

SYSTEM = "kvk"
HAL_JSON = "application/hal+json"
#: A KVK test company; on the production API it is a plain 404, which also proves the API answers.
CHECK_KVK_NUMMER = "69599084"

log = structlog.get_logger("mijnharen.kvk")
T = TypeVar("T")


class KVKBasisprofiel:
    """The real KVK Handelsregister (`MIJNHAREN_KVK_BACKEND=kvk`); LocalKVK stands in for it
    elsewhere. Pass `client` or `transport` to talk to a stub in tests."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str = "",
        timeout: float = 10.0,
        client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.headers = {"Accept": HAL_JSON}
        if api_key:
            self.headers["apikey"] = api_key
        self._owns_client = client is None
        self.client = client or httpx.Client(timeout=timeout, transport=transport)

    @classmethod
    def from_settings(cls, settings: Settings, *, client: httpx.Client | None = None) -> Self:
        return cls(
            settings.kvk_url,
            api_key=settings.kvk_api_key,
            timeout=settings.http_timeout_seconds,
            client=client,
        )

    def close(self) -> None:
        if self._owns_client:
            self.client.close()

    def get_basisprofiel(self, kvk_nummer: str) -> Basisprofiel | None:
        require_kvk_nummer(kvk_nummer)
        profiel = self._get(f"/v1/basisprofielen/{kvk_nummer}", "basisprofiel")
        if profiel is None:
            return None
        vestigingen = self._get(f"/v1/basisprofielen/{kvk_nummer}/vestigingen", "vestigingen")
        return _mapped(map_basisprofiel, profiel, vestigingen)

    def get_vestiging(self, vestigingsnummer: str) -> Vestiging | None:
        require_vestigingsnummer(vestigingsnummer)
        profiel = self._get(f"/v1/vestigingsprofielen/{vestigingsnummer}", "vestigingsprofiel")
        return _mapped(map_vestiging, profiel) if profiel is not None else None

    def check(self) -> None:
        """One basisprofiel request; any answer of the KVK itself (200, 404 with `fout`) will do."""
        self._get(f"/v1/basisprofielen/{CHECK_KVK_NUMMER}", "check")

    def _get(self, path: str, operation: str) -> Any:
        """The JSON body of a 200, None for a KVK 404 `fout`; IntegrationUnavailable otherwise."""
        started = time.perf_counter()
        try:
            response = self.client.get(
                f"{self.base_url}{path}",
                params={"geoData": "false"} if operation != "vestigingen" else None,
                headers=self.headers,
                timeout=self.timeout,
            )
        except httpx.TimeoutException as error:
            _log_call(operation, None, started, "timeout")
            raise IntegrationUnavailable(SYSTEM, "timeout") from error
        except httpx.HTTPError as error:
            _log_call(operation, None, started, "unreachable")
            raise IntegrationUnavailable(SYSTEM, "unreachable") from error
        _log_call(operation, response.status_code, started, "answered")
        try:
            body = response.json()
        except ValueError as error:
            raise IntegrationUnavailable(
                SYSTEM, f"HTTP {response.status_code}, answer is not JSON"
            ) from error
        if response.status_code == 200:
            return body
        if is_not_found(response.status_code, body):
            return None
        raise IntegrationUnavailable(SYSTEM, f"HTTP {response.status_code}")


def _mapped(mapper: Callable[..., T], *arguments: Any) -> T:
    try:
        return mapper(*arguments)
    except (KVKResponseError, KeyError, TypeError, ValueError) as error:
        log.error("kvk_unexpected_answer", system=SYSTEM)
        raise IntegrationUnavailable(SYSTEM, "unexpected answer") from error


def _log_call(operation: str, status: int | None, started: float, outcome: str) -> None:
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    failed = status is None or status >= 500
    (log.warning if failed else log.info)(
        "kvk_request",
        system=SYSTEM,
        operation=operation,
        status=status,
        duration_ms=duration_ms,
        outcome=outcome,
    )
