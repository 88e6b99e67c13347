"""Conditions: a small declarative language evaluated on the server.

In a definition file a condition is an inline table::

    condition = {field = "nationaliteit", equals = "anders"}
    condition = {field = "aantal", greater_than = 2}
    condition = {field = "geboortedatum", less_than = "-18y"}      # born more than 18 years ago
    condition = {field = "kinderen", is_filled = true}
    condition = {any = [{field = "a", equals = "ja"}, {field = "b", in = ["x", "y"]}]}

Operators (exactly one per condition): `equals`, `not_equals`, `in`, `is_filled`, `greater_than`,
`less_than`, or the combinators `all` / `any` over a list of conditions. Rules:

- A field that is hidden or unanswered has the value None: `equals`, `in`, `greater_than` and
  `less_than` are then false, `not_equals` is true, `is_filled = false` is true.
- On a list value (checkboxes) `equals`/`in` mean "contains"; `not_equals` means "does not contain".
- `greater_than`/`less_than` compare numbers (ints, floats, decimal strings such as "12.50"), or
  dates when the bound is a date, an ISO date or a relative date such as "vandaag" or "-18y" (see
  `formulieren.dates`); the comparison is strict.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from formulieren.dates import is_date_bound, resolve_bound, today

Scalar = bool | int | float | date | str
_OPERATORS = ("equals", "not_equals", "in_", "is_filled", "greater_than", "less_than")
_COMBINATORS = ("all", "any")


class Condition(BaseModel):
    """One condition: `field` plus one operator, or `all`/`any` over other conditions."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    field: str | None = None
    equals: Scalar | None = None
    not_equals: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    is_filled: bool | None = None
    greater_than: Scalar | None = None
    less_than: Scalar | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> Condition:
        given = [name for name in (*_OPERATORS, *_COMBINATORS) if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                "een voorwaarde heeft precies één operator (equals, not_equals, in, is_filled, "
                "greater_than, less_than, all of any)"
            )
        combinator = given[0] in _COMBINATORS
        if combinator and self.field is not None:
            raise ValueError("'all' en 'any' hebben geen 'field'")
        if not combinator and not self.field:
            raise ValueError("een voorwaarde heeft een 'field'")
        if combinator and not getattr(self, given[0]):
            raise ValueError(f"'{given[0]}' heeft minstens één voorwaarde nodig")
        for bound in (self.greater_than, self.less_than):
            if bound is not None and not _is_orderable_bound(bound):
                raise ValueError(f"'{bound}' is geen getal of datum")
        return self

    def fields(self) -> Iterator[str]:
        """The names of all fields this condition reads."""
        if self.field is not None:
            yield self.field
        for child in (self.all or []) + (self.any or []):
            yield from child.fields()


def _is_orderable_bound(bound: Scalar) -> bool:
    if isinstance(bound, bool):
        return False
    return isinstance(bound, int | float) or _as_decimal(bound) is not None or is_date_bound(bound)


def is_filled(value: object) -> bool:
    """Whether a clean value counts as answered (not None, "", [] or {})."""
    return value is not None and value != "" and value != [] and value != {}


def evaluate(
    condition: Condition, values: Mapping[str, Any], *, reference: date | None = None
) -> bool:
    """Whether `condition` holds for `values` (field name → clean value of visible fields)."""
    if condition.all is not None:
        return all(evaluate(child, values, reference=reference) for child in condition.all)
    if condition.any is not None:
        return any(evaluate(child, values, reference=reference) for child in condition.any)
    value = values.get(condition.field or "")
    if condition.is_filled is not None:
        return is_filled(value) == condition.is_filled
    if condition.equals is not None:
        return _matches(value, [condition.equals])
    if condition.not_equals is not None:
        return not _matches(value, [condition.not_equals])
    if condition.in_ is not None:
        return _matches(value, condition.in_)
    if condition.greater_than is not None:
        return _compare(value, condition.greater_than, reference) == 1
    if condition.less_than is not None:
        return _compare(value, condition.less_than, reference) == -1
    return False  # unreachable: the model has exactly one operator


_TRUE = frozenset({"ja", "true", "yes"})
_FALSE = frozenset({"nee", "false", "no"})


def _same(value: object, expected: Scalar) -> bool:
    """Equality with the usual coercions: `true` matches "ja", 3 matches "3.00", dates ISO."""
    if isinstance(expected, bool):
        if isinstance(value, bool):
            return value is expected
        return isinstance(value, str) and value.lower() in (_TRUE if expected else _FALSE)
    if isinstance(value, bool):
        return False
    if isinstance(expected, date):
        return value == expected.isoformat() or value == expected
    if isinstance(expected, int | float) or isinstance(value, int | float):
        number, other = _as_decimal(value), _as_decimal(expected)
        return number is not None and other is not None and number == other
    return value == expected


def _matches(value: object, expected: list[Scalar]) -> bool:
    if value is None:
        return False
    items = value if isinstance(value, list) else [value]
    return any(_same(item, option) for item in items for option in expected)


def _as_decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _compare(value: object, bound: Scalar, reference: date | None) -> int | None:
    """-1, 0 or 1 comparing `value` to `bound`; None when they cannot be compared."""
    if value is None or isinstance(value, bool | list | dict):
        return None
    number, limit = _as_decimal(value), _as_decimal(bound)
    if number is not None and limit is not None:
        return (number > limit) - (number < limit)
    if isinstance(bound, date | str):
        try:
            when = value if isinstance(value, date) else date.fromisoformat(str(value))
            edge = resolve_bound(bound, reference or today())
        except ValueError:
            return None
        return (when > edge) - (when < edge)
    return None
