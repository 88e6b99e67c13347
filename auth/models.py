"""Server-side sessions and logins in progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class UserSession(SQLModel, table=True):
    """A logged-in browser; the cookie holds a random token, this row holds its SHA-256."""

    __tablename__ = "auth_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    provider: str = Field(max_length=20)
    identity: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    id_token: str = Field(default="")
    created_at: datetime
    last_seen_at: datetime = Field(index=True)
    expires_at: datetime = Field(index=True)
    # Personal data fetched from BRP or KVK for this session only; it dies with the session.
    session_cache: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )


class PendingLogin(SQLModel, table=True):
    """One authorization request in flight; deleted when its callback arrives (single use)."""

    __tablename__ = "auth_pending_login"

    state: str = Field(primary_key=True, max_length=128)
    provider: str = Field(max_length=20)
    nonce: str = Field(max_length=128)
    code_verifier: str = Field(max_length=128)
    browser_binding_hash: str = Field(max_length=64)
    next_path: str = Field(default="/mijn", max_length=500)
    minimum_loa: str = Field(default="", max_length=200)
    created_at: datetime = Field(index=True)
