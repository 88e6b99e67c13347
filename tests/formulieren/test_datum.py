"""datum: three inputs, real dates, relative bounds, errors naming the wrong part."""

from __future__ import annotations

from datetime import date

import pytest

from formulieren.dates import add_months, resolve_bound
from formulieren.fields import get_handler

from .conftest import TODAY, error_ids, errors_of, make_field, parse


def posted(day: str, month: str, year: str) -> dict[str, str]:
    return {"veld-dag": day, "veld-maand": month, "veld-jaar": year}


def test_valid_date_is_iso() -> None:
    assert parse(make_field("datum"), posted("27", "3", "1985")).value == "1985-03-27"
    assert parse(make_field("datum"), posted(" 07 ", "03", "1985")).value == "1985-03-07"


def test_month_names_are_understood() -> None:
    assert parse(make_field("datum"), posted("1", "maart", "2024")).value == "2024-03-01"
    assert parse(make_field("datum"), posted("1", "Feb", "2024")).value == "2024-02-01"


def test_29_february_on_a_leap_year() -> None:
    assert parse(make_field("datum"), posted("29", "2", "2024")).value == "2024-02-29"


def test_29_february_on_another_year_points_at_the_day() -> None:
    assert errors_of("datum", posted("29", "2", "2023")) == ["‘Veld’ moet een bestaande datum zijn"]
    assert error_ids("datum", posted("29", "2", "2023")) == ["veld-dag"]


@pytest.mark.parametrize(
    ("parts", "message", "input_id"),
    [
        (("", "", ""), "Vul ‘Veld’ in", "veld-dag"),
        (("", "3", "1985"), "‘Veld’ moet een dag bevatten", "veld-dag"),
        (("27", "", "1985"), "‘Veld’ moet een maand bevatten", "veld-maand"),
        (("27", "3", ""), "‘Veld’ moet een jaar bevatten", "veld-jaar"),
        (("", "", "1985"), "‘Veld’ moet een dag en een maand bevatten", "veld-dag"),
        (("32", "3", "1985"), "‘Veld’ moet een bestaande datum zijn", "veld-dag"),
        (("27", "13", "1985"), "‘Veld’ moet een bestaande datum zijn", "veld-maand"),
        (("27", "maa rt", "1985"), "‘Veld’ moet een bestaande datum zijn", "veld-maand"),
        (("27", "3", "85"), "Het jaar bij ‘Veld’ moet uit 4 cijfers bestaan", "veld-jaar"),
        (("x", "3", "1985"), "‘Veld’ moet een bestaande datum zijn", "veld-dag"),
    ],
)
def test_three_input_errors_name_the_part(
    parts: tuple[str, str, str], message: str, input_id: str
) -> None:
    assert errors_of("datum", posted(*parts)) == [message]
    assert error_ids("datum", posted(*parts)) == [input_id]


def test_missing_parts_in_english() -> None:
    [error] = parse(
        make_field("datum", label={"nl": "Datum", "en": "Date"}), posted("", "", "1985")
    ).errors
    assert error.message.resolve("en") == "‘Date’ must include a day and a month"


def test_relative_bounds() -> None:
    rules = {"min": "-18y", "max": "vandaag"}
    assert (
        parse(make_field("datum", validation=rules), posted("15", "6", "2006")).value
        == "2006-06-15"
    )
    assert errors_of("datum", posted("14", "6", "2006"), validation=rules) == [
        "‘Veld’ moet op of na 15 juni 2006 liggen"
    ]
    assert errors_of("datum", posted("16", "6", "2024"), validation=rules) == [
        "‘Veld’ moet op of voor 15 juni 2024 liggen"
    ]


def test_bound_message_in_english() -> None:
    [error] = parse(
        make_field("datum", validation={"max": "2024-01-01"}), posted("2", "1", "2024")
    ).errors
    assert error.message.resolve("en") == "‘Veld’ must be the same as or before 1 January 2024"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("vandaag", TODAY),
        ("today", TODAY),
        ("+3d", date(2024, 6, 18)),
        ("-2w", date(2024, 6, 1)),
        ("+1m", date(2024, 7, 15)),
        ("-18y", date(2006, 6, 15)),
        ("2024-01-31", date(2024, 1, 31)),
    ],
)
def test_resolve_bound(spec: str, expected: date) -> None:
    assert resolve_bound(spec, TODAY) == expected


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 15), -1) == date(2023, 12, 15)


def test_display_and_form_state() -> None:
    handler, definition = get_handler("datum"), make_field("datum")
    assert handler.display(definition, "2024-02-29", "nl") == "29 februari 2024"
    assert handler.display(definition, "2024-02-29", "en") == "29 February 2024"
    assert handler.form_state(definition, "2024-02-09") == {
        "dag": "9",
        "maand": "2",
        "jaar": "2024",
    }
    assert handler.form_state(definition, None) == {"dag": "", "maand": "", "jaar": ""}
