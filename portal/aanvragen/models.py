"""Drafts of forms being filled in, and the files uploaded to them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Draft(SQLModel, table=True):
    """A form being filled in; every completed step is saved here. Owned by one person."""

    __tablename__ = "aanvraag_draft"
    __table_args__ = (UniqueConstraint("submission_token", name="uq_draft_submission_token"),)

    id: str = Field(primary_key=True, max_length=32)
    form_slug: str = Field(max_length=80, index=True)
    owner: str = Field(max_length=80, index=True)  # "bsn:…", "kvk:…[:vestiging]" or "anon:<hash>"
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    current_step: str = Field(default="", max_length=80)
    created_at: datetime
    updated_at: datetime
    expires_at: datetime = Field(index=True)
    submission_token: str = Field(max_length=64)
    submitted_at: datetime | None = None
    zaak_reference: str | None = Field(default=None, max_length=20)


class DraftUpload(SQLModel, table=True):
    """A file accepted for a draft's upload field; its bytes live in the file store."""

    __tablename__ = "aanvraag_upload"

    id: str = Field(primary_key=True, max_length=32)
    draft_id: str = Field(foreign_key="aanvraag_draft.id", index=True)
    field_name: str = Field(max_length=80)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    created_at: datetime


class FormMonth(SQLModel, table=True):
    """How many online forms of a kind were started and submitted in a month (drafts are
    removed after a while; these counts stay)."""

    __tablename__ = "formulier_maand"

    form_slug: str = Field(primary_key=True, max_length=80)
    month: str = Field(primary_key=True, max_length=7)
    started: int = Field(default=0)
    submitted: int = Field(default=0)
