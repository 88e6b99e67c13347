"""Field types: a registry from type name to handler, one module per family.

Built in (`formulieren.fields.<module>`):

| type | module | value |
|---|---|---|
| tekst, tekstvak, email, telefoon | tekst | str (telefoon in E.164) |
| getal, bedrag | getallen | int, or decimal str ("12.5"); bedrag "1234.56" |
| datum | datum | ISO date str |
| radio, keuzelijst, janee, checkboxes | keuze | option value str; list for checkboxes |
| adres | adres | dict: postcode, huisnummer, huisletter, toevoeging, straat, woonplaats |
| bsn, kvk, iban, kenteken | nummers | normalised str |
| bestand | bestand | list of {ref, naam, type, grootte} |
| groep | groep | list of {field: value} |
| inhoud | inhoud | none (static content) |

A new type is a `FieldHandler` subclass with a `type_name`, registered with `register()`
before definitions are loaded, plus a template `templates/formulieren/fields/<type>.html`.
"""

from __future__ import annotations

from formulieren.fields.adres import AdresHandler
from formulieren.fields.base import FieldHandler, FieldInput, InputError, Parsed
from formulieren.fields.bestand import BestandHandler
from formulieren.fields.datum import DatumHandler
from formulieren.fields.getallen import BedragHandler, GetalHandler
from formulieren.fields.groep import GroepHandler
from formulieren.fields.inhoud import InhoudHandler
from formulieren.fields.keuze import (
    CheckboxesHandler,
    JaneeHandler,
    KeuzelijstHandler,
    RadioHandler,
)
from formulieren.fields.nummers import BsnHandler, IbanHandler, KentekenHandler, KvkHandler
from formulieren.fields.tekst import EmailHandler, TekstHandler, TekstvakHandler, TelefoonHandler

__all__ = [
    "FieldHandler",
    "FieldInput",
    "InputError",
    "Parsed",
    "UnknownFieldType",
    "field_types",
    "get_handler",
    "register",
    "unregister",
]

_REGISTRY: dict[str, FieldHandler] = {}


class UnknownFieldType(LookupError):
    """No handler is registered under this type name."""


def register(handler: FieldHandler, *, replace: bool = False) -> FieldHandler:
    """Register `handler` under its `type_name`; refuses to replace one unless asked."""
    name = handler.type_name
    if not name:
        raise ValueError("a field handler needs a type_name")
    if name in _REGISTRY and not replace:
        raise ValueError(f"field type '{name}' is already registered")
    _REGISTRY[name] = handler
    return handler


def unregister(type_name: str) -> None:
    """Remove a registered type (tests, plug-ins being unloaded)."""
    _REGISTRY.pop(type_name, None)


def get_handler(type_name: str) -> FieldHandler:
    """The handler of `type_name`. Raises UnknownFieldType."""
    try:
        return _REGISTRY[type_name]
    except KeyError:
        raise UnknownFieldType(type_name) from None


def field_types() -> frozenset[str]:
    """The registered type names."""
    return frozenset(_REGISTRY)


for _handler in (
    TekstHandler(),
    TekstvakHandler(),
    EmailHandler(),
    TelefoonHandler(),
    GetalHandler(),
    BedragHandler(),
    DatumHandler(),
    RadioHandler(),
    CheckboxesHandler(),
    KeuzelijstHandler(),
    JaneeHandler(),
    AdresHandler(),
    BsnHandler(),
    KvkHandler(),
    IbanHandler(),
    KentekenHandler(),
    BestandHandler(),
    GroepHandler(get_handler),
    InhoudHandler(),
):
    register(_handler)
