"""`datum`: a date in three inputs, day, month and year, as the GOV.UK date pattern does.

Inputs `<prefix>-dag`, `<prefix>-maand`, `<prefix>-jaar`; the month may also be a Dutch or
English month name ("feb", "maart"). Stored as an ISO date ("2024-02-29"). `validation.min` and
`validation.max` are date bounds (see `formulieren.dates`: "vandaag", "-18y", "2024-01-01"),
inclusive. Errors name the part that is wrong and point at its input.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from babel.dates import format_date

from formulieren.dates import is_date_bound, resolve_bound
from formulieren.fields.base import FieldHandler, FieldInput, InputError, Parsed, is_ascii_digits
from formulieren.messages import custom_or, message
from formulieren.text import LocalizedText

if TYPE_CHECKING:
    from formulieren.definitions import FieldDefinition

PARTS = ("dag", "maand", "jaar")
_PART_NAMES = {
    "dag": LocalizedText(nl="dag", en="day"),
    "maand": LocalizedText(nl="maand", en="month"),
    "jaar": LocalizedText(nl="jaar", en="year"),
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "januari", "january"),
            ("feb", "februari", "february"),
            ("mrt", "maa", "maart", "mar", "march"),
            ("apr", "april"),
            ("mei", "may"),
            ("jun", "juni", "june"),
            ("jul", "juli", "july"),
            ("aug", "augustus", "august"),
            ("sep", "sept", "september"),
            ("okt", "oktober", "oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def _number(text: str, *, months: bool = False) -> int | None:
    if is_ascii_digits(text):
        return int(text)
    if months:
        return _MONTHS.get(text.lower().rstrip("."))
    return None


def _joined(parts: list[str]) -> LocalizedText:
    nl = [_PART_NAMES[part].nl for part in parts]
    en = [_PART_NAMES[part].en or "" for part in parts]
    return LocalizedText(nl=" en een ".join(nl), en=" and a ".join(en))


def format_long(value: date, language: str) -> str:
    """ "29 februari 2024" / "29 February 2024"."""
    return format_date(value, format="long", locale=_LOCALES.get(language, "nl_NL"))


class DatumHandler(FieldHandler):
    """A real calendar date from three inputs; optional inclusive `min`/`max` bounds."""

    type_name = "datum"
    grouped = True
    parts = PARTS

    def parse(self, definition: FieldDefinition, data: FieldInput) -> Parsed:
        label = definition.label
        raw = {part: data.first(f"{data.prefix}-{part}").strip() for part in PARTS}
        missing = [part for part in PARTS if not raw[part]]
        if len(missing) == len(PARTS):
            return Parsed(
                errors=(self.required_error(definition, data.prefix),) if data.required else ()
            )
        if missing:
            return self._error(
                data.prefix,
                missing[0],
                message("datum_ontbreekt", label=label, parts=_joined(missing)),
            )
        day, month, year = (
            _number(raw["dag"]),
            _number(raw["maand"], months=True),
            _number(raw["jaar"]),
        )
        if day is None or not 1 <= day <= 31:
            return self._error(data.prefix, "dag", message("datum_echt", label=label))
        if month is None or not 1 <= month <= 12:
            return self._error(data.prefix, "maand", message("datum_echt", label=label))
        if year is None or len(raw["jaar"]) != 4 or year < 1:
            return self._error(data.prefix, "jaar", message("datum_jaar", label=label))
        try:
            value = date(year, month, day)
        except ValueError:
            return self._error(data.prefix, "dag", message("datum_echt", label=label))
        rules = definition.validation
        if rules.min is not None:
            low = resolve_bound(_as_bound(rules.min), data.reference)
            if value < low:
                return self._error(
                    data.prefix,
                    "dag",
                    custom_or(rules.message, "datum_na", label=label, date=_both(low)),
                    whole=True,
                )
        if rules.max is not None:
            high = resolve_bound(_as_bound(rules.max), data.reference)
            if value > high:
                return self._error(
                    data.prefix,
                    "dag",
                    custom_or(rules.message, "datum_voor", label=label, date=_both(high)),
                    whole=True,
                )
        return Parsed(value=value.isoformat())

    def _error(self, prefix: str, part: str, msg: Any, *, whole: bool = False) -> Parsed:
        return Parsed(errors=(InputError(f"{prefix}-{part}", msg, whole=whole),))

    def form_state(self, definition: FieldDefinition, value: Any) -> Any:
        parsed = _iso(value)
        if parsed is None:
            return dict.fromkeys(PARTS, "")
        return {"dag": str(parsed.day), "maand": str(parsed.month), "jaar": str(parsed.year)}

    def display(self, definition: FieldDefinition, value: Any, language: str) -> str:
        parsed = _iso(value)
        return "" if parsed is None else format_long(parsed, language)

    def check_definition(self, definition: FieldDefinition) -> list[str]:
        problems = super().check_definition(definition)
        for name in ("min", "max"):
            bound = getattr(definition.validation, name)
            if bound is not None and not is_date_bound(bound):
                problems.append(
                    f'\'{name}\' is geen datum (bijvoorbeeld "vandaag", "-18y" of "2024-01-01")'
                )
        return problems


def _as_bound(value: Any) -> str | date:
    return value if isinstance(value, date) else str(value)


def _both(value: date) -> LocalizedText:
    return LocalizedText(nl=format_long(value, "nl"), en=format_long(value, "en"))


def _iso(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
