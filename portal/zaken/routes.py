"""The resident's case pages: the list, one case, answering a request, messages, documents and
withdrawing. Someone else's case, document or request is a 404, the same as a missing one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from auth.identity import Identity
from portal.database import RowId, SessionDep, Version
from portal.files import file_store
from portal.prestaties.feedback import case_box as feedback_box
from portal.security import CustomerAccess
from portal.settings import SettingsDep
from portal.templating import current_language, gettext, render, url_for
from portal.zaaksysteem import inzage as zaaksysteem
from portal.zaken import handling, service, uploads, web, zaaktypen
from portal.zaken.handling import InvalidChange, StaleZaak, ZaakClosed
from portal.zaken.web import FormState

router = APIRouter()

PostedText = Annotated[str, Form(max_length=web.POSTED_TEXT_LIMIT)]


def _detail_url(reference: str, notice: str, anchor: str = "") -> str:
    return f"{url_for('zaken:detail', reference=reference)}?melding={notice}{anchor}"


@router.get("/mijn/zaken", name="zaken:list")
def zaken_list(
    request: Request,
    identity: CustomerAccess,
    db: SessionDep,
    settings: SettingsDep,
    pagina: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """The person's cases, open ones first, with their status and what to expect."""
    page = service.list_zaken_for(db, identity=identity, page=pagina)
    case_system = settings.zgw_backend != "geen"
    pending = zaaksysteem.pending_for(db, identity) if case_system else []
    return render(
        request,
        "zaken/lijst.html",
        {
            "page": page,
            "status_names": service.status_names(db, page.zaken, language=current_language()),
            "waiting": zaaktypen.WAITING,
            "result_name": web.result_name,
            "case_system": case_system,
            "pending": pending,
        },
    )


@router.get("/mijn/zaken/{reference}", name="zaken:detail")
def zaak_detail(
    request: Request,
    reference: str,
    identity: CustomerAccess,
    db: SessionDep,
    melding: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    """One case: dates, timeline, what we need from you, documents, messages and the result."""
    zaak = web.zaak_or_404(db, identity, reference)
    feedback = feedback_box(db, zaak, thanks=melding == "reactie") if zaak.closed_at else None
    return web.render_detail(request, db, zaak, notice=web.notice_text(melding), feedback=feedback)


@router.get("/mijn/zaken/{reference}/documenten/{document_id}", name="zaken:document")
def zaak_document(
    reference: str,
    document_id: RowId,
    identity: CustomerAccess,
    db: SessionDep,
    settings: SettingsDep,
) -> Response:
    """A document of the case, as a download."""
    zaak = web.zaak_or_404(db, identity, reference)
    try:
        document = service.get_document(db, zaak=zaak, document_id=document_id)
        path = file_store(settings.data_dir).path_of(document.stored_name)
    except (service.ZaakNotFound, ValueError) as missing:
        raise HTTPException(status_code=404) from missing
    if not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(
        path,
        media_type=document.content_type,
        filename=document.filename,
        content_disposition_type="attachment",
        headers={"Cache-Control": "private, no-store"},
    )


@router.post("/mijn/zaken/{reference}/verzoeken/{verzoek_id}", name="zaken:answer")
def answer_request(
    request: Request,
    reference: str,
    verzoek_id: RowId,
    identity: CustomerAccess,
    db: SessionDep,
    settings: SettingsDep,
    version: Version,
    antwoord: PostedText = "",
    bestanden: Annotated[list[UploadFile | str], File()] = [],  # noqa: B006
) -> Response:
    """The resident answers a question or sends the documents asked for."""
    zaak = web.zaak_or_404(db, identity, reference)
    try:
        verzoek = service.get_request(db, zaak=zaak, verzoek_id=verzoek_id)
    except service.ZaakNotFound as missing:
        raise HTTPException(status_code=404) from missing
    answer_id, files_id = f"antwoord-{verzoek.id}", f"bestanden-{verzoek.id}"
    answer = web.typed_text(antwoord)
    state = FormState(values={answer_id: answer})
    if zaak.closed_at is not None:
        state.problem = web.closed_message()
        return web.render_detail(request, db, zaak, state=state, status_code=409)
    if verzoek.answered_at is not None or verzoek.cancelled_at is not None:
        answered = verzoek.answered_at is not None
        state.problem = web.answered_message() if answered else web.cancelled_message()
        return web.render_detail(request, db, zaak, state=state, status_code=409)
    problem = web.text_problem(
        answer,
        label=gettext("Uw antwoord"),
        maximum=web.ANSWER_MAX,
        required=verzoek.kind == "vraag",
    )
    if problem:
        state.add(answer_id, problem)
    accepted, file_problems = uploads.check_files(
        uploads.received_files(bestanden),
        label=gettext("Bestanden"),
        required=verzoek.kind == "documenten",
        language=current_language(),
    )
    for message in file_problems:
        state.add(files_id, message)
    if state.errors:
        return web.render_detail(request, db, zaak, state=state, status_code=422)
    actor = web.resident_actor(request, identity, zaak)
    moment = web.now()
    try:
        handling.answer_request(
            db, zaak, verzoek, version=version, answer=answer, actor=actor, now=moment
        )
        uploads.store_answer_files(
            db,
            settings,
            zaak=zaak,
            verzoek=verzoek,
            accepted=accepted,
            added_by=actor.name,
            now=moment,
        )
    except (StaleZaak, ZaakClosed, InvalidChange) as refused:
        return _refused(request, db, identity, reference, refused, state)
    return RedirectResponse(_detail_url(reference, "antwoord"), status_code=303)


@router.post("/mijn/zaken/{reference}/berichten", name="zaken:message")
def post_message(
    request: Request,
    reference: str,
    identity: CustomerAccess,
    db: SessionDep,
    settings: SettingsDep,
    version: Version,
    bericht: PostedText = "",
) -> Response:
    """A message from the resident in the case's thread."""
    zaak = web.zaak_or_404(db, identity, reference)
    body = web.typed_text(bericht)
    state = FormState(values={"bericht": body})
    if zaak.closed_at is not None:
        state.problem = web.closed_message()
        return web.render_detail(request, db, zaak, state=state, status_code=409)
    problem = web.text_problem(
        body, label=gettext("Uw bericht"), maximum=web.MESSAGE_MAX, required=True
    )
    if problem:
        state.add("bericht", problem)
        return web.render_detail(request, db, zaak, state=state, status_code=422)
    handling.post_message(
        db,
        zaak,
        body=body,
        actor=web.resident_actor(request, identity, zaak),
        settings=settings,
        now=web.now(),
    )
    return RedirectResponse(_detail_url(reference, "bericht", "#berichten"), status_code=303)


@router.get("/mijn/zaken/{reference}/intrekken", name="zaken:withdraw_confirm")
def withdraw_confirm(
    request: Request, reference: str, identity: CustomerAccess, db: SessionDep
) -> HTMLResponse:
    """What withdrawing means, and the question why."""
    zaak = web.zaak_or_404(db, identity, reference)
    if zaak.closed_at is not None:
        raise HTTPException(status_code=404)
    return web.render_withdraw(request, zaak)


@router.post("/mijn/zaken/{reference}/intrekken", name="zaken:withdraw")
def withdraw(
    request: Request,
    reference: str,
    identity: CustomerAccess,
    db: SessionDep,
    settings: SettingsDep,
    version: Version,
    reden: PostedText = "",
) -> Response:
    """Withdraw the application: the case closes with result "ingetrokken"."""
    zaak = web.zaak_or_404(db, identity, reference)
    if zaak.closed_at is not None:
        raise HTTPException(status_code=404)
    reason = web.typed_text(reden)
    state = FormState(values={"reden": reason})
    problem = web.text_problem(
        reason,
        label=gettext("Waarom trekt u uw aanvraag in?"),
        maximum=web.REASON_MAX,
        required=True,
    )
    if problem:
        state.add("reden", problem)
        return web.render_withdraw(request, zaak, state=state, status_code=422)
    try:
        handling.withdraw(
            db,
            zaak,
            version=version,
            reason=reason,
            actor=web.resident_actor(request, identity, zaak),
            settings=settings,
            now=web.now(),
        )
    except (StaleZaak, ZaakClosed):
        db.rollback()
        zaak = web.zaak_or_404(db, identity, reference)
        if zaak.closed_at is not None:
            closed = FormState(problem=web.closed_message())
            return web.render_detail(request, db, zaak, state=closed, status_code=409)
        state.problem = web.stale_message()
        return web.render_withdraw(request, zaak, state=state, status_code=409)
    return RedirectResponse(_detail_url(reference, "ingetrokken"), status_code=303)


def _refused(
    request: Request,
    db: Session,
    identity: Identity,
    reference: str,
    refused: Exception,
    state: FormState,
) -> HTMLResponse:
    """Undo what this request did and show the case as it is now, with why nothing happened."""
    db.rollback()
    zaak = web.zaak_or_404(db, identity, reference)
    if isinstance(refused, ZaakClosed) or zaak.closed_at is not None:
        state.problem = web.closed_message()
    elif isinstance(refused, InvalidChange):
        state.problem = web.answered_message()
    else:
        state.problem = web.stale_message()
    return web.render_detail(request, db, zaak, state=state, status_code=409)
