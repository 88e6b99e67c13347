"""A resident's or company's cases in the ZGW case system, as the portal may show them.

Whose case it is, is asked twice: the zaken query filters on the initiator's role, and the
initiator roles are read separately and must name this person. A case system that ignored an
unknown filter would otherwise show everyone's cases. Only cases of an `extern` zaaktype and
documents that are `definitief` are shown, both up to the configured confidentiality
(Open Inwoner's rules). Catalogue resources are cached for ten minutes: they are the
municipality's configuration, the same for every resident.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from cachetools import TTLCache, cached

from auth.identity import Identity
from portal.integrations.zgw import ZgwApi, is_visible

CATALOGUE_SECONDS = 600
SHOWN_DOCUMENT_STATUS = "definitief"

_catalogue: TTLCache[str, dict[str, Any]] = TTLCache(maxsize=2000, ttl=CATALOGUE_SECONDS)
_catalogue_lock = threading.Lock()


@dataclass(frozen=True)
class Step:
    """A status on the case's timeline: set (with its date) or still to come."""

    name: str
    text: str
    set_at: datetime | None
    current: bool = False


@dataclass(frozen=True)
class Document:
    key: str  # the informatieobject's uuid
    title: str
    filename: str
    content_type: str
    size: int
    created: date | None
    content_url: str


@dataclass(frozen=True)
class ExternalCase:
    url: str
    identificatie: str
    omschrijving: str
    zaaktype: str
    started: date | None
    planned_end: date | None
    latest_end: date | None
    ended: date | None
    status: str
    status_text: str
    status_set_at: datetime | None
    result: str | None
    steps: list[Step] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.ended is not None


@dataclass(frozen=True)
class Initiator:
    """How the Zaken API names this person or company as a case's initiator."""

    betrokkene_type: str
    group: str  # the filter's name for the type: natuurlijkPersoon, vestiging, ...
    attribute: str
    value: str

    @property
    def filters(self) -> dict[str, str]:
        """The rollen query parameters that select this initiator."""
        return {f"betrokkeneIdentificatie__{self.group}__{self.attribute}": self.value}

    def named_in(self, rol: dict[str, Any]) -> bool:
        identification = rol.get("betrokkeneIdentificatie") or {}
        return (
            rol.get("omschrijvingGeneriek") == "initiator"
            and rol.get("betrokkeneType") == self.betrokkene_type
            and identification.get(self.attribute) == self.value
        )


def initiator_of(identity: Identity) -> Initiator:
    """A resident by BSN; a company's branch by vestigingsnummer, else the company by KVK."""
    if identity.is_resident and identity.bsn:
        return Initiator("natuurlijk_persoon", "natuurlijkPersoon", "inpBsn", identity.bsn)
    if identity.is_company and identity.vestiging:
        return Initiator("vestiging", "vestiging", "vestigingsNummer", identity.vestiging)
    if identity.is_company and identity.kvk:
        return Initiator(
            "niet_natuurlijk_persoon", "nietNatuurlijkPersoon", "kvkNummer", identity.kvk
        )
    raise ValueError("only residents and companies have cases")


def _initiated_by(api: ZgwApi, initiator: Initiator) -> set[str]:
    """The URLs of every zaak of which this person or company is the initiator."""
    rollen = api.search(
        "zaken", "rollen", {"omschrijvingGeneriek": "initiator", **initiator.filters}
    )
    return {str(rol.get("zaak")) for rol in rollen if initiator.named_in(rol)}


def _find_zaken(
    api: ZgwApi, identity: Identity, maximum: str, extra: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    initiator = initiator_of(identity)
    params = {
        "rol__omschrijvingGeneriek": "initiator",
        "maximaleVertrouwelijkheidaanduiding": maximum,
        "ordering": "-startdatum",
        **{f"rol__{key}": value for key, value in initiator.filters.items()},
        **(extra or {}),
    }
    zaken = api.search("zaken", "zaken", params)
    if not zaken:
        return []
    own = _initiated_by(api, initiator)
    return [
        zaak
        for zaak in zaken
        if zaak.get("url") in own
        and is_visible(zaak.get("vertrouwelijkheidaanduiding"), maximum)
        and catalogue_item(api, zaak.get("zaaktype")).get("indicatieInternOfExtern") == "extern"
    ]


def cases_of(api: ZgwApi, identity: Identity, *, maximum: str) -> list[ExternalCase]:
    """This person's or company's cases in the case system: open ones first, newest first."""
    cases = [_summary(api, zaak) for zaak in _find_zaken(api, identity, maximum)]
    cases.sort(key=lambda case: (case.closed, -(case.started or date.min).toordinal()))
    return cases


def _own_zaak(
    api: ZgwApi, identity: Identity, identificatie: str, maximum: str
) -> dict[str, Any] | None:
    found = _find_zaken(api, identity, maximum, {"identificatie": identificatie})
    return next((z for z in found if z.get("identificatie") == identificatie), None)


def case_of(
    api: ZgwApi, identity: Identity, identificatie: str, *, maximum: str
) -> ExternalCase | None:
    """One case with its timeline and shown documents; None when it is not this person's."""
    zaak = _own_zaak(api, identity, identificatie, maximum)
    if zaak is None:
        return None
    return replace(
        _summary(api, zaak), steps=_steps(api, zaak), documents=_documents(api, zaak, maximum)
    )


def document_of(
    api: ZgwApi, identity: Identity, identificatie: str, key: str, *, maximum: str
) -> tuple[Document, bytes] | None:
    """A shown document of this person's case, with its content; None for anything else.
    Reads the case's documents only, not its status and timeline."""
    zaak = _own_zaak(api, identity, identificatie, maximum)
    shown = _documents(api, zaak, maximum) if zaak else []
    document = next((d for d in shown if d.key == key), None)
    if document is None:
        return None
    return document, api.download(document.content_url)


def catalogue_item(api: ZgwApi, url: Any) -> dict[str, Any]:
    """A zaaktype, statustype or resultaattype by URL, from the cache when it is there."""
    if not isinstance(url, str) or not url:
        return {}
    return _cached_catalogue_item(api, url)


@cached(_catalogue, key=lambda api, url: url, lock=_catalogue_lock)
def _cached_catalogue_item(api: ZgwApi, url: str) -> dict[str, Any]:
    return api.get(url) or {}


def clear_catalogue_cache() -> None:
    with _catalogue_lock:
        _catalogue.clear()


def _summary(api: ZgwApi, zaak: dict[str, Any]) -> ExternalCase:
    zaaktype = catalogue_item(api, zaak.get("zaaktype"))
    status = api.get(zaak["status"]) if zaak.get("status") else None
    statustype = catalogue_item(api, status.get("statustype")) if status else {}
    result = None
    if zaak.get("resultaat"):
        resultaat = api.get(zaak["resultaat"]) or {}
        result = catalogue_item(api, resultaat.get("resultaattype")).get("omschrijving")
    return ExternalCase(
        url=str(zaak["url"]),
        identificatie=str(zaak.get("identificatie") or ""),
        omschrijving=str(zaak.get("omschrijving") or zaaktype.get("omschrijving") or ""),
        zaaktype=str(zaaktype.get("omschrijving") or ""),
        started=_date(zaak.get("startdatum")),
        planned_end=_date(zaak.get("einddatumGepland")),
        latest_end=_date(zaak.get("uiterlijkeEinddatumAfdoening")),
        ended=_date(zaak.get("einddatum")),
        status=str(statustype.get("omschrijving") or ""),
        status_text=str(statustype.get("statustekst") or ""),
        status_set_at=_moment(status.get("datumStatusGezet")) if status else None,
        result=str(result) if result else None,
    )


def _steps(api: ZgwApi, zaak: dict[str, Any]) -> list[Step]:
    statussen = api.search("zaken", "statussen", {"zaak": zaak["url"]})
    # Checked again here: a case system that ignored the filter must not mix in other cases.
    statussen = [s for s in statussen if s.get("zaak") == zaak["url"]]
    statussen.sort(key=lambda s: str(s.get("datumStatusGezet") or ""))
    steps = []
    reached = 0
    for status in statussen:
        statustype = catalogue_item(api, status.get("statustype"))
        reached = max(reached, int(statustype.get("volgnummer") or 0))
        steps.append(
            Step(
                name=str(statustype.get("omschrijving") or ""),
                text=str(status.get("statustoelichting") or statustype.get("statustekst") or ""),
                set_at=_moment(status.get("datumStatusGezet")),
                current=status.get("url") == zaak.get("status"),
            )
        )
    zaaktype = catalogue_item(api, zaak.get("zaaktype"))
    coming = [catalogue_item(api, url) for url in zaaktype.get("statustypen") or []]
    for statustype in sorted(coming, key=lambda t: int(t.get("volgnummer") or 0)):
        if int(statustype.get("volgnummer") or 0) > reached and not zaak.get("einddatum"):
            steps.append(Step(name=str(statustype.get("omschrijving") or ""), text="", set_at=None))
    return steps


def _documents(api: ZgwApi, zaak: dict[str, Any], maximum: str) -> list[Document]:
    links = api.search("zaken", "zaakinformatieobjecten", {"zaak": zaak["url"]})
    documents = []
    for link in links:
        if link.get("zaak") != zaak["url"]:
            continue  # a case system that ignored the filter: not this case's document
        item = api.get(str(link.get("informatieobject") or ""))
        if (
            item is None
            or item.get("status") != SHOWN_DOCUMENT_STATUS
            or not is_visible(item.get("vertrouwelijkheidaanduiding"), maximum)
            or not item.get("inhoud")
        ):
            continue
        documents.append(
            Document(
                key=str(item.get("uuid") or ""),
                title=str(link.get("titel") or item.get("titel") or ""),
                filename=str(item.get("bestandsnaam") or "document"),
                content_type=str(item.get("formaat") or "application/octet-stream"),
                size=int(item.get("bestandsomvang") or 0),
                created=_date(item.get("creatiedatum")),
                content_url=str(item["inhoud"]),
            )
        )
    return documents


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


__all__ = [
    "Document",
    "ExternalCase",
    "Step",
    "case_of",
    "cases_of",
    "catalogue_item",
    "clear_catalogue_cache",
    "document_of",
    "initiator_of",
]
