"""The KVK Handelsregister as the portal needs it: a company's basisprofiel and one branch.

`KVK` is the port; `LocalKVK` (local.py) serves KVK test companies from JSON files in the real
API shapes, `KVKBasisprofiel` (http.py) asks the KVK API. Both map the foreign JSON to the frozen
dataclasses below through mapping.py. The dataclasses round-trip through `to_json()`/`from_json()`
so a page can keep them in the session cache.
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
    "KVK",
    "Adres",
    "Basisprofiel",
    "KVKDep",
    "SbiActiviteit",
    "Vestiging",
    "get_kvk",
]


@dataclass(frozen=True, slots=True)
class SbiActiviteit:
    """An activity by SBI 2008 code; `hoofdactiviteit` marks the main one."""

    code: str
    omschrijving: str | None = None
    hoofdactiviteit: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "omschrijving": self.omschrijving,
            "hoofdactiviteit": self.hoofdactiviteit,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            code=data["code"],
            omschrijving=data.get("omschrijving"),
            hoofdactiviteit=bool(data.get("hoofdactiviteit")),
        )


@dataclass(frozen=True, slots=True)
class Adres:
    """A branch address. `type`: "bezoekadres" or "correspondentieadres" (None when the KVK only
    gave a one-line summary). `afgeschermd`: the KVK shields this address from the public."""

    type: str | None = None
    volledig_adres: str | None = None
    straatnaam: str | None = None
    huisnummer: int | None = None
    huisletter: str | None = None
    toevoeging: str | None = None
    postcode: str | None = None
    plaats: str | None = None
    land: str | None = None
    afgeschermd: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "volledig_adres": self.volledig_adres,
            "straatnaam": self.straatnaam,
            "huisnummer": self.huisnummer,
            "huisletter": self.huisletter,
            "toevoeging": self.toevoeging,
            "postcode": self.postcode,
            "plaats": self.plaats,
            "land": self.land,
            "afgeschermd": self.afgeschermd,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            type=data.get("type"),
            volledig_adres=data.get("volledig_adres"),
            straatnaam=data.get("straatnaam"),
            huisnummer=data.get("huisnummer"),
            huisletter=data.get("huisletter"),
            toevoeging=data.get("toevoeging"),
            postcode=data.get("postcode"),
            plaats=data.get("plaats"),
            land=data.get("land"),
            afgeschermd=bool(data.get("afgeschermd")),
        )


@dataclass(frozen=True, slots=True)
class Vestiging:
    """A branch. In `Basisprofiel.vestigingen` it is the KVK's summary (one address line, no
    activities); `KVK.get_vestiging` gives the full vestigingsprofiel."""

    vestigingsnummer: str
    kvk_nummer: str
    eerste_handelsnaam: str | None = None
    is_hoofdvestiging: bool = False
    adressen: tuple[Adres, ...] = ()
    sbi_activiteiten: tuple[SbiActiviteit, ...] = ()

    @property
    def bezoekadres(self) -> Adres | None:
        """The visiting address, else the first address there is."""
        for adres in self.adressen:
            if adres.type == "bezoekadres":
                return adres
        return self.adressen[0] if self.adressen else None

    def to_json(self) -> dict[str, Any]:
        return {
            "vestigingsnummer": self.vestigingsnummer,
            "kvk_nummer": self.kvk_nummer,
            "eerste_handelsnaam": self.eerste_handelsnaam,
            "is_hoofdvestiging": self.is_hoofdvestiging,
            "adressen": [adres.to_json() for adres in self.adressen],
            "sbi_activiteiten": [sbi.to_json() for sbi in self.sbi_activiteiten],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            vestigingsnummer=data["vestigingsnummer"],
            kvk_nummer=data["kvk_nummer"],
            eerste_handelsnaam=data.get("eerste_handelsnaam"),
            is_hoofdvestiging=bool(data.get("is_hoofdvestiging")),
            adressen=tuple(Adres.from_json(item) for item in data.get("adressen") or ()),
            sbi_activiteiten=tuple(
                SbiActiviteit.from_json(item) for item in data.get("sbi_activiteiten") or ()
            ),
        )


@dataclass(frozen=True, slots=True)
class Basisprofiel:
    """A company (maatschappelijke activiteit) as registered with the KVK."""

    kvk_nummer: str
    naam: str
    statutaire_naam: str | None = None
    handelsnamen: tuple[str, ...] = ()
    rechtsvorm: str | None = None
    sbi_activiteiten: tuple[SbiActiviteit, ...] = ()
    hoofdvestiging: Vestiging | None = None
    vestigingen: tuple[Vestiging, ...] = ()
    formele_registratiedatum: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kvk_nummer": self.kvk_nummer,
            "naam": self.naam,
            "statutaire_naam": self.statutaire_naam,
            "handelsnamen": list(self.handelsnamen),
            "rechtsvorm": self.rechtsvorm,
            "sbi_activiteiten": [sbi.to_json() for sbi in self.sbi_activiteiten],
            "hoofdvestiging": self.hoofdvestiging.to_json() if self.hoofdvestiging else None,
            "vestigingen": [vestiging.to_json() for vestiging in self.vestigingen],
            "formele_registratiedatum": (
                self.formele_registratiedatum.isoformat() if self.formele_registratiedatum else None
            ),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        hoofdvestiging = data.get("hoofdvestiging")
        registratie = data.get("formele_registratiedatum")
        return cls(
            kvk_nummer=data["kvk_nummer"],
            naam=data["naam"],
            statutaire_naam=data.get("statutaire_naam"),
            handelsnamen=tuple(data.get("handelsnamen") or ()),
            rechtsvorm=data.get("rechtsvorm"),
            sbi_activiteiten=tuple(
                SbiActiviteit.from_json(item) for item in data.get("sbi_activiteiten") or ()
            ),
            hoofdvestiging=Vestiging.from_json(hoofdvestiging) if hoofdvestiging else None,
            vestigingen=tuple(Vestiging.from_json(item) for item in data.get("vestigingen") or ()),
            formele_registratiedatum=date.fromisoformat(registratie) if registratie else None,
        )


class KVK(Protocol):
    """What the portal asks of the KVK Handelsregister."""

    def get_basisprofiel(self, kvk_nummer: str) -> Basisprofiel | None:
        """The company with this KVK number, or None when the KVK does not know it.

        Raises ValueError for a number that is not eight digits, IntegrationUnavailable when
        the KVK cannot answer.
        """
        ...

    def get_vestiging(self, vestigingsnummer: str) -> Vestiging | None:
        """The branch with this twelve-digit number, or None when the KVK does not know it."""
        ...

    def check(self) -> None:
        """Raise IntegrationUnavailable unless the KVK answers (for the staff status page)."""
        ...


@lru_cache(maxsize=1)
def _local_kvk() -> KVK:
    from portal.integrations.kvk.local import LocalKVK

    return LocalKVK.from_demo_data()


@lru_cache(maxsize=4)
def _http_kvk(url: str, api_key: str, timeout: float) -> KVK:
    # One client (and connection pool) per configuration, not one per request.
    from portal.integrations.kvk.http import KVKBasisprofiel

    return KVKBasisprofiel(url, api_key=api_key, timeout=timeout)


def kvk_for(settings: Settings) -> KVK:
    """The KVK implementation the settings choose (`MIJNHAREN_KVK_BACKEND`)."""
    if settings.kvk_backend == "local":
        return _local_kvk()
    return _http_kvk(settings.kvk_url, settings.kvk_api_key, settings.http_timeout_seconds)


def get_kvk(settings: SettingsDep) -> KVK:
    """FastAPI dependency: the configured KVK."""
    return kvk_for(settings)


KVKDep = Annotated[KVK, Depends(get_kvk)]
