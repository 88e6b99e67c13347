"""Submissions on their way to the case system, step by step, and the notifications it sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

URL_LENGTH = 500


class Registratie(SQLModel, table=True):
    """A submitted form that becomes a zaak in the case system.

    The submission itself is safe here from the moment the resident presses send; the worker
    then registers it, one step at a time, storing each step's result (the URL the case
    system gave) so that a retry skips what is done and never creates anything twice.
    """

    __tablename__ = "zgw_registratie"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True)
    submission_token: str = Field(max_length=64, unique=True)
    form_slug: str = Field(max_length=80)
    product: str = Field(max_length=80)
    zaaktype_url: str = Field(max_length=URL_LENGTH)
    omschrijving: str = Field(max_length=200)
    initiator_kind: str = Field(max_length=30)
    initiator_bsn: str | None = Field(default=None, max_length=9, index=True)
    initiator_kvk: str | None = Field(default=None, max_length=8, index=True)
    initiator_vestiging: str | None = Field(default=None, max_length=12)
    initiator_name: str = Field(default="", max_length=200)
    contact_email: str | None = Field(default=None, max_length=254)
    received_at: datetime
    # The check-answers page as the resident saw it: sections of labels and values, for the PDF.
    summary: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))

    zaak_url: str | None = Field(default=None, max_length=URL_LENGTH)
    zaak_identificatie: str | None = Field(default=None, max_length=40)
    rol_url: str | None = Field(default=None, max_length=URL_LENGTH)
    status_url: str | None = Field(default=None, max_length=URL_LENGTH)

    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(index=True)
    last_error: str = Field(default="", max_length=500)
    registered_at: datetime | None = Field(default=None, index=True)
    # When the worker last asked the case system for this zaak's status (notifications can be
    # lost, so registered zaken are also polled until they are closed).
    polled_at: datetime | None = None
    closed_at: datetime | None = None


class RegistratieDocument(SQLModel, table=True):
    """A document of a registration: position 0 is the PDF of the answers (made by the worker),
    then the uploads in the order they were given."""

    __tablename__ = "zgw_registratie_document"

    id: int | None = Field(default=None, primary_key=True)
    registratie_id: int = Field(foreign_key="zgw_registratie.id", index=True)
    position: int
    title: str = Field(max_length=200)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    stored_name: str | None = Field(default=None, max_length=32)
    document_url: str | None = Field(default=None, max_length=URL_LENGTH)
    link_url: str | None = Field(default=None, max_length=URL_LENGTH)


class Melding(SQLModel, table=True):
    """A notification from the case system (a new status), kept until the worker has read the
    case and queued the resident's e-mail. The status URL is unique: a notification that is
    delivered twice is handled once."""

    __tablename__ = "zgw_melding"

    id: int | None = Field(default=None, primary_key=True)
    resource_url: str = Field(max_length=URL_LENGTH, unique=True)
    zaak_url: str = Field(max_length=URL_LENGTH)
    received_at: datetime
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(index=True)
    handled_at: datetime | None = Field(default=None, index=True)
    outcome: str = Field(default="", max_length=40)
