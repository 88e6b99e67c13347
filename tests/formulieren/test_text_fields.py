"""tekst, tekstvak, email and telefoon."""

from __future__ import annotations

import pytest

from formulieren.fields import get_handler

from .conftest import errors_of, make_field, parse, value_of


def test_tekst_is_stripped() -> None:
    assert value_of("tekst", "  Suzanne  ") == "Suzanne"


def test_empty_required_text_names_the_field() -> None:
    assert errors_of("tekst", {"veld": "   "}) == ["Vul ‘Veld’ in"]


def test_empty_optional_text_is_none_without_error() -> None:
    parsed = parse(make_field("tekst", required=False), {"veld": ""})
    assert parsed.value is None
    assert parsed.errors == ()


def test_custom_required_message_in_both_languages() -> None:
    definition = make_field(
        "tekst", validation={"required_message": {"nl": "Vul uw naam in", "en": "Enter your name"}}
    )
    [error] = parse(definition, {}).errors
    assert error.message.resolve("nl") == "Vul uw naam in"
    assert error.message.resolve("en") == "Enter your name"


def test_default_message_in_english() -> None:
    [error] = parse(make_field("tekst", label={"nl": "Naam", "en": "Name"}), {}).errors
    assert error.message.resolve("en") == "Enter ‘Name’"


@pytest.mark.parametrize(
    ("raw", "rules", "message"),
    [
        ("a" * 501, {}, "‘Veld’ mag maximaal 500 tekens hebben"),
        ("abc", {"max_length": 2}, "‘Veld’ mag maximaal 2 tekens hebben"),
        ("ab", {"min_length": 3}, "‘Veld’ moet minstens 3 tekens hebben"),
        ("abc", {"pattern": "[0-9]+"}, "‘Veld’ heeft niet de juiste vorm"),
        ("abc", {"pattern": "[0-9]+", "message": "Alleen cijfers"}, "Alleen cijfers"),
        ("a\x00b", {}, "‘Veld’ bevat tekens die niet zijn toegestaan"),
        ("abc\u202egpj", {}, "‘Veld’ bevat tekens die niet zijn toegestaan"),
        ("regel\nregel", {}, "‘Veld’ bevat tekens die niet zijn toegestaan"),
    ],
)
def test_tekst_rules(raw: str, rules: dict[str, object], message: str) -> None:
    assert errors_of("tekst", {"veld": raw}, validation=rules) == [message]


def test_tekstvak_keeps_line_breaks_and_allows_long_text() -> None:
    assert value_of("tekstvak", "eerste\r\ntweede\n") == "eerste\ntweede"
    assert len(value_of("tekstvak", "x" * 5000)) == 5000
    assert errors_of("tekstvak", {"veld": "x" * 10_001})


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("suzanne@example.nl", "suzanne@example.nl"),
        ("Suzanne.Moulin+haren@Gemeente.Haren.NL", "Suzanne.Moulin+haren@gemeente.haren.nl"),
        ("info@café.nl", "info@café.nl"),
    ],
)
def test_email_valid(raw: str, stored: str) -> None:
    assert value_of("email", raw) == stored


@pytest.mark.parametrize(
    "raw",
    ["suzanne", "suzanne@", "@example.nl", "a@b", "a b@example.nl", "a..b@example.nl", "a@-b.nl"],
)
def test_email_invalid(raw: str) -> None:
    assert errors_of("email", {"veld": raw}) == ["Vul een e-mailadres in zoals naam@voorbeeld.nl"]


@pytest.mark.parametrize(
    ("raw", "stored", "shown"),
    [
        ("06 12345678", "+31612345678", "06 12345678"),
        ("06-12345678", "+31612345678", "06 12345678"),
        ("050 367 7777", "+31503677777", "0503677777"),
        ("010-1234567", "+31101234567", "0101234567"),
        ("+31 6 12345678", "+31612345678", "06 12345678"),
        ("+31 (0)6 12345678", "+31612345678", "06 12345678"),
        ("0031 50 3677777", "+31503677777", "0503677777"),
        ("0800 1234", "+318001234", "08001234"),
        ("+44 20 7946 0958", "+442079460958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958", "+442079460958"),
    ],
)
def test_telefoon_normalised(raw: str, stored: str, shown: str) -> None:
    assert value_of("telefoon", raw) == stored
    assert get_handler("telefoon").display(make_field("telefoon"), stored, "nl") == shown


@pytest.mark.parametrize(
    "raw",
    ["12345", "06 1234567", "06 123456789", "+31 6 1234", "+0 123456789", "telefoon", "6123456789"],
)
def test_telefoon_invalid(raw: str) -> None:
    assert errors_of("telefoon", {"veld": raw}) == [
        "Vul een telefoonnummer in zoals 06 12345678 of +31 50 123 4567"
    ]
