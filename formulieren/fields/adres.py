"""`adres`: a Dutch address in six inputs.

Inputs `<prefix>-postcode`, `-huisnummer`, `-huisletter`, `-toevoeging`, `-straat`,
`-woonplaats`. Postcode "9751AN"/"9751 an" is stored as "9751 AN"; huisnummer 1–99999 as an
int; huisletter one letter (upper case); toevoeging up to 4 letters or digits. Street and place
are required text. Every wrong part gets its own error, pointing at its own input.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from formulieren.fields.base import (
    FieldHandler,
    FieldInput,
    InputError,
    Parsed,
    has_control_characters,
    is_ascii_digits,
)
from formulieren.messages import message
from formulieren.text import LocalizedText, Message

if TYPE_CHECKING:
    from formulieren.definitions import FieldDefinition

PARTS = ("postcode", "huisnummer", "huisletter", "toevoeging", "straat", "woonplaats")
POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")
_TOEVOEGING = re.compile(r"^[A-Za-z0-9]{1,4}$")
_NAME_MAX = 80
_LABELS = {
    "straat": LocalizedText(nl="Straat", en="Street"),
    "woonplaats": LocalizedText(nl="Woonplaats", en="Town or city"),
}


def normalise_postcode(text: str) -> str | None:
    """ "9751an" → "9751 AN"; None when it is not a Dutch postcode."""
    compact = text.strip()
    if not POSTCODE.fullmatch(compact):
        return None
    compact = compact.replace(" ", "").upper()
    return f"{compact[:4]} {compact[4:]}"


def part_problems(raw: dict[str, str]) -> list[tuple[str, Message]]:
    """(part, message) for every part of a posted address that is missing or wrong."""
    problems: list[tuple[str, Message]] = []
    if not raw["postcode"]:
        problems.append(("postcode", message("postcode_leeg")))
    elif normalise_postcode(raw["postcode"]) is None:
        problems.append(("postcode", message("postcode")))
    number = raw["huisnummer"]
    if not number:
        problems.append(("huisnummer", message("huisnummer_leeg")))
    elif not is_ascii_digits(number) or not 1 <= int(number) <= 99999:
        problems.append(("huisnummer", message("huisnummer")))
    letter = raw["huisletter"]
    if letter and not (len(letter) == 1 and letter.isascii() and letter.isalpha()):
        problems.append(("huisletter", message("huisletter")))
    if raw["toevoeging"] and not _TOEVOEGING.fullmatch(raw["toevoeging"]):
        problems.append(("toevoeging", message("toevoeging")))
    for part in ("straat", "woonplaats"):
        if not raw[part]:
            problems.append((part, message(f"{part}_leeg")))
        elif len(raw[part]) > _NAME_MAX or has_control_characters(raw[part]):
            problems.append((part, message("ongeldige_tekens", label=_LABELS[part])))
    return problems


class AdresHandler(FieldHandler):
    """A Dutch address; the value is a dict with the six parts."""

    type_name = "adres"
    grouped = True
    parts = PARTS

    def parse(self, definition: FieldDefinition, data: FieldInput) -> Parsed:
        raw = {part: data.first(f"{data.prefix}-{part}").strip() for part in PARTS}
        if not any(raw.values()):
            return Parsed(
                errors=(self.required_error(definition, data.prefix),) if data.required else ()
            )
        errors = tuple(
            InputError(f"{data.prefix}-{part}", problem) for part, problem in part_problems(raw)
        )
        if errors:
            return Parsed(errors=errors)
        return Parsed(
            value={
                "postcode": normalise_postcode(raw["postcode"]),
                "huisnummer": int(raw["huisnummer"]),
                "huisletter": raw["huisletter"].upper(),
                "toevoeging": raw["toevoeging"],
                "straat": raw["straat"],
                "woonplaats": raw["woonplaats"],
            }
        )

    def display(self, definition: FieldDefinition, value: Any, language: str) -> str:
        if not isinstance(value, dict):
            return ""
        number = f"{value.get('huisnummer', '')}{value.get('huisletter') or ''}"
        if value.get("toevoeging"):
            number += f"-{value['toevoeging']}"
        first = f"{value.get('straat', '')} {number}".strip()
        second = f"{value.get('postcode', '')} {value.get('woonplaats', '')}".strip()
        return "\n".join(line for line in (first, second) if line)
