"""Text-like fields: `tekst`, `tekstvak`, `email` and `telefoon`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from formulieren.fields.base import FieldInput, Parsed, TextInputHandler
from formulieren.messages import custom_or

if TYPE_CHECKING:
    from formulieren.definitions import FieldDefinition


class TekstHandler(TextInputHandler):
    """Short text. Accepts any printable text up to `max_length` (500), optional `pattern`."""

    type_name = "tekst"

    def clean(self, definition: FieldDefinition, raw: str, data: FieldInput) -> Parsed:
        pattern = definition.validation.pattern
        if pattern and not re.fullmatch(pattern, raw):
            return self.error(
                data.prefix,
                custom_or(definition.validation.message, "patroon", label=definition.label),
            )
        return Parsed(value=raw)

    def check_definition(self, definition: FieldDefinition) -> list[str]:
        problems = super().check_definition(definition)
        if definition.validation.pattern:
            try:
                re.compile(definition.validation.pattern)
            except re.error as exc:
                problems.append(f"ongeldig patroon: {exc}")
        return problems


class TekstvakHandler(TekstHandler):
    """Long text with line breaks, up to `max_length` (10,000) characters."""

    type_name = "tekstvak"
    allow_newlines: ClassVar[bool] = True
    default_max_length: ClassVar[int] = 10_000


_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$"
)


def normalise_email(raw: str) -> str | None:
    """The address with its domain in lower case, or None when it is not an e-mail address."""
    if len(raw) > 254 or not _EMAIL.fullmatch(raw) or ".." in raw:
        return None
    local, domain = raw.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


class EmailHandler(TextInputHandler):
    """An e-mail address `naam@domein.tld`; the domain is stored in lower case."""

    type_name = "email"
    default_max_length: ClassVar[int] = 254

    def clean(self, definition: FieldDefinition, raw: str, data: FieldInput) -> Parsed:
        address = normalise_email(raw)
        if address is None:
            return self.error(data.prefix, custom_or(definition.validation.message, "email"))
        return Parsed(value=address)


_PHONE_NOISE = re.compile(r"[\s\-.()/]")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_NL_SIGNIFICANT = re.compile(r"^(?:[1-9][0-9]{8}|(?:800|900|906|909)[0-9]{4,7})$")


def normalise_phone(raw: str) -> str | None:
    """A phone number in E.164 ("+31612345678"), or None when it is not one.

    Accepts Dutch numbers written nationally (06 12345678, 050-1234567, 0800 1234) or with
    +31/0031 (also "+31 (0)6 ..."), and international numbers with + or 00.
    """
    text = re.sub(r"^\s*(\+|00)\s*31\s*\(\s*0\s*\)", "+31", raw)
    text = _PHONE_NOISE.sub("", text)
    if text.startswith("00"):
        text = "+" + text[2:]
    if text.startswith("+"):
        if not _E164.fullmatch(text):
            return None
        if text.startswith("+31") and not _NL_SIGNIFICANT.fullmatch(text[3:]):
            return None
        return text
    if text.startswith("0") and _NL_SIGNIFICANT.fullmatch(text[1:]):
        return "+31" + text[1:]
    return None


class TelefoonHandler(TextInputHandler):
    """A phone number, Dutch or international, stored in E.164 ("+31612345678")."""

    type_name = "telefoon"
    default_max_length: ClassVar[int] = 30

    def clean(self, definition: FieldDefinition, raw: str, data: FieldInput) -> Parsed:
        number = normalise_phone(raw)
        if number is None:
            return self.error(data.prefix, custom_or(definition.validation.message, "telefoon"))
        return Parsed(value=number)

    def form_state(self, definition: FieldDefinition, value: Any) -> Any:
        return self.display(definition, value, "nl")

    def display(self, definition: FieldDefinition, value: Any, language: str) -> str:
        """Dutch numbers nationally ("06 12345678", "050 1234567"), others as stored."""
        if not isinstance(value, str) or not value:
            return ""
        if value.startswith("+31"):
            significant = value[3:]
            if significant.startswith("6"):
                return f"06 {significant[1:]}"
            return f"0{significant}"
        return value
