"""The message outbox: each row is one message, written with the change that caused it.

The same rows are the resident's message log in /mijn/berichten; a message whose e-mail the
resident switched off (or that has no address) is kept with a `skipped` reason and not sent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class OutboxMessage(SQLModel, table=True):
    """A message to a resident or company; the worker e-mails it and records the outcome."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_bsn", "recipient_bsn", "created_at"),
        Index("ix_outbox_message_kvk", "recipient_kvk", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)  # submission_received, status_changed, ...
    recipient: str = Field(max_length=254)  # e-mail address; empty when there is none
    recipient_bsn: str | None = Field(default=None, max_length=9)
    recipient_kvk: str | None = Field(default=None, max_length=8)
    subject: str = Field(max_length=200)
    body_text: str
    zaak_reference: str | None = Field(default=None, max_length=20, index=True)
    created_at: datetime
    send_after: datetime = Field(index=True)
    sent_at: datetime | None = Field(default=None, index=True)
    attempts: int = Field(default=0)
    last_error: str = Field(default="", max_length=500)
    skipped: str = Field(default="", max_length=20)  # "" | voorkeur | geen_adres
    attachment_name: str = Field(default="", max_length=100)
    attachment_type: str = Field(default="", max_length=60)
    attachment_text: str | None = None


class MessagePreference(SQLModel, table=True):
    """A kind of e-mail the resident or company switched off (absent row: wanted)."""

    __tablename__ = "bericht_voorkeur"

    owner: str = Field(primary_key=True, max_length=40)  # bsn:<bsn> | kvk:<kvk>
    kind: str = Field(primary_key=True, max_length=40)
    email_wanted: bool = Field(default=True)
