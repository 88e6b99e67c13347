"""Fixtures for the form engine's unit tests: no app, no database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from formulieren import FieldDefinition, FormDefinition, load_definitions
from formulieren.fields import Parsed, get_handler
from formulieren.fields.base import FieldInput
from formulieren.ports import UploadedFile

DEFINITIONS = Path(__file__).parent / "definities"
TODAY = date(2024, 6, 15)
SUZANNE = {
    "brp.naam": "Suzanne Moulin",
    "brp.bsn": "999993653",
    "brp.geboortedatum": "1985-03-27",
}


@pytest.fixture(autouse=True)
def _clean_database() -> None:
    """These are pure unit tests: they replace the suite's database clean-up with nothing."""


@pytest.fixture(scope="session")
def form() -> FormDefinition:
    return load_definitions(DEFINITIONS)["verhuizing"]


def make_field(type_name: str, **attributes: Any) -> FieldDefinition:
    """A field called "veld" labelled "Veld" of `type_name`."""
    return FieldDefinition.model_validate(
        {"name": "veld", "type": type_name, "label": "Veld", **attributes}
    )


def parse(
    definition: FieldDefinition,
    posted: Mapping[str, str | Sequence[str]],
    *,
    files: Mapping[str, Sequence[UploadedFile]] | None = None,
    required: bool | None = None,
    existing: Any = None,
) -> Parsed:
    """Parse one field's posted values as the runner would."""
    as_lists = {
        key: [value] if isinstance(value, str) else list(value) for key, value in posted.items()
    }
    data = FieldInput(
        prefix=definition.name,
        posted=as_lists,
        files=files or {},
        required=definition.required if required is None else required,
        existing=existing,
        reference=TODAY,
    )
    return get_handler(definition.type).parse(definition, data)


def value_of(type_name: str, raw: str, **attributes: Any) -> Any:
    """The clean value of `raw` typed into a single-input field; fails on errors."""
    parsed = parse(make_field(type_name, **attributes), {"veld": raw})
    assert parsed.errors == (), [e.message.resolve("nl") for e in parsed.errors]
    return parsed.value


def errors_of(
    type_name: str, posted: Mapping[str, str | Sequence[str]], **attributes: Any
) -> list[str]:
    """The Dutch error messages for `posted`."""
    parsed = parse(make_field(type_name, **attributes), posted)
    return [error.message.resolve("nl") for error in parsed.errors]


def error_ids(
    type_name: str, posted: Mapping[str, str | Sequence[str]], **attributes: Any
) -> list[str]:
    parsed = parse(make_field(type_name, **attributes), posted)
    return [error.input_id for error in parsed.errors]
