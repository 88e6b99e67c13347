"""The worker delivers the outbox over SMTP exactly once per message, retries after an outage,
and two workers never send the same message."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from portal.berichten import service
from portal.berichten.models import OutboxMessage
from portal.berichten.sender import FileMailSender, SmtpMailSender, deliver_pending
from tests.conftest import free_port, make_settings


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def queue(db_engine: Any, count: int, now: datetime) -> None:
    with Session(db_engine) as db:
        for number in range(count):
            service.queue_message(
                db,
                kind="submission_received",
                recipient=f"inwoner{number}@example.nl",
                subject="Wij hebben uw aanvraag ontvangen",
                body_text=f"Uw referentienummer is HRN-2026-{number:06d}.",
                now=now,
                zaak_reference=f"HRN-2026-{number:06d}",
            )
        db.commit()


def test_each_message_arrives_once(db_engine: Any, database_url: str, smtp: Any) -> None:
    inbox, port = smtp
    settings = make_settings(database_url, mail_backend="smtp", smtp_port=port)
    now = datetime.now(UTC)
    queue(db_engine, 3, now)
    assert deliver_pending(db_engine, settings, SmtpMailSender(settings), now) == 3
    assert deliver_pending(db_engine, settings, SmtpMailSender(settings), now) == 0
    assert sorted(e.rcpt_tos[0] for e in inbox.messages) == [
        "inwoner0@example.nl",
        "inwoner1@example.nl",
        "inwoner2@example.nl",
    ]


def test_outage_is_retried_later(db_engine: Any, database_url: str, smtp: Any) -> None:
    inbox, port = smtp
    now = datetime.now(UTC)
    queue(db_engine, 1, now)
    down = make_settings(database_url, mail_backend="smtp", smtp_port=free_port())
    assert deliver_pending(db_engine, down, SmtpMailSender(down), now) == 0
    with Session(db_engine) as db:
        message = db.exec(select(OutboxMessage)).one()
        assert message.sent_at is None
        assert message.attempts == 1
        assert message.last_error
    up = make_settings(database_url, mail_backend="smtp", smtp_port=port)
    assert deliver_pending(db_engine, up, SmtpMailSender(up), now) == 0  # not due yet
    assert deliver_pending(db_engine, up, SmtpMailSender(up), now + timedelta(minutes=2)) == 1
    assert len(inbox.messages) == 1


def test_two_workers_never_send_the_same_message(
    db_engine: Any, database_url: str, smtp: Any
) -> None:
    inbox, port = smtp
    settings = make_settings(database_url, mail_backend="smtp", smtp_port=port)
    now = datetime.now(UTC)
    queue(db_engine, 20, now)
    workers = [
        threading.Thread(
            target=deliver_pending, args=(db_engine, settings, SmtpMailSender(settings), now)
        )
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    recipients = [e.rcpt_tos[0] for e in inbox.messages]
    assert len(recipients) == 20
    assert len(set(recipients)) == 20


def test_development_mail_lands_in_files(db_engine: Any, database_url: str, tmp_path: Any) -> None:
    settings = make_settings(database_url)
    now = datetime.now(UTC)
    queue(db_engine, 1, now)
    assert deliver_pending(db_engine, settings, FileMailSender(tmp_path), now) == 1
    [mail] = list(tmp_path.glob("*.eml"))
    assert b"HRN-2026-000000" in mail.read_bytes()
