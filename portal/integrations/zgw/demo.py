"""The demo case system: catalogue (zaaktypen with status, role and result types) and cases of
the RvIG test persons and the KVK test company, written through `ZgwStore.create` so every
read-only field is filled in as the APIs do. Catalogue uuids are fixed, so a zaaktype URL can be
put in the settings (`MIJNHAREN_ZGW_REGISTRATIE`).
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from portal.integrations.zgw.local import LOCAL_BASE, ZgwStore

RSIN = "002220647"
SUZANNE = "999993653"
LANCE = "999990858"
KVK_DAGOBERT = "69599084"


def fixed_uuid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"mijn-haren-zgw:{name}"))


ZAAKTYPE_KAPVERGUNNING = fixed_uuid("zaaktype:kapvergunning")
ZAAKTYPE_MELDING = fixed_uuid("zaaktype:melding-openbare-ruimte")
ZAAKTYPE_INTERN = fixed_uuid("zaaktype:intern-onderzoek")
INFORMATIEOBJECTTYPE = fixed_uuid("informatieobjecttype:bijlage")

STATUSES = {
    ZAAKTYPE_KAPVERGUNNING: [
        ("Ontvangen", "Wij hebben uw aanvraag ontvangen."),
        ("In behandeling", "Een vakspecialist bekijkt uw aanvraag en de bomen ter plekke."),
        ("Besluit genomen", "Wij hebben een besluit genomen. U vindt het bij de documenten."),
    ],
    ZAAKTYPE_MELDING: [
        ("Ontvangen", "Wij hebben uw melding ontvangen."),
        ("Ingepland", "De buitendienst heeft het werk ingepland."),
        ("Afgehandeld", "Het probleem is opgelost. Dank voor uw melding."),
    ],
    ZAAKTYPE_INTERN: [("Gestart", ""), ("Afgerond", "")],
}
ZAAKTYPEN = {
    ZAAKTYPE_KAPVERGUNNING: ("Kapvergunning", "extern", "P56D", "Verleend"),
    ZAAKTYPE_MELDING: ("Melding openbare ruimte", "extern", "P14D", "Opgelost"),
    ZAAKTYPE_INTERN: ("Intern kwaliteitsonderzoek", "intern", "P91D", "Afgerond"),
}


def zaaktype_url(base: str, key: str) -> str:
    return f"{base.rstrip('/')}/catalogi/api/v1/zaaktypen/{key}"


def informatieobjecttype_url(base: str) -> str:
    return f"{base.rstrip('/')}/catalogi/api/v1/informatieobjecttypen/{INFORMATIEOBJECTTYPE}"


def _put(store: ZgwStore, resource: str, key: str, **fields: Any) -> str:
    """A catalogue resource under a fixed uuid (the API has no create for these here)."""
    url = f"{store.url_of('catalogi', resource)}/{key}"
    store.items[resource][key] = {"url": url, "uuid": key, **fields}
    return url


def catalogue_url(store: ZgwStore, resource: str, name: str) -> str:
    """The URL of the demo catalogue's resource `name` (e.g. "roltype:<zaaktype>")."""
    return f"{store.url_of('catalogi', resource)}/{fixed_uuid(name)}"


def add_catalogue(store: ZgwStore) -> None:
    """The demo zaaktypen with their status, role and result types, and the document type."""
    for key, (omschrijving, extern, doorlooptijd, result) in ZAAKTYPEN.items():
        url = f"{store.url_of('catalogi', 'zaaktypen')}/{key}"
        statustypen = [
            _put(
                store,
                "statustypen",
                fixed_uuid(f"statustype:{key}:{number}"),
                zaaktype=url,
                omschrijving=name,
                statustekst=text,
                volgnummer=number,
                isEindstatus=number == len(STATUSES[key]),
                informeren=True,
            )
            for number, (name, text) in enumerate(STATUSES[key], start=1)
        ]
        roltype = _put(
            store,
            "roltypen",
            fixed_uuid(f"roltype:{key}"),
            zaaktype=url,
            omschrijving="Aanvrager",
            omschrijvingGeneriek="initiator",
        )
        resultaattype = _put(
            store,
            "resultaattypen",
            fixed_uuid(f"resultaat:{key}"),
            zaaktype=url,
            omschrijving=result,
            omschrijvingGeneriek=result,
        )
        _put(
            store,
            "zaaktypen",
            key,
            identificatie=omschrijving.upper().replace(" ", "-"),
            omschrijving=omschrijving,
            indicatieInternOfExtern=extern,
            doorlooptijd=doorlooptijd,
            servicenorm=None,
            statustypen=statustypen,
            roltypen=[roltype],
            resultaattypen=[resultaattype],
        )
    _put(
        store,
        "informatieobjecttypen",
        INFORMATIEOBJECTTYPE,
        omschrijving="Bijlage",
        vertrouwelijkheidaanduiding="openbaar",
    )


def _betrokkene(initiator: dict[str, str]) -> tuple[str, dict[str, Any]]:
    if "bsn" in initiator:
        return "natuurlijk_persoon", {"inpBsn": initiator["bsn"]}
    return "niet_natuurlijk_persoon", {"kvkNummer": initiator["kvk"], "innNnpId": ""}


def add_case(
    store: ZgwStore,
    *,
    zaaktype: str,
    identificatie: str,
    omschrijving: str,
    initiator: dict[str, str],
    started: datetime,
    statuses: int,
    vertrouwelijkheid: str = "openbaar",
    documents: tuple[tuple[str, str, str], ...] = (),
    result: bool = False,
) -> dict[str, Any]:
    """A case with its initiator, `statuses` status changes a few days apart, documents given
    as (title, status, vertrouwelijkheidaanduiding) and optionally its result."""
    catalogi = store.component_base("catalogi")
    zaak = store.create(
        "zaken",
        {
            "identificatie": identificatie,
            "bronorganisatie": RSIN,
            "verantwoordelijkeOrganisatie": RSIN,
            "omschrijving": omschrijving,
            "zaaktype": f"{catalogi}/zaaktypen/{zaaktype}",
            "startdatum": started.date().isoformat(),
            "einddatumGepland": (started + timedelta(days=28)).date().isoformat(),
            "uiterlijkeEinddatumAfdoening": (started + timedelta(days=56)).date().isoformat(),
            "vertrouwelijkheidaanduiding": vertrouwelijkheid,
            "kenmerken": [],
        },
        now=started,
    )
    betrokkene_type, identification = _betrokkene(initiator)
    store.create(
        "rollen",
        {
            "zaak": zaak["url"],
            "betrokkeneType": betrokkene_type,
            "roltype": catalogue_url(store, "roltypen", f"roltype:{zaaktype}"),
            "roltoelichting": "Aanvrager",
            "betrokkeneIdentificatie": identification,
        },
    )
    for number in range(1, statuses + 1):
        store.create(
            "statussen",
            {
                "zaak": zaak["url"],
                "statustype": catalogue_url(
                    store, "statustypen", f"statustype:{zaaktype}:{number}"
                ),
                "datumStatusGezet": (
                    started + timedelta(days=3 * (number - 1), hours=9)
                ).isoformat(),
                "statustoelichting": "",
            },
        )
    for title, status, aanduiding in documents:
        document = store.create(
            "enkelvoudiginformatieobjecten",
            {
                "bronorganisatie": RSIN,
                "creatiedatum": started.date().isoformat(),
                "titel": title,
                "auteur": "Gemeente Haren",
                "taal": "dut",
                "status": status,
                "vertrouwelijkheidaanduiding": aanduiding,
                "formaat": "text/plain",
                "bestandsnaam": f"{title.lower().replace(' ', '-')}.txt",
                "inhoud": base64.b64encode(f"{title}\n\nGemeente Haren\n".encode()).decode(),
                "informatieobjecttype": f"{catalogi}/informatieobjecttypen/{INFORMATIEOBJECTTYPE}",
            },
        )
        store.create(
            "zaakinformatieobjecten",
            {"zaak": zaak["url"], "informatieobject": document["url"], "titel": title},
        )
    if result:
        store.create(
            "resultaten",
            {
                "zaak": zaak["url"],
                "resultaattype": catalogue_url(store, "resultaattypen", f"resultaat:{zaaktype}"),
                "toelichting": "",
            },
        )
    return zaak


@dataclass(frozen=True)
class DemoCase:
    """A case of the demo: number (ZAAK-<year>-0000000<number>), who started it how long ago."""

    number: int
    zaaktype: str
    omschrijving: str
    initiator: dict[str, str]
    days_ago: int
    statuses: int
    vertrouwelijkheid: str = "openbaar"
    documents: tuple[tuple[str, str, str], ...] = ()
    result: bool = False


DEMO_CASES = (
    DemoCase(
        101,
        ZAAKTYPE_MELDING,
        "Losliggende stoeptegels Rijksstraatweg",
        {"bsn": SUZANNE},
        days_ago=6,
        statuses=2,
        documents=(
            ("Ontvangstbevestiging melding", "definitief", "openbaar"),
            ("Werkbon buitendienst", "definitief", "intern"),
            ("Conceptbrief", "in_bewerking", "openbaar"),
        ),
    ),
    DemoCase(
        102,
        ZAAKTYPE_KAPVERGUNNING,
        "Kapvergunning twee berken achtertuin",
        {"bsn": SUZANNE},
        days_ago=70,
        statuses=3,
        documents=(("Besluit kapvergunning", "definitief", "beperkt_openbaar"),),
        result=True,
    ),
    DemoCase(
        103,
        ZAAKTYPE_MELDING,
        "Vertrouwelijke melding",
        {"bsn": SUZANNE},
        days_ago=3,
        statuses=1,
        vertrouwelijkheid="vertrouwelijk",
    ),
    DemoCase(
        104,
        ZAAKTYPE_INTERN,
        "Intern kwaliteitsonderzoek dossier",
        {"bsn": SUZANNE},
        days_ago=20,
        statuses=1,
    ),
    DemoCase(105, ZAAKTYPE_MELDING, "Kapotte lantaarnpaal Kerklaan", {"bsn": LANCE}, 2, statuses=1),
    DemoCase(
        106,
        ZAAKTYPE_KAPVERGUNNING,
        "Kapvergunning bomen bedrijfsterrein",
        {"kvk": KVK_DAGOBERT},
        days_ago=12,
        statuses=2,
    ),
)


def demo_store(base: str = LOCAL_BASE, *, now: datetime | None = None) -> ZgwStore:
    """The demo case system; `now` sets when the demo cases happened (default: today)."""
    store = ZgwStore(base)
    add_catalogue(store)
    moment = (now or datetime.now(UTC)).replace(hour=0, minute=0, second=0, microsecond=0)
    for case in DEMO_CASES:
        add_case(
            store,
            zaaktype=case.zaaktype,
            identificatie=f"ZAAK-{moment.year}-{case.number:010d}",
            omschrijving=case.omschrijving,
            initiator=case.initiator,
            started=moment - timedelta(days=case.days_ago),
            statuses=case.statuses,
            vertrouwelijkheid=case.vertrouwelijkheid,
            documents=case.documents,
            result=case.result,
        )
    return store
