"""create_app(): wires settings, database, middleware, routers, static files and error pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import Depends, FastAPI
from fastapi.routing import iter_route_contexts
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

from portal.database import database_is_at_head, make_engine
from portal.errors import register_error_pages
from portal.observability import RequestContextMiddleware, configure_logging
from portal.security import SecurityHeadersMiddleware, csrf_protect, csrf_token
from portal.settings import Environment, Settings, get_settings
from portal.static_files import HashedStaticFiles, static_assets
from portal.templating import register_routes, templates

log = structlog.get_logger("mijnharen.app")


class DatabaseNotAtHead(RuntimeError):
    """The database misses migrations; serving would break on the first query."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """The Mijn Haren application for `settings` (default: from the environment)."""
    settings = settings or get_settings()
    configure_logging(settings)
    engine = make_engine(settings.database_url)
    if not database_is_at_head(engine):
        engine.dispose()
        raise DatabaseNotAtHead(
            "the database is not at the newest migration: run `mijn-haren db upgrade` first"
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Ready again when an app that was shut down is started once more (in-process tests).
        app.state.draining = False
        log.info("started", environment=settings.environment.value)
        yield
        app.state.draining = True
        engine.dispose()
        log.info("stopped")

    docs = settings.enable_api_docs and not settings.is_production
    app = FastAPI(
        title="Mijn Haren",
        docs_url="/api/docs" if docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
        dependencies=[Depends(csrf_protect)],
        lifespan=lifespan,
    )
    app.state.settings = settings
    templates.env.globals["csrf_token"] = csrf_token
    # Checking every template file for changes on each render costs more than rendering.
    templates.env.auto_reload = settings.environment is Environment.DEVELOPMENT
    app.state.engine = engine
    app.state.draining = False

    app.add_middleware(SecurityHeadersMiddleware, settings=settings)
    app.add_middleware(RequestContextMiddleware, settings=settings)
    # Outermost, so error pages are compressed too; static files arrive already gzipped, and
    # PDFs (letters, receipts) are compressed inside already.
    app.add_middleware(
        GZipMiddleware,
        minimum_size=500,
        compresslevel=6,
        exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/pdf"),
    )
    app.mount("/static", HashedStaticFiles(static_assets()), name="static")
    _include_routers(app, settings)
    register_error_pages(app)
    register_routes(
        {
            context.name: context.path
            for context in iter_route_contexts(app.routes)
            if context.name and context.path
        }
    )
    return app


def _include_routers(app: FastAPI, settings: Settings) -> None:
    from auth.routes import router as auth_router
    from portal.aanvragen.routes import router as aanvragen_router
    from portal.aanvragen.web import form_definitions
    from portal.afspraken.manage import router as afspraken_manage_router
    from portal.afspraken.routes import router as afspraken_router
    from portal.backoffice.actions import router as backoffice_actions_router
    from portal.backoffice.afspraken import router as backoffice_afspraken_router
    from portal.backoffice.beheer import router as backoffice_beheer_router
    from portal.backoffice.contact import router as backoffice_contact_router
    from portal.backoffice.prestaties import router as backoffice_prestaties_router
    from portal.backoffice.registraties import router as backoffice_registraties_router
    from portal.backoffice.routes import router as backoffice_router
    from portal.berichten.routes import router as berichten_router
    from portal.gegevens.routes import router as gegevens_router
    from portal.health.routes import router as health_router
    from portal.mijn.routes import router as mijn_router
    from portal.pages.routes import router as pages_router
    from portal.prestaties.feedback import router as prestaties_feedback_router
    from portal.prestaties.routes import router as prestaties_router
    from portal.producten.routes import router as producten_router
    from portal.zaaksysteem.routes import router as zaaksysteem_router
    from portal.zaken.routes import router as zaken_router

    app.include_router(health_router)
    app.include_router(pages_router)
    app.include_router(producten_router)
    app.include_router(auth_router)
    app.include_router(mijn_router)
    app.include_router(zaaksysteem_router)  # before zaken: /mijn/zaken/zaaksysteem is no reference
    app.include_router(zaken_router)
    app.include_router(berichten_router)
    app.include_router(gegevens_router)
    app.include_router(backoffice_router)
    app.include_router(backoffice_actions_router)
    app.include_router(backoffice_contact_router)
    app.include_router(backoffice_beheer_router)
    app.include_router(backoffice_afspraken_router)
    app.include_router(aanvragen_router)
    app.include_router(afspraken_router)
    app.include_router(afspraken_manage_router)
    app.include_router(prestaties_feedback_router)
    app.include_router(backoffice_prestaties_router)
    app.include_router(backoffice_registraties_router)
    app.include_router(prestaties_router)
    form_definitions()  # a broken form definition stops start-up, naming file, step and field
    if settings.development_provider_enabled and not settings.is_production:
        from auth.devidp.routes import router as devidp_router

        app.include_router(devidp_router)
