"""The municipality's case system through the ZGW APIs (Zaken 1.5, Catalogi 1.3, Documenten 1.6).

`ZgwApi` is the port: resource-level reads and writes, the same for every ZGW component.
`LocalZgwApi` (local.py) keeps the standard's JSON in process memory, seeded with demo data;
`HttpZgwApi` (http.py) talks to a real system such as Open Zaak with a JWT per call. What the
portal does with the answers (whose cases, which documents may be shown, how a submission is
registered) lives above the port, in `portal/zaaksysteem/`, so both implementations share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal, Protocol

from portal.settings import Settings

__all__ = [
    "COMPONENTS",
    "CONFIDENTIALITY",
    "Component",
    "ZgwApi",
    "ZgwRefused",
    "is_visible",
    "zgw_api_for",
]

Component = Literal["zaken", "catalogi", "documenten"]
COMPONENTS: tuple[Component, ...] = ("zaken", "catalogi", "documenten")

#: vertrouwelijkheidaanduiding from least to most confidential (Zaken and Documenten APIs).
CONFIDENTIALITY = (
    "openbaar",
    "beperkt_openbaar",
    "intern",
    "zaakvertrouwelijk",
    "vertrouwelijk",
    "confidentieel",
    "geheim",
    "zeer_geheim",
)


def is_visible(aanduiding: str | None, maximum: str) -> bool:
    """Whether something marked `aanduiding` may be shown when `maximum` is the limit; an
    unknown or missing mark is treated as the most confidential."""
    if aanduiding not in CONFIDENTIALITY:
        return False
    return CONFIDENTIALITY.index(aanduiding) <= CONFIDENTIALITY.index(maximum)


class ZgwRefused(Exception):
    """The case system refused a write (HTTP 400): the request itself is wrong, so a retry
    without a change will not help. Carries the API's `invalidParams` when it sent them."""

    def __init__(self, resource: str, detail: str) -> None:
        super().__init__(f"{resource}: {detail}")
        self.resource = resource
        self.detail = detail


class ZgwApi(Protocol):
    """What the portal asks of a ZGW component; URLs are the resources' own `url` fields.

    Every method raises `portal.integrations.IntegrationUnavailable` when the system cannot
    be reached or answers unusably.
    """

    def url_of(self, component: Component, resource: str) -> str:
        """The collection URL of `resource` in `component`, e.g. .../zaken/api/v1/rollen."""
        ...

    def get(self, url: str) -> dict[str, Any] | None:
        """One resource by its URL; None when the system does not know it (404)."""
        ...

    def search(
        self, component: Component, resource: str, params: Mapping[str, str]
    ) -> list[dict[str, Any]]:
        """Every resource matching the standard's query parameters, all pages followed."""
        ...

    def create(
        self, component: Component, resource: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """A new resource; the answer is the resource as stored (with `url`)."""
        ...

    def download(self, url: str) -> bytes:
        """The content of a document (the `inhoud` URL of an informatieobject)."""
        ...

    def check(self) -> None:
        """Raise IntegrationUnavailable unless every component answers."""
        ...


@lru_cache(maxsize=1)
def _local_api() -> ZgwApi:
    from portal.integrations.zgw.local import LocalZgwApi

    return LocalZgwApi.with_demo_data()


@lru_cache(maxsize=4)
def _http_api(
    zaken: str, catalogi: str, documenten: str, client_id: str, secret: str, timeout: float
) -> ZgwApi:
    # One client (and connection pool) per configuration, not one per request.
    from portal.integrations.zgw.http import HttpZgwApi

    bases: dict[Component, str] = {"zaken": zaken, "catalogi": catalogi, "documenten": documenten}
    return HttpZgwApi(bases, client_id=client_id, secret=secret, timeout=timeout)


def zgw_api_for(settings: Settings) -> ZgwApi | None:
    """The case system the settings choose (`MIJNHAREN_ZGW_BACKEND`); None for "geen"."""
    if settings.zgw_backend == "geen":
        return None
    if settings.zgw_backend == "local":
        return _local_api()
    return _http_api(
        settings.zgw_zaken_url,
        settings.zgw_catalogi_url,
        settings.zgw_documenten_url,
        settings.zgw_client_id,
        settings.zgw_secret,
        settings.zgw_timeout_seconds,
    )
