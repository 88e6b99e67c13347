"""`groep`: a repeating group ("add another"): a list of items, each with the group's fields.

Inputs: `<group>-aantal` (hidden: how many items the page shows) and per item
`<group>-<index>-<field>` (plus the part suffix of multi-input fields, such as
`kinderen-0-geboortedatum-dag`), index from 0. Buttons named `actie` add and remove items:
`toevoegen:<group>` and `verwijderen:<group>:<index>`; the runner applies them (see
`formulieren.runner.process_step`). An item left completely empty is dropped. `min_items`
(default 1 when required, else 0) and `max_items` (default and ceiling `MAX_ITEMS`) bound the
number of items. Fields inside a group have no conditions, prefill or nested groups.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from formulieren.fields.base import FieldHandler, FieldInput, InputError, Parsed, is_ascii_digits
from formulieren.messages import message
from formulieren.text import Message, resolve

if TYPE_CHECKING:
    from collections.abc import Callable

    from formulieren.definitions import FieldDefinition

MAX_ITEMS = 50
"""The most items a group can have (as GOV.UK Forms), whatever the definition says."""


def item_prefix(prefix: str, index: int, name: str) -> str:
    """The input prefix of field `name` in item `index` of the group at `prefix`."""
    return f"{prefix}-{index}-{name}"


def _is_blank(state: Any) -> bool:
    if isinstance(state, dict):
        return all(_is_blank(item) for item in state.values())
    if isinstance(state, list):
        return all(_is_blank(item) for item in state)
    return state in (None, "")


class GroepHandler(FieldHandler):
    """A repeating group of fields; the value is a list of `{field: value}` dicts."""

    type_name = "groep"
    grouped = True

    def __init__(self, lookup: Callable[[str], FieldHandler]) -> None:
        self._lookup = lookup

    def limits(self, definition: FieldDefinition) -> tuple[int, int]:
        """The (minimum, maximum) number of items."""
        low = definition.min_items if definition.min_items is not None else int(definition.required)
        high = min(definition.max_items or MAX_ITEMS, MAX_ITEMS)
        return low, high

    def count(self, data: FieldInput) -> int:
        """How many items the posted page showed."""
        raw = data.first(f"{data.prefix}-aantal")
        number = int(raw) if is_ascii_digits(raw) else 0
        return min(number, MAX_ITEMS)

    def parse(self, definition: FieldDefinition, data: FieldInput) -> Parsed:
        items: list[dict[str, Any]] = []
        errors: list[InputError] = []
        for index in range(self.count(data)):
            if _is_blank(self._item_state(definition, data, index)):
                continue
            item: dict[str, Any] = {}
            for sub in definition.fields:
                handler = self._lookup(sub.type)
                if not handler.has_value:
                    continue
                parsed = handler.parse(
                    sub, data.sub(item_prefix(data.prefix, index, sub.name), required=sub.required)
                )
                errors.extend(parsed.errors)
                item[sub.name] = parsed.value
            items.append(item)
        if errors:
            return Parsed(errors=tuple(errors))
        low, high = self.limits(definition)
        if (not items and data.required) or (items and len(items) < low):
            key = "groep_min" if low > 1 else self.required_message_key
            return Parsed(errors=(InputError(data.prefix, _msg(key, definition, low)),))
        if len(items) > high:
            return Parsed(errors=(InputError(data.prefix, _msg("groep_max", definition, high)),))
        return Parsed(value=items or None)

    def anchor(self, prefix: str) -> str:
        return prefix

    def _item_state(
        self, definition: FieldDefinition, data: FieldInput, index: int
    ) -> dict[str, Any]:
        return {
            sub.name: self._lookup(sub.type).raw_state(
                sub, data.sub(item_prefix(data.prefix, index, sub.name), required=False)
            )
            for sub in definition.fields
            if self._lookup(sub.type).has_value
        }

    def raw_state(self, definition: FieldDefinition, data: FieldInput) -> Any:
        return [self._item_state(definition, data, index) for index in range(self.count(data))]

    def form_state(self, definition: FieldDefinition, value: Any) -> Any:
        items = value if isinstance(value, list) else []
        states = [
            {
                sub.name: self._lookup(sub.type).form_state(
                    sub, item.get(sub.name) if isinstance(item, dict) else None
                )
                for sub in definition.fields
                if self._lookup(sub.type).has_value
            }
            for item in items
        ]
        low, _ = self.limits(definition)
        while len(states) < max(low, 1):
            states.append(self.empty_item(definition))
        return states

    def empty_item(self, definition: FieldDefinition) -> dict[str, Any]:
        """The form state of a new, empty item."""
        return {
            sub.name: self._lookup(sub.type).form_state(sub, None)
            for sub in definition.fields
            if self._lookup(sub.type).has_value
        }

    def add_item(
        self, definition: FieldDefinition, state: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """The state with one more empty item (unless at the maximum)."""
        _, high = self.limits(definition)
        return [*state, self.empty_item(definition)] if len(state) < high else list(state)

    def hidden_inputs(
        self, definition: FieldDefinition, prefix: str, state: Any
    ) -> list[tuple[str, str]]:
        items = state if isinstance(state, list) else []
        pairs = [(f"{prefix}-aantal", str(len(items)))]
        for index, item in enumerate(items):
            for sub in definition.fields:
                handler = self._lookup(sub.type)
                if handler.has_value:
                    pairs += handler.hidden_inputs(
                        sub, item_prefix(prefix, index, sub.name), item.get(sub.name)
                    )
        return pairs

    def display(self, definition: FieldDefinition, value: Any, language: str) -> str:
        lines = []
        for item in value if isinstance(value, list) else []:
            parts = []
            for sub in definition.fields:
                handler = self._lookup(sub.type)
                if (
                    handler.has_value
                    and isinstance(item, dict)
                    and item.get(sub.name) not in (None, "", [])
                ):
                    shown = handler.display(sub, item[sub.name], language).replace("\n", ", ")
                    parts.append(f"{resolve(sub.label, language)}: {shown}")
            lines.append("; ".join(parts))
        return "\n".join(lines)

    def check_definition(self, definition: FieldDefinition) -> list[str]:
        problems = [p for p in super().check_definition(definition) if "fields" not in p]
        if not definition.fields:
            problems.append("een groep heeft 'fields' nodig")
        low, high = self.limits(definition)
        if definition.max_items is not None and definition.max_items > MAX_ITEMS:
            problems.append(f"'max_items' is hoogstens {MAX_ITEMS}")
        if low > high:
            problems.append("'min_items' is groter dan 'max_items'")
        return problems


def _msg(key: str, definition: FieldDefinition, number: int) -> Message:
    if key == "groep_max":
        return message(key, label=definition.label, max=number)
    if key == "groep_min":
        return message(key, label=definition.label, min=number)
    return message(key, label=definition.label)
