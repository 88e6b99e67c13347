"""Haal Centraal BRP Personen v2 JSON → our dataclasses; used by both the local and the http BRP.

The spec (BRP-API/Haal-Centraal-BRP-bevragen, specificatie/openapi.yaml 2.x) omits missing
values instead of sending null, and gives dates as a polymorphic object on `type`:
`Datum` (`datum`), `DatumOnbekend` (`onbekend`), `JaarDatum` (`jaar`), `JaarMaandDatum`
(`jaar`, `maand`), each with `langFormaat`. Only a `Datum` becomes a `date`; the others keep
their text. Anything that does not fit raises `BRPResponseError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from portal.integrations.brp import Geboorte, Naam, Persoon, Relative, Verblijfplaats

#: What the portal asks for. `geheimhoudingPersoonsgegevens` and `opschortingBijhouding` come
#: unasked (asking for them is a 400).
PERSOON_FIELDS: tuple[str, ...] = (
    "burgerservicenummer",
    "naam",
    "geslacht",
    "leeftijd",
    "geboorte",
    "verblijfplaats",
    "adressering",
    "nationaliteiten",
    "partners",
    "kinderen",
    "ouders",
    "datumInschrijvingInGemeente",
    "overlijden",
)

BSN_PATTERN = re.compile(r"[0-9]{9}")
DATE_TYPES = frozenset({"Datum", "DatumOnbekend", "JaarDatum", "JaarMaandDatum"})
#: opschortingBijhouding.reden.code for "overlijden".
OPSCHORTING_OVERLIJDEN = "O"


class BRPResponseError(ValueError):
    """The BRP answered with JSON that does not have the Haal Centraal shape."""


def require_bsn(bsn: str) -> str:
    """The BSN when it is nine digits (what the BRP accepts), else ValueError (without it)."""
    if not isinstance(bsn, str) or not BSN_PATTERN.fullmatch(bsn):
        raise ValueError("a BSN is nine digits")
    return bsn


def require_purpose(purpose: str) -> str:
    """Every BRP request states its doelbinding."""
    if not isinstance(purpose, str) or not purpose.strip():
        raise ValueError("a BRP request needs a purpose (doelbinding)")
    return purpose


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise BRPResponseError(f"{where} is not an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BRPResponseError(f"{where} is not a list")
    return value


def _text(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BRPResponseError(f"{where} is not a string")
    return value


def _omschrijving(value: Any, where: str) -> str | None:
    """A Waardetabel ({"code", "omschrijving"}) as its text."""
    return _text(_object(value, where).get("omschrijving"), f"{where}.omschrijving")


def parse_datum(value: Any, where: str = "datum") -> tuple[date | None, str | None]:
    """A polymorphic BRP date as (date when fully known, langFormaat)."""
    if value is None:
        return None, None
    data = _object(value, where)
    kind = data.get("type")
    if kind not in DATE_TYPES:
        raise BRPResponseError(f"{where} has unknown date type")
    tekst = _text(data.get("langFormaat"), f"{where}.langFormaat")
    if kind != "Datum":
        return None, tekst
    try:
        return date.fromisoformat(str(data["datum"])), tekst
    except (KeyError, ValueError) as error:
        raise BRPResponseError(f"{where}.datum is not an ISO date") from error


def map_naam(value: Any, where: str = "naam") -> Naam:
    data = _object(value, where)
    return Naam(
        voornamen=_text(data.get("voornamen"), f"{where}.voornamen"),
        voorvoegsel=_text(data.get("voorvoegsel"), f"{where}.voorvoegsel"),
        geslachtsnaam=_text(data.get("geslachtsnaam"), f"{where}.geslachtsnaam"),
        voorletters=_text(data.get("voorletters"), f"{where}.voorletters"),
        volledige_naam=_text(data.get("volledigeNaam"), f"{where}.volledigeNaam"),
        aanduiding_naamgebruik=_text(
            _object(data.get("aanduidingNaamgebruik"), f"{where}.aanduidingNaamgebruik").get(
                "code"
            ),
            f"{where}.aanduidingNaamgebruik.code",
        ),
    )


def map_geboorte(value: Any, where: str = "geboorte") -> Geboorte | None:
    if value is None:
        return None
    data = _object(value, where)
    datum, tekst = parse_datum(data.get("datum"), f"{where}.datum")
    return Geboorte(
        datum=datum,
        datum_tekst=tekst,
        plaats=_omschrijving(data.get("plaats"), f"{where}.plaats"),
        land=_omschrijving(data.get("land"), f"{where}.land"),
    )


def map_verblijfplaats(value: Any, adressering: Any) -> Verblijfplaats | None:
    """The current address; None when the BRP has none or knows it is unknown."""
    if value is None:
        return None
    data = _object(value, "verblijfplaats")
    kind = data.get("type")
    if kind == "VerblijfplaatsOnbekend":
        return None
    adres = _object(data.get("verblijfadres"), "verblijfplaats.verblijfadres")
    regels = _object(adressering, "adressering")
    datum_van, _ = parse_datum(data.get("datumVan"), "verblijfplaats.datumVan")
    huisnummer = adres.get("huisnummer")
    if huisnummer is not None and not isinstance(huisnummer, int):
        raise BRPResponseError("verblijfplaats.verblijfadres.huisnummer is not an integer")
    if kind == "VerblijfplaatsBuitenland":
        regel1 = adres.get("regel1")
        regel2 = " ".join(str(adres[key]) for key in ("regel2", "regel3") if adres.get(key))
    elif kind == "Locatie":
        regel1, regel2 = adres.get("locatiebeschrijving"), None
    else:
        regel1, regel2 = None, None
    return Verblijfplaats(
        straat=_text(
            adres.get("officieleStraatnaam") or adres.get("korteStraatnaam"),
            "verblijfplaats.verblijfadres.straat",
        ),
        huisnummer=huisnummer,
        huisletter=_text(adres.get("huisletter"), "huisletter"),
        toevoeging=_text(adres.get("huisnummertoevoeging"), "huisnummertoevoeging"),
        postcode=_text(adres.get("postcode"), "postcode"),
        woonplaats=_text(adres.get("woonplaats"), "woonplaats"),
        datum_van=datum_van,
        adresregel1=_text(regels.get("adresregel1") or regel1, "adressering.adresregel1"),
        adresregel2=_text(regels.get("adresregel2") or regel2 or None, "adressering.adresregel2"),
    )


def map_relative(value: Any, where: str, soort: str | None = None) -> Relative:
    data = _object(value, where)
    geboortedatum, _ = parse_datum(
        _object(data.get("geboorte"), f"{where}.geboorte").get("datum"), f"{where}.geboorte.datum"
    )
    return Relative(
        burgerservicenummer=_text(data.get("burgerservicenummer"), f"{where}.burgerservicenummer"),
        naam=map_naam(data.get("naam"), f"{where}.naam"),
        geboortedatum=geboortedatum,
        soort=soort,
    )


def _partner(value: Any) -> Relative:
    data = _object(value, "partners[]")
    soort = _omschrijving(data.get("soortVerbintenis"), "partners[].soortVerbintenis")
    return map_relative(data, "partners[]", soort)


def _ouder(value: Any) -> Relative:
    data = _object(value, "ouders[]")
    return map_relative(data, "ouders[]", _text(data.get("ouderAanduiding"), "ouderAanduiding"))


def _nationaliteit(value: Any) -> str | None:
    data = _object(value, "nationaliteiten[]")
    naam = _omschrijving(data.get("nationaliteit"), "nationaliteiten[].nationaliteit")
    if naam:
        return naam
    # Staatloos, NationaliteitOnbekend and the like carry no Waardetabel of their own.
    return {
        "Staatloos": "Staatloos",
        "BehandeldAlsNederlander": "Behandeld als Nederlander",
        "VastgesteldNietNederlander": "Vastgesteld niet-Nederlander",
        "NationaliteitOnbekend": "Onbekend",
    }.get(str(data.get("type")))


def is_overleden(data: Mapping[str, Any]) -> bool:
    """Deceased: an `overlijden` date, or bijhouding suspended for reason O."""
    if _object(data.get("overlijden"), "overlijden"):
        return True
    opschorting = _object(data.get("opschortingBijhouding"), "opschortingBijhouding")
    reden = _object(opschorting.get("reden"), "opschortingBijhouding.reden")
    return reden.get("code") == OPSCHORTING_OVERLIJDEN


def map_persoon(value: Any) -> Persoon:
    """One element of `personen` in a RaadpleegMetBurgerservicenummer answer."""
    data = _object(value, "personen[]")
    bsn = _text(data.get("burgerservicenummer"), "burgerservicenummer")
    if not bsn:
        raise BRPResponseError("person without burgerservicenummer")
    leeftijd = data.get("leeftijd")
    if leeftijd is not None and not isinstance(leeftijd, int):
        raise BRPResponseError("leeftijd is not an integer")
    inschrijving, _ = parse_datum(data.get("datumInschrijvingInGemeente"), "datumInschrijving")
    nationaliteiten = (
        _nationaliteit(item) for item in _list(data.get("nationaliteiten"), "nationaliteiten")
    )
    return Persoon(
        burgerservicenummer=bsn,
        naam=map_naam(data.get("naam")),
        geslacht=_omschrijving(data.get("geslacht"), "geslacht"),
        leeftijd=leeftijd,
        geboorte=map_geboorte(data.get("geboorte")),
        verblijfplaats=map_verblijfplaats(data.get("verblijfplaats"), data.get("adressering")),
        nationaliteiten=tuple(naam for naam in nationaliteiten if naam),
        partners=tuple(_partner(item) for item in _list(data.get("partners"), "partners")),
        kinderen=tuple(
            map_relative(item, "kinderen[]") for item in _list(data.get("kinderen"), "kinderen")
        ),
        ouders=tuple(_ouder(item) for item in _list(data.get("ouders"), "ouders")),
        geheimhouding=data.get("geheimhoudingPersoonsgegevens") is True,
        datum_inschrijving=inschrijving,
        overleden=is_overleden(data),
    )


def persoon_from_response(body: Any, bsn: str) -> Persoon | None:
    """The person from a RaadpleegMetBurgerservicenummer answer; None when `personen` is empty."""
    data = _object(body, "response")
    if "personen" not in data:
        raise BRPResponseError("response without personen")
    for item in _list(data["personen"], "personen"):
        persoon = map_persoon(item)
        if persoon.burgerservicenummer == bsn:
            return persoon
    return None
