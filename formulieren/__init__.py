"""Formulieren: the form engine of Mijn Haren, a pure library.

It knows nothing of the portal, the database or login: it never imports `portal` or `auth` and
talks to the rest through the ports in `formulieren.ports`. Laid out as the ONS questionnaire
runner is: definitions (the schema), the path finder (`paths`), the runner (`runner`), a
registry of field types (`fields`) and one template per field type.

Definitions (`formulieren.definitions`)
    load_definitions(directory) -> dict[str, FormDefinition]       one `<slug>.toml` per form
    load_definition(path) -> FormDefinition
    FormDefinition, StepDefinition, FieldDefinition, Option, Validation (pydantic, frozen)
    FormDefinitionError        message "verhuizing.toml, stap 'adres', veld 'postcode': ..."
    StepNotFound               unknown or skipped step: answer 404
    Text = str | LocalizedText ({nl, en});  resolve(text, language);  text_resolver(language)

Options from prefill (`formulieren.options`)
    A radio/keuzelijst/checkboxes field may say `options_from = "brp.huisgenoten"` instead of
    `options`: the prefill value is `[{"value": ..., "label": ...}]`. The runner and views use
    those options (other values are refused, the summary shows labels); without them the field
    is skipped. with_prefilled_options(field, prefill) -> FieldDefinition | None

Conditions (`formulieren.conditions`)
    Condition: {field, equals | not_equals | in | is_filled | greater_than | less_than}
               or {all = [...]} / {any = [...]};  evaluate(condition, values) -> bool

Path finder and runner (`formulieren.runner`; `answers` = {step_slug: {field: value}},
`prefill` = {"brp.naam": ...}; every function takes an optional keyword `today`, and the path
functions an optional keyword `prefill` (exact visibility of `options_from` fields; without it
the saved answers decide))
    visible_steps(form, answers) -> list[StepDefinition]
    next_step(form, answers, current) -> StepDefinition | None      None: check answers page
    previous_step(form, answers, current) -> StepDefinition | None  None: start page
    first_incomplete_step(form, answers) -> StepDefinition | None
    is_complete(form, answers) -> bool
    clean_answers(form, answers) -> dict                            hidden values dropped
    initial_values(form, step, prefill, answers=None) -> dict       form state per field
    process_step(form, step_slug, posted, files, prefill, language, *, answers=None)
        -> StepResult(values, errors: list[FieldError(field_id, message, field_name, whole)],
                      form_values, action, accepted_files, file_values, removed_files;
                      ok, error_pairs)
    check_declaration(form, posted, language) -> list[FieldError]
    summary(form, answers, language, *, prefill=None) -> list[SummarySection(step_slug, title,
        rows: list[SummaryRow(field_name, label, display_value, change_anchor)])]

Rendering (`formulieren.views`)
    step_fields(form, step, *, language, prefill, answers, form_values=None, errors=())
        -> list[FieldView]; the step page includes "formulieren/_step_fields.html" with
        `step_fields`, `t` and `language`. "formulieren/_declaration.html" renders the
        declaration checkbox (variables `form`, `t`, `declaration_error`).

Ports (`formulieren.ports`)
    PrefillSource.values(keys) -> Mapping[str, Any];  form.prefill_keys() lists the keys
    UploadedFile(filename, content_type, size, head, ref="", path=None, fileobj=None)
    SubmissionSink.submit(form, answers, *, summary, submission_id) -> reference

Field types (`formulieren.fields`): register(handler), unregister(type), get_handler(type),
field_types(); a handler subclasses `FieldHandler` (parse, raw_state, form_state, display,
hidden_inputs, check_definition, template). The table of types is in `formulieren.fields`.

Conventions for the portal
    * Posted values: Starlette's FormData as it is, or `{name: [values]}` (see
      `normalise_posted`; file objects in it are ignored). Files separately:
      `{name: [UploadedFile, ...]}` with `head` = the first 8 KiB, `fileobj` (or `path`) for
      the whole spooled file, `size` as counted, `ref` = the portal's storage key. An empty
      file part (no name, no bytes: nothing chosen) is ignored.
    * `answers` must be passed to `process_step` and `step_fields` (conditions on earlier
      steps, files uploaded before). Save `result.values` as `answers[step]` only when
      `result.ok`; then go to `next_step(...)` (None: the check page). Before submitting,
      `is_complete` and `clean_answers`; `summary` for the check page and the PDF.
    * Input names: `<field>`; multi-input types `<field>-dag/-maand/-jaar` (datum) and
      `<field>-postcode/-huisnummer/-huisletter/-toevoeging/-straat/-woonplaats` (adres);
      groups `<group>-aantal` and `<group>-<index>-<field>[-part]`. Field names are
      `[a-z][a-z0-9_]*`; `actie`, `csrf_token` and `verklaring` are reserved.
    * Buttons: `name="actie"` with `toevoegen:<group>` or `verwijderen:<group|file field>:<i>`.
      Then `result.action` is set: render the step again with `result.form_values`, no errors.
      The step's own "Doorgaan" button must come first in the form (or be duplicated, visually
      hidden, at the top), because Enter submits with the first submit button.
    * Error summary links: `#<field_error.field_id>`; change links: the step's URL plus
      `#<row.change_anchor>`.
    * Uploads: store `result.accepted_files[field]` (each `.upload`, whose `ref` is in the
      answer), save `result.file_values[field]` into the draft at once (also on errors), and
      delete `result.removed_files`. Virus scanning is the portal's job.
"""

from formulieren.conditions import Condition, evaluate
from formulieren.definitions import (
    FieldDefinition,
    FormDefinition,
    FormDefinitionError,
    Option,
    StepDefinition,
    StepNotFound,
    Validation,
    load_definition,
    load_definitions,
)
from formulieren.ports import PrefillSource, SubmissionSink, UploadedFile
from formulieren.runner import (
    Action,
    FieldError,
    StepResult,
    SummaryRow,
    SummarySection,
    check_declaration,
    clean_answers,
    first_incomplete_step,
    initial_values,
    is_complete,
    next_step,
    previous_step,
    process_step,
    summary,
    visible_steps,
)
from formulieren.text import LocalizedText, Text, resolve, text_resolver
from formulieren.views import FieldView, step_fields

__all__ = [
    "Action",
    "Condition",
    "FieldDefinition",
    "FieldError",
    "FieldView",
    "FormDefinition",
    "FormDefinitionError",
    "LocalizedText",
    "Option",
    "PrefillSource",
    "StepDefinition",
    "StepNotFound",
    "StepResult",
    "SubmissionSink",
    "SummaryRow",
    "SummarySection",
    "Text",
    "UploadedFile",
    "Validation",
    "check_declaration",
    "clean_answers",
    "evaluate",
    "first_incomplete_step",
    "initial_values",
    "is_complete",
    "load_definition",
    "load_definitions",
    "next_step",
    "previous_step",
    "process_step",
    "resolve",
    "step_fields",
    "summary",
    "text_resolver",
    "visible_steps",
]
