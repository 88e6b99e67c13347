"""The condition language: each operator, the combinators, and coercions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pydantic
import pytest

from formulieren.conditions import Condition, evaluate

from .conftest import TODAY


def holds(spec: dict[str, Any], values: dict[str, Any]) -> bool:
    return evaluate(Condition.model_validate(spec), values, reference=TODAY)


@pytest.mark.parametrize(
    ("spec", "values", "expected"),
    [
        ({"field": "a", "equals": "ja"}, {"a": "ja"}, True),
        ({"field": "a", "equals": "ja"}, {"a": "nee"}, False),
        ({"field": "a", "equals": "ja"}, {}, False),
        ({"field": "a", "equals": True}, {"a": "ja"}, True),
        ({"field": "a", "equals": False}, {"a": "ja"}, False),
        ({"field": "a", "equals": 3}, {"a": "3.00"}, True),
        ({"field": "a", "equals": 3}, {"a": 3}, True),
        ({"field": "a", "equals": "lift"}, {"a": ["tuin", "lift"]}, True),
        ({"field": "a", "not_equals": "ja"}, {"a": "nee"}, True),
        ({"field": "a", "not_equals": "ja"}, {"a": "ja"}, False),
        ({"field": "a", "not_equals": "ja"}, {}, True),
        ({"field": "a", "not_equals": "lift"}, {"a": ["tuin", "lift"]}, False),
        ({"field": "a", "in": ["x", "y"]}, {"a": "y"}, True),
        ({"field": "a", "in": ["x", "y"]}, {"a": "z"}, False),
        ({"field": "a", "in": ["x", "y"]}, {"a": ["z", "x"]}, True),
        ({"field": "a", "in": ["x"]}, {}, False),
        ({"field": "a", "is_filled": True}, {"a": "x"}, True),
        ({"field": "a", "is_filled": True}, {"a": ""}, False),
        ({"field": "a", "is_filled": True}, {"a": []}, False),
        ({"field": "a", "is_filled": True}, {}, False),
        ({"field": "a", "is_filled": False}, {}, True),
        ({"field": "a", "greater_than": 2}, {"a": 3}, True),
        ({"field": "a", "greater_than": 2}, {"a": 2}, False),
        ({"field": "a", "greater_than": 100}, {"a": "100.50"}, True),
        ({"field": "a", "greater_than": 2}, {}, False),
        ({"field": "a", "greater_than": 2}, {"a": "twee"}, False),
        ({"field": "a", "less_than": 2.5}, {"a": 2}, True),
        ({"field": "a", "less_than": 2}, {"a": 2}, False),
        ({"field": "a", "greater_than": "2024-01-01"}, {"a": "2024-01-02"}, True),
        ({"field": "a", "greater_than": date(2024, 1, 1)}, {"a": "2023-12-31"}, False),
        ({"field": "a", "less_than": "-18y"}, {"a": "2006-06-14"}, True),
        ({"field": "a", "less_than": "-18y"}, {"a": "2006-06-15"}, False),
        ({"field": "a", "greater_than": "vandaag"}, {"a": "2024-06-16"}, True),
    ],
)
def test_operators(spec: dict[str, Any], values: dict[str, Any], expected: bool) -> None:
    assert holds(spec, values) is expected


def test_all_and_any() -> None:
    both = {"all": [{"field": "a", "equals": "ja"}, {"field": "b", "greater_than": 1}]}
    either = {"any": [{"field": "a", "equals": "ja"}, {"field": "b", "greater_than": 1}]}
    assert holds(both, {"a": "ja", "b": 2})
    assert not holds(both, {"a": "ja", "b": 1})
    assert holds(either, {"a": "nee", "b": 2})
    assert not holds(either, {"a": "nee", "b": 0})
    nested = {"any": [both, {"field": "c", "is_filled": True}]}
    assert holds(nested, {"c": "x"})
    assert not holds(nested, {"a": "ja"})


def test_fields_lists_every_referenced_field() -> None:
    condition = Condition.model_validate(
        {
            "all": [
                {"field": "a", "equals": 1},
                {"any": [{"field": "b", "in": [1]}, {"field": "c", "is_filled": True}]},
            ]
        }
    )
    assert list(condition.fields()) == ["a", "b", "c"]


@pytest.mark.parametrize(
    "spec",
    [
        {"field": "a"},
        {"field": "a", "equals": "x", "not_equals": "y"},
        {"equals": "x"},
        {"all": []},
        {"field": "a", "all": [{"field": "b", "equals": 1}]},
        {"field": "a", "greater_than": "morgen"},
        {"field": "a", "gelijk": "x"},
    ],
)
def test_malformed_conditions_are_refused(spec: dict[str, Any]) -> None:
    with pytest.raises(pydantic.ValidationError):
        Condition.model_validate(spec)
