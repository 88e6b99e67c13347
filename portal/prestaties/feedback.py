"""The resident's answer to 'how did we do?': once per closed case (on the case page, #reactie)
and once per attended appointment. Only the owner may answer; anyone else gets a 404, the same
as for a missing case or appointment. The figures only show counts and averages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from auth.identity import Identity
from portal.afspraken import service as afspraken_service
from portal.afspraken import web as afspraken_web
from portal.afspraken.models import Appointment
from portal.database import SessionDep
from portal.prestaties import reacties, service
from portal.prestaties.models import Feedback
from portal.security import CustomerAccess
from portal.templating import gettext, render, url_for
from portal.zaken import web as zaken_web
from portal.zaken.models import Zaak
from portal.zaken.web import FormState

router = APIRouter()

SCORE_FIELD = "tevredenheid"
COMMENT_FIELD = "toelichting"
SHARE_FIELD = "delen"

Choice = Annotated[str, Form(max_length=20)]
PostedText = Annotated[str, Form(max_length=zaken_web.POSTED_TEXT_LIMIT)]


def score_labels() -> list[tuple[str, str]]:
    """The 1-5 scale, each with words (a number alone says little)."""
    return [
        ("5", gettext("5 - Zeer tevreden")),
        ("4", gettext("4 - Tevreden")),
        ("3", gettext("3 - Neutraal")),
        ("2", gettext("2 - Ontevreden")),
        ("1", gettext("1 - Zeer ontevreden")),
    ]


def already_message() -> str:
    return gettext("U heeft al gereageerd. Dank u wel; uw eerste reactie blijft bewaard.")


@dataclass
class FeedbackBox:
    """What the feedback part of a page shows: the form (with what was typed and what was
    wrong), or the thank-you once the answer is in."""

    action: str
    question: str
    given: Feedback | None = None
    open_for_feedback: bool = True
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    thanks: bool = False  # just answered (after the redirect)

    @property
    def items(self) -> list[tuple[str, str, None]]:
        """The radio buttons: (value, label, hint)."""
        return [(value, label, None) for value, label in score_labels()]

    @property
    def given_label(self) -> str:
        scores = dict(score_labels())
        return scores.get(str(self.given.score), "") if self.given else ""

    @property
    def comment_max(self) -> int:
        return reacties.FEEDBACK_COMMENT_MAX


@dataclass
class Answer:
    score: int
    comment: str
    share_identity: bool


def read_answer(score: str, comment: str, share: str) -> tuple[Answer | None, FormState]:
    """The posted answer, or the problems with it (a tampered value gets a message too)."""
    text = zaken_web.typed_text(comment)
    state = FormState(values={SCORE_FIELD: score, COMMENT_FIELD: text, SHARE_FIELD: share})
    if not score.strip():
        state.add(SCORE_FIELD, gettext("Kies hoe tevreden u bent, van 1 tot en met 5"))
    elif score.strip() not in {"1", "2", "3", "4", "5"}:
        state.add(
            SCORE_FIELD,
            gettext(
                "Kies een van de antwoorden: van 1 (zeer ontevreden) tot en met 5 (zeer tevreden)"
            ),
        )
    problem = zaken_web.text_problem(
        text, label=gettext("Toelichting"), maximum=reacties.FEEDBACK_COMMENT_MAX, required=False
    )
    if problem:
        state.add(COMMENT_FIELD, problem)
    if share not in ("", "ja"):
        state.add(SHARE_FIELD, gettext("Vink het vakje aan of laat het leeg"))
    if state.errors:
        return None, state
    return Answer(int(score.strip()), text.strip(), share == "ja"), state


def _box_with(box: FeedbackBox, state: FormState) -> FeedbackBox:
    box.errors = state.field_errors
    box.values = state.values
    return box


# --- cases -------------------------------------------------------------------------------


def case_box(db: Session, zaak: Zaak, *, thanks: bool = False) -> FeedbackBox:
    """The feedback box of the case page (only shown when the case is closed)."""
    assert zaak.id is not None
    return FeedbackBox(
        action=url_for("prestaties:case_feedback", reference=zaak.reference),
        question=gettext("Hoe tevreden bent u over hoe wij uw aanvraag hebben afgehandeld?"),
        given=reacties.feedback_for(db, subject_kind="zaak", subject_id=zaak.id),
        open_for_feedback=zaak.closed_at is not None,
        thanks=thanks,
    )


@router.post("/mijn/zaken/{reference}/reactie", name="prestaties:case_feedback")
def case_feedback(
    request: Request,
    reference: str,
    identity: CustomerAccess,
    db: SessionDep,
    tevredenheid: Choice = "",
    toelichting: PostedText = "",
    delen: Choice = "",
) -> Response:
    """The resident's one answer about a closed case: a score of 1-5 and an optional comment."""
    zaak = zaken_web.zaak_or_404(db, identity, reference)
    assert zaak.id is not None
    box = case_box(db, zaak)
    if zaak.closed_at is None:
        state = FormState(problem=gettext("U kunt reageren als wij uw zaak hebben afgehandeld."))
        return zaken_web.render_detail(request, db, zaak, state=state, status_code=409)
    if box.given is not None:
        state = FormState(problem=already_message())
        return zaken_web.render_detail(
            request, db, zaak, state=state, feedback=box, status_code=409
        )
    answer, state = read_answer(tevredenheid, toelichting, delen)
    if answer is None:
        return zaken_web.render_detail(
            request, db, zaak, state=state, feedback=_box_with(box, state), status_code=422
        )
    try:
        reacties.give_feedback(
            db,
            subject_kind="zaak",
            subject_id=zaak.id,
            product=zaak.zaaktype,
            month=reacties.case_feedback_month(zaak),
            score=answer.score,
            comment=answer.comment,
            share_identity=answer.share_identity,
            owner_bsn=identity.bsn,
            owner_kvk=identity.kvk,
            now=zaken_web.now(),
        )
    except reacties.FeedbackExists:
        state = FormState(problem=already_message())
        return zaken_web.render_detail(
            request, db, zaak, state=state, feedback=case_box(db, zaak), status_code=409
        )
    detail = url_for("zaken:detail", reference=zaak.reference)
    return RedirectResponse(f"{detail}?melding=reactie#reactie", status_code=303)


# --- appointments ------------------------------------------------------------------------


def _appointment_or_404(db: Session, identity: Identity, kenmerk: str) -> Appointment:
    """The appointment if this person (or company) made it; anything else is a 404."""
    appointment = afspraken_service.owned_appointment(
        db,
        kenmerk,
        bsn=identity.bsn if identity.is_resident else None,
        kvk=identity.kvk if identity.is_company else None,
    )
    if appointment is None:
        raise HTTPException(status_code=404)
    return appointment


def appointment_box(db: Session, appointment: Appointment, *, thanks: bool = False) -> FeedbackBox:
    assert appointment.id is not None
    return FeedbackBox(
        action=url_for("prestaties:appointment_feedback", kenmerk=appointment.reference),
        question=gettext("Hoe tevreden bent u over uw afspraak bij de gemeente?"),
        given=reacties.feedback_for(db, subject_kind="afspraak", subject_id=appointment.id),
        open_for_feedback=appointment.state == "verschenen",
        thanks=thanks,
    )


def _render_appointment(
    request: Request,
    db: Session,
    appointment: Appointment,
    box: FeedbackBox,
    *,
    state: FormState | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    state = state or FormState()
    products = afspraken_service.products_by_code(db, appointment.product_codes)
    location = afspraken_service.get_location(db, appointment.location_code)
    return render(
        request,
        "prestaties/feedback_afspraak.html",
        {
            "appointment": appointment,
            "product_names": [afspraken_web.product_name(p) for p in products],
            "location": location,
            "feedback": box,
            "state": state,
            "has_errors": bool(state.errors),
        },
        status_code=status_code,
    )


def _not_open(appointment: Appointment) -> str:
    """Why there is no question (yet) about this appointment."""
    if appointment.state == "bevestigd":
        return gettext("U kunt over deze afspraak reageren nadat u bij ons bent geweest.")
    return gettext("Over deze afspraak kunt u niet reageren, omdat u niet bij ons bent geweest.")


@router.get("/mijn/afspraken/{kenmerk}/reactie", name="prestaties:appointment_feedback_form")
def appointment_feedback_form(
    request: Request,
    kenmerk: str,
    identity: CustomerAccess,
    db: SessionDep,
) -> HTMLResponse:
    """The question about an appointment the resident came to (or the thanks, once answered)."""
    appointment = _appointment_or_404(db, identity, kenmerk)
    box = appointment_box(db, appointment, thanks=request.query_params.get("melding") == "reactie")
    state = FormState() if box.open_for_feedback else FormState(problem=_not_open(appointment))
    return _render_appointment(request, db, appointment, box, state=state)


@router.post("/mijn/afspraken/{kenmerk}/reactie", name="prestaties:appointment_feedback")
def appointment_feedback(
    request: Request,
    kenmerk: str,
    identity: CustomerAccess,
    db: SessionDep,
    tevredenheid: Choice = "",
    toelichting: PostedText = "",
    delen: Choice = "",
) -> Response:
    """The resident's one answer about an appointment they came to."""
    appointment = _appointment_or_404(db, identity, kenmerk)
    assert appointment.id is not None
    box = appointment_box(db, appointment)
    if not box.open_for_feedback:
        state = FormState(problem=_not_open(appointment))
        return _render_appointment(request, db, appointment, box, state=state, status_code=409)
    if box.given is not None:
        state = FormState(problem=already_message())
        return _render_appointment(request, db, appointment, box, state=state, status_code=409)
    answer, state = read_answer(tevredenheid, toelichting, delen)
    if answer is None:
        return _render_appointment(
            request, db, appointment, _box_with(box, state), state=state, status_code=422
        )
    try:
        reacties.give_feedback(
            db,
            subject_kind="afspraak",
            subject_id=appointment.id,
            product=reacties.appointment_feedback_product(appointment),
            month=service.month_of(appointment.starts_at),
            score=answer.score,
            comment=answer.comment,
            share_identity=answer.share_identity,
            owner_bsn=identity.bsn,
            owner_kvk=identity.kvk,
            now=zaken_web.now(),
        )
    except reacties.FeedbackExists:
        state = FormState(problem=already_message())
        box = appointment_box(db, appointment)
        return _render_appointment(request, db, appointment, box, state=state, status_code=409)
    form = url_for("prestaties:appointment_feedback_form", kenmerk=appointment.reference)
    return RedirectResponse(f"{form}?melding=reactie#reactie", status_code=303)
