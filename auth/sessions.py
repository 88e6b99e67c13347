"""Server-side sessions: an opaque cookie token, its hash in the database, idle and absolute end."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, delete
from sqlmodel import Session, col

from auth.identity import Identity
from auth.models import PendingLogin, UserSession

# Writing last_seen_at on every request would turn every page view into a write; a few
# seconds of slack in a 15-minute idle timeout is harmless.
TOUCH_AFTER = timedelta(seconds=15)


def utcnow() -> datetime:
    """Now, in UTC (every stored time is UTC; pages show Europe/Amsterdam)."""
    return datetime.now(UTC)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta
    absolute: timedelta


@dataclass
class LoadedSession:
    """A valid session, as the request sees it."""

    row: UserSession
    identity: Identity
    expires_at: datetime

    @property
    def seconds_left(self) -> int:
        return max(0, int((self.expires_at - utcnow()).total_seconds()))


def create_session(db: Session, *, identity: Identity, id_token: str, policy: SessionPolicy) -> str:
    """Start a session for `identity` and return the new cookie token (never stored itself)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.add(
        UserSession(
            token_hash=hash_token(token),
            provider=identity.provider,
            identity=identity.to_json(),
            id_token=id_token,
            created_at=now,
            last_seen_at=now,
            expires_at=now + policy.absolute,
            session_cache={},
        )
    )
    db.flush()
    return token


def load_session(db: Session, *, token: str, policy: SessionPolicy) -> LoadedSession | None:
    """The session for `token` if it is still valid; an expired one is deleted."""
    row = db.get(UserSession, hash_token(token))
    if row is None:
        return None
    now = utcnow()
    idle_deadline = row.last_seen_at + policy.idle
    if now >= idle_deadline or now >= row.expires_at:
        db.delete(row)
        db.flush()
        return None
    if now - row.last_seen_at >= TOUCH_AFTER:
        row.last_seen_at = now
        idle_deadline = now + policy.idle
    return LoadedSession(
        row=row,
        identity=Identity.from_json(row.identity),
        expires_at=min(idle_deadline, row.expires_at),
    )


def extend_session(db: Session, *, loaded: LoadedSession, policy: SessionPolicy) -> None:
    """Restart the idle clock (the user chose to stay logged in)."""
    now = utcnow()
    loaded.row.last_seen_at = now
    loaded.expires_at = min(now + policy.idle, loaded.row.expires_at)
    db.add(loaded.row)


def end_session(db: Session, *, token: str) -> UserSession | None:
    """Delete the session for `token`; returns what it was, for the provider logout."""
    row = db.get(UserSession, hash_token(token))
    if row is not None:
        db.delete(row)
        db.flush()
    return row


def session_cache_get(loaded: LoadedSession, key: str) -> Any:
    return loaded.row.session_cache.get(key)


def session_cache_put(db: Session, loaded: LoadedSession, key: str, value: Any) -> None:
    """Keep data fetched for this session (BRP, KVK) until the session ends, and no longer."""
    loaded.row.session_cache = {**loaded.row.session_cache, key: value}
    db.add(loaded.row)


def purge_expired(db: Session, *, policy: SessionPolicy, pending_max_age: timedelta) -> int:
    """Delete expired sessions and stale logins in progress (run by the worker)."""
    now = utcnow()
    sessions: CursorResult[Any] = db.execute(  # type: ignore[assignment]
        delete(UserSession).where(
            (col(UserSession.last_seen_at) < now - policy.idle)
            | (col(UserSession.expires_at) < now)
        )
    )
    logins: CursorResult[Any] = db.execute(  # type: ignore[assignment]
        delete(PendingLogin).where(col(PendingLogin.created_at) < now - pending_max_age)
    )
    return int(sessions.rowcount or 0) + int(logins.rowcount or 0)
