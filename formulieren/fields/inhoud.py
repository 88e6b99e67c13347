"""`inhoud`: a static block of text between questions. No input and no answer.

`content` is plain text; blank lines separate paragraphs. An optional `label` becomes a heading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from formulieren.fields.base import FieldHandler, FieldInput, Parsed

if TYPE_CHECKING:
    from formulieren.definitions import FieldDefinition


class InhoudHandler(FieldHandler):
    """Static content."""

    type_name = "inhoud"
    has_value = False

    def parse(self, definition: FieldDefinition, data: FieldInput) -> Parsed:
        return Parsed()

    def hidden_inputs(
        self, definition: FieldDefinition, prefix: str, state: object
    ) -> list[tuple[str, str]]:
        return []

    def check_definition(self, definition: FieldDefinition) -> list[str]:
        problems = [p for p in super().check_definition(definition) if "label" not in p]
        if definition.content is None:
            problems.append("'content' ontbreekt")
        if definition.prefill or definition.locked or definition.required_if:
            problems.append("inhoud heeft geen waarde: geen 'prefill', 'locked' of 'required_if'")
        return problems
