"""The path finder: which steps and fields are visible, and where the resident goes next.

Visibility: a step is visible when its `condition` holds, a field when its step is visible and
its own `condition` holds, both evaluated on the values of visible *earlier* fields (the loader
refuses conditions on later fields). Values of hidden fields are never validated, never
returned, and dropped by `clean_answers`.

A choice field with `options_from` is also hidden when the prefill has no options for it (see
`formulieren.options`). Every function here takes an optional `prefill`: pass it where it is
known for an exact answer; without it such a field on a saved step is visible when the saved
answers hold it.

`answers` is `{step_slug: {field_name: clean value}}` as the portal stores it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from formulieren import dates
from formulieren.conditions import Condition, evaluate, is_filled
from formulieren.definitions import FieldDefinition, FormDefinition, StepDefinition, StepNotFound
from formulieren.fields import get_handler
from formulieren.options import shown_with_options, stale_choice, with_prefilled_options

Answers = Mapping[str, Mapping[str, Any]]
Prefill = Mapping[str, Any] | None


def is_visible(condition: Condition | None, values: Mapping[str, Any], reference: date) -> bool:
    """Whether something with this condition is shown."""
    return condition is None or evaluate(condition, values, reference=reference)


def is_required(field_def: FieldDefinition, values: Mapping[str, Any], reference: date) -> bool:
    """`required_if` when given (it overrides `required`), else `required`."""
    if field_def.required_if is not None:
        return evaluate(field_def.required_if, values, reference=reference)
    return field_def.required


@dataclass
class Walk:
    steps: list[StepDefinition] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    cleaned: dict[str, dict[str, Any]] = field(default_factory=dict)
    fields: dict[str, list[FieldDefinition]] = field(default_factory=dict)


def walk(
    form: FormDefinition,
    answers: Answers,
    reference: date,
    *,
    until: str | None = None,
    prefill: Prefill = None,
) -> Walk:
    """Visible steps and fields, flat values of visible fields, answers without hidden values.

    Conditions only refer to earlier fields (checked at load), so evaluating them in form order
    on the values collected so far gives every later lookup the same result. With `prefill`,
    fields with `options_from` come with their options.
    """
    path = Walk()
    for step in form.steps:
        if step.slug == until:
            break
        if not is_visible(step.condition, path.values, reference):
            continue
        path.steps.append(step)
        stored = answers.get(step.slug) or {}
        kept: dict[str, Any] = {}
        shown: list[FieldDefinition] = []
        for field_def in step.fields:
            if not get_handler(field_def.type).has_value:
                continue
            if not is_visible(field_def.condition, path.values, reference):
                continue
            if not shown_with_options(field_def, prefill, stored if step.slug in answers else None):
                continue
            if prefill is not None and field_def.options_from is not None:
                field_def = with_prefilled_options(field_def, prefill) or field_def
            shown.append(field_def)
            if field_def.name in stored:
                kept[field_def.name] = path.values[field_def.name] = stored[field_def.name]
        path.fields[step.slug] = shown
        if step.slug in answers:
            path.cleaned[step.slug] = kept
    return path


def visible_steps(
    form: FormDefinition, answers: Answers, *, today: date | None = None, prefill: Prefill = None
) -> list[StepDefinition]:
    """The steps the resident will see, given the answers so far."""
    return walk(form, answers, today or dates.today(), prefill=prefill).steps


def values_before(
    form: FormDefinition,
    answers: Answers,
    step_slug: str,
    *,
    today: date | None = None,
    prefill: Prefill = None,
) -> dict[str, Any]:
    """Flat values of the visible fields on the visible steps before `step_slug`."""
    return walk(form, answers, today or dates.today(), until=step_slug, prefill=prefill).values


def clean_answers(
    form: FormDefinition, answers: Answers, *, today: date | None = None, prefill: Prefill = None
) -> dict[str, dict[str, Any]]:
    """The answers without values of fields or steps that are now hidden (after a change)."""
    return walk(form, answers, today or dates.today(), prefill=prefill).cleaned


def _neighbour(
    form: FormDefinition,
    answers: Answers,
    current: str,
    step: int,
    today: date | None,
    prefill: Prefill,
) -> StepDefinition | None:
    visible = {s.slug for s in visible_steps(form, answers, today=today, prefill=prefill)}
    order = [s.slug for s in form.steps]
    if current not in order:
        raise StepNotFound(current)
    index = order.index(current) + step
    while 0 <= index < len(order):
        if order[index] in visible:
            return form.steps[index]
        index += step
    return None


def next_step(
    form: FormDefinition,
    answers: Answers,
    current: str,
    *,
    today: date | None = None,
    prefill: Prefill = None,
) -> StepDefinition | None:
    """The visible step after `current`; None means: go to the check-answers page."""
    return _neighbour(form, answers, current, 1, today, prefill)


def previous_step(
    form: FormDefinition,
    answers: Answers,
    current: str,
    *,
    today: date | None = None,
    prefill: Prefill = None,
) -> StepDefinition | None:
    """The visible step before `current`; None means: back to the form's start page."""
    return _neighbour(form, answers, current, -1, today, prefill)


def first_incomplete_step(
    form: FormDefinition, answers: Answers, *, today: date | None = None, prefill: Prefill = None
) -> StepDefinition | None:
    """The first visible step not yet saved or missing a required answer; None when complete.
    With `prefill`, a saved choice no longer among its prefilled options also reopens the step."""
    reference = today or dates.today()
    path = walk(form, answers, reference, prefill=prefill)
    for step in path.steps:
        if step.slug not in answers:
            return step
        for field_def in path.fields[step.slug]:
            value = path.values.get(field_def.name)
            required = is_required(field_def, path.values, reference)
            if required and not is_filled(value):
                return step
            if prefill is not None and field_def.options_from and stale_choice(field_def, value):
                return step
    return None


def is_complete(
    form: FormDefinition, answers: Answers, *, today: date | None = None, prefill: Prefill = None
) -> bool:
    """Whether every visible step is saved with all its required answers."""
    return first_incomplete_step(form, answers, today=today, prefill=prefill) is None
