"""Request-side helpers for the form pages: who owns the draft, what is known, which files came."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile

from auth.identity import Identity
from auth.sessions import LoadedSession
from formulieren import FormDefinition, UploadedFile, load_definitions
from portal.aanvragen import service
from portal.aanvragen.wiring import KnownValues, brp_values, kvk_values
from portal.files import FileStore, describe_upload, file_store
from portal.gegevens import service as gegevens_service
from portal.integrations.brp import BRP
from portal.integrations.kvk import KVK
from portal.security import LoginRequired, cookie_name
from portal.settings import Settings

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definities"
ANONYMOUS_COOKIE = "mh_anoniem"


@lru_cache(maxsize=1)
def form_definitions() -> dict[str, FormDefinition]:
    """Every form of the portal, validated once per process (a broken file stops start-up)."""
    return load_definitions(DEFINITIONS_DIR)


def draft_lifetime(settings: Settings) -> timedelta:
    """How long an unfinished form is kept after its last save (MIJNHAREN_DRAFT_LIFETIME_DAYS)."""
    return timedelta(days=settings.draft_lifetime_days)


def get_form(slug: str) -> FormDefinition | None:
    return form_definitions().get(slug)


def now() -> datetime:
    return datetime.now(UTC)


def login_allows(form: FormDefinition, identity: Identity | None) -> bool:
    """Whether this login may fill in this form."""
    if form.login in ("geen", "optioneel"):
        return True
    if identity is None:
        return False
    if form.login == "digid":
        return identity.is_resident
    if form.login == "eherkenning":
        return identity.is_company
    return identity.is_resident or identity.is_company


def require_login_for(request: Request, form: FormDefinition, identity: Identity | None) -> None:
    """Send the visitor to the right login when the form needs one they do not have."""
    if login_allows(form, identity):
        return
    provider = "eherkenning" if form.login == "eherkenning" else "digid"
    raise LoginRequired(request.url.path, provider=provider)


def anonymous_id(request: Request, settings: Settings) -> str | None:
    """The hashed per-browser id that owns drafts of forms filled in without logging in."""
    raw = request.cookies.get(cookie_name(settings, ANONYMOUS_COOKIE))
    if not raw or len(raw) < 32:
        return None
    return hashlib.sha256(f"{settings.secret_key}:{raw}".encode()).hexdigest()[:40]


def ensure_anonymous_id(request: Request, response: Response, settings: Settings) -> str:
    """The browser's anonymous id, creating the cookie on first use."""
    existing = anonymous_id(request, settings)
    if existing:
        return existing
    raw = secrets.token_urlsafe(32)
    response.set_cookie(
        cookie_name(settings, ANONYMOUS_COOKIE),
        raw,
        max_age=int(draft_lifetime(settings).total_seconds()),
        httponly=True,
        secure=settings.uses_https,
        samesite="lax",
        path="/",
    )
    return hashlib.sha256(f"{settings.secret_key}:{raw}".encode()).hexdigest()[:40]


def owner_for(request: Request, settings: Settings, identity: Identity | None) -> str:
    """The owner key of the visitor's drafts; 404 when there is none (no cookie, no login)."""
    logged_in = identity if identity is not None and not identity.is_staff else None
    return service.owner_key(logged_in, anonymous_id(request, settings))


def known_values(
    db: Session,
    form: FormDefinition,
    loaded: LoadedSession | None,
    brp: BRP,
    kvk: KVK,
) -> KnownValues:
    """What the municipality already knows for this form, fetched once per session."""
    values: dict[str, Any] = {}
    if loaded is not None and loaded.identity.is_resident and "brp" in form.prefill_sources:
        persoon = gegevens_service.get_persoon_for_session(db, loaded=loaded, brp=brp)
        if persoon is not None:
            values.update(brp_values(persoon))
    if loaded is not None and loaded.identity.is_company and "kvk" in form.prefill_sources:
        profiel = gegevens_service.get_basisprofiel_for_session(db, loaded=loaded, kvk=kvk)
        if profiel is not None:
            branch = gegevens_service.branch_of(profiel, loaded.identity.vestiging)
            values.update(kvk_values(profiel, branch))
    return KnownValues(values)


def posted_values(form_data: FormData) -> dict[str, list[str]]:
    """Every text value of the posted form, as lists (the engine's `posted`)."""
    posted: dict[str, list[str]] = {}
    for key, value in form_data.multi_items():
        if isinstance(value, str):
            posted.setdefault(key, []).append(value)
    return posted


def posted_files(form_data: FormData) -> dict[str, list[UploadedFile]]:
    """Every non-empty uploaded file, described for the engine; `ref` is its future stored name."""
    files: dict[str, list[UploadedFile]] = {}
    for key, value in form_data.multi_items():
        described = describe_upload(value) if isinstance(value, UploadFile) else None
        if described is not None:
            files.setdefault(key, []).append(described)
    return files


def store_for(settings: Settings) -> FileStore:
    return file_store(settings.data_dir)


def upload_sources(files: Mapping[str, list[UploadedFile]]) -> dict[str, UploadedFile]:
    """Uploaded files by their ref, to find the bytes of an accepted upload."""
    return {upload.ref: upload for uploads in files.values() for upload in uploads}
