"""The message outbox: each row is one message, written with the change that caused it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class OutboxMessage(SQLModel, table=True):
    """An e-mail to send; the worker delivers it and records the outcome."""

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)  # submission_received, status_changed, ...
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    body_text: str
    zaak_reference: str | None = Field(default=None, max_length=20, index=True)
    created_at: datetime
    send_after: datetime = Field(index=True)
    sent_at: datetime | None = Field(default=None, index=True)
    attempts: int = Field(default=0)
    last_error: str = Field(default="", max_length=500)
