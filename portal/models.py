"""Tables of the portal's own infrastructure (not of any domain)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class RateLimitWindow(SQLModel, table=True):
    """How often one client did one limited thing in one fixed window; shared by all processes."""

    __tablename__ = "rate_limit_window"

    key: str = Field(primary_key=True, max_length=128)
    window_start: datetime = Field(primary_key=True)
    hits: int = Field(default=0)
