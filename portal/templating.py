"""Jinja2 environment, Dutch/English translations, and rendering of a page or its htmx partial."""

from __future__ import annotations

import gettext as gettext_module
import re
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Undefined,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from markupsafe import Markup

from portal.static_files import static_assets

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PROJECT_ROOT / "templates"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("nl", "en")
LANGUAGE_COOKIE = "mh_taal"
# Undefined variables render as empty text in production pages; templates are written so
# that this never hides a bug, which the template tests check with strict rendering.
_STRICT_TEMPLATES = False

_current_translations: ContextVar[gettext_module.NullTranslations | None] = ContextVar(
    "current_translations", default=None
)
_SOURCE_LANGUAGE = NullTranslations()
_current_language: ContextVar[str] = ContextVar("current_language", default="nl")


@lru_cache(maxsize=len(LANGUAGES))
def translations_for(language: str) -> gettext_module.NullTranslations:
    """Translations compiled in memory from the .po catalogue; Dutch is the source language."""
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == "nl" or not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext_module.GNUTranslations(buffer)


def activate_language(language: str) -> None:
    """Make `language` the one used by templates and `gettext` in this request's context."""
    chosen = language if language in LANGUAGES else "nl"
    _current_language.set(chosen)
    _current_translations.set(translations_for(chosen))


def current_language() -> str:
    return _current_language.get()


def gettext(message: str) -> str:
    """Translate `message` into the request's language."""
    return (_current_translations.get() or _SOURCE_LANGUAGE).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return (_current_translations.get() or _SOURCE_LANGUAGE).ngettext(singular, plural, n)


@pass_context
def _template_gettext(context: Context, message: str, /, **variables: Any) -> str:
    """What `_()` calls in templates: Jinja's newstyle gettext, but a text without variables
    comes from a cache. A page has dozens of those, and Jinja formats each one as Markup
    (`Markup(text) % {}`), which took a quarter of the time of rendering the home page."""
    translations = _current_translations.get() or _SOURCE_LANGUAGE
    if not variables:
        return _text_without_variables(translations, message, context.eval_ctx.autoescape)
    text = translations.gettext(message)
    # Our own catalogue, trusted as Jinja trusts it; the values are escaped by the `%`.
    return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # noqa: S704


@lru_cache(maxsize=8192)
def _text_without_variables(
    translations: gettext_module.NullTranslations, message: str, autoescape: bool
) -> str:
    """`message` translated and formatted as Jinja's newstyle gettext does it: with no values,
    which turns `%%` into `%`. The catalogues do not change while the process runs."""
    text = translations.gettext(message)
    return (Markup(text) if autoescape else text) % {}  # noqa: S704


def language_from_request(request: Request, default: str) -> str:
    """The language the visitor chose (cookie), else the portal default."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    return chosen if chosen in LANGUAGES else default


_ROUTE_PATHS: dict[str, str] = {}
_PATH_PARAMETER = re.compile(r"{(\w+)(?::\w+)?}")


def register_routes(paths: dict[str, str]) -> None:
    """Remember each route's path template by name, for `url_for` in templates."""
    _ROUTE_PATHS.update(paths)


def url_for(name: str, /, **params: Any) -> str:
    """The path of a named route (Starlette's own `url_for` walks every router per call)."""
    template = _ROUTE_PATHS[name]

    def fill(match: re.Match[str]) -> str:
        return quote(str(params[match.group(1)]), safe="")

    return _PATH_PARAMETER.sub(fill, template)


LOCAL_TIME = ZoneInfo("Europe/Amsterdam")


def local_date(moment: datetime) -> str:
    """A stored UTC time as the date in Haren (Europe/Amsterdam), e.g. 28-11-2026."""
    return moment.astimezone(LOCAL_TIME).strftime("%d-%m-%Y")


def local_datetime(moment: datetime) -> str:
    """A stored UTC time as date and time in Haren, e.g. 28-11-2026 14:05."""
    return moment.astimezone(LOCAL_TIME).strftime("%d-%m-%Y %H:%M")


def local_time(moment: datetime) -> str:
    """A stored UTC time as the clock time in Haren, e.g. 09:30."""
    return moment.astimezone(LOCAL_TIME).strftime("%H:%M")


def long_date(day: date | datetime) -> str:
    """A day written out in the page's language: 'donderdag 3 december 2026'."""
    if isinstance(day, datetime):
        day = day.astimezone(LOCAL_TIME).date()
    locale = "en_GB" if current_language() == "en" else "nl_NL"
    return format_date(day, "EEEE d MMMM y", locale=locale)


def local_number(number: int) -> str:
    """A number as readers of the page's language write it: 10.000 in Dutch, 10,000 in English."""
    return format_decimal(number, locale="en_GB" if current_language() == "en" else "nl_NL")


def _static_url(request: Request, path: str) -> str:
    return static_assets().url(path)


def _create_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined if _STRICT_TEMPLATES else Undefined,
    )
    env.install_gettext_callables(gettext=gettext, ngettext=ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["gettext"] = _template_gettext
    env.globals["url_for"] = url_for
    env.filters["datum"] = local_date
    env.filters["datum_tijd"] = local_datetime
    env.filters["getal"] = local_number
    env.filters["tijd"] = local_time
    env.filters["dag"] = long_date
    env.globals["current_language"] = current_language
    env.globals["static_url"] = _static_url
    env.globals["LANGUAGES"] = LANGUAGES
    env.policies["ext.i18n.trimmed"] = True
    return Jinja2Templates(env=env)


templates = _create_templates()


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    partial: str | None = None,
) -> HTMLResponse:
    """Render a page, or only its partial when htmx asked for it."""
    name = partial if partial and is_htmx(request) else template
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)


def render_string(template: str, **context: Any) -> Markup:
    """Render a template outside a request (e-mails, PDFs)."""
    return Markup(templates.env.get_template(template).render(**context))  # noqa: S704


def render_pdf(template: str, **context: Any) -> bytes:
    """Render a template outside a request as a PDF (weasyprint: receipts, summaries)."""
    from weasyprint import HTML  # heavy; only the code paths that make a PDF load it

    return bytes(HTML(string=str(render_string(template, **context))).write_pdf())
