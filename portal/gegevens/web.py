"""Request-side helpers for the personal data pages: plain-language labels, the masked BSN, the
branch order of a company, and the rows of the access log as the person reads them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from portal.gegevens.models import AccessLogEntry
from portal.integrations.kvk import Basisprofiel, Vestiging
from portal.templating import gettext

# The fields of the BRP record a resident can ask us to correct, as the correction form names
# them (its radio `gegeven` in the step `fout`).
CORRECTABLE = ("naam", "geboortedatum", "geboorteplaats", "nationaliteit", "adres", "familie")
CORRECTION_FORM = "correctie-gegevens"


def now() -> datetime:
    return datetime.now(UTC)


def masked_bsn(bsn: str) -> str:
    """Only the last three digits show, as on letters: ******123."""
    return "*" * (len(bsn) - 3) + bsn[-3:]


def field_label(gegeven: str) -> str:
    labels = {
        "naam": gettext("Naam"),
        "geboortedatum": gettext("Geboortedatum"),
        "geboorteplaats": gettext("Geboorteplaats"),
        "nationaliteit": gettext("Nationaliteit"),
        "adres": gettext("Adres"),
        "familie": gettext("Partner, kinderen of ouders"),
    }
    return labels.get(gegeven, gegeven)


def role_label(role: str) -> str:
    """The employee's role in plain words."""
    labels = {
        "behandelaar": gettext("Een medewerker die uw zaak behandelt"),
        "kcc": gettext("Een medewerker van het Klantcontactcentrum"),
        "beheerder": gettext("Een beheerder van Mijn Haren"),
    }
    return labels.get(role, gettext("Een medewerker van de gemeente"))


def action_label(action: str) -> str:
    labels = {
        "zaak_bekeken": gettext("Heeft uw zaak bekeken"),
        "document_bekeken": gettext("Heeft een document van uw zaak geopend"),
        "gegevens_bekeken": gettext("Heeft uw gegevens bekeken"),
        "brp_opgevraagd": gettext("Mijn Haren vroeg uw gegevens op bij de BRP"),
        "kvk_opgevraagd": gettext("Mijn Haren vroeg uw bedrijfsgegevens op bij de KVK"),
    }
    return labels.get(action, action)


def source_purpose_label(action: str) -> str:
    if action == "kvk_opgevraagd":
        return gettext("Om uw bedrijfsgegevens te tonen en formulieren voor u in te vullen")
    return gettext("Om uw gegevens te tonen en formulieren voor u in te vullen")


@dataclass(frozen=True)
class StaffView:
    at: datetime
    who: str
    action: str
    zaak_reference: str | None


def staff_views(entries: list[AccessLogEntry], *, show_names: bool) -> list[StaffView]:
    """The staff rows as the person reads them: role in plain words, the name only when the
    municipality chose to show it (MIJNHAREN_ACCESS_LOG_SHOWS_STAFF_NAME)."""
    views = []
    for entry in entries:
        who = role_label(entry.staff_role)
        if show_names and entry.staff_name:
            who = f"{entry.staff_name} ({who[0].lower()}{who[1:]})"
        views.append(StaffView(entry.at, who, action_label(entry.action), entry.zaak_reference))
    return views


def branches_in_order(profiel: Basisprofiel, vestigingsnummer: str | None) -> list[Vestiging]:
    """Every branch once: the one of the login first, then the main branch, then the rest."""
    seen: dict[str, Vestiging] = {}
    for branch in (profiel.hoofdvestiging, *profiel.vestigingen):
        if branch is not None and branch.vestigingsnummer not in seen:
            seen[branch.vestigingsnummer] = branch
    ordered = list(seen.values())
    ordered.sort(key=lambda b: (b.vestigingsnummer != vestigingsnummer, not b.is_hoofdvestiging))
    return ordered


def code_problem(reason: str) -> str:
    """Why a verification code did not work, and what to do."""
    messages = {
        "ongeldig": gettext("Vul de code in: 6 cijfers."),
        "geen_code": gettext("Er is geen code die u kunt gebruiken. Vraag een nieuwe code aan."),
        "verlopen": gettext("Deze code is verlopen. Vraag een nieuwe code aan."),
        "te_vaak": gettext(
            "U heeft te vaak een verkeerde code ingevuld. Vraag een nieuwe code aan."
        ),
        "onjuist": gettext("Deze code klopt niet. Controleer de code en probeer het opnieuw."),
    }
    return messages.get(reason, messages["onjuist"])
