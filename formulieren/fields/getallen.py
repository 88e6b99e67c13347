"""Numbers: `getal` (whole or decimal) and `bedrag` (an amount in euros)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar

from babel.numbers import format_currency, format_decimal

from formulieren.fields.base import FieldInput, Parsed, TextInputHandler, is_ascii_digits
from formulieren.messages import custom_or

if TYPE_CHECKING:
    from formulieren.definitions import FieldDefinition

_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
_GROUPED_DOT = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+$")
_GROUPED_COMMA = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+$")


def parse_number(text: str) -> Decimal | None:
    """A number as residents write it, Dutch first: "1.234,56", "1234,5", "-3", "12.50".

    A comma is the decimal separator ("1,234" is 1.234). Dots alone group thousands when every
    group has three digits ("1.234" is 1234) and are a decimal point otherwise ("12.5"). With
    both, the last one is the decimal separator ("1,234.56" also works). Spaces are ignored.
    """
    compact = re.sub(r"[\s\u00a0\u202f_]", "", text)
    sign = ""
    if compact[:1] in {"+", "-"}:
        sign, compact = ("-" if compact[0] == "-" else ""), compact[1:]
    if not compact or not re.fullmatch(r"[0-9.,]+", compact):
        return None
    whole, decimals = compact, ""
    if "," in compact and "." in compact:
        point = max(compact.rfind(","), compact.rfind("."))
        whole, decimals = compact[:point], compact[point + 1 :]
        separator = "." if compact[point] == "," else ","
        grouped = _GROUPED_DOT if separator == "." else _GROUPED_COMMA
        if not grouped.fullmatch(whole):
            return None
        whole = whole.replace(separator, "")
    elif "," in compact:
        whole, _, decimals = compact.partition(",")
    elif "." in compact:
        if _GROUPED_DOT.fullmatch(compact):
            whole = compact.replace(".", "")
        else:
            whole, _, decimals = compact.partition(".")
    if (whole and not is_ascii_digits(whole)) or (decimals and not is_ascii_digits(decimals)):
        return None
    if not whole + decimals:
        return None
    try:
        return Decimal(f"{sign}{whole or '0'}.{decimals or '0'}")
    except InvalidOperation:  # pragma: no cover - the checks above leave only digits
        return None


def _bound(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


class _NumberHandler(TextInputHandler):
    """Shared min/max checking for numbers and amounts."""

    default_max_length: ClassVar[int] = 40

    def check_range(
        self, definition: FieldDefinition, number: Decimal, prefix: str
    ) -> Parsed | None:
        rules = definition.validation
        low, high = _bound(rules.min), _bound(rules.max)
        if low is not None and number < low:
            return self.error(
                prefix,
                custom_or(rules.message, "minimum", label=definition.label, min=self.show(low)),
            )
        if high is not None and number > high:
            return self.error(
                prefix,
                custom_or(rules.message, "maximum", label=definition.label, max=self.show(high)),
            )
        return None

    def show(self, number: Decimal) -> str:
        return format_decimal(number, locale="nl_NL")

    def check_definition(self, definition: FieldDefinition) -> list[str]:
        problems = super().check_definition(definition)
        rules = definition.validation
        for name in ("min", "max"):
            value = getattr(rules, name)
            if value is not None and _bound(value) is None:
                problems.append(f"'{name}' moet een getal zijn")
        low, high = _bound(rules.min), _bound(rules.max)
        if low is not None and high is not None and low > high:
            problems.append("'min' is groter dan 'max'")
        return problems


class GetalHandler(_NumberHandler):
    """A number. Whole unless `validation.decimals` > 0; stored as int, or as a decimal string."""

    type_name = "getal"

    def clean(self, definition: FieldDefinition, raw: str, data: FieldInput) -> Parsed:
        label, rules = definition.label, definition.validation
        number = parse_number(raw)
        if number is None:
            key = "heel_getal" if rules.decimals == 0 else "getal"
            return self.error(data.prefix, custom_or(rules.message, key, label=label))
        exponent = number.normalize().as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if places > rules.decimals:
            if rules.decimals == 0:
                return self.error(data.prefix, custom_or(rules.message, "heel_getal", label=label))
            return self.error(
                data.prefix,
                custom_or(rules.message, "decimalen", label=label, decimals=rules.decimals),
            )
        out_of_range = self.check_range(definition, number, data.prefix)
        if out_of_range is not None:
            return out_of_range
        if rules.decimals == 0:
            return Parsed(value=int(number))
        return Parsed(value=str(number.quantize(Decimal(1).scaleb(-rules.decimals))))

    def form_state(self, definition: FieldDefinition, value: Any) -> Any:
        return "" if value is None else str(value).replace(".", ",")

    def display(self, definition: FieldDefinition, value: Any, language: str) -> str:
        number = _bound(value)
        if number is None:
            return ""
        return format_decimal(number, locale=_LOCALES.get(language, "nl_NL"))


class BedragHandler(_NumberHandler):
    """An amount in euros: "12,50", "€ 1.234,56", "1234.5", "12,-". Stored as "1234.56".

    Not negative unless `validation.min` is below zero; at most two decimals.
    """

    type_name = "bedrag"

    def clean(self, definition: FieldDefinition, raw: str, data: FieldInput) -> Parsed:
        label, rules = definition.label, definition.validation
        text = re.sub(r"^(?:€|eur(?:o)?)\s*|\s*(?:€|eur(?:o)?)$", "", raw.strip(), flags=re.I)
        text = re.sub(r"[,.]-{1,2}$", "", text)
        number = parse_number(text)
        if number is None:
            return self.error(data.prefix, custom_or(rules.message, "bedrag", label=label))
        if number != number.quantize(Decimal("0.01")):
            return self.error(data.prefix, custom_or(rules.message, "bedrag_centen", label=label))
        low = _bound(rules.min)
        if low is None and number < 0:
            return self.error(
                data.prefix, custom_or(rules.message, "minimum", label=label, min="€ 0")
            )
        out_of_range = self.check_range(definition, number, data.prefix)
        if out_of_range is not None:
            return out_of_range
        return Parsed(value=str(number.quantize(Decimal("0.01"))))

    def show(self, number: Decimal) -> str:
        return format_currency(number, "EUR", locale="nl_NL")

    def form_state(self, definition: FieldDefinition, value: Any) -> Any:
        number = _bound(value)
        return "" if number is None else format_decimal(number, format="#,##0.00", locale="nl_NL")

    def display(self, definition: FieldDefinition, value: Any, language: str) -> str:
        number = _bound(value)
        if number is None:
            return ""
        return format_currency(number, "EUR", locale=_LOCALES.get(language, "nl_NL"))
