"""Client for Haal Centraal BRP Personen Bevragen API v2 (RvIG; spec
BRP-API/Haal-Centraal-BRP-bevragen specificatie/openapi.yaml, version 2.7.0), as offered behind a
municipal gateway.

One operation: `POST {brp_url}/personen` with `type: RaadpleegMetBurgerservicenummer`. The
gateway headers `x-origin-oin`, `x-doelbinding`, `x-verwerking` and `x-gebruiker` are not part of
the RvIG spec but are what gateways ask for (standards.md §2.1). The answer is mapped to our
dataclasses by mapping.py, the same code the local BRP uses. Logs carry the system, HTTP status
and duration only: never a BSN, never a body.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Self

import httpx
import structlog

from portal.integrations import IntegrationUnavailable
from portal.integrations.brp import Persoon
from portal.integrations.brp.mapping import (
    PERSOON_FIELDS,
    BRPResponseError,
    persoon_from_response,
    require_bsn,
    require_purpose,
)
from portal.settings import Settings

SYSTEM = "brp"
RAADPLEEG = "RaadpleegMetBurgerservicenummer"
#: The x-gebruiker value when residents look at their own data.
BURGER_ZELF = "BurgerZelf"
#: The x-verwerking value: the processing activity in the municipality's register.
DEFAULT_VERWERKING = "Mijn Haren"

log = structlog.get_logger("mijnharen.brp")


class HaalCentraalBRP:
    """The real BRP (`MIJNHAREN_BRP_BACKEND=haalcentraal`); LocalBRP stands in for it elsewhere.

    Pass `client` or `transport` to talk to a stub in tests. `gemeente_van_inschrijving` is not
    sent unless given: a resident who has just moved away still sees their own data.
    """

    def __init__(
        self,
        base_url: str,
        *,
        oin: str,
        api_key: str = "",
        timeout: float = 10.0,
        verwerking: str = DEFAULT_VERWERKING,
        gebruiker: str = BURGER_ZELF,
        fields: Sequence[str] = PERSOON_FIELDS,
        gemeente_van_inschrijving: str | None = None,
        client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/personen"
        self.timeout = timeout
        self.fields = list(fields)
        self.gemeente_van_inschrijving = gemeente_van_inschrijving
        self.headers = {
            "Accept": "application/json",
            "x-origin-oin": oin,
            "x-verwerking": verwerking,
            "x-gebruiker": gebruiker,
        }
        if api_key:
            self.headers["X-API-Key"] = api_key
        self._owns_client = client is None
        self.client = client or httpx.Client(timeout=timeout, transport=transport)

    @classmethod
    def from_settings(cls, settings: Settings, *, client: httpx.Client | None = None) -> Self:
        return cls(
            settings.brp_url,
            oin=settings.municipality_oin,
            api_key=settings.brp_api_key,
            timeout=settings.http_timeout_seconds,
            client=client,
        )

    def close(self) -> None:
        if self._owns_client:
            self.client.close()

    def get_persoon(self, bsn: str, *, purpose: str) -> Persoon | None:
        require_bsn(bsn)
        require_purpose(purpose)
        body: dict[str, Any] = {
            "type": RAADPLEEG,
            "burgerservicenummer": [bsn],
            "fields": self.fields,
        }
        if self.gemeente_van_inschrijving:
            body["gemeenteVanInschrijving"] = self.gemeente_van_inschrijving
        response = self._post(body, purpose=purpose, operation="raadpleeg")
        if response.status_code != 200:
            raise IntegrationUnavailable(SYSTEM, _status_reason(response))
        try:
            return persoon_from_response(_json(response), bsn)
        except (BRPResponseError, KeyError, TypeError) as error:
            log.error("brp_unexpected_answer", system=SYSTEM, status=response.status_code)
            raise IntegrationUnavailable(SYSTEM, "unexpected answer") from error

    def check(self) -> None:
        """A request naming no one: the BRP answers 400 (or 200) without touching personal data."""
        body = {"type": RAADPLEEG, "burgerservicenummer": [], "fields": ["burgerservicenummer"]}
        response = self._post(body, purpose="Controle beschikbaarheid", operation="check")
        if response.status_code not in (200, 400):
            raise IntegrationUnavailable(SYSTEM, _status_reason(response))
        _json(response)

    def _post(self, body: dict[str, Any], *, purpose: str, operation: str) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = self.client.post(
                self.url,
                json=body,
                headers={**self.headers, "x-doelbinding": purpose},
                timeout=self.timeout,
            )
        except httpx.TimeoutException as error:
            _log_call(operation, None, started, "timeout")
            raise IntegrationUnavailable(SYSTEM, "timeout") from error
        except httpx.HTTPError as error:
            _log_call(operation, None, started, "unreachable")
            raise IntegrationUnavailable(SYSTEM, "unreachable") from error
        _log_call(operation, response.status_code, started, "answered")
        return response


def _log_call(operation: str, status: int | None, started: float, outcome: str) -> None:
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    failed = status is None or status >= 500
    (log.warning if failed else log.info)(
        "brp_request",
        system=SYSTEM,
        operation=operation,
        status=status,
        duration_ms=duration_ms,
        outcome=outcome,
    )


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as error:
        log.error("brp_unexpected_answer", system=SYSTEM, status=response.status_code)
        raise IntegrationUnavailable(SYSTEM, "answer is not JSON") from error


def _status_reason(response: httpx.Response) -> str:
    """HTTP status plus the problem `code` (e.g. paramsValidation); never the detail text."""
    reason = f"HTTP {response.status_code}"
    try:
        problem = response.json()
    except ValueError:
        return reason
    code = problem.get("code") if isinstance(problem, dict) else None
    return f"{reason} {code}" if isinstance(code, str) and code.isalnum() else reason
