"""Delivering the outbox: e-mail over SMTP, or into files under var/mail in development.

`mijn-haren worker` calls `deliver_pending`. Each message is first claimed with a conditional
UPDATE that moves its `send_after` a lease into the future, so two workers never send the same
message at the same time; a message is marked sent right after the SMTP server accepted it.
A failure is recorded and retried with growing intervals.
"""

from __future__ import annotations

import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any, Protocol

import structlog
from sqlalchemy import CursorResult, Engine, update
from sqlmodel import Session, col, select

from portal.berichten.models import OutboxMessage
from portal.settings import Settings

log = structlog.get_logger("mijnharen.berichten")
LEASE = timedelta(minutes=5)
BATCH = 50
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))


class MailSender(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class FileMailSender:
    """Stands in for SMTP in development: each e-mail becomes an .eml file to open."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)

    def send(self, message: EmailMessage) -> None:
        name = str(message["Message-ID"]).strip("<>").replace("@", "_").replace("/", "_")
        (self.folder / f"{name}.eml").write_bytes(bytes(message))


class SmtpMailSender:
    """Sends over SMTP (with STARTTLS and login when configured)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, message: EmailMessage) -> None:
        s = self.settings
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.http_timeout_seconds) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password)
            smtp.send_message(message)


def sender_for(settings: Settings) -> MailSender:
    if settings.mail_backend == "smtp":
        return SmtpMailSender(settings)
    return FileMailSender(settings.data_dir / "mail")


def as_email(message: OutboxMessage, settings: Settings) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain="haren.example")
    email.set_content(message.body_text)
    if message.attachment_name and message.attachment_text is not None:
        maintype, subtype = message.attachment_type.split("/", 1)
        email.add_attachment(
            message.attachment_text.encode(),
            maintype=maintype,
            subtype=subtype,
            filename=message.attachment_name,
        )
    return email


def _claim(engine: Engine, message_id: int, now: datetime) -> OutboxMessage | None:
    with Session(engine, expire_on_commit=False) as db:
        claimed: CursorResult[Any] = db.execute(  # type: ignore[assignment]
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == message_id, col(OutboxMessage.sent_at).is_(None))
            .where(col(OutboxMessage.send_after) <= now, col(OutboxMessage.skipped) == "")
            .values(send_after=now + LEASE, attempts=OutboxMessage.attempts + 1)
        )
        db.commit()
        if claimed.rowcount != 1:
            return None
        return db.get(OutboxMessage, message_id)


def deliver_pending(engine: Engine, settings: Settings, sender: MailSender, now: datetime) -> int:
    """Send every message that is due; returns how many were sent."""
    with Session(engine) as db:
        due = db.exec(
            select(OutboxMessage.id)
            .where(col(OutboxMessage.sent_at).is_(None), col(OutboxMessage.send_after) <= now)
            .where(col(OutboxMessage.skipped) == "")
            .order_by(col(OutboxMessage.id))
            .limit(BATCH)
        ).all()
    sent = 0
    for message_id in due:
        assert message_id is not None
        message = _claim(engine, message_id, now)
        if message is None:
            continue
        try:
            sender.send(as_email(message, settings))
        except (OSError, smtplib.SMTPException) as error:
            retry = BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
            _record(engine, message_id, send_after=now + retry, error=type(error).__name__)
            log.warning("mail_failed", message=message_id, attempts=message.attempts)
            continue
        _record(engine, message_id, sent_at=now)
        log.info("mail_sent", message=message_id, kind=message.kind)
        sent += 1
    return sent


def _record(engine: Engine, message_id: int, **values: Any) -> None:
    if "error" in values:
        values["last_error"] = values.pop("error")[:500]
    with Session(engine) as db:
        db.execute(
            update(OutboxMessage).where(col(OutboxMessage.id) == message_id).values(**values)
        )
        db.commit()
