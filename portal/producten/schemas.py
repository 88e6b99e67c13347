"""The shape of a product in the catalogue (one TOML file each), validated when it is loaded.

These are not tables: the catalogue is static data shipped with the code. `LocalizedProduct` is
what a page shows: the product in the visitor's language, amounts already formatted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from auth.identity import DIGID_LEVELS, EHERKENNING_LEVELS

SCHEMA_VERSION = 1

# Themes in the order the product list shows them, with their English names.
THEMAS: dict[str, str] = {
    "Burgerzaken": "Civil affairs",
    "Afval": "Waste",
    "Belastingen": "Taxes",
    "Parkeren": "Parking",
    "Vergunningen": "Permits",
    "Openbare ruimte": "Public space",
    "Zorg en inkomen": "Care and income",
    "Contact en bezwaar": "Questions and objections",
}

Doelgroep = Literal["inwoners", "ondernemers", "beide"]
Aanvragen = Literal["online", "afspraak", "beide"]
Login = Literal["geen", "digid", "eherkenning", "digid_of_eherkenning"]
Thema = Literal[
    "Burgerzaken",
    "Afval",
    "Belastingen",
    "Parkeren",
    "Vergunningen",
    "Openbare ruimte",
    "Zorg en inkomen",
    "Contact en bezwaar",
]

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Sentence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Days = Annotated[int, Field(ge=0, le=730)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kosten(_Strict):
    """One fee: what it is for, the amount in euro and the year the amount applies to."""

    omschrijving: Text
    omschrijving_en: Text
    bedrag: Annotated[Decimal, Field(ge=0, max_digits=9, decimal_places=2)]
    jaar: Annotated[int, Field(ge=2000, le=2100)]


class Doorlooptijd(_Strict):
    """How long it takes: the term the law sets (if any) and the norm we set ourselves."""

    wettelijke_termijn_dagen: Days | None = None
    servicenorm_dagen: Days | None = None
    servicenorm_eenheid: Literal["dagen", "werkdagen"] = "dagen"
    toelichting: str = ""
    toelichting_en: str = ""


class Product(_Strict):
    """A municipal product or service as residents and entrepreneurs look for it."""

    schema_version: Literal[1]
    slug: Slug
    naam: Text
    naam_en: Text
    upl_naam: str = ""
    samenvatting: Sentence
    samenvatting_en: Sentence
    beschrijving: Text
    beschrijving_en: Text
    doelgroep: Doelgroep
    voorwaarden: list[Text] = Field(default_factory=list)
    voorwaarden_en: list[Text] = Field(default_factory=list)
    kosten: list[Kosten] = Field(default_factory=list)
    doorlooptijd: Doorlooptijd
    aanvragen: Aanvragen
    formulier: Slug | None = None
    login: Login
    minimum_loa: str = ""
    minimum_loa_eherkenning: str = ""
    gerelateerd: list[Slug] = Field(default_factory=list)
    contact: Text = "Bel 14 050"
    contact_en: Text = "Call 14 050"
    zoekwoorden: list[Text] = Field(default_factory=list)
    thema: Thema

    @model_validator(mode="after")
    def _consistent(self) -> Product:
        if self.aanvragen in ("online", "beide") and not self.formulier:
            raise ValueError("formulier is required when the product can be applied for online")
        if self.aanvragen == "afspraak" and self.formulier:
            raise ValueError("formulier must be empty for a product only applied for in person")
        if len(self.voorwaarden) != len(self.voorwaarden_en):
            raise ValueError("voorwaarden and voorwaarden_en must have the same number of items")
        if self.slug in self.gerelateerd:
            raise ValueError("gerelateerd must not name the product itself")
        self._check_levels()
        return self

    def _check_levels(self) -> None:
        allowed = {
            "geen": (),
            "digid": DIGID_LEVELS,
            "eherkenning": EHERKENNING_LEVELS,
            "digid_of_eherkenning": DIGID_LEVELS,
        }[self.login]
        if self.minimum_loa and self.minimum_loa not in allowed:
            raise ValueError(
                f"minimum_loa {self.minimum_loa!r} is no level of login {self.login!r}"
            )
        both = self.login == "digid_of_eherkenning"
        extra = self.minimum_loa_eherkenning
        if extra and not (both and extra in EHERKENNING_LEVELS):
            raise ValueError(
                "minimum_loa_eherkenning must be an eHerkenning level, and only with login "
                "'digid_of_eherkenning'"
            )
        if self.online and self.login != "geen" and not (self.minimum_loa and (extra or not both)):
            raise ValueError(
                "minimum_loa (and for both logins minimum_loa_eherkenning) is required"
            )

    @property
    def online(self) -> bool:
        """Whether the product can be arranged online."""
        return self.aanvragen in ("online", "beide")

    @property
    def op_afspraak(self) -> bool:
        """Whether the product can be arranged at the municipal office."""
        return self.aanvragen in ("afspraak", "beide")

    def minimum_loa_for(self, provider: str) -> str:
        """The lowest level of assurance accepted from `provider` ("" when any will do)."""
        if provider == "eherkenning" and self.login == "digid_of_eherkenning":
            return self.minimum_loa_eherkenning
        if self.login in (provider, "digid_of_eherkenning"):
            return self.minimum_loa
        return ""


@dataclass(frozen=True)
class LocalizedKosten:
    """A fee as shown: the amount already formatted for the visitor's language."""

    omschrijving: str
    bedrag: str
    jaar: int


@dataclass(frozen=True)
class LoginMethod:
    """One way to log in for the online form: "DigiD" with level name "Midden", say."""

    middel: str
    niveau: str


@dataclass(frozen=True)
class RelatedLink:
    slug: str
    naam: str


@dataclass(frozen=True)
class LocalizedProduct:
    """A product in the visitor's language, ready for a template."""

    slug: str
    naam: str
    upl_naam: str
    samenvatting: str
    paragrafen: tuple[str, ...]
    doelgroep: str
    voorwaarden: tuple[str, ...]
    kosten: tuple[LocalizedKosten, ...]
    wettelijke_termijn_dagen: int | None
    servicenorm_dagen: int | None
    servicenorm_werkdagen: bool
    doorlooptijd_toelichting: str
    online: bool
    op_afspraak: bool
    formulier_url: str | None
    afspraak_url: str | None
    login: str
    login_methods: tuple[LoginMethod, ...]
    gerelateerd: tuple[RelatedLink, ...]
    contact: str
    thema: str
