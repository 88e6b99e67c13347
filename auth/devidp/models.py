"""Authorization codes issued by the development identity provider."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel


class DevIdpAuthorizationCode(SQLModel, table=True):
    """A code handed to the portal's callback; usable once, for a few minutes."""

    __tablename__ = "devidp_authorization_code"

    code: str = Field(primary_key=True, max_length=128)
    provider: str = Field(max_length=20)
    client_id: str = Field(max_length=200)
    redirect_uri: str = Field(max_length=500)
    # Scope and nonce come from the authorization request as sent; no length is assumed.
    scope: str = Field(sa_column=Column(Text, nullable=False))
    nonce: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    code_challenge: str | None = Field(default=None, max_length=200)
    code_challenge_method: str | None = Field(default=None, max_length=10)
    subject: str = Field(max_length=200)
    claims: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    auth_time: datetime
    created_at: datetime = Field(index=True)
    used_at: datetime | None = None
