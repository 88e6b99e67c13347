"""Who is logged in: one normalised identity for DigiD, eHerkenning and staff logins."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ProviderName = Literal["digid", "eherkenning", "medewerker"]

DIGID_LEVELS = (
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
)
DIGID_LEVEL_NAMES = ("Basis", "Midden", "Substantieel", "Hoog")
EHERKENNING_LEVELS = (
    "urn:etoegang:core:assurance-class:loa1",
    "urn:etoegang:core:assurance-class:loa2",
    "urn:etoegang:core:assurance-class:loa2plus",
    "urn:etoegang:core:assurance-class:loa3",
    "urn:etoegang:core:assurance-class:loa4",
)
EHERKENNING_LEVEL_NAMES = ("EH1", "EH2", "EH2+", "EH3", "EH4")
STAFF_ROLES = ("kcc", "behandelaar", "beheerder")

_LEVELS: dict[str, tuple[str, ...]] = {"digid": DIGID_LEVELS, "eherkenning": EHERKENNING_LEVELS}
_LEVEL_NAMES: dict[str, tuple[str, ...]] = {
    "digid": DIGID_LEVEL_NAMES,
    "eherkenning": EHERKENNING_LEVEL_NAMES,
}


def known_levels(provider: str) -> tuple[str, ...]:
    """The levels of assurance a provider can name, lowest first (none for staff)."""
    return _LEVELS.get(provider, ())


def loa_rank(provider: str, loa: str | None) -> int:
    """The position of a level of assurance, lowest first; unknown or missing counts as lowest."""
    levels = _LEVELS.get(provider, ())
    return levels.index(loa) if loa in levels else 0


def loa_meets(provider: str, loa: str | None, minimum: str | None) -> bool:
    """Whether `loa` is at least `minimum`, compared by order (ASVS 6.8.4)."""
    if not minimum:
        return True
    levels = _LEVELS.get(provider, ())
    if minimum not in levels:
        return loa == minimum
    return loa in levels and loa_rank(provider, loa) >= loa_rank(provider, minimum)


def loa_name(provider: str, loa: str | None) -> str:
    """A readable name for a level of assurance (e.g. "Midden", "EH3")."""
    levels = _LEVELS.get(provider, ())
    if loa in levels:
        return _LEVEL_NAMES[provider][levels.index(loa)]
    return loa or "-"


@dataclass(frozen=True)
class Identity:
    """The logged-in person, company or employee, as stored in the server-side session."""

    provider: ProviderName
    subject: str
    loa: str | None = None
    bsn: str | None = None
    kvk: str | None = None
    vestiging: str | None = None
    acting_subject: str | None = None
    roles: tuple[str, ...] = field(default_factory=tuple)
    display_name: str | None = None

    @property
    def is_resident(self) -> bool:
        return self.provider == "digid" and self.bsn is not None

    @property
    def is_company(self) -> bool:
        return self.provider == "eherkenning" and self.kvk is not None

    @property
    def is_staff(self) -> bool:
        return self.provider == "medewerker"

    def has_role(self, *roles: str) -> bool:
        return self.is_staff and any(role in self.roles for role in roles)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["roles"] = list(self.roles)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Identity:
        return cls(**{**data, "roles": tuple(data.get("roles", ()))})
