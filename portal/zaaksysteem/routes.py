"""The case system's pages and its notification callback.

The resident's pages hold no database session while they wait on the case system (see
`customer_without_session`): a slow case system slows these pages only. `/mijn/zaken` shows the
portal's own cases at once and loads the list below with htmx, or links to it without
JavaScript.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import structlog
from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError

from portal.database import in_own_session
from portal.integrations import IntegrationUnavailable
from portal.integrations.zgw import ZgwApi, zgw_api_for
from portal.security import CaseSystemAccess, CustomerWithoutSession
from portal.settings import Settings, SettingsDep
from portal.templating import is_htmx, render
from portal.zaaksysteem import meldingen, service

router = APIRouter()
log = structlog.get_logger("mijnharen.zaaksysteem")

Identificatie = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")]
DocumentKey = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[0-9a-fA-F-]+$")]
NOTIFICATION_LIMIT = 20_000


def _api_or_404(settings: Settings) -> ZgwApi:
    api = zgw_api_for(settings)
    if api is None:
        raise HTTPException(status_code=404)
    return api


@router.get("/mijn/zaken/zaaksysteem", name="zaaksysteem:list")
def case_list(
    request: Request, identity: CustomerWithoutSession, settings: SettingsDep
) -> HTMLResponse:
    """Your cases in the municipality's case system (loaded into /mijn/zaken by htmx)."""
    api = _api_or_404(settings)
    try:
        cases = service.cases_of(api, identity, maximum=settings.zgw_max_vertrouwelijkheid)
        unavailable = False
    except IntegrationUnavailable as failure:
        log.warning("zgw_list_unavailable", reason=failure.reason)
        cases, unavailable = [], True
    return render(
        request,
        "zaaksysteem/lijst.html",
        {"cases": cases, "unavailable": unavailable},
        partial="zaaksysteem/_lijst_zaken.html",
        status_code=503 if unavailable and not is_htmx(request) else 200,
    )


@router.get("/mijn/zaken/zaaksysteem/{identificatie}", name="zaaksysteem:detail")
def case_detail(
    request: Request,
    identificatie: Identificatie,
    identity: CustomerWithoutSession,
    settings: SettingsDep,
) -> HTMLResponse:
    """One case from the case system: its status steps, result and documents."""
    api = _api_or_404(settings)
    case = service.case_of(api, identity, identificatie, maximum=settings.zgw_max_vertrouwelijkheid)
    if case is None:
        raise HTTPException(status_code=404)
    return render(request, "zaaksysteem/detail.html", {"case": case})


@router.get("/mijn/zaken/zaaksysteem/{identificatie}/documenten/{key}", name="zaaksysteem:document")
def case_document(
    identificatie: Identificatie,
    key: DocumentKey,
    identity: CustomerWithoutSession,
    settings: SettingsDep,
) -> Response:
    """A document of a case in the case system, as a download."""
    api = _api_or_404(settings)
    found = service.document_of(
        api, identity, identificatie, key, maximum=settings.zgw_max_vertrouwelijkheid
    )
    if found is None:
        raise HTTPException(status_code=404)
    document, content = found
    safe_name = document.filename.replace('"', "").replace("\\", "") or "document"
    return Response(
        content,
        media_type=document.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{safe_name}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.post(
    "/zaaksysteem/notificaties",
    name="zaaksysteem:notification",
    status_code=204,
    # The body is read by hand (before a session is taken); this tells the schema its shape.
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": meldingen.Notificatie.model_json_schema(by_alias=True)
                }
            },
        }
    },
)
async def notification(
    request: Request, _caller: CaseSystemAccess, settings: SettingsDep
) -> Response:
    """The Notificaties API's callback: a new status of a zaak (channel `zaken`). Answers 204;
    a message that is not a notification answers 400 and changes nothing. The body is read
    before a database session is taken, so a slow sender holds no transaction."""
    if settings.zgw_backend == "geen":
        raise HTTPException(status_code=404)
    body = await request.body()
    try:
        if len(body) > NOTIFICATION_LIMIT:
            raise ValueError("too large")
        message = meldingen.Notificatie.model_validate_json(body)
    except (ValueError, ValidationError) as invalid:
        log.info("zgw_notification_invalid", error=type(invalid).__name__)
        return JSONResponse({"detail": "Geen geldige notificatie"}, status_code=400)
    await in_own_session(request, lambda db: meldingen.receive(db, message, now=datetime.now(UTC)))
    return Response(status_code=204)
