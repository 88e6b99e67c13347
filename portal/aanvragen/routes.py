"""Form pages: start, one page per step, check your answers, submit once, confirmation, drafts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from auth.dependencies import CurrentSession
from auth.identity import Identity
from auth.sessions import LoadedSession
from formulieren import FormDefinition, StepNotFound, runner
from formulieren.text import text_resolver
from formulieren.views import step_fields
from portal.aanvragen import service, submission, web
from portal.aanvragen.models import Draft
from portal.database import SessionDep
from portal.integrations.brp import BRP, BRPDep
from portal.integrations.kvk import KVK, KVKDep
from portal.openapi import form_body
from portal.security import CustomerAccess, PublicAccess
from portal.settings import Settings, SettingsDep
from portal.templating import current_language, local_datetime, render
from portal.zaaksysteem import registratie as zaaksysteem

router = APIRouter()


def _form_or_404(slug: str) -> FormDefinition:
    form = web.get_form(slug)
    if form is None:
        raise HTTPException(status_code=404)
    return form


def _step_url(slug: str, draft_id: str, step: str) -> str:
    return f"/formulieren/{slug}/{draft_id}/stap/{step}"


def _check_url(slug: str, draft_id: str) -> str:
    return f"/formulieren/{slug}/{draft_id}/controleren"


@dataclass(frozen=True)
class Owned:
    """A draft of the visitor's own, with its form; anyone else's draft is a 404."""

    form: FormDefinition
    draft: Draft
    identity: Identity | None


def owned_draft(
    request: Request,
    slug: str,
    draft_id: str,
    identity: PublicAccess,
    db: SessionDep,
    settings: SettingsDep,
) -> Owned:
    form = _form_or_404(slug)
    web.require_login_for(request, form, identity)
    try:
        owner = web.owner_for(request, settings, identity)
        draft = service.get_draft(db, draft_id=draft_id, owner=owner, now=web.now())
    except service.DraftNotFound as missing:
        raise HTTPException(status_code=404) from missing
    if draft.form_slug != form.slug:
        raise HTTPException(status_code=404)
    return Owned(form=form, draft=draft, identity=identity)


OwnedDraft = Annotated[Owned, Depends(owned_draft)]


@router.get("/formulieren/{slug}", name="aanvragen:start")
def start(
    request: Request, slug: str, identity: PublicAccess, db: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """What the form is for, what you need, how to log in, and a button to begin or resume."""
    form = _form_or_404(slug)
    allowed = web.login_allows(form, identity)
    open_draft = None
    if allowed:
        try:
            owner = web.owner_for(request, settings, identity)
            open_draft = service.find_open_draft(db, form_slug=slug, owner=owner, now=web.now())
        except service.DraftNotFound:
            open_draft = None
    product = submission.product_for(form)
    return render(
        request,
        "aanvragen/start.html",
        {
            "identity": identity,
            "form": form,
            "t": text_resolver(current_language()),
            "allowed": allowed,
            "open_draft": open_draft,
            "product": product,
            "login_urls": submission.login_urls(form, product),
        },
    )


@router.post("/formulieren/{slug}", name="aanvragen:begin")
def begin(
    request: Request, slug: str, identity: PublicAccess, db: SessionDep, settings: SettingsDep
) -> Response:
    """Begin a new draft (or go on with the open one) and go to its first open step."""
    form = _form_or_404(slug)
    web.require_login_for(request, form, identity)
    response = RedirectResponse("/", status_code=303)
    logged_in = identity if identity is not None and not identity.is_staff else None
    anonymous = None if logged_in else web.ensure_anonymous_id(request, response, settings)
    owner = service.owner_key(logged_in, anonymous)
    now = web.now()
    draft = service.find_open_draft(db, form_slug=slug, owner=owner, now=now)
    if draft is None:
        draft = service.start_draft(
            db, form_slug=slug, owner=owner, now=now, lifetime=web.draft_lifetime(settings)
        )
    step = runner.first_incomplete_step(form, draft.answers)
    target = _step_url(slug, draft.id, step.slug) if step else _check_url(slug, draft.id)
    response.headers["location"] = target
    return response


def _render_step(
    request: Request,
    form: FormDefinition,
    draft: Draft,
    step_slug: str,
    prefill: Any,
    *,
    form_values: dict[str, Any] | None = None,
    errors: list[runner.FieldError] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    language = current_language()
    try:
        step = form.step(step_slug)
        if step not in runner.visible_steps(form, draft.answers, prefill=prefill):
            raise StepNotFound(step_slug)
    except StepNotFound as missing:
        raise HTTPException(status_code=404) from missing
    previous = runner.previous_step(form, draft.answers, step_slug, prefill=prefill)
    views = step_fields(
        form,
        step,
        language=language,
        prefill=prefill,
        answers=draft.answers,
        form_values=form_values,
        errors=errors or (),
    )
    steps = runner.visible_steps(form, draft.answers, prefill=prefill)
    return render(
        request,
        "aanvragen/stap.html",
        {
            "form": form,
            "draft": draft,
            "step": step,
            "step_number": steps.index(step) + 1,
            "step_count": len(steps),
            "step_fields": views,
            "errors": [(e.field_id, e.message) for e in errors or ()],
            "has_errors": bool(errors),
            "has_upload": any(f.type == "bestand" for f in step.fields),
            "t": text_resolver(language),
            "language": language,
            "back_url": _step_url(form.slug, draft.id, previous.slug)
            if previous
            else f"/formulieren/{form.slug}",
            "expires_at": draft.expires_at,
        },
        status_code=status_code,
    )


@router.get("/formulieren/{slug}/{draft_id}/stap/{step_slug}", name="aanvragen:step")
def show_step(
    request: Request,
    step_slug: str,
    owned: OwnedDraft,
    loaded: CurrentSession,
    db: SessionDep,
    settings: SettingsDep,
    brp: BRPDep,
    kvk: KVKDep,
) -> HTMLResponse:
    """One step of the form, with the answers given so far and what is already known."""
    form, draft = owned.form, owned.draft
    if draft.submitted_at is not None:
        raise HTTPException(status_code=404)
    known = web.known_values(db, form, loaded, brp, kvk)
    prefill = known.values(form.prefill_keys())
    return _render_step(request, form, draft, step_slug, prefill)


# The step's inputs are named by the form definition, so any names are described.
@router.post(
    "/formulieren/{slug}/{draft_id}/stap/{step_slug}",
    name="aanvragen:save_step",
    openapi_extra=form_body(),
)
async def save_step(
    request: Request,
    step_slug: str,
    owned: OwnedDraft,
    loaded: CurrentSession,
    db: SessionDep,
    settings: SettingsDep,
    brp: BRPDep,
    kvk: KVKDep,
) -> Response:
    """Check the step's answers on the server; save and go on, or show what to correct.

    Only reading the posted form happens on the event loop; the rest (a BRP or KVK call for
    prefill, files, the database) runs on the thread pool, so one slow call or row lock never
    stops the loop other requests need."""
    if owned.draft.submitted_at is not None:
        raise HTTPException(status_code=404)
    form_data = await request.form()
    return await run_in_threadpool(
        _save_step, request, step_slug, owned, loaded, db, settings, brp, kvk, form_data
    )


def _save_step(
    request: Request,
    step_slug: str,
    owned: Owned,
    loaded: LoadedSession | None,
    db: Session,
    settings: Settings,
    brp: BRP,
    kvk: KVK,
    form_data: FormData,
) -> Response:
    form, draft = owned.form, owned.draft
    slug = form.slug
    known = web.known_values(db, form, loaded, brp, kvk)
    prefill = known.values(form.prefill_keys())
    files = web.posted_files(form_data)
    try:
        result = runner.process_step(
            form,
            step_slug,
            web.posted_values(form_data),
            files,
            prefill,
            current_language(),
            answers=draft.answers,
        )
    except StepNotFound as missing:
        raise HTTPException(status_code=404) from missing
    submission.keep_files(db, settings, draft, result, files)
    answers = {**draft.answers}
    if result.file_values:
        answers[step_slug] = {**answers.get(step_slug, {}), **result.file_values}
    if not result.ok:
        service.save_answers(
            db,
            draft=draft,
            answers=answers,
            current_step=step_slug,
            now=web.now(),
            lifetime=web.draft_lifetime(settings),
        )
        status = 200 if result.action else 422
        return _render_step(
            request,
            form,
            draft,
            step_slug,
            prefill,
            form_values=result.form_values,
            errors=result.errors,
            status_code=status,
        )
    answers[step_slug] = result.values
    answers = runner.clean_answers(form, answers, prefill=prefill)
    following = runner.next_step(form, answers, step_slug, prefill=prefill)
    service.save_answers(
        db,
        draft=draft,
        answers=answers,
        current_step=following.slug if following else "",
        now=web.now(),
        lifetime=web.draft_lifetime(settings),
    )
    back_to_check = request.query_params.get("terug") == "controleren"
    if back_to_check and runner.is_complete(form, answers, prefill=prefill):
        target = _check_url(slug, draft.id)
    elif following is not None:
        target = _step_url(slug, draft.id, following.slug)
    else:
        target = _check_url(slug, draft.id)
    return RedirectResponse(target, status_code=303)


def _summary_context(form: FormDefinition, draft: Draft, prefill: Any) -> dict[str, Any]:
    language = current_language()
    sections = runner.summary(form, draft.answers, language, prefill=prefill)
    return {
        "sections": sections,
        "change_urls": {
            s.step_slug: _step_url(form.slug, draft.id, s.step_slug) + "?terug=controleren"
            for s in sections
        },
        "t": text_resolver(language),
    }


@router.get("/formulieren/{slug}/{draft_id}/controleren", name="aanvragen:check")
def check(
    request: Request,
    owned: OwnedDraft,
    loaded: CurrentSession,
    db: SessionDep,
    settings: SettingsDep,
    brp: BRPDep,
    kvk: KVKDep,
) -> Response:
    """Check your answers: every answer with its own change link, then send."""
    form, draft = owned.form, owned.draft
    slug = form.slug
    if draft.submitted_at is not None:
        return RedirectResponse(f"/formulieren/{slug}/{draft.id}/bevestiging", status_code=303)
    prefill = web.known_values(db, form, loaded, brp, kvk).values(form.prefill_keys())
    open_step = runner.first_incomplete_step(form, draft.answers, prefill=prefill)
    if open_step is not None:
        return RedirectResponse(_step_url(slug, draft.id, open_step.slug), status_code=303)
    return render(
        request,
        "aanvragen/controleren.html",
        {
            "form": form,
            "draft": draft,
            "declaration_error": None,
            **_summary_context(form, draft, prefill),
        },
    )


@router.post("/formulieren/{slug}/{draft_id}/controleren", name="aanvragen:submit")
def submit(
    request: Request,
    owned: OwnedDraft,
    loaded: CurrentSession,
    db: SessionDep,
    settings: SettingsDep,
    brp: BRPDep,
    kvk: KVKDep,
    indieningstoken: Annotated[str, Form(max_length=100)] = "",
    verklaring: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Send the application: exactly once, however often the button is pressed."""
    form, draft, identity = owned.form, owned.draft, owned.identity
    slug = form.slug
    confirmation = f"/formulieren/{slug}/{draft.id}/bevestiging"
    if draft.submitted_at is not None:
        return RedirectResponse(confirmation, status_code=303)
    prefill = web.known_values(db, form, loaded, brp, kvk).values(form.prefill_keys())
    if not runner.is_complete(form, draft.answers, prefill=prefill):
        raise HTTPException(status_code=404)
    declaration_errors = runner.check_declaration(
        form, {"verklaring": [verklaring]} if verklaring else {}, current_language()
    )
    if declaration_errors:
        return render(
            request,
            "aanvragen/controleren.html",
            {
                "form": form,
                "draft": draft,
                "has_errors": True,
                "declaration_error": declaration_errors[0].message,
                "errors": [(e.field_id, e.message) for e in declaration_errors],
                **_summary_context(form, draft, prefill),
            },
            status_code=422,
        )
    name = str(prefill.get("brp.naam") or prefill.get("kvk.naam") or "")
    zaaktype = zaaksysteem.zaaktype_for(settings, form.product)
    details = submission.build_submission(
        form,
        submission.product_for(form),
        identity,
        draft.answers,
        name=name,
        language=current_language(),
        portal_url=settings.base_url.rstrip("/") + ("/mijn/zaken" if identity else ""),
        registratie_zaaktype=zaaktype,
        sections=runner.summary(form, draft.answers, "nl", prefill=prefill) if zaaktype else None,
    )
    try:
        service.submit_draft(
            db,
            draft=draft,
            token=indieningstoken,
            submission=details,
            answers=draft.answers,
            now=web.now(),
        )
    except service.SubmissionRefused as refused:
        raise HTTPException(status_code=404) from refused
    return RedirectResponse(confirmation, status_code=303)


@router.get("/formulieren/{slug}/{draft_id}/bevestiging", name="aanvragen:confirmation")
def confirmation(
    request: Request,
    owned: OwnedDraft,
) -> HTMLResponse:
    """The reference, what happens next and when, and the receipt to keep."""
    form, draft, identity = owned.form, owned.draft, owned.identity
    if draft.zaak_reference is None:
        raise HTTPException(status_code=404)
    product = submission.product_for(form)
    return render(
        request,
        "aanvragen/bevestiging.html",
        {
            "form": form,
            "draft": draft,
            "product": product,
            "identity": identity,
            "t": text_resolver(current_language()),
        },
    )


@router.get("/formulieren/{slug}/{draft_id}/ontvangstbewijs.pdf", name="aanvragen:receipt")
def receipt(
    request: Request,
    owned: OwnedDraft,
    loaded: CurrentSession,
    db: SessionDep,
    brp: BRPDep,
    kvk: KVKDep,
) -> Response:
    """The answers as a PDF receipt, always as a download."""
    form, draft = owned.form, owned.draft
    if draft.zaak_reference is None or draft.submitted_at is None:
        raise HTTPException(status_code=404)
    language = current_language()
    prefill = web.known_values(db, form, loaded, brp, kvk).values(form.prefill_keys())
    pdf = submission.receipt_pdf(
        form,
        runner.summary(form, draft.answers, language, prefill=prefill),
        reference=draft.zaak_reference,
        received=local_datetime(draft.submitted_at),
        title=text_resolver(language)(form.title),
    )
    filename = f"ontvangstbewijs-{draft.zaak_reference}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/mijn/aanvragen", name="aanvragen:list")
def list_drafts(
    request: Request, identity: CustomerAccess, db: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """Forms you started and have not sent yet, with the date they will be removed."""
    owner = web.owner_for(request, settings, identity)
    drafts = service.list_drafts(db, owner=owner, now=web.now())
    forms = {d.form_slug: web.get_form(d.form_slug) for d in drafts}
    return render(
        request,
        "aanvragen/lijst.html",
        {
            "identity": identity,
            "drafts": drafts,
            "forms": forms,
            "t": text_resolver(current_language()),
        },
    )


@router.post("/formulieren/{slug}/{draft_id}/verwijderen", name="aanvragen:delete")
def delete(
    request: Request,
    owned: OwnedDraft,
    db: SessionDep,
) -> Response:
    """Throw away an unfinished form and its files."""
    form, draft, identity = owned.form, owned.draft, owned.identity
    slug = form.slug
    if draft.submitted_at is not None:
        raise HTTPException(status_code=404)
    service.delete_draft(db, draft=draft)
    target = "/mijn/aanvragen" if identity is not None else f"/formulieren/{slug}"
    return RedirectResponse(target, status_code=303)
