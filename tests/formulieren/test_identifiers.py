"""bsn, kvk, iban and kenteken: examples (property-based tests are in test_properties.py)."""

from __future__ import annotations

import pytest

from formulieren.fields import get_handler
from formulieren.fields.nummers import (
    KENTEKEN_SIDECODES,
    is_valid_bsn,
    normalise_kenteken,
)

from .conftest import errors_of, make_field, value_of


@pytest.mark.parametrize(
    "raw", ["999993653", "111222333", "123456782", "9999 93 653", "999.993.653"]
)
def test_bsn_valid(raw: str) -> None:
    assert value_of("bsn", raw) == raw.replace(" ", "").replace(".", "")


def test_bsn_of_eight_digits_gets_a_leading_zero() -> None:
    assert is_valid_bsn("012345672")
    assert value_of("bsn", "12345672") == "012345672"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("999993654", "Dit is geen geldig burgerservicenummer. Controleer het nummer"),
        ("123456789", "Dit is geen geldig burgerservicenummer. Controleer het nummer"),
        ("000000000", "Dit is geen geldig burgerservicenummer. Controleer het nummer"),
        ("12345678", "Dit is geen geldig burgerservicenummer. Controleer het nummer"),
        ("9999936531", "Een burgerservicenummer heeft 9 cijfers"),
        ("99999365a", "Een burgerservicenummer heeft 9 cijfers"),
    ],
)
def test_bsn_invalid(raw: str, message: str) -> None:
    assert errors_of("bsn", {"veld": raw}) == [message]


def test_kvk() -> None:
    assert value_of("kvk", "6959 9084") == "69599084"
    assert errors_of("kvk", {"veld": "6959908"}) == ["Een KVK-nummer heeft 8 cijfers"]
    assert errors_of("kvk", {"veld": "695990845"}) == ["Een KVK-nummer heeft 8 cijfers"]
    assert errors_of("kvk", {"veld": "00000000"}) == ["Een KVK-nummer heeft 8 cijfers"]


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("NL91ABNA0417164300", "NL91ABNA0417164300"),
        ("nl91 abna 0417 1643 00", "NL91ABNA0417164300"),
        ("BE68 5390 0754 7034", "BE68539007547034"),
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
    ],
)
def test_iban_valid(raw: str, stored: str) -> None:
    assert value_of("iban", raw) == stored


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("NL91ABNA0417164301", "Dit IBAN klopt niet. Controleer het nummer"),
        ("NL92ABNA0417164300", "Dit IBAN klopt niet. Controleer het nummer"),
        ("NL91ABNA041716430", "Vul een IBAN in zoals NL91 ABNA 0417 1643 00"),
        ("NL91ABNA04171643000", "Vul een IBAN in zoals NL91 ABNA 0417 1643 00"),
        ("NL91AB1A0417164300", "Vul een IBAN in zoals NL91 ABNA 0417 1643 00"),
        ("0417164300", "Vul een IBAN in zoals NL91 ABNA 0417 1643 00"),
    ],
)
def test_iban_invalid(raw: str, message: str) -> None:
    assert errors_of("iban", {"veld": raw}) == [message]


def test_iban_shown_in_groups_of_four() -> None:
    handler = get_handler("iban")
    assert (
        handler.display(make_field("iban"), "NL91ABNA0417164300", "nl") == "NL91 ABNA 0417 1643 00"
    )


@pytest.mark.parametrize(
    ("raw", "plate"),
    [
        ("AB-12-34", "AB-12-34"),  # 1
        ("12-34-AB", "12-34-AB"),  # 2
        ("12-AB-34", "12-AB-34"),  # 3
        ("AB-12-CD", "AB-12-CD"),  # 4
        ("ABCD12", "AB-CD-12"),  # 5
        ("12ABCD", "12-AB-CD"),  # 6
        ("12abc3", "12-ABC-3"),  # 7
        ("1-abc-23", "1-ABC-23"),  # 8
        ("ab 123 c", "AB-123-C"),  # 9
        ("A123BC", "A-123-BC"),  # 10
        ("ABC12D", "ABC-12-D"),  # 11
        ("A12BCD", "A-12-BCD"),  # 12
        ("1AB234", "1-AB-234"),  # 13
        ("123AB4", "123-AB-4"),  # 14
    ],
)
def test_kenteken_sidecodes(raw: str, plate: str) -> None:
    assert normalise_kenteken(raw) == plate
    assert value_of("kenteken", raw) == plate


def test_every_sidecode_is_covered() -> None:
    assert len(KENTEKEN_SIDECODES) == 14
    assert len({code.replace("-", "") for code in KENTEKEN_SIDECODES}) == 14


@pytest.mark.parametrize(
    "raw", ["ABCDEF", "123456", "AB-12-3", "AB-12-345", "A1B2C3", "ÄB-12-34", "1A2B3C"]
)
def test_kenteken_invalid(raw: str) -> None:
    assert errors_of("kenteken", {"veld": raw}) == ["Vul een Nederlands kenteken in zoals 12-ABC-3"]
