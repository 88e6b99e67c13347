"""Request-side helpers for the resident's case pages: finding the case, who acts, and what the
case page shows (with the state of a form that needs correcting)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from auth.identity import Identity
from formulieren.fields.base import has_control_characters
from formulieren.fields.bestand import human_size
from portal.prestaties import service as prestaties_service
from portal.templating import current_language, gettext, render
from portal.zaken import service, uploads, zaaktypen
from portal.zaken.handling import Actor
from portal.zaken.models import Zaak

ANSWER_MAX = 4000
MESSAGE_MAX = 4000
REASON_MAX = 1000
# Form fields may carry more than is allowed, so the resident gets a message instead of an
# error page; the database never sees more than the maximum.
POSTED_TEXT_LIMIT = 20_000


def now() -> datetime:
    return datetime.now(UTC)


def zaak_or_404(db: Session, identity: Identity, reference: str) -> Zaak:
    """The case if it is this person's (or company branch's); anything else is a 404."""
    try:
        return service.get_zaak_for(db, identity=identity, reference=reference)
    except service.ZaakNotFound as missing:
        raise HTTPException(status_code=404) from missing


def resident_actor(request: Request, identity: Identity, zaak: Zaak) -> Actor:
    """The resident (or the company's employee) acting on their own case."""
    shown = getattr(request.state, "display_name", None) or zaak.initiator_name or "inwoner"
    return Actor(subject=identity.subject, name=str(shown)[:100], role="inwoner")


def result_name(code: str | None) -> str:
    result = zaaktypen.RESULTS.get(code or "")
    if result is None:
        return code or ""
    return result.name_en if current_language() == "en" else result.name


def source_label(source: str) -> str:
    labels = {
        "aanvraag": gettext("Uw aanvraag"),
        "inwoner": gettext("Door u gestuurd"),
        "besluit": gettext("Besluit"),
        "medewerker": gettext("Brief van de gemeente"),
    }
    return labels.get(source, source)


def notice_text(key: str) -> str:
    """The success message after a form on the case page was sent."""
    notices = {
        "antwoord": gettext("Uw antwoord is verstuurd. Wij gaan verder met uw zaak."),
        "bericht": gettext("Uw bericht is verstuurd."),
        "ingetrokken": gettext("Uw aanvraag is ingetrokken."),
    }
    return notices.get(key, "")


def stale_message() -> str:
    return gettext(
        "Deze zaak is intussen gewijzigd. Bekijk de nieuwe stand en probeer het opnieuw."
    )


def answered_message() -> str:
    return gettext("Op deze vraag hebben wij al een antwoord. U hoeft niets meer te doen.")


def cancelled_message() -> str:
    return gettext("Deze vraag is vervallen. U hoeft er niets meer mee te doen.")


def closed_message() -> str:
    return gettext("Deze zaak is afgehandeld. U kunt er niets meer aan veranderen.")


def text_problem(text: str, *, label: str, maximum: int, required: bool) -> str | None:
    """What is wrong with a typed text, or None."""
    if required and not text.strip():
        return gettext("Vul ‘%(label)s’ in") % {"label": label}
    if len(text) > maximum:
        return gettext("‘%(label)s’ mag maximaal %(max)s tekens hebben") % {
            "label": label,
            "max": maximum,
        }
    if has_control_characters(text, allow_newlines=True):
        return gettext("‘%(label)s’ bevat tekens die niet zijn toegestaan") % {"label": label}
    return None


def typed_text(posted: str) -> str:
    """Posted text with the browser's line endings made plain newlines."""
    return posted.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class FormState:
    """What the resident typed and what was wrong with it, to show the page again."""

    errors: list[tuple[str, str]] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    problem: str = ""  # the case changed or closed meanwhile

    def add(self, field_id: str, message: str) -> None:
        self.errors.append((field_id, message))

    @property
    def field_errors(self) -> dict[str, str]:
        """The first message per field, shown above the field."""
        first: dict[str, str] = {}
        for field_id, message in self.errors:
            first.setdefault(field_id, message)
        return first


def render_detail(
    request: Request,
    db: Session,
    zaak: Zaak,
    *,
    state: FormState | None = None,
    notice: str = "",
    status_code: int = 200,
    feedback: Any = None,
) -> HTMLResponse:
    """The case page: dates, timeline, action needed, documents, messages, result (and, on a
    closed case, the feedback box: `feedback`, see portal/prestaties/feedback.py)."""
    assert zaak.id is not None
    state = state or FormState()
    language = current_language()
    context: dict[str, Any] = {
        "zaak": zaak,
        "steps": service.timeline(db, zaak, language=language),
        "requests": service.open_requests(db, zaak_id=zaak.id),
        "documents": service.list_documents(db, zaak_id=zaak.id),
        "messages": service.list_messages(db, zaak_id=zaak.id),
        "result_name": result_name(zaak.result),
        "source_label": source_label,
        "human_size": lambda size: human_size(size, language),
        "accept": uploads.ACCEPT_ATTRIBUTE,
        "max_files": uploads.MAX_FILES,
        "state": state,
        "field_errors": state.field_errors,
        "has_errors": bool(state.errors),
        "notice": notice,
        "answer_max": ANSWER_MAX,
        "message_max": MESSAGE_MAX,
        "feedback": feedback,
        "norm_result": prestaties_service.last_month_result(
            db, product=zaak.zaaktype, today=service.local_date(now())
        ),
    }
    return render(request, "zaken/detail.html", context, status_code=status_code)


def render_withdraw(
    request: Request, zaak: Zaak, *, state: FormState | None = None, status_code: int = 200
) -> HTMLResponse:
    """The page that asks the resident to confirm withdrawing, and why."""
    state = state or FormState()
    context = {
        "zaak": zaak,
        "state": state,
        "field_errors": state.field_errors,
        "has_errors": bool(state.errors),
        "reason_max": REASON_MAX,
    }
    return render(request, "zaken/intrekken.html", context, status_code=status_code)
