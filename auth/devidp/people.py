"""The demo people, companies and staff the development identity provider can log in as.

Residents are RvIG test persons (reference/standards.md §2.5), companies are KVK test numbers
(§3); the local BRP and KVK sources serve the same numbers. The acting subjects are made up in the
opaque `HEX@HEX` shape eHerkenning brokers send (§1.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.settings import ProviderName


@dataclass(frozen=True)
class DemoAccount:
    """One choice on the login page; `subject` is both the form value and the `sub` claim."""

    subject: str
    label: str
    description: str
    bsn: str | None = None
    kvk: str | None = None
    vestiging: str | None = None
    acting_subject: str | None = None
    name: str | None = None
    roles: tuple[str, ...] = field(default_factory=tuple)


# The example acting subject of open-zaak/open-zaak:docs/client-development/mandate.rst.
_DAGOBERT_EMPLOYEE = (
    "4B75A0EA107B3D36C82FD675B5B78CC2F181B22E33D85F2D4A5DA63452EE3018"
    "@2D8FF1EF10279BC2643F376D89835151"
)

RESIDENTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        subject="999993653",
        bsn="999993653",
        label="Suzanne Moulin",
        description="BSN 999993653 · standaard inwoner, Haren",
    ),
    DemoAccount(
        subject="999990858",
        bsn="999990858",
        label="Lance Smit",
        description="BSN 999990858 · met partner (Marianne de Jong) en twee kinderen",
    ),
    DemoAccount(
        subject="999990949",
        bsn="999990949",
        label="Marianne de Jong",
        description="BSN 999990949 · partner van Lance Smit",
    ),
    DemoAccount(
        subject="999993872",
        bsn="999993872",
        label="Peter-Jan van der Meijden",
        description="BSN 999993872 · geheimhouding persoonsgegevens",
    ),
    DemoAccount(
        subject="999990421",
        bsn="999990421",
        label="Adrianus Hendrikus Holthuizen",
        description="BSN 999990421 · geboren 1904, in sommige gegevensbronnen overleden",
    ),
    DemoAccount(
        subject="999994542",
        bsn="999994542",
        label="Gerrit den Braber",
        description="BSN 999994542 · partner Wilma van Zon, één kind, Amsterdam",
    ),
    DemoAccount(
        subject="999990676",
        bsn="999990676",
        label="Cornelia Francisca Wiegman",
        description="BSN 999990676 · weinig gegevens om vooraf in te vullen",
    ),
)

COMPANIES: tuple[DemoAccount, ...] = (
    DemoAccount(
        subject="69599084",
        kvk="69599084",
        acting_subject=_DAGOBERT_EMPLOYEE,
        label="Test EMZ Dagobert",
        description="KVK 69599084 · eenmanszaak, hele onderneming",
    ),
    DemoAccount(
        subject="69599084-000038509504",
        kvk="69599084",
        vestiging="000038509504",
        acting_subject=_DAGOBERT_EMPLOYEE,
        label="Test EMZ Dagobert, vestiging 000038509504",
        description="KVK 69599084 · ingelogd voor één vestiging",
    ),
    DemoAccount(
        subject="68750110",
        kvk="68750110",
        acting_subject=(
            "8CB605DD92D0187CDF72155416DEE4C87081B035D4C31EA469912450FF4D3950"
            "@7264D8E75143EE1A0D49B5266DD8FE39"
        ),
        label="Test BV Donald",
        description="KVK 68750110 · besloten vennootschap",
    ),
    DemoAccount(
        subject="90004760",
        kvk="90004760",
        acting_subject=(
            "C233E3AA32DC220706206ED168D86C31E90EB849101F1825B8B1056F6BFFE1AB"
            "@E0D6EBD37AD80AC78DD9B82B7DCF71CA"
        ),
        label="Test NV Katrien",
        description="KVK 90004760 · naamloze vennootschap",
    ),
)

STAFF: tuple[DemoAccount, ...] = (
    DemoAccount(
        subject="kcc",
        name="Karin Klantcontact",
        roles=("kcc",),
        label="Karin Klantcontact",
        description="Rol: kcc (klantcontactcentrum)",
    ),
    DemoAccount(
        subject="behandelaar",
        name="Bram Behandelaar",
        roles=("behandelaar",),
        label="Bram Behandelaar",
        description="Rol: behandelaar",
    ),
    DemoAccount(
        subject="beheerder",
        name="Bea Beheerder",
        roles=("beheerder",),
        label="Bea Beheerder",
        description="Rol: beheerder",
    ),
    DemoAccount(
        subject="balie",
        name="Bert Balie",
        roles=("balie",),
        label="Bert Balie",
        description="Rol: balie (afspraken op het gemeentehuis)",
    ),
    DemoAccount(
        subject="behandelaar-beheerder",
        name="Hanna Hoofd",
        roles=("behandelaar", "beheerder"),
        label="Hanna Hoofd",
        description="Rollen: behandelaar en beheerder",
    ),
)

ACCOUNTS: dict[ProviderName, tuple[DemoAccount, ...]] = {
    "digid": RESIDENTS,
    "eherkenning": COMPANIES,
    "medewerker": STAFF,
}


def find_account(provider: ProviderName, subject: str) -> DemoAccount | None:
    """The demo account of `provider` with this subject, if there is one."""
    return next((account for account in ACCOUNTS[provider] if account.subject == subject), None)
