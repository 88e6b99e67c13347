"""The runner: pure functions over a definition, the answers so far and the prefill values.

`answers` is `{step_slug: {field_name: clean value}}` as stored by the portal; `prefill` is
`{prefill key: value}` from the `PrefillSource`. Nothing here keeps state or does I/O.
Navigation (`visible_steps`, `next_step`, ...) lives in `formulieren.paths` and is re-exported
here; this module validates posted steps and builds the check-answers summary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from formulieren import dates
from formulieren.conditions import is_filled
from formulieren.definitions import FieldDefinition, FormDefinition, StepDefinition, StepNotFound
from formulieren.fields import FieldHandler, FieldInput, get_handler
from formulieren.fields.bestand import descriptors
from formulieren.fields.groep import GroepHandler
from formulieren.messages import message, text
from formulieren.options import with_prefilled_options
from formulieren.paths import (
    Answers,
    clean_answers,
    first_incomplete_step,
    is_complete,
    is_required,
    is_visible,
    next_step,
    previous_step,
    values_before,
    visible_steps,
    walk,
)
from formulieren.ports import UploadedFile
from formulieren.text import resolve
from formulieren.uploads import AcceptedFile

__all__ = [
    "Action",
    "FieldError",
    "StepResult",
    "SummaryRow",
    "SummarySection",
    "check_declaration",
    "clean_answers",
    "first_incomplete_step",
    "initial_values",
    "is_complete",
    "locked_value",
    "next_step",
    "normalise_posted",
    "parse_action",
    "previous_step",
    "process_step",
    "summary",
    "visible_steps",
]

Posted = Mapping[str, Sequence[str]]
PostedForm = Mapping[str, Any]
"""What the portal may pass: `{name: [values]}`, or a multi-dict such as Starlette's FormData."""
ACTION_INPUT = "actie"
DECLARATION_INPUT = "verklaring"
_ACTION = re.compile(
    r"^(toevoegen):([a-z][a-z0-9_]*)$|^(verwijderen):([a-z][a-z0-9_]*):([0-9]{1,3})$"
)


@dataclass(frozen=True)
class FieldError:
    """A validation error: `field_id` is the input the error summary links to (`#field_id`)."""

    field_id: str
    message: str
    field_name: str = ""
    whole: bool = False
    """The error is about the whole field (all its parts are marked invalid)."""


@dataclass(frozen=True)
class Action:
    """An "add another" or "remove" button: `actie=toevoegen:<veld>` / `verwijderen:<veld>:<i>`."""

    kind: Literal["toevoegen", "verwijderen"]
    field_name: str
    index: int | None = None


@dataclass
class StepResult:
    """The outcome of posting a step.

    - `values`: clean values of the step's visible fields (None for an empty optional one);
      store them as `answers[step_slug]` when `ok`.
    - `errors`: in page order; `error_pairs` feeds the error summary.
    - `form_values`: what to show when the page is rendered again (errors or an action).
    - `action`: set when an add/remove button was pressed: show the step again, no errors.
    - `accepted_files`: per `bestand` field, the uploads that passed: store them now.
    - `file_values`: per `bestand` field, the descriptor list to save in the draft *now*, even
      when the step has errors or an action, so accepted uploads are not lost.
    - `removed_files`: descriptors removed by a `verwijderen` action: delete them from storage.
    """

    step_slug: str
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)
    form_values: dict[str, Any] = field(default_factory=dict)
    action: Action | None = None
    accepted_files: dict[str, list[AcceptedFile]] = field(default_factory=dict)
    file_values: dict[str, Any] = field(default_factory=dict)
    removed_files: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the answers may be stored and the resident may go on."""
        return not self.errors and self.action is None

    @property
    def error_pairs(self) -> list[tuple[str, str]]:
        """(field_id, message) pairs, as `components/error_summary.html` takes them."""
        return [(error.field_id, error.message) for error in self.errors]


@dataclass(frozen=True)
class SummaryRow:
    """One answer on the check-answers page. `change_anchor` is None for locked prefill."""

    field_name: str
    label: str
    display_value: str
    change_anchor: str | None

    @property
    def lines(self) -> list[str]:
        """The display value split into lines (addresses, lists, files)."""
        return self.display_value.split("\n")


@dataclass(frozen=True)
class SummarySection:
    """The answers of one step; change links go to the step's page plus `#change_anchor`."""

    step_slug: str
    title: str
    rows: list[SummaryRow]


# Prefill -----------------------------------------------------------------------------------
def locked_value(field_def: FieldDefinition, prefill: Mapping[str, Any]) -> tuple[Any, Any] | None:
    """(clean value, form state) of a locked field whose prefill is known, else None.

    A locked field without a prefill value (the source was unavailable) is an ordinary field.
    """
    if not field_def.locked or not field_def.prefill or prefill.get(field_def.prefill) is None:
        return None
    handler = get_handler(field_def.type)
    raw = prefill[field_def.prefill]
    state = handler.form_state(field_def, raw)
    posted: dict[str, list[str]] = {}
    for name, value in handler.hidden_inputs(field_def, "p", state):
        posted.setdefault(name, []).append(value)
    parsed = handler.parse(field_def, FieldInput(prefix="p", posted=posted, required=False))
    clean = parsed.value if parsed.ok and parsed.value is not None else raw
    return clean, handler.form_state(field_def, clean)


def _tampered(
    handler: FieldHandler, field_def: FieldDefinition, state: Any, posted: Posted
) -> bool:
    expected: dict[str, list[str]] = {}
    for name, value in handler.hidden_inputs(field_def, field_def.name, state):
        expected.setdefault(name, []).append(value)
    return any(list(posted.get(name, [])) != values for name, values in expected.items())


def initial_values(
    form: FormDefinition,
    step: StepDefinition,
    prefill: Mapping[str, Any],
    answers: Answers | None = None,
) -> dict[str, Any]:
    """The form state of each field of `step` for a first render: locked prefill, else the
    saved answer, else the (editable) prefill, else empty."""
    saved = (answers or {}).get(step.slug) or {}
    states: dict[str, Any] = {}
    for field_def in step.fields:
        handler = get_handler(field_def.type)
        if not handler.has_value:
            continue
        locked = locked_value(field_def, prefill)
        if locked is not None:
            states[field_def.name] = locked[1]
        elif field_def.name in saved:
            states[field_def.name] = handler.form_state(field_def, saved[field_def.name])
        elif field_def.prefill and prefill.get(field_def.prefill) is not None:
            states[field_def.name] = handler.form_state(field_def, prefill[field_def.prefill])
        else:
            states[field_def.name] = handler.form_state(field_def, None)
    return states


# Posting a step --------------------------------------------------------------------------
def normalise_posted(posted: PostedForm) -> dict[str, list[str]]:
    """`{name: [values]}` with text values only, from a plain mapping of lists or strings, or
    from a multi-dict with `getlist` (Starlette's FormData, Werkzeug's MultiDict). Uploaded
    files in a multi-dict are left out: pass them as `files`."""
    getlist = getattr(posted, "getlist", None)
    result: dict[str, list[str]] = {}
    for key in list(posted.keys()):
        raw = getlist(key) if callable(getlist) else posted[key]
        values = [raw] if isinstance(raw, str) else list(raw)
        result[str(key)] = [value for value in values if isinstance(value, str)]
    return result


def parse_action(posted: Posted) -> Action | None:
    """The add/remove button that was pressed, if any."""
    raw = (posted.get(ACTION_INPUT) or [""])[0]
    match = _ACTION.fullmatch(raw)
    if match is None:
        return None
    if match.group(1):
        return Action("toevoegen", match.group(2))
    return Action("verwijderen", match.group(4), int(match.group(5)))


def process_step(
    form: FormDefinition,
    step_slug: str,
    posted: PostedForm,
    files: Mapping[str, Sequence[UploadedFile]],
    prefill: Mapping[str, Any],
    language: str,
    *,
    answers: Answers | None = None,
    today: date | None = None,
) -> StepResult:
    """Validate a posted step. Only visible fields are read; locked prefill must come back
    unchanged. `answers` (the draft so far) supplies earlier values for conditions and the files
    uploaded before. A field with `options_from` takes its options from `prefill`, and is skipped
    (left out of `values`) when there are none. Raises StepNotFound for an unknown or currently
    skipped step."""
    reference = today or dates.today()
    answers = answers or {}
    posted = normalise_posted(posted)
    step = form.step(step_slug)
    shown = visible_steps(form, answers, today=reference, prefill=prefill)
    if step_slug not in {visible.slug for visible in shown}:
        raise StepNotFound(step_slug)
    context = values_before(form, answers, step_slug, today=reference, prefill=prefill)
    saved = answers.get(step_slug) or {}
    action = _applicable(parse_action(posted), step)
    result = StepResult(step_slug=step_slug, action=action)
    for defined in step.fields:
        handler = get_handler(defined.type)
        if not handler.has_value or not is_visible(defined.condition, context, reference):
            continue
        field_def = with_prefilled_options(defined, prefill)
        if field_def is None:
            continue  # options from prefill, but there are none: the field is skipped
        name = field_def.name
        data = FieldInput(
            prefix=name,
            posted=posted,
            files={} if action else files,
            required=is_required(field_def, context, reference),
            existing=saved.get(name),
            reference=reference,
        )
        locked = locked_value(field_def, prefill)
        if locked is not None:
            clean, state = locked
            if _tampered(handler, field_def, state, posted):
                key = f"vergrendeld_{field_def.prefill_source}"
                result.errors.append(
                    FieldError(handler.anchor(name), message(key).resolve(language), name)
                )
            result.values[name] = context[name] = clean
            result.form_values[name] = state
            continue
        parsed = handler.parse(field_def, data)
        if parsed.ok:
            context[name] = parsed.value
        if action is not None:
            # An add/remove button: keep what was typed, report no errors, save nothing.
            _apply_action(result, field_def, handler, data)
            continue
        result.errors += [
            FieldError(e.input_id, e.message.resolve(language), name, e.whole)
            for e in parsed.errors
        ]
        if parsed.ok:
            result.values[name] = parsed.value
            result.form_values[name] = handler.form_state(field_def, parsed.value)
        else:
            result.form_values[name] = handler.raw_state(field_def, data)
        if field_def.type == "bestand":
            result.file_values[name] = parsed.value
            result.accepted_files[name] = list(parsed.accepted_files)
            result.form_values[name] = descriptors(parsed.value)
    return result


def _applicable(action: Action | None, step: StepDefinition) -> Action | None:
    """The action if it names a group (add/remove) or file field (remove) of this step."""
    if action is None:
        return None
    try:
        target = step.field(action.field_name)
    except KeyError:
        return None
    if target.type == "groep" or (target.type == "bestand" and action.kind == "verwijderen"):
        return action
    return None


def _apply_action(
    result: StepResult, field_def: FieldDefinition, handler: FieldHandler, data: FieldInput
) -> None:
    """Keep what was typed; add or remove the group item or stored file the button names."""
    state = handler.raw_state(field_def, data)
    action = result.action
    targeted = action is not None and action.field_name == field_def.name
    if field_def.type == "groep" and isinstance(handler, GroepHandler):
        if targeted and action is not None and action.kind == "toevoegen":
            state = handler.add_item(field_def, state)
        elif (
            targeted
            and action is not None
            and action.index is not None
            and action.index < len(state)
        ):
            state = [item for i, item in enumerate(state) if i != action.index] or [
                handler.empty_item(field_def)
            ]
    elif field_def.type == "bestand":
        kept = descriptors(data.existing)
        if (
            targeted
            and action is not None
            and action.index is not None
            and action.index < len(kept)
        ):
            result.removed_files.append(kept.pop(action.index))
        result.file_values[field_def.name] = kept or None
        state = kept
    result.form_values[field_def.name] = state


def check_declaration(form: FormDefinition, posted: PostedForm, language: str) -> list[FieldError]:
    """On the check page: the declaration checkbox (`verklaring=ja`) when the form has one."""
    posted = normalise_posted(posted)
    if form.declaration is None or (posted.get(DECLARATION_INPUT) or [""])[0] == "ja":
        return []
    return [
        FieldError(DECLARATION_INPUT, message("verklaring").resolve(language), DECLARATION_INPUT)
    ]


# Check answers ----------------------------------------------------------------------------
def summary(
    form: FormDefinition,
    answers: Answers,
    language: str,
    *,
    prefill: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> list[SummarySection]:
    """The check-answers page: per visible step, one row per visible question, each with its
    own change anchor (the id of the question's first input). Unanswered optional questions
    read "Niet ingevuld"; locked prefilled answers have no change link. Pass `prefill` for the
    labels of options from prefill (without it those answers show their values)."""
    path = walk(form, answers, today or dates.today(), prefill=prefill)
    sections = []
    for step in path.steps:
        stored = path.cleaned.get(step.slug, {})
        rows = []
        for field_def in path.fields[step.slug]:
            handler = get_handler(field_def.type)
            value = stored.get(field_def.name)
            shown = handler.display(field_def, value, language) if is_filled(value) else ""
            locked = field_def.locked and (
                prefill is None or locked_value(field_def, prefill) is not None
            )
            rows.append(
                SummaryRow(
                    field_name=field_def.name,
                    label=resolve(field_def.label, language),
                    display_value=shown or resolve(text("niet_ingevuld"), language),
                    change_anchor=None if locked else handler.anchor(field_def.name),
                )
            )
        if rows:
            sections.append(SummarySection(step.slug, resolve(step.title, language), rows))
    return sections
