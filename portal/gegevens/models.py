"""The access log: every time staff looked at a person's case or personal data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class AccessLogEntry(SQLModel, table=True):
    """One look by staff at data about a resident or company; the person sees these rows."""

    __tablename__ = "inzage_log"
    __table_args__ = (
        Index("ix_inzage_log_bsn", "subject_bsn", "at"),
        Index("ix_inzage_log_kvk", "subject_kvk", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    staff_subject: str = Field(max_length=100)
    staff_name: str = Field(default="", max_length=200)
    staff_role: str = Field(max_length=40)
    subject_bsn: str | None = Field(default=None, max_length=9)
    subject_kvk: str | None = Field(default=None, max_length=8)
    action: str = Field(max_length=40)  # zaak_bekeken | document_bekeken | gegevens_bekeken
    zaak_reference: str | None = Field(default=None, max_length=20)
    purpose: str = Field(default="", max_length=200)
