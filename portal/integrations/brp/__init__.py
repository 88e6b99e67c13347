"""The BRP (Basisregistratie Personen) as the portal needs it: one person by BSN.

`BRP` is the port; `LocalBRP` (local.py) serves the RvIG test persons from JSON files in the real
Haal Centraal shapes, `HaalCentraalBRP` (http.py) asks the real API. Both map foreign JSON to the
frozen dataclasses below through mapping.py, so nothing foreign leaks past this package. The
dataclasses round-trip through `to_json()`/`from_json()` so a page can keep them in the session
cache (never beyond the session: DigiD checklist D2).

Waardetabel values (geslacht, plaats, land, nationaliteit) are given by their `omschrijving`, the
text the BRP itself shows; only `Naam.aanduiding_naamgebruik` is a code (E, P, V, N), because
code decides how a name is composed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Protocol, Self

from fastapi import Depends

from portal.settings import Settings, SettingsDep

__all__ = [
    "BRP",
    "BRPDep",
    "Geboorte",
    "Naam",
    "Persoon",
    "Relative",
    "Verblijfplaats",
    "get_brp",
]


def _date_to_json(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date_from_json(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True)
class Naam:
    """A name as registered; `display` is the name to greet someone with."""

    voornamen: str | None = None
    voorvoegsel: str | None = None
    geslachtsnaam: str | None = None
    voorletters: str | None = None
    volledige_naam: str | None = None
    aanduiding_naamgebruik: str | None = None

    @property
    def display(self) -> str:
        """volledigeNaam when the BRP gave it, else voornamen, voorvoegsel and geslachtsnaam."""
        if self.volledige_naam:
            return self.volledige_naam
        parts = (self.voornamen, self.voorvoegsel, self.geslachtsnaam)
        return " ".join(part for part in parts if part)

    @property
    def aanhef_naam(self) -> str:
        """The name to greet with (same as `display`)."""
        return self.display

    def to_json(self) -> dict[str, Any]:
        return {
            "voornamen": self.voornamen,
            "voorvoegsel": self.voorvoegsel,
            "geslachtsnaam": self.geslachtsnaam,
            "voorletters": self.voorletters,
            "volledige_naam": self.volledige_naam,
            "aanduiding_naamgebruik": self.aanduiding_naamgebruik,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            voornamen=data.get("voornamen"),
            voorvoegsel=data.get("voorvoegsel"),
            geslachtsnaam=data.get("geslachtsnaam"),
            voorletters=data.get("voorletters"),
            volledige_naam=data.get("volledige_naam"),
            aanduiding_naamgebruik=data.get("aanduiding_naamgebruik"),
        )


@dataclass(frozen=True, slots=True)
class Geboorte:
    """Birth; `datum` only when the full date is known, `datum_tekst` always when any part is."""

    datum: date | None = None
    datum_tekst: str | None = None
    plaats: str | None = None
    land: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "datum": _date_to_json(self.datum),
            "datum_tekst": self.datum_tekst,
            "plaats": self.plaats,
            "land": self.land,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            datum=_date_from_json(data.get("datum")),
            datum_tekst=data.get("datum_tekst"),
            plaats=data.get("plaats"),
            land=data.get("land"),
        )


@dataclass(frozen=True, slots=True)
class Verblijfplaats:
    """Where someone lives; `adresregel1`/`adresregel2` are the BRP's own address lines."""

    straat: str | None = None
    huisnummer: int | None = None
    huisletter: str | None = None
    toevoeging: str | None = None
    postcode: str | None = None
    woonplaats: str | None = None
    datum_van: date | None = None
    adresregel1: str | None = None
    adresregel2: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "straat": self.straat,
            "huisnummer": self.huisnummer,
            "huisletter": self.huisletter,
            "toevoeging": self.toevoeging,
            "postcode": self.postcode,
            "woonplaats": self.woonplaats,
            "datum_van": _date_to_json(self.datum_van),
            "adresregel1": self.adresregel1,
            "adresregel2": self.adresregel2,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            straat=data.get("straat"),
            huisnummer=data.get("huisnummer"),
            huisletter=data.get("huisletter"),
            toevoeging=data.get("toevoeging"),
            postcode=data.get("postcode"),
            woonplaats=data.get("woonplaats"),
            datum_van=_date_from_json(data.get("datum_van")),
            adresregel1=data.get("adresregel1"),
            adresregel2=data.get("adresregel2"),
        )


@dataclass(frozen=True, slots=True)
class Relative:
    """A partner, child or parent. `soort`: the kind of union (omschrijving, e.g. "huwelijk")
    for partners, the ouderAanduiding ("1" or "2") for parents, None for children."""

    burgerservicenummer: str | None
    naam: Naam
    geboortedatum: date | None = None
    soort: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "burgerservicenummer": self.burgerservicenummer,
            "naam": self.naam.to_json(),
            "geboortedatum": _date_to_json(self.geboortedatum),
            "soort": self.soort,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            burgerservicenummer=data.get("burgerservicenummer"),
            naam=Naam.from_json(data.get("naam") or {}),
            geboortedatum=_date_from_json(data.get("geboortedatum")),
            soort=data.get("soort"),
        )


@dataclass(frozen=True, slots=True)
class Persoon:
    """One person from the BRP. `geheimhouding`: the person asked the BRP not to hand out their
    data to third parties (they still see it themselves). `overleden`: deceased."""

    burgerservicenummer: str
    naam: Naam
    geslacht: str | None = None
    leeftijd: int | None = None
    geboorte: Geboorte | None = None
    verblijfplaats: Verblijfplaats | None = None
    nationaliteiten: tuple[str, ...] = ()
    partners: tuple[Relative, ...] = ()
    kinderen: tuple[Relative, ...] = ()
    ouders: tuple[Relative, ...] = ()
    geheimhouding: bool = False
    datum_inschrijving: date | None = None
    overleden: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "burgerservicenummer": self.burgerservicenummer,
            "naam": self.naam.to_json(),
            "geslacht": self.geslacht,
            "leeftijd": self.leeftijd,
            "geboorte": self.geboorte.to_json() if self.geboorte else None,
            "verblijfplaats": self.verblijfplaats.to_json() if self.verblijfplaats else None,
            "nationaliteiten": list(self.nationaliteiten),
            "partners": [relative.to_json() for relative in self.partners],
            "kinderen": [relative.to_json() for relative in self.kinderen],
            "ouders": [relative.to_json() for relative in self.ouders],
            "geheimhouding": self.geheimhouding,
            "datum_inschrijving": _date_to_json(self.datum_inschrijving),
            "overleden": self.overleden,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        geboorte = data.get("geboorte")
        verblijfplaats = data.get("verblijfplaats")
        return cls(
            burgerservicenummer=data["burgerservicenummer"],
            naam=Naam.from_json(data.get("naam") or {}),
            geslacht=data.get("geslacht"),
            leeftijd=data.get("leeftijd"),
            geboorte=Geboorte.from_json(geboorte) if geboorte else None,
            verblijfplaats=Verblijfplaats.from_json(verblijfplaats) if verblijfplaats else None,
            nationaliteiten=tuple(data.get("nationaliteiten") or ()),
            partners=tuple(Relative.from_json(item) for item in data.get("partners") or ()),
            kinderen=tuple(Relative.from_json(item) for item in data.get("kinderen") or ()),
            ouders=tuple(Relative.from_json(item) for item in data.get("ouders") or ()),
            geheimhouding=bool(data.get("geheimhouding")),
            datum_inschrijving=_date_from_json(data.get("datum_inschrijving")),
            overleden=bool(data.get("overleden")),
        )


class BRP(Protocol):
    """What the portal asks of the BRP."""

    def get_persoon(self, bsn: str, *, purpose: str) -> Persoon | None:
        """The person with this BSN, or None when the BRP does not know it.

        `purpose` is the doelbinding the request is made under. Raises ValueError for a BSN that
        is not nine digits, IntegrationUnavailable when the BRP cannot answer.
        """
        ...

    def check(self) -> None:
        """Raise IntegrationUnavailable unless the BRP answers (for the staff status page)."""
        ...


@lru_cache(maxsize=1)
def _local_brp() -> BRP:
    from portal.integrations.brp.local import LocalBRP

    return LocalBRP.from_demo_data()


@lru_cache(maxsize=4)
def _haalcentraal_brp(url: str, api_key: str, oin: str, timeout: float) -> BRP:
    # One client (and connection pool) per configuration, not one per request.
    from portal.integrations.brp.http import HaalCentraalBRP

    return HaalCentraalBRP(url, api_key=api_key, oin=oin, timeout=timeout)


def brp_for(settings: Settings) -> BRP:
    """The BRP implementation the settings choose (`MIJNHAREN_BRP_BACKEND`)."""
    if settings.brp_backend == "local":
        return _local_brp()
    return _haalcentraal_brp(
        settings.brp_url,
        settings.brp_api_key,
        settings.municipality_oin,
        settings.http_timeout_seconds,
    )


def get_brp(settings: SettingsDep) -> BRP:
    """FastAPI dependency: the configured BRP."""
    return brp_for(settings)


BRPDep = Annotated[BRP, Depends(get_brp)]
