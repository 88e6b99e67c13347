"""The demo case system: catalogue (zaaktypen with status, role and result types) and cases of
the RvIG test persons and the KVK test company, written through `ZgwStore.create` so every
read-only field is filled in as the APIs do. Catalogue uuids are fixed, so a zaaktype URL can be
put in the settings (`MIJNHAREN_ZGW_REGISTRATIE`).
"""

from __future__ import annotations

import base64
import uuid
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


def _add_catalogue(store: ZgwStore) -> None:
    catalogi = store.component_base("catalogi")
    for key, (omschrijving, extern, doorlooptijd, result) in ZAAKTYPEN.items():
        url = f"{catalogi}/zaaktypen/{key}"
        statustypen = []
        for number, (name, text) in enumerate(STATUSES[key], start=1):
            status_key = fixed_uuid(f"statustype:{key}:{number}")
            statustypen.append(f"{catalogi}/statustypen/{status_key}")
            store.items["statustypen"][status_key] = {
                "url": statustypen[-1],
                "uuid": status_key,
                "zaaktype": url,
                "omschrijving": name,
                "statustekst": text,
                "volgnummer": number,
                "isEindstatus": number == len(STATUSES[key]),
                "informeren": True,
            }
        roltype_key, resultaattype_key = (
            fixed_uuid(f"roltype:{key}"),
            fixed_uuid(f"resultaat:{key}"),
        )
        store.items["roltypen"][roltype_key] = {
            "url": f"{catalogi}/roltypen/{roltype_key}",
            "uuid": roltype_key,
            "zaaktype": url,
            "omschrijving": "Aanvrager",
            "omschrijvingGeneriek": "initiator",
        }
        store.items["resultaattypen"][resultaattype_key] = {
            "url": f"{catalogi}/resultaattypen/{resultaattype_key}",
            "uuid": resultaattype_key,
            "zaaktype": url,
            "omschrijving": result,
            "omschrijvingGeneriek": result,
        }
        store.items["zaaktypen"][key] = {
            "url": url,
            "uuid": key,
            "identificatie": omschrijving.upper().replace(" ", "-"),
            "omschrijving": omschrijving,
            "indicatieInternOfExtern": extern,
            "doorlooptijd": doorlooptijd,
            "servicenorm": None,
            "statustypen": statustypen,
            "roltypen": [f"{catalogi}/roltypen/{roltype_key}"],
            "resultaattypen": [f"{catalogi}/resultaattypen/{resultaattype_key}"],
        }
    store.items["informatieobjecttypen"][INFORMATIEOBJECTTYPE] = {
        "url": f"{catalogi}/informatieobjecttypen/{INFORMATIEOBJECTTYPE}",
        "uuid": INFORMATIEOBJECTTYPE,
        "omschrijving": "Bijlage",
        "vertrouwelijkheidaanduiding": "openbaar",
    }


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
    zaaktype_url_ = f"{catalogi}/zaaktypen/{zaaktype}"
    zaak = store.create(
        "zaken",
        {
            "identificatie": identificatie,
            "bronorganisatie": RSIN,
            "verantwoordelijkeOrganisatie": RSIN,
            "omschrijving": omschrijving,
            "zaaktype": zaaktype_url_,
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
            "roltype": f"{catalogi}/roltypen/{fixed_uuid(f'roltype:{zaaktype}')}",
            "roltoelichting": "Aanvrager",
            "betrokkeneIdentificatie": identification,
        },
    )
    for number in range(1, statuses + 1):
        statustype = fixed_uuid(f"statustype:{zaaktype}:{number}")
        store.create(
            "statussen",
            {
                "zaak": zaak["url"],
                "statustype": f"{catalogi}/statustypen/{statustype}",
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
                "resultaattype": f"{catalogi}/resultaattypen/{fixed_uuid(f'resultaat:{zaaktype}')}",
                "toelichting": "",
            },
        )
    return zaak


def demo_store(base: str = LOCAL_BASE, *, now: datetime | None = None) -> ZgwStore:
    """The demo case system; `now` sets when the demo cases happened (default: today)."""
    store = ZgwStore(base)
    _add_catalogue(store)
    moment = (now or datetime.now(UTC)).replace(hour=0, minute=0, second=0, microsecond=0)
    year = moment.year
    add_case(
        store,
        zaaktype=ZAAKTYPE_MELDING,
        identificatie=f"ZAAK-{year}-0000000101",
        omschrijving="Losliggende stoeptegels Rijksstraatweg",
        initiator={"bsn": SUZANNE},
        started=moment - timedelta(days=6),
        statuses=2,
        documents=(
            ("Ontvangstbevestiging melding", "definitief", "openbaar"),
            ("Werkbon buitendienst", "definitief", "intern"),
            ("Conceptbrief", "in_bewerking", "openbaar"),
        ),
    )
    add_case(
        store,
        zaaktype=ZAAKTYPE_KAPVERGUNNING,
        identificatie=f"ZAAK-{year}-0000000102",
        omschrijving="Kapvergunning twee berken achtertuin",
        initiator={"bsn": SUZANNE},
        started=moment - timedelta(days=70),
        statuses=3,
        documents=(("Besluit kapvergunning", "definitief", "beperkt_openbaar"),),
        result=True,
    )
    add_case(
        store,
        zaaktype=ZAAKTYPE_MELDING,
        identificatie=f"ZAAK-{year}-0000000103",
        omschrijving="Vertrouwelijke melding",
        initiator={"bsn": SUZANNE},
        started=moment - timedelta(days=3),
        statuses=1,
        vertrouwelijkheid="vertrouwelijk",
    )
    add_case(
        store,
        zaaktype=ZAAKTYPE_INTERN,
        identificatie=f"ZAAK-{year}-0000000104",
        omschrijving="Intern kwaliteitsonderzoek dossier",
        initiator={"bsn": SUZANNE},
        started=moment - timedelta(days=20),
        statuses=1,
    )
    add_case(
        store,
        zaaktype=ZAAKTYPE_MELDING,
        identificatie=f"ZAAK-{year}-0000000105",
        omschrijving="Kapotte lantaarnpaal Kerklaan",
        initiator={"bsn": LANCE},
        started=moment - timedelta(days=2),
        statuses=1,
    )
    add_case(
        store,
        zaaktype=ZAAKTYPE_KAPVERGUNNING,
        identificatie=f"ZAAK-{year}-0000000106",
        omschrijving="Kapvergunning bomen bedrijfsterrein",
        initiator={"kvk": KVK_DAGOBERT},
        started=moment - timedelta(days=12),
        statuses=2,
    )
    return store
