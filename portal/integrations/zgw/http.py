"""Client for the ZGW APIs of a real case system (`MIJNHAREN_ZGW_BACKEND=http`).

Authentication as the standard prescribes: `Authorization: Bearer <JWT>`, HS256 with the shared
secret, claims iss/iat/client_id/user_id/user_representation. Open Zaak refuses tokens more than
an hour after `iat`, so one is minted per call. `/zaken` needs `Accept-Crs` (and writes need
`Content-Crs`) because zaken carry a geometry. Lists are paginated (`count/next/results`) in
most resources and plain arrays in a few (zaakinformatieobjecten); both are read. Logs carry the
component, resource, HTTP status and duration, never a query string (it holds BSNs).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx
import structlog
from joserfc import jwt
from joserfc.jwk import OctKey

from portal.integrations import IntegrationUnavailable
from portal.integrations.zgw import Component, ZgwRefused

SYSTEM = "zgw"
CRS = "EPSG:4326"
#: More pages than this means something is wrong (or the filter was ignored): stop reading.
MAX_PAGES = 20

log = structlog.get_logger("mijnharen.zgw")


class HttpZgwApi:
    """Pass `transport` to talk to a stub in tests."""

    def __init__(
        self,
        bases: Mapping[Component, str],
        *,
        client_id: str,
        secret: str,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.bases = {component: url.rstrip("/") for component, url in bases.items()}
        self.client_id = client_id
        self.key = OctKey.import_key(secret.encode())
        self.client = httpx.Client(timeout=timeout, transport=transport)

    def close(self) -> None:
        self.client.close()

    def url_of(self, component: Component, resource: str) -> str:
        return f"{self.bases[component]}/{resource}"

    def get(self, url: str) -> dict[str, Any] | None:
        response = self._call("GET", url)
        if response.status_code == 404:
            return None
        return _object(self._json(response, url))

    def search(
        self, component: Component, resource: str, params: Mapping[str, str]
    ) -> list[dict[str, Any]]:
        url: str | None = self.url_of(component, resource)
        query: Mapping[str, str] | None = params
        found: list[dict[str, Any]] = []
        for _ in range(MAX_PAGES):
            if url is None:
                return found
            body = self._json(self._call("GET", url, params=query), url)
            if isinstance(body, list):
                return found + [_object(item) for item in body]
            if not isinstance(body, dict) or not isinstance(body.get("results"), list):
                raise IntegrationUnavailable(SYSTEM, f"{resource}: unexpected list")
            found.extend(_object(item) for item in body["results"])
            url, query = body.get("next"), None  # `next` carries the query already
        raise IntegrationUnavailable(SYSTEM, f"{resource}: more than {MAX_PAGES} pages")

    def create(
        self, component: Component, resource: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        url = self.url_of(component, resource)
        response = self._call("POST", url, json=dict(body))
        if response.status_code == 400:
            raise ZgwRefused(resource, _problem_detail(response))
        if response.status_code != 201:
            raise IntegrationUnavailable(SYSTEM, f"{resource}: HTTP {response.status_code}")
        return _object(self._json(response, url))

    def download(self, url: str) -> bytes:
        response = self._call("GET", url, accept="*/*")
        if response.status_code != 200:
            raise IntegrationUnavailable(SYSTEM, f"download: HTTP {response.status_code}")
        return response.content

    def check(self) -> None:
        for component, resource in (
            ("catalogi", "zaaktypen"),
            ("zaken", "zaken"),
            ("documenten", "enkelvoudiginformatieobjecten"),
        ):
            url = self.url_of(component, resource)  # type: ignore[arg-type]
            response = self._call("GET", url, params={"page": "1"})
            if response.status_code >= 400:
                raise IntegrationUnavailable(SYSTEM, f"{component}: HTTP {response.status_code}")

    def _token(self) -> str:
        now = int(time.time())
        claims = {
            "iss": self.client_id,
            "iat": now,
            "client_id": self.client_id,
            "user_id": self.client_id,
            "user_representation": "Mijn Haren",
        }
        return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, self.key)

    def _call(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        json: dict[str, Any] | None = None,
        accept: str = "application/json",
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self._token()}", "Accept": accept}
        if "/zaken/" in urlsplit(url).path or urlsplit(url).path.endswith("/zaken"):
            headers["Accept-Crs"] = CRS
            if json is not None:
                headers["Content-Crs"] = CRS
        started = time.perf_counter()
        resource = urlsplit(url).path.rstrip("/").rsplit("/", 2)[-2:]
        try:
            response = self.client.request(method, url, params=params, json=json, headers=headers)
        except httpx.TimeoutException as error:
            _log_call(method, resource, None, started)
            raise IntegrationUnavailable(SYSTEM, "timeout") from error
        except httpx.HTTPError as error:
            _log_call(method, resource, None, started)
            raise IntegrationUnavailable(SYSTEM, "unreachable") from error
        _log_call(method, resource, response.status_code, started)
        if response.status_code >= 500 or response.status_code in (401, 403):
            raise IntegrationUnavailable(SYSTEM, f"HTTP {response.status_code}")
        return response

    @staticmethod
    def _json(response: httpx.Response, url: str) -> Any:
        if response.status_code >= 400:
            raise IntegrationUnavailable(SYSTEM, f"HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as error:
            raise IntegrationUnavailable(SYSTEM, "answer is not JSON") from error


def _object(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise IntegrationUnavailable(SYSTEM, "unexpected answer")
    return item


def _problem_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return "HTTP 400"
    invalid = body.get("invalidParams") if isinstance(body, dict) else None
    if isinstance(invalid, list) and invalid:
        return "; ".join(
            f"{p.get('name')}: {p.get('code')}" for p in invalid if isinstance(p, dict)
        )
    return str(body.get("detail") or "HTTP 400") if isinstance(body, dict) else "HTTP 400"


def _log_call(method: str, resource: list[str], status: int | None, started: float) -> None:
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    failed = status is None or status >= 500
    (log.warning if failed else log.info)(
        "zgw_request",
        system=SYSTEM,
        method=method,
        resource="/".join(resource),
        status=status,
        duration_ms=duration_ms,
    )


def subscribe(
    nrc_url: str,
    *,
    client_id: str,
    secret: str,
    callback_url: str,
    auth: str,
    rsin: str,
    timeout: float = 10.0,
) -> str:
    """Subscribe `callback_url` to the Notificaties API's `zaken` channel (the municipality's
    own zaken only); returns the abonnement's URL. The NRC sends `auth` as the Authorization
    header of every callback."""
    api = HttpZgwApi({}, client_id=client_id, secret=secret, timeout=timeout)
    body = {
        "callbackUrl": callback_url,
        "auth": auth,
        "kanalen": [{"naam": "zaken", "filters": {"bronorganisatie": rsin}}],
    }
    try:
        response = api._call("POST", f"{nrc_url.rstrip('/')}/abonnement", json=body)
        if response.status_code == 400:
            raise ZgwRefused("abonnement", _problem_detail(response))
        created = _object(api._json(response, nrc_url))
    finally:
        api.close()
    return str(created.get("url") or "")
