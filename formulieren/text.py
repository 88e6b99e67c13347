"""Texts in Dutch with an optional English version, and error messages built from them.

A `Text` is either a plain `str` (Dutch, used for every language) or a `LocalizedText`
(`{nl = "...", en = "..."}` in a definition file). `resolve` picks the right one for a language,
falling back to Dutch. Error messages are `Message` objects: a `LocalizedText` template with
named parameters (which may themselves be `Text`, such as a field's label), resolved late so the
same validation result can be shown in either language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


class LocalizedText(BaseModel):
    """A text in Dutch and, optionally, English."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    nl: str
    en: str | None = None

    def get(self, language: str) -> str:
        """The text in `language`, or the Dutch text when there is no translation."""
        if language == "en" and self.en:
            return self.en
        return self.nl


Text = str | LocalizedText
"""A definition text: a Dutch string, or `{nl, en}`."""


def resolve(text: Text | Message | None, language: str) -> str:
    """The text for `language` ("" for None); Dutch when there is no translation."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, Message):
        return text.resolve(language)
    return text.get(language)


def text_resolver(language: str) -> Callable[[Text | Message | None], str]:
    """The `t` function handed to the field templates: `t(field.label)`."""

    def t(text: Text | Message | None) -> str:
        return resolve(text, language)

    return t


class _KeepUnknown(dict[str, Any]):
    """Leaves `{unknown}` placeholders as they are instead of failing (author-written texts)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Message:
    """An error message: a key, a bilingual template and parameters, resolved per language.

    Parameters may be plain values or `Text`/`Message` objects (a field's label, a formatted
    date), which are resolved in the same language as the message itself.
    """

    key: str
    template: LocalizedText
    params: Mapping[str, Any] = field(default_factory=dict)

    def resolve(self, language: str) -> str:
        """The message in `language` with its parameters filled in."""
        values = _KeepUnknown()
        for name, value in self.params.items():
            if isinstance(value, str | LocalizedText | Message):
                values[name] = resolve(value, language)
            else:
                values[name] = value
        return self.template.get(language).format_map(values)
