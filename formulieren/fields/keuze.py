"""Choices: `radio`, `keuzelijst` (select), `checkboxes` (several) and `janee` (yes/no).

The value posted must be one of the definition's option values; anything else is refused
(a tampered or stale form). With `options_from` the runner hands these handlers a copy of the
definition whose options come from prefill (`formulieren.options`). Stored as the option value
(a list for `checkboxes`, in option order, without duplicates). `janee` has the fixed options
"ja" and "nee".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from formulieren.fields.base import FieldHandler, FieldInput, InputError, Parsed
from formulieren.messages import custom_or, message, text
from formulieren.text import Text, resolve

if TYPE_CHECKING:
    from formulieren.definitions import FieldDefinition


class _ChoiceHandler(FieldHandler):
    required_message_key = "verplicht_keuze"
    needs_options: ClassVar[bool] = True

    def choices(self, definition: FieldDefinition) -> list[tuple[str, Text]]:
        """The (value, label) pairs a resident can choose from."""
        return [(option.value, option.label) for option in definition.options]

    def parse(self, definition: FieldDefinition, data: FieldInput) -> Parsed:
        raw = data.first(data.prefix)
        if not raw:
            return Parsed(
                errors=(self.required_error(definition, data.prefix),) if data.required else ()
            )
        if raw not in {value for value, _ in self.choices(definition)}:
            return Parsed(
                errors=(
                    InputError(
                        self.anchor(data.prefix), message("keuze_onbekend", label=definition.label)
                    ),
                )
            )
        return Parsed(value=raw)

    def display(self, definition: FieldDefinition, value: Any, language: str) -> str:
        labels = dict(self.choices(definition))
        values = value if isinstance(value, list) else [] if value is None else [value]
        return "\n".join(resolve(labels.get(item, str(item)), language) for item in values)

    def check_definition(self, definition: FieldDefinition) -> list[str]:
        problems = [p for p in super().check_definition(definition) if "options" not in p]
        if self.needs_options and not definition.options and not definition.options_from:
            problems.append("'options' ontbreekt (of 'options_from')")
        if definition.options and definition.options_from:
            problems.append("geef 'options' of 'options_from', niet allebei")
        seen: set[str] = set()
        for option in definition.options:
            if not option.value:
                problems.append("een optie heeft een lege 'value'")
            if option.value in seen:
                problems.append(f"optie '{option.value}' komt twee keer voor")
            seen.add(option.value)
        return problems


class RadioHandler(_ChoiceHandler):
    """One of several options, as radio buttons in a fieldset."""

    type_name = "radio"
    grouped = True


class KeuzelijstHandler(_ChoiceHandler):
    """One of several options, as a select list (for long lists; prefer radio)."""

    type_name = "keuzelijst"


class JaneeHandler(_ChoiceHandler):
    """Yes or no: stored as "ja" or "nee"."""

    type_name = "janee"
    grouped = True
    needs_options = False

    def choices(self, definition: FieldDefinition) -> list[tuple[str, Text]]:
        return [("ja", text("ja")), ("nee", text("nee"))]

    def check_definition(self, definition: FieldDefinition) -> list[str]:
        problems = super().check_definition(definition)
        if definition.options or definition.options_from:
            problems.append("'janee' heeft vaste opties ja en nee; laat 'options' weg")
        return problems


class CheckboxesHandler(_ChoiceHandler):
    """Zero or more options. `min_items`/`max_items` bound how many may be ticked."""

    type_name = "checkboxes"
    grouped = True

    def parse(self, definition: FieldDefinition, data: FieldInput) -> Parsed:
        label = definition.label
        posted = [value for value in data.posted.get(data.prefix, []) if value]
        if not posted:
            return Parsed(
                errors=(self.required_error(definition, data.prefix),) if data.required else ()
            )
        known = [value for value, _ in self.choices(definition)]
        if any(value not in known for value in posted):
            return Parsed(errors=(InputError(data.prefix, message("keuze_onbekend", label=label)),))
        chosen = [value for value in known if value in posted]
        rules = definition.validation
        if definition.min_items is not None and len(chosen) < definition.min_items:
            return Parsed(
                errors=(
                    InputError(
                        data.prefix,
                        custom_or(
                            rules.message, "te_weinig_keuzes", label=label, min=definition.min_items
                        ),
                    ),
                )
            )
        if definition.max_items is not None and len(chosen) > definition.max_items:
            return Parsed(
                errors=(
                    InputError(
                        data.prefix,
                        custom_or(
                            rules.message, "te_veel_keuzes", label=label, max=definition.max_items
                        ),
                    ),
                )
            )
        return Parsed(value=chosen)

    def raw_state(self, definition: FieldDefinition, data: FieldInput) -> Any:
        return [value for value in data.posted.get(data.prefix, []) if value]

    def form_state(self, definition: FieldDefinition, value: Any) -> Any:
        return list(value) if isinstance(value, list) else []

    def hidden_inputs(
        self, definition: FieldDefinition, prefix: str, state: Any
    ) -> list[tuple[str, str]]:
        return [(prefix, str(item)) for item in (state or [])]
