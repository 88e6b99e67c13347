"""Form definitions: declarative data in TOML files, validated into pydantic models.

One file per form, `<slug>.toml`, in a directory the portal chooses::

    title = {nl = "Verhuizing doorgeven", en = "Report a move"}
    product = "verhuizing"
    login = "digid"
    minimum_loa = "substantieel"
    prefill_sources = ["brp"]
    declaration = "Ik verklaar dat ik dit formulier naar waarheid heb ingevuld."

    [[steps]]
    slug = "adres"
    title = "Uw nieuwe adres"

    [[steps.fields]]
    name = "nieuw_adres"
    type = "adres"
    label = "Nieuw adres"

    [[steps.fields]]
    name = "wie"
    type = "checkboxes"
    label = "Wie verhuizen er met u mee?"
    options_from = "brp.huisgenoten"     # options from prefill; see `formulieren.options`

`load_definitions(directory)` validates every file (the models below, then the cross-checks in
`formulieren.checks`) and raises `FormDefinitionError` naming the file, step and field.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from formulieren.checks import problems_in
from formulieren.conditions import Condition
from formulieren.text import Text

LoginKind = Literal["geen", "digid", "eherkenning", "digid_of_eherkenning", "optioneel"]
PrefillSourceName = Literal["brp", "kvk"]
DEFAULT_MAX_SIZE = 10 * 1024 * 1024
_SIZE = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*(b|kb|kib|mb|mib)?\s*$", re.IGNORECASE)
_UNITS = {"b": 1, "kb": 1000, "kib": 1024, "mb": 1000**2, "mib": 1024**2}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Model):
    """One answer of a choice field."""

    value: str
    label: Text
    hint: Text | None = None


class Validation(_Model):
    """Rules beyond "required". Which apply depends on the field type.

    `min`/`max`: numbers (getal, bedrag) or date bounds (datum). `min_length`/`max_length`:
    characters (text types). `pattern`: a regular expression the whole text must match (tekst).
    `decimals`: decimal places allowed (getal). `message` replaces the message of a failed rule;
    `required_message` the message for an empty required field.
    """

    min: int | float | date | str | None = None
    max: int | float | date | str | None = None
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)
    pattern: str | None = None
    decimals: int = Field(default=0, ge=0, le=6)
    message: Text | None = None
    required_message: Text | None = None


class FieldDefinition(_Model):
    """One question (or content block). See `formulieren.fields` for the types."""

    name: str
    type: str
    label: Text = ""
    hint: Text | None = None
    required: bool = True
    required_if: Condition | None = None
    condition: Condition | None = None
    options: list[Option] = []
    options_from: str | None = None
    """A prefill key whose value is the options, `[{"value": ..., "label": ...}]` (choice
    fields instead of `options`). Without a value the field is skipped."""
    validation: Validation = Validation()
    prefill: str | None = None
    locked: bool = False
    autocomplete: str | None = None
    fields: list[FieldDefinition] = []
    item_label: Text | None = None
    min_items: int | None = Field(default=None, ge=0)
    max_items: int | None = Field(default=None, ge=1)
    accept: list[str] = []
    max_size: int = DEFAULT_MAX_SIZE
    max_files: int = 1
    content: Text | None = None

    @field_validator("max_size", mode="before")
    @classmethod
    def _size(cls, value: Any) -> Any:
        """Accept "10 MB", "500 KiB" as well as a number of bytes."""
        if isinstance(value, str):
            match = _SIZE.fullmatch(value)
            if not match:
                raise ValueError('schrijf een grootte als 10485760 of "10 MB"')
            number, unit = match.groups()
            return int(float(number.replace(",", ".")) * _UNITS[(unit or "b").lower()])
        return value

    @property
    def prefill_source(self) -> str | None:
        """ "brp" or "kvk" for a prefilled field."""
        return self.prefill.split(".", 1)[0] if self.prefill else None

    @property
    def options_source(self) -> str | None:
        """ "brp" or "kvk" for a field whose options come from prefill."""
        return self.options_from.split(".", 1)[0] if self.options_from else None


class StepDefinition(_Model):
    """A page of questions. Skipped entirely when its `condition` is false."""

    slug: str
    title: Text
    intro: Text | None = None
    fields: list[FieldDefinition] = []
    condition: Condition | None = None

    def field(self, name: str) -> FieldDefinition:
        """The field called `name` on this step. Raises KeyError."""
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(name)


class FormDefinition(_Model):
    """A form: metadata, ordered steps, and what the check and confirmation pages say."""

    slug: str
    title: Text
    product: str
    login: LoginKind
    minimum_loa: str = ""
    intro: Text | None = None
    steps: list[StepDefinition] = Field(min_length=1)
    declaration: Text | None = None
    confirmation: Text | None = None
    prefill_sources: list[PrefillSourceName] = []

    def step(self, slug: str) -> StepDefinition:
        """The step called `slug`. Raises StepNotFound."""
        for candidate in self.steps:
            if candidate.slug == slug:
                return candidate
        raise StepNotFound(slug)

    def iter_fields(self) -> Iterator[tuple[StepDefinition, FieldDefinition]]:
        """Every top-level field with its step, in form order."""
        for step in self.steps:
            for field in step.fields:
                yield step, field

    def field(self, name: str) -> FieldDefinition:
        """The top-level field called `name`. Raises KeyError."""
        for _, field in self.iter_fields():
            if field.name == name:
                return field
        raise KeyError(name)

    def prefill_keys(self) -> list[str]:
        """The prefill keys the form uses (values and options), for `PrefillSource.values`."""
        keys: set[str] = set()
        for _, field in self.iter_fields():
            keys.update(key for key in (field.prefill, field.options_from) if key)
        return sorted(keys)


class StepNotFound(LookupError):
    """The form has no step with this slug (answer 404)."""


class FormDefinitionError(Exception):
    """A definition file is invalid; the message names file, step and field."""

    def __init__(
        self, file: str, message: str, *, step: str | None = None, field: str | None = None
    ):
        self.file, self.step, self.field, self.problem = file, step, field, message
        where = [file]
        if step:
            where.append(f"stap '{step}'")
        if field:
            where.append(f"veld '{field}'")
        super().__init__(f"{', '.join(where)}: {message}")


def load_definition(path: Path) -> FormDefinition:
    """Read and validate one definition file. Raises FormDefinitionError."""
    name = path.name
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise FormDefinitionError(name, f"geen geldige TOML: {exc}") from exc
    raw.setdefault("slug", path.stem)
    if raw["slug"] != path.stem:
        raise FormDefinitionError(
            name, f"slug '{raw['slug']}' moet gelijk zijn aan de bestandsnaam"
        )
    try:
        form = FormDefinition.model_validate(raw)
    except ValidationError as exc:
        raise _located(name, raw, exc) from exc
    for problem in problems_in(form):
        raise FormDefinitionError(name, problem.message, step=problem.step, field=problem.field)
    return form


def load_definitions(directory: Path | str) -> dict[str, FormDefinition]:
    """Every `*.toml` form in `directory`, by slug. Raises FormDefinitionError on a bad one."""
    return {
        form.slug: form for form in map(load_definition, sorted(Path(directory).glob("*.toml")))
    }


def _located(file: str, raw: dict[str, Any], error: ValidationError) -> FormDefinitionError:
    """The first pydantic error, placed at its step and field."""
    first = error.errors()[0]
    loc = list(first["loc"])
    step = field = None
    node: Any = raw
    names: list[str] = []
    while loc and loc[0] in ("steps", "fields") and len(loc) > 1 and isinstance(loc[1], int):
        kind, index = loc[0], int(loc[1])
        items = node.get(kind, []) if isinstance(node, dict) else []
        node = items[index] if index < len(items) else {}
        label = str(node.get("slug" if kind == "steps" else "name", f"#{index + 1}"))
        if kind == "steps":
            step = label
        else:
            names.append(label)
        loc = loc[2:]
    field = ".".join(names) or None
    attribute = ".".join(str(part) for part in loc if not str(part).startswith("function-"))
    if first["type"] == "missing":
        problem = f"'{attribute}' ontbreekt"
    elif first["type"] == "extra_forbidden":
        problem = f"onbekende sleutel '{attribute}'"
    else:
        problem = f"'{attribute}': {first['msg']}" if attribute else str(first["msg"])
    return FormDefinitionError(file, problem, step=step, field=field)
