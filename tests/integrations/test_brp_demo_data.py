"""The demo BRP plays the server's part honestly: only the requested fields, the unasked ones
the API always sends, `leeftijd` by the RvIG rules, and demo files in the real v2 shapes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from portal.integrations.brp.local import DEMO_DATA, DemoPersonen, invalid_fields, leeftijd
from portal.integrations.brp.mapping import PERSOON_FIELDS

TODAY = date(2025, 6, 15)
DATE_TYPES = {"Datum", "DatumOnbekend", "JaarDatum", "JaarMaandDatum"}


@pytest.fixture(scope="module")
def personen() -> DemoPersonen:
    return DemoPersonen.load()


def only(personen: DemoPersonen, bsn: str, fields: list[str]) -> dict[str, Any]:
    answer = personen.raadpleeg([bsn], fields, today=TODAY)
    assert answer["type"] == "RaadpleegMetBurgerservicenummer"
    [persoon] = answer["personen"]
    assert isinstance(persoon, dict)
    return persoon


def test_only_the_requested_fields_come_back(personen: DemoPersonen) -> None:
    assert only(personen, "999993653", ["naam.voornamen", "geboorte.datum"]) == {
        "naam": {"voornamen": "Suzanne"},
        "geboorte": {
            "datum": {"type": "Datum", "datum": "1985-12-01", "langFormaat": "1 december 1985"}
        },
    }


def test_fields_inside_lists_apply_to_every_element(personen: DemoPersonen) -> None:
    assert only(personen, "999990858", ["kinderen.burgerservicenummer"]) == {
        "kinderen": [{"burgerservicenummer": "999992879"}, {"burgerservicenummer": "999993525"}]
    }


def test_geheimhouding_and_opschorting_come_unasked(personen: DemoPersonen) -> None:
    assert only(personen, "999993872", ["burgerservicenummer"]) == {
        "burgerservicenummer": "999993872",
        "geheimhoudingPersoonsgegevens": True,
    }
    holthuizen = only(personen, "999990421", ["leeftijd"])
    assert holthuizen == {
        "opschortingBijhouding": {
            "datum": {"type": "Datum", "datum": "1998-08-15", "langFormaat": "15 augustus 1998"},
            "reden": {"code": "O", "omschrijving": "overlijden"},
        }
    }


def test_unknown_bsn_gives_an_empty_list(personen: DemoPersonen) -> None:
    answer = personen.raadpleeg(["999999990"], ["naam"], today=TODAY)
    assert answer == {"type": "RaadpleegMetBurgerservicenummer", "personen": []}


def test_municipality_filter(personen: DemoPersonen) -> None:
    answer = personen.raadpleeg(
        ["999993653", "999992879"],
        ["burgerservicenummer"],
        today=TODAY,
        gemeente_van_inschrijving="0017",
    )
    assert answer["personen"] == [{"burgerservicenummer": "999993653"}]


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        ({"type": "Datum", "datum": "2015-06-15"}, 10),  # birthday today
        ({"type": "Datum", "datum": "2010-06-14"}, 15),  # birthday yesterday
        ({"type": "Datum", "datum": "2005-06-16"}, 19),  # birthday tomorrow
        ({"type": "JaarMaandDatum", "jaar": 2015, "maand": 7}, 9),  # next month
        ({"type": "JaarMaandDatum", "jaar": 2015, "maand": 5}, 10),  # last month
        ({"type": "JaarMaandDatum", "jaar": 2015, "maand": 6}, None),  # this month
        ({"type": "JaarDatum", "jaar": 2000}, None),
        ({"type": "DatumOnbekend", "onbekend": True}, None),
        (None, None),
    ],
)
def test_leeftijd_follows_the_brp_rules(born: dict[str, Any] | None, expected: int | None) -> None:
    assert leeftijd(born, TODAY) == expected


def test_leeftijd_on_29_february() -> None:
    born = {"type": "Datum", "datum": "1996-02-29"}
    assert leeftijd(born, date(2016, 2, 28)) == 19
    assert leeftijd(born, date(2016, 2, 29)) == 20
    assert leeftijd(born, date(2017, 2, 28)) == 20
    assert leeftijd(born, date(2017, 3, 1)) == 21


def test_the_portal_asks_only_for_fields_the_brp_allows() -> None:
    assert invalid_fields(list(PERSOON_FIELDS)) == []
    assert invalid_fields(["naam", "geheimhoudingPersoonsgegevens", "x y", "bestaatNiet"]) == [
        1,
        2,
        3,
    ]


def _walk(value: Any) -> Any:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


@pytest.mark.parametrize("path", sorted(DEMO_DATA.glob("*.json")), ids=lambda p: p.stem)
def test_demo_files_have_the_v2_shapes(path: Path) -> None:
    persoon = json.loads(path.read_text(encoding="utf-8"))
    assert persoon["burgerservicenummer"] == path.stem
    assert "leeftijd" not in persoon, "leeftijd is computed on the day of the request"
    for node in _walk(persoon):
        assert None not in node.values(), "the API omits missing values instead of sending null"
        if node.get("type") in DATE_TYPES:
            assert isinstance(node["langFormaat"], str)
            if "jaar" in node:
                assert isinstance(node["jaar"], int)
            if node["type"] == "DatumOnbekend":
                assert node["onbekend"] is True
    for key in ("geslacht", "gemeenteVanInschrijving"):
        if key in persoon:
            assert set(persoon[key]) == {"code", "omschrijving"}
