"""`_()` in templates gives what Jinja's own newstyle gettext gives, in either language, with
the texts without variables served from a cache."""

from __future__ import annotations

import contextvars

import jinja2.ext
import pytest
from markupsafe import Markup

from portal import templating

SOURCE = (
    '{{ _("Naar de inhoud") }}|{{ _("100%% online") }}|'
    '{{ _("Als u niets doet, wordt u om %(time)s uitgelogd.", time=moment) }}|'
    "{% trans %}Naar de inhoud{% endtrans %}"
)


def rendered(language: str, gettext: object, *, autoescape: bool) -> str:
    """SOURCE rendered in `language` with `gettext` as the template's gettext."""
    environment = templating.templates.env.overlay(autoescape=autoescape)
    environment.globals["gettext"] = gettext

    def render() -> str:
        templating.activate_language(language)
        template = environment.from_string(SOURCE)
        return template.render(moment=Markup("<strong>12.00</strong>"))

    return contextvars.copy_context().run(render)


@pytest.mark.parametrize("autoescape", [True, False])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_same_text_as_jinjas_gettext(language: str, autoescape: bool) -> None:
    jinja = jinja2.ext._make_new_gettext(templating.gettext)  # type: ignore[attr-defined]
    expected = rendered(language, jinja, autoescape=autoescape)
    assert rendered(language, templating._template_gettext, autoescape=autoescape) == expected
    # Again, now from the cache.
    assert rendered(language, templating._template_gettext, autoescape=autoescape) == expected


def test_each_language_has_its_own_cached_text() -> None:
    dutch = rendered("nl", templating._template_gettext, autoescape=True)
    english = rendered("en", templating._template_gettext, autoescape=True)
    assert dutch.startswith("Naar de inhoud|100% online|Als u niets doet")
    assert english.startswith("Skip to main content|100% online|")
    assert english.endswith("|Skip to main content")


def test_values_are_escaped_and_markup_is_kept() -> None:
    environment = templating.templates.env
    template = environment.from_string('{{ _("Welkom %(name)s", name=name) }}')
    assert template.render(name="<b>Anna</b>") == "Welkom &lt;b&gt;Anna&lt;/b&gt;"
    assert template.render(name=Markup("<b>Anna</b>")) == "Welkom <b>Anna</b>"
