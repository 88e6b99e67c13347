"""radio, keuzelijst, checkboxes, janee and adres."""

from __future__ import annotations

import pytest

from formulieren.fields import get_handler
from formulieren.fields.adres import normalise_postcode

from .conftest import error_ids, errors_of, make_field, parse

OPTIONS = [
    {"value": "koop", "label": "Koop"},
    {"value": "huur", "label": {"nl": "Huur", "en": "Rent"}},
    {"value": "anders", "label": "Anders"},
]


@pytest.mark.parametrize("type_name", ["radio", "keuzelijst"])
def test_single_choice(type_name: str) -> None:
    definition = make_field(type_name, options=OPTIONS)
    assert parse(definition, {"veld": "huur"}).value == "huur"
    assert errors_of(type_name, {}, options=OPTIONS) == ["Kies een antwoord bij ‘Veld’"]
    assert errors_of(type_name, {"veld": "gestolen"}, options=OPTIONS) == [
        "Kies een van de antwoorden bij ‘Veld’"
    ]
    assert get_handler(type_name).display(definition, "huur", "en") == "Rent"


def test_janee() -> None:
    definition = make_field("janee")
    assert parse(definition, {"veld": "ja"}).value == "ja"
    assert parse(definition, {"veld": "nee"}).value == "nee"
    assert errors_of("janee", {"veld": "misschien"}) == ["Kies een van de antwoorden bij ‘Veld’"]
    assert get_handler("janee").display(definition, "ja", "en") == "Yes"


def test_checkboxes_keep_option_order_and_drop_duplicates() -> None:
    definition = make_field("checkboxes", options=OPTIONS)
    assert parse(definition, {"veld": ["anders", "koop", "koop"]}).value == ["koop", "anders"]
    assert get_handler("checkboxes").display(definition, ["koop", "huur"], "nl") == "Koop\nHuur"


def test_checkboxes_refuse_unknown_values_and_count_limits() -> None:
    assert errors_of("checkboxes", {"veld": ["koop", "x"]}, options=OPTIONS) == [
        "Kies een van de antwoorden bij ‘Veld’"
    ]
    assert errors_of("checkboxes", {"veld": ["koop"]}, options=OPTIONS, min_items=2) == [
        "Kies minstens 2 antwoorden bij ‘Veld’"
    ]
    assert errors_of("checkboxes", {"veld": ["koop", "huur"]}, options=OPTIONS, max_items=1) == [
        "Kies maximaal 1 antwoorden bij ‘Veld’"
    ]
    assert parse(make_field("checkboxes", options=OPTIONS, required=False), {}).value is None


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("9751AN", "9751 AN"),
        ("9751 an", "9751 AN"),
        (" 9751 aN ", "9751 AN"),
        ("1000AA", "1000 AA"),
    ],
)
def test_postcode_normalised(raw: str, normal: str) -> None:
    assert normalise_postcode(raw) == normal


@pytest.mark.parametrize(
    "raw", ["0751AN", "975AN", "9751 A", "9751  AN", "9751-AN", "ABCDEF", "97511AN"]
)
def test_postcode_refused(raw: str) -> None:
    assert normalise_postcode(raw) is None


def address(**parts: str) -> dict[str, str]:
    base = {
        "postcode": "9751an",
        "huisnummer": "12",
        "straat": "Rijksstraatweg",
        "woonplaats": "Haren",
    }
    return {f"veld-{name}": value for name, value in {**base, **parts}.items()}


def test_address_valid() -> None:
    value = parse(make_field("adres"), address(huisletter="b", toevoeging="2")).value
    assert value == {
        "postcode": "9751 AN",
        "huisnummer": 12,
        "huisletter": "B",
        "toevoeging": "2",
        "straat": "Rijksstraatweg",
        "woonplaats": "Haren",
    }
    assert get_handler("adres").display(make_field("adres"), value, "nl") == (
        "Rijksstraatweg 12B-2\n9751 AN Haren"
    )


@pytest.mark.parametrize(
    ("parts", "input_id", "message"),
    [
        ({"postcode": "0751AN"}, "veld-postcode", "Vul een postcode in zoals 9751 AN"),
        ({"postcode": ""}, "veld-postcode", "Vul de postcode in"),
        (
            {"huisnummer": "0"},
            "veld-huisnummer",
            "Het huisnummer moet een getal van 1 tot en met 99999 zijn",
        ),
        (
            {"huisnummer": "100000"},
            "veld-huisnummer",
            "Het huisnummer moet een getal van 1 tot en met 99999 zijn",
        ),
        (
            {"huisnummer": "12a"},
            "veld-huisnummer",
            "Het huisnummer moet een getal van 1 tot en met 99999 zijn",
        ),
        ({"huisletter": "ab"}, "veld-huisletter", "De huisletter moet één letter zijn"),
        ({"huisletter": "1"}, "veld-huisletter", "De huisletter moet één letter zijn"),
        (
            {"toevoeging": "bis12"},
            "veld-toevoeging",
            "De toevoeging mag maximaal 4 letters of cijfers hebben",
        ),
        (
            {"toevoeging": "a-1"},
            "veld-toevoeging",
            "De toevoeging mag maximaal 4 letters of cijfers hebben",
        ),
        ({"straat": ""}, "veld-straat", "Vul de straatnaam in"),
        ({"woonplaats": ""}, "veld-woonplaats", "Vul de woonplaats in"),
    ],
)
def test_address_part_errors(parts: dict[str, str], input_id: str, message: str) -> None:
    assert error_ids("adres", address(**parts)) == [input_id]
    assert errors_of("adres", address(**parts)) == [message]


def test_address_every_wrong_part_has_its_own_error() -> None:
    ids = error_ids("adres", address(postcode="x", huisnummer="", woonplaats=""))
    assert ids == ["veld-postcode", "veld-huisnummer", "veld-woonplaats"]


def test_empty_address() -> None:
    assert error_ids("adres", {}) == ["veld-postcode"]
    assert parse(make_field("adres", required=False), {}).value is None
