"""Queueing messages to residents in the same transaction as the change that causes them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from portal.berichten.models import OutboxMessage


def queue_message(
    db: Session,
    *,
    kind: str,
    recipient: str,
    subject: str,
    body_text: str,
    now: datetime,
    zaak_reference: str | None = None,
) -> OutboxMessage:
    """Write one message to the outbox; the worker sends it after the transaction commits."""
    message = OutboxMessage(
        kind=kind,
        recipient=recipient,
        subject=subject[:200],
        body_text=body_text,
        zaak_reference=zaak_reference,
        created_at=now,
        send_after=now,
    )
    db.add(message)
    db.flush()
    return message
