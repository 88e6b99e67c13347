"""Liveness, readiness and Prometheus metrics for the platform."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import text

from portal.database import database_is_at_head
from portal.observability import metrics_payload
from portal.security import PlatformAccess

router = APIRouter()


@router.get("/health/live", name="health:live")
def live(_: PlatformAccess) -> Response:
    """The process answers; nothing else is checked."""
    return Response("ok", media_type="text/plain")


@router.get("/health/ready", name="health:ready")
def ready(request: Request, _: PlatformAccess) -> Response:
    """Ready for traffic: database answers and is migrated, and the process is not draining."""
    if getattr(request.app.state, "draining", False):
        return Response("draining", status_code=503, media_type="text/plain")
    try:
        engine = request.app.state.engine
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        if not database_is_at_head(engine):
            return Response("database not migrated", status_code=503, media_type="text/plain")
    except Exception:
        return Response("database unavailable", status_code=503, media_type="text/plain")
    return Response("ready", media_type="text/plain")


@router.get("/metrics", name="health:metrics")
def metrics(_: PlatformAccess) -> Response:
    """Prometheus metrics of this process."""
    payload, content_type = metrics_payload()
    return Response(payload, media_type=content_type)
