"""The one place where the form engine meets the portal's data: prefill from BRP and KVK.

Prefill keys (a form names them in `prefill = "..."`):

- `brp.bsn`, `brp.naam`, `brp.voornamen`, `brp.achternaam`, `brp.geboortedatum` (ISO date),
  `brp.adres` (the engine's address value), `brp.gemeente`, `brp.partner` (name),
  `brp.huisgenoten` (options: partner and children, `[{"value": bsn, "label": name}]`);
- `kvk.nummer`, `kvk.naam`, `kvk.vestigingsnummer`, `kvk.vestiging`, `kvk.adres`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from portal.integrations.brp import Persoon
from portal.integrations.kvk import Basisprofiel, Vestiging


def _brp_address(persoon: Persoon) -> dict[str, Any] | None:
    place = persoon.verblijfplaats
    if place is None or not place.postcode or not place.huisnummer:
        return None
    postcode = place.postcode.replace(" ", "").upper()
    return {
        "postcode": f"{postcode[:4]} {postcode[4:]}",
        "huisnummer": int(place.huisnummer),
        "huisletter": (place.huisletter or "").upper(),
        "toevoeging": place.toevoeging or "",
        "straat": place.straat or "",
        "woonplaats": place.woonplaats or "",
    }


def brp_values(persoon: Persoon) -> dict[str, Any]:
    """Everything a form may prefill from the resident's BRP record."""
    naam = persoon.naam
    surname = " ".join(part for part in (naam.voorvoegsel, naam.geslachtsnaam) if part)
    household = [
        {"value": relative.burgerservicenummer, "label": relative.naam.display}
        for relative in (*persoon.partners, *persoon.kinderen)
        if relative.burgerservicenummer
    ]
    values: dict[str, Any] = {
        "brp.bsn": persoon.burgerservicenummer,
        "brp.naam": naam.display,
        "brp.voornamen": naam.voornamen,
        "brp.achternaam": surname,
        "brp.geboortedatum": persoon.geboorte.datum.isoformat()
        if persoon.geboorte and persoon.geboorte.datum
        else None,
        "brp.adres": _brp_address(persoon),
        "brp.gemeente": persoon.verblijfplaats.woonplaats if persoon.verblijfplaats else None,
        "brp.partner": persoon.partners[0].naam.display if persoon.partners else None,
        "brp.huisgenoten": household,
    }
    return {key: value for key, value in values.items() if value not in (None, "")}


def _kvk_address(branch: Vestiging | None) -> dict[str, Any] | None:
    if branch is None:
        return None
    address = next((a for a in branch.adressen if a.type == "bezoekadres"), None)
    if address is None or address.afgeschermd or not address.postcode or not address.huisnummer:
        return None
    postcode = address.postcode.replace(" ", "").upper()
    return {
        "postcode": f"{postcode[:4]} {postcode[4:]}",
        "huisnummer": int(address.huisnummer),
        "huisletter": (address.huisletter or "").upper(),
        "toevoeging": address.toevoeging or "",
        "straat": address.straatnaam or "",
        "woonplaats": address.plaats or "",
    }


def kvk_values(profiel: Basisprofiel, branch: Vestiging | None) -> dict[str, Any]:
    """Everything a form may prefill from the company's KVK profile."""
    values: dict[str, Any] = {
        "kvk.nummer": profiel.kvk_nummer,
        "kvk.naam": profiel.naam,
        "kvk.vestigingsnummer": branch.vestigingsnummer if branch else None,
        "kvk.vestiging": branch.eerste_handelsnaam if branch else None,
        "kvk.adres": _kvk_address(branch),
    }
    return {key: value for key, value in values.items() if value not in (None, "")}


class KnownValues:
    """The engine's prefill port over values fetched for this session."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def values(self, keys: Sequence[str]) -> Mapping[str, Any]:
        return {key: self._values[key] for key in keys if key in self._values}
