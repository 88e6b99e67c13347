"""The current session and identity of a request, loaded once from the server-side session store."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from auth.identity import Identity
from auth.sessions import LoadedSession, SessionPolicy, load_session
from portal.database import SessionDep, in_own_session
from portal.settings import Settings, SettingsDep


def session_cookie_name(settings: Settings) -> str:
    return "__Host-mh_sessie" if settings.uses_https else "mh_sessie"


def session_policy(settings: Settings) -> SessionPolicy:
    return SessionPolicy(
        idle=timedelta(minutes=settings.session_idle_minutes),
        absolute=timedelta(hours=settings.session_absolute_hours),
    )


async def current_session(
    request: Request, db: SessionDep, settings: SettingsDep
) -> LoadedSession | None:
    """The valid session of this browser, or None; notes an expired one for the login page.
    Without a session cookie there is nothing to read, and no thread-pool hop is taken."""
    if not request.cookies.get(session_cookie_name(settings)):
        request.state.identity = None
        return None
    return await run_in_threadpool(read_session, request, db, settings)


def read_session(request: Request, db: Session, settings: Settings) -> LoadedSession | None:
    """`current_session`'s work, in the calling thread."""
    token = request.cookies.get(session_cookie_name(settings))
    loaded = None
    if token:
        loaded = load_session(db, token=token, policy=session_policy(settings))
        if loaded is None:
            request.state.session_expired = True
            request.state.clear_session_cookie = True
        else:
            request.state.session_expires_in = loaded.seconds_left
            request.state.display_name = (
                loaded.row.session_cache.get("display_name") or loaded.identity.display_name
            )
    request.state.identity = loaded.identity if loaded else None
    return loaded


CurrentSession = Annotated[LoadedSession | None, Depends(current_session)]


async def current_identity(loaded: CurrentSession) -> Identity | None:
    return loaded.identity if loaded else None


CurrentIdentity = Annotated[Identity | None, Depends(current_identity)]


async def identity_without_session(request: Request) -> Identity | None:
    """The identity, read in a database session that is closed again before the endpoint runs.

    For pages that wait on another system (the case system): they must not hold one of the
    process's few database sessions while that system takes its time.
    """
    settings: Settings = request.app.state.settings
    if not request.cookies.get(session_cookie_name(settings)):
        request.state.identity = None
        return None
    loaded = await in_own_session(request, lambda db: read_session(request, db, settings))
    return loaded.identity if loaded else None


IdentityWithoutSession = Annotated[Identity | None, Depends(identity_without_session)]
