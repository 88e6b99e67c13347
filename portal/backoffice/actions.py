"""Handling a case: claim, assign, status, information request, letter, close and messages.

Every form carries the case `version` it was shown with; a change on an older version is
refused (409) and the page shows the case as it is now. Invalid input re-renders the page
with 422 and changes nothing. A behandelaar acts only on cases of their own products (403).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from auth.identity import Identity
from portal.backoffice import forms, service, web
from portal.backoffice.web import CaseReader, Handler
from portal.database import SessionDep, Version
from portal.files import file_store
from portal.settings import SettingsDep
from portal.templating import url_for
from portal.zaken import handling, zaaktypen
from portal.zaken import service as zaken_service
from portal.zaken.models import Zaak

router = APIRouter()

Text = Annotated[str, Form(max_length=forms.FORM_LIMIT)]
Choice = Annotated[str, Form(max_length=100)]

# A change: returns the errors of the input (nothing changed), or an empty dict once done.
Change = Callable[[Zaak], forms.Errors]


def _act(
    request: Request,
    db: Session,
    identity: Identity,
    reference: str,
    change: Change,
    *,
    values: dict[str, str],
    handler_only: bool = True,
    anchor: str = "",
) -> Response:
    zaak = web.case_or_404(db, reference)
    if handler_only and not service.can_handle(db, identity, zaak):
        return web.not_your_product(request, zaak)
    if zaak.closed_at is not None:
        return web.render_case(
            request, db, identity, zaak, status_code=409, alert=web.closed_message()
        )
    try:
        errors = change(zaak)
    except (handling.StaleZaak, handling.ZaakClosed):
        return web.stale(request, db, identity, zaak)
    if errors:
        db.rollback()
        db.refresh(zaak)
        return web.render_case(
            request, db, identity, zaak, status_code=422, errors=errors, values=values
        )
    target = url_for("backoffice:case", reference=zaak.reference)
    return RedirectResponse(f"{target}#{anchor}" if anchor else target, status_code=303)


@router.post("/backoffice/zaken/{reference}/oppakken", name="backoffice:claim")
def claim(
    request: Request, reference: str, identity: Handler, db: SessionDep, version: Version
) -> Response:
    """Take the case on: it is assigned to you."""

    def change(zaak: Zaak) -> forms.Errors:
        name = identity.display_name or identity.subject
        handling.assign(
            db,
            zaak,
            version=version,
            staff_subject=identity.subject,
            staff_name=name,
            now=web.now(),
        )
        return {}

    return _act(request, db, identity, reference, change, values={})


@router.post("/backoffice/zaken/{reference}/toewijzen", name="backoffice:assign")
def assign(
    request: Request,
    reference: str,
    identity: Handler,
    db: SessionDep,
    version: Version,
    medewerker: Choice = "",
) -> Response:
    """Give the case to another behandelaar of its product, or release it (empty choice)."""

    def change(zaak: Zaak) -> forms.Errors:
        staff = {row.staff_subject: row for row in service.assignable_staff(db, zaak)}
        errors = forms.check_assign(medewerker, set(staff))
        if errors:
            return errors
        chosen = staff.get(medewerker)
        handling.assign(
            db,
            zaak,
            version=version,
            staff_subject=chosen.staff_subject if chosen else None,
            staff_name=(chosen.staff_name or chosen.staff_subject) if chosen else "",
            now=web.now(),
        )
        return {}

    return _act(request, db, identity, reference, change, values={"medewerker": medewerker})


@router.post("/backoffice/zaken/{reference}/status", name="backoffice:status")
def change_status(
    request: Request,
    reference: str,
    identity: Handler,
    db: SessionDep,
    settings: SettingsDep,
    version: Version,
    status: Choice = "",
    bericht: Text = "",
    intern: Text = "",
) -> Response:
    """Move the case to another step, with a note for the resident and an internal note."""

    def change(zaak: Zaak) -> forms.Errors:
        types = zaaktypen.status_types(db, zaak.zaaktype)
        allowed = {t.code for t in service.choosable_statuses(types, zaak)}
        errors = forms.check_status(status, allowed, bericht, intern)
        if errors:
            return errors
        handling.change_status(
            db,
            zaak,
            version=version,
            status=status,
            actor=service.actor_for(identity, "behandelaar"),
            settings=settings,
            now=web.now(),
            note_for_resident=bericht.strip(),
            internal_note=intern.strip(),
        )
        return {}

    values = {"status": status, "bericht": bericht, "intern": intern}
    return _act(request, db, identity, reference, change, values=values, anchor="status")


@router.post("/backoffice/zaken/{reference}/verzoek", name="backoffice:request")
def request_information(
    request: Request,
    reference: str,
    identity: Handler,
    db: SessionDep,
    settings: SettingsDep,
    version: Version,
    soort: Choice = "",
    vraag: Text = "",
    termijn: Choice = "",
    intern: Text = "",
) -> Response:
    """Ask the resident a question or for documents, with a deadline: the case waits."""

    def change(zaak: Zaak) -> forms.Errors:
        deadline, errors = forms.check_request(soort, vraag, termijn, intern, today=web.today())
        if errors or deadline is None:
            return errors
        handling.request_information(
            db,
            zaak,
            version=version,
            kind=soort,
            question=vraag.strip(),
            deadline=deadline,
            actor=service.actor_for(identity, "behandelaar"),
            settings=settings,
            now=web.now(),
            internal_note=intern.strip(),
        )
        return {}

    values = {"soort": soort, "vraag": vraag, "termijn": termijn, "intern": intern}
    return _act(request, db, identity, reference, change, values=values, anchor="verzoeken")


@router.post("/backoffice/zaken/{reference}/brief", name="backoffice:letter")
def add_letter(
    request: Request,
    reference: str,
    identity: Handler,
    db: SessionDep,
    settings: SettingsDep,
    version: Version,
    bestand: Annotated[UploadFile | None, File()] = None,
    titel: Text = "",
    soort: Choice = "",
) -> Response:
    """Add a decision letter or another letter (PDF); the resident sees it with the case."""

    def change(zaak: Zaak) -> forms.Errors:
        letter, errors = forms.check_letter(bestand, titel, soort)
        if errors or letter is None:
            return errors
        actor = service.actor_for(identity, "behandelaar")
        now = web.now()
        handling.add_letter(
            db,
            zaak,
            version=version,
            actor=actor,
            settings=settings,
            now=now,
            notify=soort != "besluit",
        )
        stored = file_store(settings.data_dir).save(letter.upload.file)
        assert zaak.id is not None
        zaken_service.add_document(
            db,
            zaak_id=zaak.id,
            title=titel.strip(),
            filename=letter.filename,
            content_type="application/pdf",
            size=stored.size,
            stored_name=stored.stored_name,
            sha256=stored.sha256,
            now=now,
            source=soort,
            added_by=actor.name,
        )
        return {}

    values = {"titel": titel, "soort": soort}
    return _act(request, db, identity, reference, change, values=values, anchor="documenten")


@router.post("/backoffice/zaken/{reference}/afsluiten", name="backoffice:close")
def close(
    request: Request,
    reference: str,
    identity: Handler,
    db: SessionDep,
    settings: SettingsDep,
    version: Version,
    resultaat: Choice = "",
    bericht: Text = "",
    intern: Text = "",
) -> Response:
    """Close the case with one of its case type's results."""

    def change(zaak: Zaak) -> forms.Errors:
        zaaktype = zaaktypen.ensure_zaaktype(db, zaak.zaaktype, now=web.now())
        errors = forms.check_close(resultaat, list(zaaktype.results), bericht, intern)
        if errors:
            return errors
        handling.close_zaak(
            db,
            zaak,
            version=version,
            result=resultaat,
            actor=service.actor_for(identity, "behandelaar"),
            settings=settings,
            now=web.now(),
            note_for_resident=bericht.strip(),
            internal_note=intern.strip(),
        )
        return {}

    values = {"resultaat": resultaat, "bericht": bericht, "intern": intern}
    return _act(request, db, identity, reference, change, values=values)


@router.post("/backoffice/zaken/{reference}/berichten", name="backoffice:message")
def post_message(
    request: Request,
    reference: str,
    identity: CaseReader,
    db: SessionDep,
    settings: SettingsDep,
    tekst: Text = "",
) -> Response:
    """A message to the resident in the case's thread; they get an e-mail notice."""

    def change(zaak: Zaak) -> forms.Errors:
        errors = forms.check_message(tekst)
        if errors:
            return errors
        handling.post_message(
            db,
            zaak,
            body=tekst.strip(),
            actor=service.actor_for(identity, service.viewing_role(identity)),
            settings=settings,
            now=web.now(),
        )
        return {}

    return _act(
        request,
        db,
        identity,
        reference,
        change,
        values={"tekst": tekst},
        handler_only=False,
        anchor="berichten",
    )
