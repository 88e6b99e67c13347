"""A ZGW case system in process memory: the standard's JSON shapes, filters and read-only fields,
seeded with demo data (demo.py). It stands in for Open Zaak in development (`local`) and, served
over HTTP, is the stub the http client's contract tests talk to. What a process writes here is
gone when it stops: never a production backend (settings refuse it).
"""

from __future__ import annotations

import base64
import threading
import uuid as uuids
from collections.abc import Callable, Mapping
from copy import deepcopy
from datetime import UTC, datetime
from typing import Any, Self

from portal.integrations.zgw import CONFIDENTIALITY, Component, ZgwRefused, is_visible

LOCAL_BASE = "http://zgw.invalid"
PAGE_SIZE = 100

#: resource -> component, for the resources the portal uses.
RESOURCES: dict[str, Component] = {
    "zaken": "zaken",
    "statussen": "zaken",
    "rollen": "zaken",
    "resultaten": "zaken",
    "zaakinformatieobjecten": "zaken",
    "zaaktypen": "catalogi",
    "statustypen": "catalogi",
    "roltypen": "catalogi",
    "resultaattypen": "catalogi",
    "informatieobjecttypen": "catalogi",
    "enkelvoudiginformatieobjecten": "documenten",
}

Getter = Callable[[dict[str, Any]], Any]


def _betrokkene(betrokkene_type: str, attribute: str) -> Getter:
    def value(rol: dict[str, Any]) -> Any:
        if rol.get("betrokkeneType") != betrokkene_type:
            return None
        return (rol.get("betrokkeneIdentificatie") or {}).get(attribute)

    return value


NNP = "niet_natuurlijk_persoon"
ROL_FILTERS: dict[str, Getter] = {
    "omschrijvingGeneriek": lambda rol: rol.get("omschrijvingGeneriek"),
    "betrokkeneType": lambda rol: rol.get("betrokkeneType"),
    "betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": _betrokkene(
        "natuurlijk_persoon", "inpBsn"
    ),
    "betrokkeneIdentificatie__nietNatuurlijkPersoon__innNnpId": _betrokkene(NNP, "innNnpId"),
    "betrokkeneIdentificatie__nietNatuurlijkPersoon__kvkNummer": _betrokkene(NNP, "kvkNummer"),
    "betrokkeneIdentificatie__vestiging__vestigingsNummer": _betrokkene(
        "vestiging", "vestigingsNummer"
    ),
}
PLAIN_FILTERS: dict[str, tuple[str, ...]] = {
    "zaken": ("identificatie", "bronorganisatie", "zaaktype"),
    "statussen": ("zaak", "statustype"),
    "rollen": ("zaak",),
    "resultaten": ("zaak",),
    "zaakinformatieobjecten": ("zaak", "informatieobject"),
    "statustypen": ("zaaktype",),
    "roltypen": ("zaaktype", "omschrijvingGeneriek"),
    "resultaattypen": ("zaaktype",),
    "enkelvoudiginformatieobjecten": ("identificatie", "bronorganisatie"),
    "zaaktypen": ("identificatie",),
    "informatieobjecttypen": (),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "zaken": ("bronorganisatie", "zaaktype", "verantwoordelijkeOrganisatie", "startdatum"),
    "statussen": ("zaak", "statustype", "datumStatusGezet"),
    "rollen": ("zaak", "betrokkeneType", "roltype", "roltoelichting"),
    "resultaten": ("zaak", "resultaattype"),
    "zaakinformatieobjecten": ("zaak", "informatieobject"),
    "enkelvoudiginformatieobjecten": (
        "bronorganisatie",
        "creatiedatum",
        "titel",
        "auteur",
        "taal",
        "informatieobjecttype",
    ),
}


class ZgwStore:
    """Resources by component and resource name, keyed by uuid. Thread-safe."""

    def __init__(self, base: str = LOCAL_BASE) -> None:
        self.base = base.rstrip("/")
        self.items: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in RESOURCES}
        self.contents: dict[str, bytes] = {}
        self.lock = threading.RLock()

    def component_base(self, component: Component) -> str:
        return f"{self.base}/{component}/api/v1"

    def url_of(self, component: Component, resource: str) -> str:
        return f"{self.component_base(component)}/{resource}"

    def locate(self, url: str) -> tuple[str, str] | None:
        """(resource, uuid) of a resource URL of this store, None for a foreign URL."""
        for resource, component in RESOURCES.items():
            prefix = self.url_of(component, resource) + "/"
            if url.startswith(prefix) and "/" not in url[len(prefix) :]:
                return resource, url[len(prefix) :]
        return None

    def get(self, url: str) -> dict[str, Any] | None:
        located = self.locate(url)
        if located is None:
            return None
        with self.lock:
            item = self.items[located[0]].get(located[1])
            return deepcopy(item) if item is not None else None

    def search(self, resource: str, params: Mapping[str, str]) -> list[dict[str, Any]]:
        with self.lock:
            found = [
                item
                for item in self.items[resource].values()
                if self._matches(resource, item, params)
            ]
            if resource == "zaken" and params.get("ordering") == "-startdatum":
                found.sort(key=lambda item: item.get("startdatum") or "", reverse=True)
            return deepcopy(found)

    def _matches(self, resource: str, item: dict[str, Any], params: Mapping[str, str]) -> bool:
        for name in PLAIN_FILTERS.get(resource, ()):
            if name in params and item.get(name) != params[name]:
                return False
        if resource == "rollen" and not _rol_matches(item, params, prefix=""):
            return False
        if resource == "zaken":
            maximum = params.get("maximaleVertrouwelijkheidaanduiding")
            if maximum in CONFIDENTIALITY and not is_visible(
                item.get("vertrouwelijkheidaanduiding"), maximum
            ):
                return False
            if any(key.startswith("rol__") for key in params):
                rollen = [r for r in self.items["rollen"].values() if r["zaak"] == item["url"]]
                if not any(_rol_matches(rol, params, prefix="rol__") for rol in rollen):
                    return False
        return True

    def create(
        self, resource: str, body: Mapping[str, Any], *, now: datetime | None = None
    ) -> dict[str, Any]:
        missing = [name for name in REQUIRED.get(resource, ()) if body.get(name) in (None, "")]
        if missing:
            raise ZgwRefused(resource, "; ".join(f"{name}: required" for name in missing))
        moment = now or datetime.now(UTC)
        with self.lock:
            item = {key: deepcopy(value) for key, value in body.items()}
            key = str(uuids.uuid4())
            item["uuid"] = key
            item["url"] = f"{self.url_of(RESOURCES[resource], resource)}/{key}"
            self._complete(resource, item, moment)
            self.items[resource][key] = item
            return deepcopy(item)

    def _complete(self, resource: str, item: dict[str, Any], moment: datetime) -> None:
        """The read-only fields the API itself fills in, and its uniqueness rules."""
        today = moment.date().isoformat()
        if resource == "zaken":
            if not item.get("identificatie"):
                item["identificatie"] = f"ZAAK-{moment.year}-{len(self.items['zaken']) + 1:010d}"
            elif any(
                z["identificatie"] == item["identificatie"]
                and z["bronorganisatie"] == item["bronorganisatie"]
                for z in self.items["zaken"].values()
            ):
                raise ZgwRefused("zaken", "identificatie: identificatie-niet-uniek")
            item.setdefault("registratiedatum", today)
            item.setdefault("vertrouwelijkheidaanduiding", "openbaar")
            if item["vertrouwelijkheidaanduiding"] not in CONFIDENTIALITY:
                raise ZgwRefused("zaken", "vertrouwelijkheidaanduiding: invalid_choice")
            item.setdefault("kenmerken", [])
            item.update(status=None, resultaat=None, einddatum=None)
        elif resource == "statussen":
            self._set_status(item)
        elif resource == "resultaten":
            self._zaak(item["zaak"])["resultaat"] = item["url"]
        elif resource == "rollen":
            roltype = self._catalogus("roltypen", item["roltype"])
            item["omschrijvingGeneriek"] = roltype.get("omschrijvingGeneriek")
        elif resource == "zaakinformatieobjecten":
            self._zaak(item["zaak"])
            located = self.locate(item["informatieobject"])
            documents = self.items["enkelvoudiginformatieobjecten"]
            if (
                located is None
                or located[0] != "enkelvoudiginformatieobjecten"
                or located[1] not in documents
            ):
                raise ZgwRefused(resource, "informatieobject: bad-url")
            item["registratiedatum"] = moment.isoformat()
        elif resource == "enkelvoudiginformatieobjecten":
            self._store_content(item)

    def _set_status(self, item: dict[str, Any]) -> None:
        zaak = self._zaak(item["zaak"])
        statustype = self._catalogus("statustypen", item["statustype"])
        for other in self.items["statussen"].values():
            if other["zaak"] == zaak["url"]:
                other["indicatieLaatstGezetteStatus"] = False
        item["indicatieLaatstGezetteStatus"] = True
        zaak["status"] = item["url"]
        if statustype.get("isEindstatus"):
            zaak["einddatum"] = str(item["datumStatusGezet"])[:10]

    def _store_content(self, item: dict[str, Any]) -> None:
        if item.get("identificatie") and any(
            other.get("identificatie") == item["identificatie"]
            and other["bronorganisatie"] == item["bronorganisatie"]
            for other in self.items["enkelvoudiginformatieobjecten"].values()
        ):
            raise ZgwRefused(
                "enkelvoudiginformatieobjecten", "identificatie: identificatie-niet-uniek"
            )
        try:
            content = base64.b64decode(item.get("inhoud") or "", validate=True)
        except ValueError as error:
            raise ZgwRefused("enkelvoudiginformatieobjecten", "inhoud: invalid") from error
        self.contents[item["uuid"]] = content
        item["inhoud"] = f"{item['url']}/download"
        item["bestandsomvang"] = len(content)
        item.setdefault("status", "definitief")
        item.setdefault("vertrouwelijkheidaanduiding", "openbaar")
        item.setdefault(
            "identificatie", f"DOC-{len(self.items['enkelvoudiginformatieobjecten']) + 1:06d}"
        )

    def _zaak(self, url: str) -> dict[str, Any]:
        located = self.locate(url)
        if located is None or located[0] != "zaken" or located[1] not in self.items["zaken"]:
            raise ZgwRefused("zaken", "zaak: bad-url")
        return self.items["zaken"][located[1]]

    def _catalogus(self, resource: str, url: str) -> dict[str, Any]:
        located = self.locate(url)
        if located is None or located[0] != resource or located[1] not in self.items[resource]:
            raise ZgwRefused(resource, f"{resource}: bad-url")
        return self.items[resource][located[1]]

    def content_of(self, url: str) -> bytes | None:
        """The bytes behind an informatieobject's `inhoud` URL."""
        located = self.locate(url.removesuffix("/download"))
        if located is None or not url.endswith("/download"):
            return None
        return self.contents.get(located[1])


def _rol_matches(rol: dict[str, Any], params: Mapping[str, str], *, prefix: str) -> bool:
    for name, getter in ROL_FILTERS.items():
        wanted = params.get(prefix + name)
        if wanted is not None and getter(rol) != wanted:
            return False
    return True


class LocalZgwApi:
    """`ZgwApi` on a `ZgwStore` in this process (no network)."""

    def __init__(self, store: ZgwStore) -> None:
        self.store = store

    @classmethod
    def with_demo_data(cls) -> Self:
        from portal.integrations.zgw.demo import demo_store

        return cls(demo_store())

    def url_of(self, component: Component, resource: str) -> str:
        return self.store.url_of(component, resource)

    def get(self, url: str) -> dict[str, Any] | None:
        return self.store.get(url)

    def search(
        self, component: Component, resource: str, params: Mapping[str, str]
    ) -> list[dict[str, Any]]:
        return self.store.search(resource, params)

    def create(
        self, component: Component, resource: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        return self.store.create(resource, body)

    def download(self, url: str) -> bytes:
        from portal.integrations import IntegrationUnavailable

        content = self.store.content_of(url)
        if content is None:
            raise IntegrationUnavailable("zgw", "download: HTTP 404")
        return content

    def check(self) -> None:
        return None
