"""Identifiers: `bsn`, `kvk`, `iban` and `kenteken`.

- `bsn`: 9 digits (8 digits get a leading zero), passing the elfproef (weights 9..2 and -1,
  sum divisible by 11, not 000000000). Spaces, dots and dashes are ignored.
- `kvk`: a KVK number of 8 digits.
- `iban`: ISO 13616: country, check digits, account; mod-97 must give 1; the length must match
  the country (NL: 18). Spaces are ignored and letters upper-cased; stored without spaces, shown
  in groups of four.
- `kenteken`: a Dutch licence plate in one of the sidecodes 1–14; stored upper case with the
  sidecode's dashes ("12-ABC-3").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from formulieren.fields.base import FieldInput, Parsed, TextInputHandler, is_ascii_digits
from formulieren.messages import custom_or

if TYPE_CHECKING:
    from formulieren.definitions import FieldDefinition

_SEPARATORS = re.compile(r"[\s.\-]")

BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def is_valid_bsn(number: str) -> bool:
    """The elfproef for a 9-digit BSN."""
    if len(number) != 9 or not is_ascii_digits(number) or number == "000000000":
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number, BSN_WEIGHTS, strict=True))
    return total % 11 == 0


class BsnHandler(TextInputHandler):
    """A burgerservicenummer; stored as 9 digits."""

    type_name = "bsn"

    def clean(self, definition: FieldDefinition, raw: str, data: FieldInput) -> Parsed:
        number = _SEPARATORS.sub("", raw)
        if len(number) == 8 and is_ascii_digits(number):
            number = "0" + number
        if len(number) != 9 or not is_ascii_digits(number):
            return self.error(data.prefix, custom_or(definition.validation.message, "bsn_lengte"))
        if not is_valid_bsn(number):
            return self.error(data.prefix, custom_or(definition.validation.message, "bsn"))
        return Parsed(value=number)


class KvkHandler(TextInputHandler):
    """A KVK number of 8 digits."""

    type_name = "kvk"

    def clean(self, definition: FieldDefinition, raw: str, data: FieldInput) -> Parsed:
        number = _SEPARATORS.sub("", raw)
        if len(number) != 8 or not is_ascii_digits(number) or number == "00000000":
            return self.error(data.prefix, custom_or(definition.validation.message, "kvk"))
        return Parsed(value=number)


IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20,
    "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18,
    "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IS": 26, "IT": 27, "JO": 30,
    "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
    "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28,
    "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VG": 24, "XK": 20,
}  # fmt: skip
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_NL_IBAN = re.compile(r"^NL[0-9]{2}[A-Z]{4}[0-9]{10}$")


def normalise_iban(text: str) -> str:
    """Without spaces or dashes, upper case."""
    return re.sub(r"[\s\-]", "", text).upper()


def iban_checksum_ok(iban: str) -> bool:
    """ISO 7064 mod 97-10: the rearranged number modulo 97 is 1."""
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


def iban_problem(iban: str) -> str | None:
    """None for a valid, normalised IBAN, else the message key of what is wrong."""
    if not _IBAN_SHAPE.fullmatch(iban):
        return "iban"
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return "iban"
    if iban.startswith("NL") and not _NL_IBAN.fullmatch(iban):
        return "iban"
    return None if iban_checksum_ok(iban) else "iban_controle"


class IbanHandler(TextInputHandler):
    """An IBAN, stored as "NL91ABNA0417164300", shown as "NL91 ABNA 0417 1643 00"."""

    type_name = "iban"
    default_max_length = 50

    def clean(self, definition: FieldDefinition, raw: str, data: FieldInput) -> Parsed:
        iban = normalise_iban(raw)
        problem = iban_problem(iban)
        if problem is not None:
            return self.error(data.prefix, custom_or(definition.validation.message, problem))
        return Parsed(value=iban)

    def form_state(self, definition: FieldDefinition, value: Any) -> Any:
        return self.display(definition, value, "nl")

    def display(self, definition: FieldDefinition, value: Any, language: str) -> str:
        text = "" if value is None else str(value)
        return " ".join(text[index : index + 4] for index in range(0, len(text), 4))


# Sidecodes as letter (L) / digit (9) shapes with their dash positions, in RDW order.
KENTEKEN_SIDECODES = (
    "LL-99-99", "99-99-LL", "99-LL-99", "LL-99-LL", "LL-LL-99", "99-LL-LL", "99-LLL-9",
    "9-LLL-99", "LL-999-L", "L-999-LL", "LLL-99-L", "L-99-LLL", "9-LL-999", "999-LL-9",
)  # fmt: skip


def _shape(text: str) -> str:
    return "".join("L" if char.isalpha() else "9" for char in text)


def normalise_kenteken(text: str) -> str | None:
    """ "12abc3" → "12-ABC-3"; None when no sidecode fits."""
    bare = re.sub(r"[\s\-]", "", text).upper()
    if not re.fullmatch(r"[A-Z0-9]{6}", bare):
        return None
    shape = _shape(bare)
    for sidecode in KENTEKEN_SIDECODES:
        if sidecode.replace("-", "") == shape:
            first, second = sidecode.index("-"), sidecode.rindex("-") - 1
            return f"{bare[:first]}-{bare[first:second]}-{bare[second:]}"
    return None


class KentekenHandler(TextInputHandler):
    """A Dutch licence plate, stored as "12-ABC-3"."""

    type_name = "kenteken"
    default_max_length = 12

    def clean(self, definition: FieldDefinition, raw: str, data: FieldInput) -> Parsed:
        plate = normalise_kenteken(raw)
        if plate is None:
            return self.error(data.prefix, custom_or(definition.validation.message, "kenteken"))
        return Parsed(value=plate)
