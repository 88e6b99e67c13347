"""Options from prefill: a choice field whose answers depend on who is filling in the form.

A `radio`, `keuzelijst` or `checkboxes` field may name a prefill key instead of listing static
`options`::

    [[steps.fields]]
    name = "wie"
    type = "checkboxes"
    label = "Wie verhuizen er met u mee?"
    options_from = "brp.huisgenoten"

The prefill value is a list of `{"value": ..., "label": ...}` (label a string or `{nl, en}`,
an optional `hint`). The runner and the views work on a copy of the field with those options
(`with_prefilled_options`), so validation refuses any other value and the check-answers page
shows labels. When the prefill has no usable options (the source was unavailable, or the list
is empty) the field is skipped: not shown, not validated, not required.

Whether such a field is visible therefore depends on the prefill. The path functions take an
optional `prefill`; without it (None: unknown) a field with `options_from` on a step that was
already saved counts as visible exactly when the saved answers hold it, which is what
`process_step` decided with the prefill at the time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from formulieren.definitions import FieldDefinition, Option
from formulieren.text import resolve

MAX_OPTIONS = 200
"""More prefilled options than this are cut off (a defence against a runaway source)."""


def prefilled_options(raw: Any) -> list[Option]:
    """The usable options in a prefill value: items without a non-empty text value or a label
    are left out, as are repeated values. Numbers as values become text."""
    if not isinstance(raw, list | tuple):
        return []
    options: list[Option] = []
    seen: set[str] = set()
    for item in raw:
        if not isinstance(item, Mapping):
            continue
        value = item.get("value")
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip() or value in seen:
            continue
        candidate = {"value": value, "label": item.get("label")}
        if item.get("hint"):
            candidate["hint"] = item["hint"]
        try:
            option = Option.model_validate(candidate)
        except ValidationError:
            continue
        if not resolve(option.label, "nl").strip():
            continue
        seen.add(value)
        options.append(option)
        if len(options) == MAX_OPTIONS:
            break
    return options


def with_prefilled_options(
    field_def: FieldDefinition, prefill: Mapping[str, Any]
) -> FieldDefinition | None:
    """The field as the resident sees it: with its options from `prefill` when it has
    `options_from`, None when there are none (skip the field); other fields as they are."""
    if field_def.options_from is None:
        return field_def
    options = prefilled_options(prefill.get(field_def.options_from))
    if not options:
        return None
    return field_def.model_copy(update={"options": options})


def shown_with_options(
    field_def: FieldDefinition,
    prefill: Mapping[str, Any] | None,
    saved: Mapping[str, Any] | None,
) -> bool:
    """Whether a field is shown as far as its prefilled options go. `prefill` None means
    unknown: then the saved answers of the step (None: not saved yet) decide."""
    if field_def.options_from is None:
        return True
    if prefill is not None:
        return with_prefilled_options(field_def, prefill) is not None
    return saved is None or field_def.name in saved


def stale_choice(field_def: FieldDefinition, value: Any) -> bool:
    """Whether a saved answer holds a value that is not among the field's (current) options."""
    if value is None:
        return False
    known = {option.value for option in field_def.options}
    chosen = value if isinstance(value, list) else [value]
    return any(item not in known for item in chosen)
