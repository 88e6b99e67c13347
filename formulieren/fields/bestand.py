"""`bestand`: file uploads, checked on content, name and size; storing is the portal's job.

The posted files arrive in `files[<prefix>]` as `UploadedFile`s (an empty part without a name,
which browsers send when nothing was chosen, is ignored). Files accepted earlier come from the
stored answer (`existing`), never from the form, so a resident cannot point at someone else's
file. The value is a list of descriptors `{"ref", "naam", "type", "grootte"}`.

Definition: `accept` (kinds from `formulieren.uploads.KINDS`; default PDF, JPG, PNG),
`max_size` (bytes, or "10 MB"; default 10 MiB) and `max_files` (default 1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from babel.numbers import format_decimal

from formulieren.fields.base import FieldHandler, FieldInput, InputError, Parsed
from formulieren.messages import message
from formulieren.text import Message
from formulieren.uploads import (
    DEFAULT_ACCEPT,
    KINDS,
    NEVER_ACCEPTED,
    AcceptedFile,
    FileKind,
    ZipRefused,
    detect,
    name_problem,
    printable_name,
    stored_name,
)

if TYPE_CHECKING:
    from formulieren.definitions import FieldDefinition
    from formulieren.ports import UploadedFile

_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def human_size(size: int, language: str = "nl") -> str:
    """ "1,5 MB" / "1.5 MB", "800 kB"."""
    locale = _LOCALES.get(language, "nl_NL")
    if size >= 1024 * 1024:
        return f"{format_decimal(round(size / (1024 * 1024), 1), locale=locale)} MB"
    return f"{format_decimal(max(1, round(size / 1024)), locale=locale)} kB"


def accepted_kinds(definition: FieldDefinition) -> list[FileKind]:
    """The file kinds this field allows."""
    return [KINDS[name] for name in (definition.accept or DEFAULT_ACCEPT) if name in KINDS]


def descriptors(value: Any) -> list[dict[str, Any]]:
    """The stored file descriptors in a value (tolerates None and junk)."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict) and "ref" in item]


class BestandHandler(FieldHandler):
    """One or more uploaded files."""

    type_name = "bestand"
    required_message_key = "verplicht_bestand"

    def parse(self, definition: FieldDefinition, data: FieldInput) -> Parsed:
        existing = descriptors(data.existing)
        uploads = [u for u in data.files.get(data.prefix, []) if u.filename or u.size]
        errors: list[InputError] = []
        accepted: list[AcceptedFile] = []
        for upload in uploads:
            problem = self.check(definition, upload)
            if isinstance(problem, AcceptedFile):
                accepted.append(problem)
            else:
                errors.append(InputError(data.prefix, problem))
        count = len(existing) + len(accepted)
        if count > definition.max_files:
            errors.append(
                InputError(
                    data.prefix,
                    message("bestand_max", label=definition.label, max=definition.max_files),
                )
            )
            accepted = []
        if errors:
            return Parsed(value=existing or None, errors=tuple(errors))
        if count == 0:
            return Parsed(
                errors=(self.required_error(definition, data.prefix),) if data.required else ()
            )
        files = existing + [item.descriptor for item in accepted]
        return Parsed(value=files, accepted_files=tuple(accepted))

    def check(self, definition: FieldDefinition, upload: UploadedFile) -> AcceptedFile | Message:
        """The accepted file, or the message saying why not."""
        name = printable_name(upload.filename)
        problem = name_problem(upload.filename)
        if problem is not None:
            return message(problem, name=name)
        if upload.size <= 0 or not upload.head:
            return message("bestand_leeg", name=name)
        if upload.size > definition.max_size:
            return message("bestand_te_groot", name=name, max=human_size(definition.max_size))
        kinds = accepted_kinds(definition)
        types = ", ".join(kind.label for kind in kinds)
        try:
            found = detect(upload)
        except ZipRefused:
            return message("bestand_zip", name=name)
        if found == "markup":
            return message("bestand_markup", name=name)
        kind = next((kind for kind in kinds if kind.name == found), None)
        if kind is None:
            return message("bestand_type", name=name, types=types)
        return AcceptedFile(upload=upload, kind=kind, name=stored_name(upload.filename, kind))

    def raw_state(self, definition: FieldDefinition, data: FieldInput) -> Any:
        return descriptors(data.existing)

    def form_state(self, definition: FieldDefinition, value: Any) -> Any:
        return descriptors(value)

    def hidden_inputs(
        self, definition: FieldDefinition, prefix: str, state: Any
    ) -> list[tuple[str, str]]:
        return []

    def display(self, definition: FieldDefinition, value: Any, language: str) -> str:
        return "\n".join(
            f"{item.get('naam', '')} ({human_size(int(item.get('grootte') or 0), language)})"
            for item in descriptors(value)
        )

    def check_definition(self, definition: FieldDefinition) -> list[str]:
        problems = super().check_definition(definition)
        for name in definition.accept:
            if name.lower() in NEVER_ACCEPTED:
                problems.append(
                    f"'{name}' is nooit toegestaan (SVG en HTML kunnen scripts bevatten)"
                )
            elif name not in KINDS:
                problems.append(f"onbekend bestandstype '{name}' (bekend: {', '.join(KINDS)})")
        if definition.max_files < 1:
            problems.append("'max_files' moet minstens 1 zijn")
        if definition.max_size < 1:
            problems.append("'max_size' moet groter dan 0 zijn")
        if definition.prefill or definition.locked:
            problems.append("een bestand kan niet vooraf ingevuld worden")
        return problems
