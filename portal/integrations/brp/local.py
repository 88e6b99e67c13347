"""The BRP from built-in demo data: stands in for Haal Centraal BRP Personen v2 during development,
demos and tests, with no account and no network.

The RvIG test persons live in `demo_data/<bsn>.json`, each a `personen` element exactly as the API
returns it. `DemoPersonen` plays the server's part of the API (select by BSN, keep only the
requested `fields`, add the unasked fields, compute `leeftijd` on today's date); `LocalBRP` then
maps its answer through the same mapping.py as the http client, so the two cannot drift apart.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Self
from zoneinfo import ZoneInfo

from portal.integrations.brp import Persoon
from portal.integrations.brp.mapping import (
    PERSOON_FIELDS,
    is_overleden,
    persoon_from_response,
    require_bsn,
    require_purpose,
)
from portal.settings import Settings

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
RAADPLEEG = "RaadpleegMetBurgerservicenummer"

#: Delivered without being asked; asking for them is a 400 (standards.md §2.1).
AUTOMATIC_FIELDS = frozenset(
    {"geheimhoudingPersoonsgegevens", "inOnderzoek", "opschortingBijhouding", "rni", "verificatie"}
)
#: The properties of Persoon that `fields` may start with (features/fields-Persoon.csv).
PERSOON_PROPERTIES = frozenset(
    {
        "aNummer",
        "adressering",
        "burgerservicenummer",
        "datumEersteInschrijvingGBA",
        "datumInschrijvingInGemeente",
        "europeesKiesrecht",
        "geboorte",
        "gemeenteVanInschrijving",
        "geslacht",
        "gezag",
        "immigratie",
        "indicatieCurateleRegister",
        "kinderen",
        "leeftijd",
        "naam",
        "nationaliteiten",
        "ouders",
        "overlijden",
        "partners",
        "uitsluitingKiesrecht",
        "verblijfplaats",
        "verblijfstitel",
    }
)
FIELD_PATTERN = re.compile(r"[a-zA-Z0-9._]{1,200}")
_AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_MISSING: Any = object()


def today_in_nl() -> date:
    """The date in the Netherlands, on which the BRP computes `leeftijd`."""
    return datetime.now(tz=_AMSTERDAM).date()


def invalid_fields(fields: Sequence[str]) -> list[int]:
    """Positions of `fields` the real API would refuse with 400 paramsValidation."""
    return [
        index
        for index, field in enumerate(fields)
        if not isinstance(field, str)
        or not FIELD_PATTERN.fullmatch(field)
        or field.split(".")[0] not in PERSOON_PROPERTIES
    ]


def leeftijd(geboortedatum: Mapping[str, Any] | None, today: date) -> int | None:
    """Age on `today` as the BRP computes it (features/bevragen/persoon/leeftijd/overzicht.feature):
    from a full date; from year and month unless that month is this month; never from a year
    alone or an unknown date."""
    if not geboortedatum:
        return None
    kind = geboortedatum.get("type")
    if kind == "Datum":
        born = date.fromisoformat(geboortedatum["datum"])
        had_birthday = (today.month, today.day) >= (born.month, born.day)
        return today.year - born.year - (0 if had_birthday else 1)
    if kind == "JaarMaandDatum":
        jaar, maand = int(geboortedatum["jaar"]), int(geboortedatum["maand"])
        if maand == today.month:
            return None
        return today.year - jaar - (0 if today.month > maand else 1)
    return None


def _pick(source: Any, parts: Sequence[str]) -> Any:
    """The part of `source` on one dot-path, keeping its shape; lists keep every element."""
    if not parts:
        return copy.deepcopy(source)
    if isinstance(source, list):
        picked = [_pick(item, parts) for item in source]
        return [{} if item is _MISSING else item for item in picked]
    if isinstance(source, dict) and parts[0] in source:
        inner = _pick(source[parts[0]], parts[1:])
        return _MISSING if inner is _MISSING else {parts[0]: inner}
    return _MISSING


def _merge(into: Any, extra: Any) -> Any:
    if isinstance(into, dict) and isinstance(extra, dict):
        for key, value in extra.items():
            into[key] = _merge(into[key], value) if key in into else value
        return into
    if isinstance(into, list) and isinstance(extra, list):
        return [_merge(a, b) for a, b in zip(into, extra, strict=True)]
    return extra


def select_fields(persoon: Mapping[str, Any], fields: Sequence[str], today: date) -> dict[str, Any]:
    """The person as the API answers for these `fields`: only what was asked, plus what always
    comes (geheimhouding, opschorting), plus `leeftijd` computed on `today` when asked."""
    result: dict[str, Any] = {}
    for field in fields:
        if field == "leeftijd":
            continue
        picked = _pick(persoon, field.split("."))
        if picked is not _MISSING:
            result = _merge(result, picked)
    for automatic in AUTOMATIC_FIELDS & persoon.keys():
        result[automatic] = copy.deepcopy(persoon[automatic])
    if "leeftijd" in fields and not is_overleden(persoon):
        age = leeftijd(persoon.get("geboorte", {}).get("datum"), today)
        if age is not None:
            result["leeftijd"] = age
    return result


class DemoPersonen:
    """The demo persons and the server-side rules of RaadpleegMetBurgerservicenummer."""

    def __init__(self, personen: Mapping[str, Mapping[str, Any]]) -> None:
        self.personen = dict(personen)

    @classmethod
    def load(cls, directory: Path = DEMO_DATA) -> Self:
        personen: dict[str, Mapping[str, Any]] = {}
        for path in sorted(directory.glob("*.json")):
            persoon = json.loads(path.read_text(encoding="utf-8"))
            if persoon.get("burgerservicenummer") != path.stem:
                raise ValueError(f"{path.name}: burgerservicenummer differs from the file name")
            personen[path.stem] = persoon
        return cls(personen)

    def raadpleeg(
        self,
        burgerservicenummers: Sequence[str],
        fields: Sequence[str],
        *,
        today: date,
        gemeente_van_inschrijving: str | None = None,
    ) -> dict[str, Any]:
        """The 200 answer of `POST /personen` for a valid request; unknown BSNs are left out."""
        personen = []
        for bsn in burgerservicenummers:
            persoon = self.personen.get(bsn)
            if persoon is None:
                continue
            gemeente = persoon.get("gemeenteVanInschrijving", {}).get("code")
            if gemeente_van_inschrijving and gemeente != gemeente_van_inschrijving:
                continue
            personen.append(select_fields(persoon, fields, today))
        return {"type": RAADPLEEG, "personen": personen}


class LocalBRP:
    """Stands in for the Haal Centraal BRP API (`MIJNHAREN_BRP_BACKEND=local`): the RvIG test
    persons from `demo_data/`, answered as the API would and mapped as the http client maps."""

    def __init__(
        self,
        personen: DemoPersonen,
        *,
        fields: Sequence[str] = PERSOON_FIELDS,
        today: Callable[[], date] = today_in_nl,
    ) -> None:
        if invalid_fields(fields):
            raise ValueError("fields the BRP would refuse")
        self.personen = personen
        self.fields = tuple(fields)
        self.today = today

    @classmethod
    def from_demo_data(cls, directory: Path = DEMO_DATA) -> Self:
        return cls(DemoPersonen.load(directory))

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        return cls.from_demo_data()

    def get_persoon(self, bsn: str, *, purpose: str) -> Persoon | None:
        require_bsn(bsn)
        require_purpose(purpose)
        body = self.personen.raadpleeg([bsn], self.fields, today=self.today())
        return persoon_from_response(body, bsn)

    def check(self) -> None:
        """Always available: the data is in the package."""
