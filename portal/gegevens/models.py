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


class ContactDetails(SQLModel, table=True):
    """The e-mail address and phone number the person gave the portal, each used only once
    verified with a code, and whether they also want letters on paper."""

    __tablename__ = "contactgegevens"

    owner: str = Field(primary_key=True, max_length=40)  # bsn:<bsn> | kvk:<kvk>
    email: str | None = Field(default=None, max_length=254)
    email_verified_at: datetime | None = None
    phone: str | None = Field(default=None, max_length=20)
    phone_verified_at: datetime | None = None
    paper_post: bool = Field(default=False)  # also letters on paper, not only digital
    updated_at: datetime


class VerificationCode(SQLModel, table=True):
    """A one-time code sent to an address the person wants to use. Only an HMAC of the code is
    kept, bound to the owner, channel and address; it expires and allows a few tries."""

    __tablename__ = "verificatiecode"
    __table_args__ = (Index("ix_verificatiecode_owner", "owner", "channel", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(max_length=40)
    channel: str = Field(max_length=10)  # email | telefoon
    address: str = Field(max_length=254)  # the address or number the code was sent to
    code_hash: str = Field(max_length=64)
    created_at: datetime
    expires_at: datetime
    attempts: int = Field(default=0)
    used_at: datetime | None = None
    outbox_id: int | None = None  # the message carrying the code, blanked once it is used
