"""Template context for a step's fields (`templates/formulieren/_step_fields.html`).

`step_fields(...)` returns one `FieldView` per field to render, in order. The step template
includes `formulieren/_step_fields.html` with `step_fields` (that list), `t` (from
`text_resolver(language)`) and `language`; each field template then sees `view`, `field`,
`value`, `error`, `field_id` and `locked`.

Which fields render: static content and fields without a condition always; fields whose
condition only reads earlier *steps* when it holds; fields whose condition reads a field on the
*same* step always (without JavaScript the resident must be able to answer them; the server
ignores them when the condition turns out false). Their wrapper carries
`data-formulieren-toon-als` naming the controlling field, for progressive enhancement. A choice
field with `options_from` renders with the options from `prefill` (`view.field.options`), and
not at all when the prefill has none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as default
from datetime import date
from typing import Any

from formulieren import dates
from formulieren.definitions import FieldDefinition, FormDefinition, StepDefinition
from formulieren.fields import FieldHandler, get_handler
from formulieren.fields.bestand import BestandHandler, accepted_kinds, human_size
from formulieren.fields.groep import GroepHandler, item_prefix
from formulieren.messages import message, text
from formulieren.options import with_prefilled_options
from formulieren.paths import Answers, is_required, is_visible, values_before
from formulieren.runner import FieldError, initial_values, locked_value
from formulieren.text import resolve


@dataclass
class FieldView:
    """Everything one field template needs.

    `field_id` is the input prefix (`name`, or `group-0-name` in a group); `anchor` the id of
    its first input; `error` the first message for this field, `error_parts` the messages per
    input part (`{"maand": "..."}`); `describedby` the ids for `aria-describedby` on the input
    or fieldset; `children` the items of a group, each a list of views.
    """

    field: FieldDefinition
    field_id: str
    anchor: str
    template: str
    value: Any
    error: str | None = None
    error_parts: dict[str, str] = default(default_factory=dict)
    optional: bool = False
    locked: bool = False
    display: str = ""
    provenance: str = ""
    hidden_inputs: list[tuple[str, str]] = default(default_factory=list)
    children: list[list[FieldView]] = default(default_factory=list)
    shown_if: list[str] = default(default_factory=list)
    max_items: int = 0
    accept: str = ""
    file_rules: str = ""

    @property
    def rules_id(self) -> str:
        return f"{self.field_id}-regels"

    @property
    def hint_id(self) -> str:
        return f"{self.field_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.field_id}-error"

    @property
    def describedby(self) -> str:
        """ "<id>-hint <id>-error", whichever apply ("" for none)."""
        ids = []
        if self.field.hint:
            ids.append(self.hint_id)
        if self.file_rules:
            ids.append(self.rules_id)
        if self.error:
            ids.append(self.error_id)
        return " ".join(ids)

    def part_invalid(self, part: str) -> bool:
        """Whether input `part` should carry aria-invalid (all parts for a whole-field error)."""
        return bool(self.error) and (not self.error_parts or part in self.error_parts)


def _errors_for(prefix: str, errors: Sequence[FieldError], *, exact: bool) -> list[FieldError]:
    return [
        e
        for e in errors
        if e.field_id == prefix or (not exact and e.field_id.startswith(prefix + "-"))
    ]


def _view(
    definition: FieldDefinition,
    handler: FieldHandler,
    prefix: str,
    state: Any,
    errors: Sequence[FieldError],
    *,
    optional: bool,
    language: str,
) -> FieldView:
    grouped = isinstance(handler, GroepHandler)
    own = _errors_for(prefix, errors, exact=grouped)
    view = FieldView(
        field=definition,
        field_id=prefix,
        anchor=handler.anchor(prefix),
        template=handler.template,
        value=state,
        error=own[0].message if own else None,
        error_parts={
            e.field_id[len(prefix) + 1 :]: e.message
            for e in own
            if e.field_id != prefix and not e.whole
        },
        optional=optional,
    )
    if isinstance(handler, BestandHandler):
        kinds = accepted_kinds(definition)
        view.accept = ",".join(
            [kind.content_type for kind in kinds]
            + [f".{extension}" for kind in kinds for extension in kind.extensions]
        )
        view.file_rules = resolve(
            message(
                "bestand_regels",
                types=", ".join(kind.label for kind in kinds),
                max=human_size(definition.max_size, language),
                count=definition.max_files,
            ),
            language,
        )
    if isinstance(handler, GroepHandler):
        view.max_items = handler.limits(definition)[1]
        items = state if isinstance(state, list) else []
        for index, item in enumerate(items):
            row = []
            for sub in definition.fields:
                sub_handler = get_handler(sub.type)
                sub_state = item.get(sub.name) if isinstance(item, dict) else None
                if sub_state is None:
                    sub_state = sub_handler.form_state(sub, None)
                row.append(
                    _view(
                        sub,
                        sub_handler,
                        item_prefix(prefix, index, sub.name),
                        sub_state,
                        errors,
                        optional=not sub.required,
                        language=language,
                    )
                )
            view.children.append(row)
    return view


def step_fields(
    form: FormDefinition,
    step: StepDefinition,
    *,
    language: str,
    prefill: Mapping[str, Any] | None = None,
    answers: Answers | None = None,
    form_values: Mapping[str, Any] | None = None,
    errors: Sequence[FieldError] = (),
    today: date | None = None,
) -> list[FieldView]:
    """The views of the fields to render on `step`.

    First render: leave `form_values` out (saved answers and prefill are used). After a post with
    errors or an action: pass `result.form_values` and `result.errors`.
    """
    reference = today or dates.today()
    prefill = prefill or {}
    answers = answers or {}
    states = dict(initial_values(form, step, prefill, answers))
    states.update(form_values or {})
    context = values_before(form, answers, step.slug, today=reference, prefill=prefill)
    context.update(answers.get(step.slug) or {})
    on_step = {candidate.name for candidate in step.fields}
    views = []
    for defined in step.fields:
        handler = get_handler(defined.type)
        definition = with_prefilled_options(defined, prefill)
        if definition is None:
            continue  # options from prefill, but there are none
        same_step = [
            name
            for name in (definition.condition.fields() if definition.condition else [])
            if name in on_step
        ]
        if not same_step and not is_visible(definition.condition, context, reference):
            continue
        required = definition.required_if is not None or is_required(definition, context, reference)
        view = _view(
            definition,
            handler,
            definition.name,
            states.get(definition.name),
            errors,
            optional=not required,
            language=language,
        )
        view.shown_if = same_step
        locked = locked_value(definition, prefill)
        if locked is not None:
            view.locked = True
            view.value = locked[1]
            view.display = handler.display(definition, locked[0], language)
            view.provenance = resolve(text(f"herkomst_{definition.prefill_source}"), language)
            view.hidden_inputs = handler.hidden_inputs(definition, definition.name, locked[1])
        views.append(view)
    return views
