"""The contract every field type implements, and the base classes most of them share.

A handler turns the posted form values of one field into a clean, JSON-serialisable value or
errors, turns a clean value back into the "form state" its template shows, and formats a value
for the check-answers page and the PDF. Handlers hold no state: one instance serves every field
of its type, and everything about the field comes from its `FieldDefinition`.

Input naming: a field's inputs are named after its *prefix*, which is the field name at the top
level and `<group>-<index>-<name>` inside a repeating group. Single-input types post
`<prefix>`; multi-input types post `<prefix>-<part>` (`-dag`, `-postcode`, ...).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from formulieren.dates import today
from formulieren.messages import custom_or, message
from formulieren.text import Message

if TYPE_CHECKING:
    from formulieren.definitions import FieldDefinition
    from formulieren.ports import UploadedFile
    from formulieren.uploads import AcceptedFile

TEXT_MAX_LENGTH = 500
"""Longest short-text answer unless the definition says otherwise."""


@dataclass(frozen=True)
class InputError:
    """A validation error, tied to the input (`input_id`) the error summary links to.

    `whole` marks an error about the field as a whole (empty, out of range) rather than about
    the one part `input_id` names; templates then mark every part of the field invalid.
    """

    input_id: str
    message: Message
    whole: bool = False


@dataclass(frozen=True)
class Parsed:
    """What a handler made of one field's posted values.

    `value` is None when the field was left empty (and the empty answer was allowed, or an error
    says it was not). `accepted_files` lists the uploads of a `bestand` field that passed.
    """

    value: Any = None
    errors: tuple[InputError, ...] = ()
    accepted_files: tuple[AcceptedFile, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class FieldInput:
    """Everything a handler may read while parsing one field."""

    prefix: str
    posted: Mapping[str, Sequence[str]]
    files: Mapping[str, Sequence[UploadedFile]] = field(default_factory=dict)
    required: bool = True
    existing: Any = None
    reference: date = field(default_factory=today)

    def first(self, name: str) -> str:
        """The first posted value of input `name`, or ""."""
        values = self.posted.get(name) or []
        return values[0] if values else ""

    def sub(self, prefix: str, *, required: bool, existing: Any = None) -> FieldInput:
        """The same input for a nested field (inside a repeating group)."""
        return FieldInput(
            prefix=prefix,
            posted=self.posted,
            files=self.files,
            required=required,
            existing=existing,
            reference=self.reference,
        )


def is_ascii_digits(text: str) -> bool:
    """Only 0-9 (str.isdigit also accepts "²" and other scripts' digits, which int() refuses)."""
    return text.isascii() and text.isdigit()


def has_control_characters(text: str, *, allow_newlines: bool = False) -> bool:
    """Whether `text` holds NUL, other control characters or bidirectional overrides."""
    for char in text:
        if allow_newlines and char in "\n\t":
            continue
        if unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS:
            return True
    return False


BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


class FieldHandler:
    """Base class of all field types. Subclasses set `type_name` and override what differs."""

    type_name: ClassVar[str] = ""
    has_value: ClassVar[bool] = True
    """False for static content (`inhoud`): no input, no answer, no summary row."""
    grouped: ClassVar[bool] = False
    """True when the template is a fieldset with a legend rather than one label."""
    parts: ClassVar[tuple[str, ...]] = ()
    """Input name suffixes of a multi-input type, in page order (empty for one input)."""

    @property
    def template(self) -> str:
        """The include template that renders this type."""
        return f"formulieren/fields/{self.type_name}.html"

    def anchor(self, prefix: str) -> str:
        """The id of the first input: target of error-summary and change links."""
        return f"{prefix}-{self.parts[0]}" if self.parts else prefix

    # Parsing -----------------------------------------------------------------------------
    def parse(self, definition: FieldDefinition, data: FieldInput) -> Parsed:
        """The clean value of this field's posted inputs, or errors."""
        raise NotImplementedError

    def raw_state(self, definition: FieldDefinition, data: FieldInput) -> Any:
        """What the resident typed, for showing the page again after an error."""
        if self.parts:
            return {part: data.first(f"{data.prefix}-{part}") for part in self.parts}
        return data.first(data.prefix)

    def form_state(self, definition: FieldDefinition, value: Any) -> Any:
        """The template's `value` for a clean value (None: an empty form)."""
        if self.parts:
            source = value if isinstance(value, Mapping) else {}
            return {part: _as_text(source.get(part)) for part in self.parts}
        return _as_text(value)

    def hidden_inputs(
        self, definition: FieldDefinition, prefix: str, state: Any
    ) -> list[tuple[str, str]]:
        """The (name, value) pairs that carry a locked, prefilled value through the form."""
        if self.parts:
            source = state if isinstance(state, Mapping) else {}
            return [(f"{prefix}-{part}", _as_text(source.get(part))) for part in self.parts]
        return [(prefix, _as_text(state))]

    # Showing -----------------------------------------------------------------------------
    def display(self, definition: FieldDefinition, value: Any, language: str) -> str:
        """The value as text for the check-answers page and the PDF ("" when empty)."""
        return "" if value is None else str(value)

    # Definitions -------------------------------------------------------------------------
    def check_definition(self, definition: FieldDefinition) -> list[str]:
        """Problems with a field definition of this type, in Dutch (empty: fine)."""
        problems = []
        if definition.options:
            problems.append("dit veldtype heeft geen 'options'")
        if definition.options_from:
            problems.append("alleen radio, keuzelijst en checkboxes kunnen 'options_from' hebben")
        if definition.fields:
            problems.append("alleen een 'groep' heeft 'fields'")
        if not definition.label:
            problems.append("'label' ontbreekt")
        return problems

    # Helpers -----------------------------------------------------------------------------
    def required_error(self, definition: FieldDefinition, prefix: str) -> InputError:
        """The error for an empty required field."""
        return InputError(
            self.anchor(prefix),
            custom_or(
                definition.validation.required_message,
                self.required_message_key,
                label=definition.label,
            ),
            whole=True,
        )

    required_message_key: ClassVar[str] = "verplicht"


class TextInputHandler(FieldHandler):
    """One text input: strip, refuse control characters, check length, then `clean`."""

    allow_newlines: ClassVar[bool] = False
    default_max_length: ClassVar[int] = TEXT_MAX_LENGTH

    def parse(self, definition: FieldDefinition, data: FieldInput) -> Parsed:
        raw = data.first(data.prefix).replace("\r\n", "\n").strip()
        if not raw:
            return Parsed(
                errors=(self.required_error(definition, data.prefix),) if data.required else ()
            )
        label = definition.label
        rules = definition.validation
        if has_control_characters(raw, allow_newlines=self.allow_newlines):
            return self.error(data.prefix, message("ongeldige_tekens", label=label))
        max_length = rules.max_length or self.default_max_length
        if len(raw) > max_length:
            return self.error(
                data.prefix, custom_or(rules.message, "te_lang", label=label, max=max_length)
            )
        if rules.min_length is not None and len(raw) < rules.min_length:
            return self.error(
                data.prefix, custom_or(rules.message, "te_kort", label=label, min=rules.min_length)
            )
        return self.clean(definition, raw, data)

    def clean(self, definition: FieldDefinition, raw: str, data: FieldInput) -> Parsed:
        """The value of non-empty, stripped input `raw`."""
        return Parsed(value=raw)

    def error(self, prefix: str, msg: Message) -> Parsed:
        return Parsed(errors=(InputError(prefix, msg),))


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)
