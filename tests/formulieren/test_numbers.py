"""getal and bedrag."""

from __future__ import annotations

from decimal import Decimal

import pytest

from formulieren.fields import get_handler
from formulieren.fields.getallen import parse_number

from .conftest import errors_of, make_field, value_of


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("12", "12"),
        ("-3", "-3"),
        ("1.234", "1234"),
        ("1 234", "1234"),
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1.2.3", None),
        ("1,2,3", None),
        ("12a", None),
        ("", None),
        ("-", None),
    ],
)
def test_parse_number(raw: str, number: str | None) -> None:
    parsed = parse_number(raw)
    assert parsed == (None if number is None else Decimal(number))


def test_getal_whole_by_default() -> None:
    assert value_of("getal", "3") == 3
    assert errors_of("getal", {"veld": "3,5"}) == ["‘Veld’ moet een heel getal zijn"]
    assert errors_of("getal", {"veld": "drie"}) == ["‘Veld’ moet een heel getal zijn"]


def test_getal_with_decimals_stores_a_decimal_string() -> None:
    assert value_of("getal", "3,5", validation={"decimals": 2}) == "3.50"
    assert errors_of("getal", {"veld": "3,555"}, validation={"decimals": 2}) == [
        "‘Veld’ mag maximaal 2 cijfers achter de komma hebben"
    ]


def test_getal_min_max() -> None:
    rules = {"min": 1, "max": 20}
    assert value_of("getal", "20", validation=rules) == 20
    assert errors_of("getal", {"veld": "0"}, validation=rules) == ["‘Veld’ moet 1 of meer zijn"]
    assert errors_of("getal", {"veld": "21"}, validation=rules) == ["‘Veld’ moet 20 of minder zijn"]


def test_getal_display_per_language() -> None:
    handler, definition = get_handler("getal"), make_field("getal", validation={"decimals": 1})
    assert handler.display(definition, "1234.5", "nl") == "1.234,5"
    assert handler.display(definition, "1234.5", "en") == "1,234.5"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("12,50", "12.50"),
        ("12", "12.00"),
        ("€ 1.234,56", "1234.56"),
        ("€1234,56", "1234.56"),
        ("1234.5", "1234.50"),
        ("1.234", "1234.00"),
        ("12,-", "12.00"),
        ("EUR 7,5", "7.50"),
        ("0", "0.00"),
    ],
)
def test_bedrag_formats(raw: str, stored: str) -> None:
    assert value_of("bedrag", raw) == stored


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12,505", "‘Veld’ mag maximaal 2 cijfers achter de komma hebben"),
        ("twaalf", "‘Veld’ moet een bedrag zijn, zoals 12,50 of 1.250"),
        ("$ 12,50", "‘Veld’ moet een bedrag zijn, zoals 12,50 of 1.250"),
        ("-5", "‘Veld’ moet € 0 of meer zijn"),
    ],
)
def test_bedrag_invalid(raw: str, message: str) -> None:
    assert errors_of("bedrag", {"veld": raw}) == [message]


def test_bedrag_max_shown_as_money() -> None:
    assert errors_of("bedrag", {"veld": "5000,01"}, validation={"max": 5000}) == [
        "‘Veld’ moet €\u00a05.000,00 of minder zijn"
    ]


def test_bedrag_display_and_form_state() -> None:
    handler, definition = get_handler("bedrag"), make_field("bedrag")
    assert handler.display(definition, "1234.56", "nl") == "€\u00a01.234,56"
    assert handler.display(definition, "1234.56", "en") == "€1,234.56"
    assert handler.form_state(definition, "1234.50") == "1.234,50"
    assert value_of("bedrag", handler.form_state(definition, "1234.50")) == "1234.50"
