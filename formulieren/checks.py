"""Cross-checks on a form definition that the pydantic models cannot express alone.

Unique step slugs and field names, known field types (through the registry, plus each handler's
own `check_definition`), conditions that refer to existing *earlier* fields, unique option
values, well-formed prefill keys (also `options_from`) from a declared source, and a login that
can provide them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from formulieren.fields import UnknownFieldType, get_handler

if TYPE_CHECKING:
    from formulieren.conditions import Condition
    from formulieren.definitions import FieldDefinition, FormDefinition

STEP_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
PREFILL_KEY = re.compile(r"^(brp|kvk)(\.[a-z][a-z0-9_]*)+$")
AUTOCOMPLETE = re.compile(r"^[a-z0-9 -]{1,100}$")
RESERVED_NAMES = frozenset({"actie", "csrf_token", "verklaring"})
_LOGINS_FOR = {
    "brp": {"digid", "digid_of_eherkenning", "optioneel"},
    "kvk": {"eherkenning", "digid_of_eherkenning", "optioneel"},
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition, and where."""

    message: str
    step: str | None = None
    field: str | None = None


def problems_in(form: FormDefinition) -> Iterator[Problem]:
    """Every cross-check problem of `form`, in form order."""
    for source in form.prefill_sources:
        if form.login not in _LOGINS_FOR[source]:
            yield Problem(f"prefill uit '{source}' kan niet met login '{form.login}'")
    slugs: set[str] = set()
    earlier: dict[str, bool] = {}  # field name → has a value
    for step in form.steps:
        if not STEP_SLUG.fullmatch(step.slug):
            yield Problem(
                "een stap-slug bestaat uit kleine letters, cijfers en '-'", step=step.slug
            )
        if step.slug in slugs:
            yield Problem("deze stap-slug komt twee keer voor", step=step.slug)
        slugs.add(step.slug)
        for problem in _condition_problems(step.condition, earlier, "condition"):
            yield Problem(problem, step=step.slug)
        for field in step.fields:
            for problem in _field_problems(form, field, earlier):
                yield Problem(problem, step=step.slug, field=field.name)
            earlier[field.name] = _has_value(field)


def _has_value(field: FieldDefinition) -> bool:
    try:
        return get_handler(field.type).has_value
    except UnknownFieldType:
        return False


def _field_problems(
    form: FormDefinition, field: FieldDefinition, earlier: dict[str, bool]
) -> Iterator[str]:
    yield from _name_problems(field)
    if field.name in earlier:
        yield "deze veldnaam komt al eerder in het formulier voor"
    for attribute in ("condition", "required_if"):
        yield from _condition_problems(getattr(field, attribute), earlier, attribute)
    yield from _prefill_problems(form, field)
    if field.locked and field.prefill is None:
        yield "'locked' kan alleen bij een veld met 'prefill'"
    yield from _type_problems(field)
    if field.type == "groep":
        seen: set[str] = set()
        for sub in field.fields:
            for problem in _sub_problems(sub, seen):
                yield f"'{sub.name}': {problem}"
            seen.add(sub.name)


def _prefill_problems(form: FormDefinition, field: FieldDefinition) -> Iterator[str]:
    if field.prefill is not None:
        if not PREFILL_KEY.fullmatch(field.prefill):
            yield f"ongeldige prefill-sleutel '{field.prefill}' (zoals 'brp.naam' of 'kvk.naam')"
        elif field.prefill_source not in form.prefill_sources:
            yield f"prefill uit '{field.prefill_source}' staat niet in 'prefill_sources'"
    if field.options_from is not None:
        if not PREFILL_KEY.fullmatch(field.options_from):
            yield (
                f"ongeldige options_from-sleutel '{field.options_from}' (zoals 'brp.huisgenoten')"
            )
        elif field.options_source not in form.prefill_sources:
            yield f"options_from uit '{field.options_source}' staat niet in 'prefill_sources'"


def _name_problems(field: FieldDefinition) -> Iterator[str]:
    if not FIELD_NAME.fullmatch(field.name):
        yield "een veldnaam begint met een kleine letter en bevat alleen a-z, 0-9 en '_'"
    if field.name in RESERVED_NAMES:
        yield f"de naam '{field.name}' is gereserveerd"
    if field.autocomplete is not None and not AUTOCOMPLETE.fullmatch(field.autocomplete):
        yield f"ongeldige autocomplete '{field.autocomplete}'"


def _type_problems(field: FieldDefinition) -> Iterator[str]:
    try:
        handler = get_handler(field.type)
    except UnknownFieldType:
        yield f"onbekend veldtype '{field.type}'"
        return
    yield from handler.check_definition(field)


def _sub_problems(sub: FieldDefinition, seen: set[str]) -> Iterator[str]:
    yield from _name_problems(sub)
    if sub.name in seen:
        yield "deze veldnaam komt twee keer voor in de groep"
    if sub.type == "groep":
        yield "een groep kan geen groep bevatten"
    if sub.condition or sub.required_if or sub.prefill or sub.locked:
        yield "velden in een groep hebben geen 'condition', 'required_if', 'prefill' of 'locked'"
    if sub.options_from:
        yield "velden in een groep hebben geen 'options_from'"
    if sub.type == "bestand":
        yield "een groep kan geen bestanden bevatten"
    yield from _type_problems(sub)


def _condition_problems(
    condition: Condition | None, earlier: dict[str, bool], attribute: str
) -> Iterator[str]:
    if condition is None:
        return
    for name in condition.fields():
        if name not in earlier:
            yield f"'{attribute}' verwijst naar '{name}', dat geen eerder veld is"
        elif not earlier[name]:
            yield f"'{attribute}' verwijst naar '{name}', dat geen waarde heeft"
