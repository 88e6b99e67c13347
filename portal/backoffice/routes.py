"""The back office: start page, work queue, case page and case documents."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from portal.backoffice import queue, service, web
from portal.backoffice.web import AnyStaff, CaseReader
from portal.database import RowId, SessionDep
from portal.files import file_store
from portal.settings import SettingsDep
from portal.templating import render, url_for
from portal.zaaksysteem import inzage as registratie
from portal.zaken import service as zaken_service
from portal.zaken import zaaktypen

router = APIRouter()

QueryText = Annotated[str, Query(max_length=200)]


@router.get("/backoffice", name="backoffice:home")
def home(
    request: Request, identity: AnyStaff, db: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """The back office start page: what each of the employee's roles can do, with counts."""
    counts = None
    if identity.has_role("kcc", "behandelaar"):
        counts = queue.queue_counts(db, staff_subject=identity.subject, today=web.today())
    return render(
        request,
        "backoffice/home.html",
        {
            "identity": identity,
            "counts": counts,
            "products": len(zaaktypen.products_of(db, identity.subject)),
            "case_system": settings.zgw_backend != "geen",
            "failing_registrations": registratie.failing_count(db),
        },
    )


@router.get("/backoffice/zaken", name="backoffice:queue")
def work_queue(
    request: Request,
    identity: CaseReader,
    db: SessionDep,
    product: QueryText = "",
    status: QueryText = "",
    toegewezen: QueryText = "iedereen",
    termijn: QueryText = "alle",
    q: QueryText = "",
    na: QueryText = "",
    voor: QueryText = "",
) -> HTMLResponse:
    """Open cases by due date, filtered, 25 per page (keyset paging with `na` and `voor`)."""
    filters = queue.QueueFilters.clean(
        product=product, status=status, toegewezen=toegewezen, termijn=termijn, q=q
    )
    today = web.today()
    page = queue.queue_page(
        db,
        filters,
        staff_subject=identity.subject,
        today=today,
        after=queue.Cursor.parse(na),
        before=queue.Cursor.parse(voor),
    )
    base = url_for("backoffice:queue")
    query = filters.as_query()

    def page_link(key: str, cursor: queue.Cursor | None) -> str | None:
        return f"{base}?{urlencode({**query, key: str(cursor)})}" if cursor else None

    return render(
        request,
        "backoffice/queue.html",
        {
            "filters": filters,
            "page": page,
            "today": today,
            "next_link": page_link("na", page.next_cursor),
            "previous_link": page_link("voor", page.previous_cursor),
            "products": service.product_choices(db),
            "product_names": service.product_names(),
            "status_choices": queue.STATUS_CHOICES,
            "filtered": bool(query),
        },
        partial="backoffice/_queue_rows.html",
    )


@router.get("/backoffice/zaken/{reference}", name="backoffice:case")
def case(request: Request, reference: str, identity: CaseReader, db: SessionDep) -> HTMLResponse:
    """Everything about one case, with the forms to handle it; each view is logged."""
    zaak = web.case_or_404(db, reference)
    return web.render_case(request, db, identity, zaak)


@router.get("/backoffice/zaken/{reference}/documenten/{document_id}", name="backoffice:document")
def document(
    reference: str,
    document_id: RowId,
    identity: CaseReader,
    db: SessionDep,
    settings: SettingsDep,
) -> Response:
    """A document of the case, always as a download; each download is logged."""
    zaak = web.case_or_404(db, reference)
    try:
        found = zaken_service.get_document(db, zaak=zaak, document_id=document_id)
    except zaken_service.ZaakNotFound:
        raise HTTPException(status_code=404) from None
    path = file_store(settings.data_dir).path_of(found.stored_name)
    if not path.is_file():
        raise HTTPException(status_code=404)
    service.record_view(db, identity=identity, zaak=zaak, action="document_bekeken", now=web.now())
    return FileResponse(
        path,
        media_type=found.content_type,
        filename=found.filename,
        content_disposition_type="attachment",
        headers={"Cache-Control": "no-store, private"},
    )
