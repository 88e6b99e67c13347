"""The worker delivers the outbox over SMTP exactly once per message, retries after an outage,
and two workers never send the same message."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, col, func, select

from portal.berichten import service
from portal.berichten.models import OutboxMessage
from portal.berichten.sender import FileMailSender, SmtpMailSender, deliver_pending
from tests.conftest import free_port, make_settings


class Inbox:
    """An SMTP server's handler that keeps what it accepts, or refuses everything for a while."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.refuse = ""  # e.g. "451 ..." to answer every message with a temporary failure
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refuse:
            return self.refuse
        with self.lock:
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


def unsent(db_engine: Any) -> int:
    with Session(db_engine) as db:
        query = select(func.count()).select_from(OutboxMessage)
        query = query.where(col(OutboxMessage.sent_at).is_(None), OutboxMessage.skipped == "")
        return int(db.exec(query).one())


def test_two_workers_never_send_the_same_message(
    db_engine: Any, database_url: str, smtp: Any
) -> None:
    inbox, port = smtp
    settings = make_settings(database_url, mail_backend="smtp", smtp_port=port)
    now = datetime.now(UTC)
    queue(db_engine, 120, now)
    sent_by: list[int] = [0, 0]

    def work(number: int) -> None:
        """A worker's rounds: until nothing is left (the other may hold some on lease)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            sent_by[number] += deliver_pending(db_engine, settings, SmtpMailSender(settings), now)
            if unsent(db_engine) == 0:
                return

    workers = [threading.Thread(target=work, args=(number,)) for number in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    recipients = [e.rcpt_tos[0] for e in inbox.messages]
    assert len(recipients) == 120
    assert len(set(recipients)) == 120
    assert sum(sent_by) == 120
    with Session(db_engine) as db:
        messages = db.exec(select(OutboxMessage)).all()
    assert all(m.sent_at is not None and m.attempts == 1 for m in messages)


def test_skipped_messages_are_never_sent(db_engine: Any, database_url: str, smtp: Any) -> None:
    inbox, port = smtp
    settings = make_settings(database_url, mail_backend="smtp", smtp_port=port)
    now = datetime.now(UTC)
    with Session(db_engine) as db:
        service.set_preferences(db, owner="bsn:999993653", wanted=set())
        for kind, email in (("status_changed", "suzanne@example.nl"), ("decision_made", None)):
            service.queue_message(
                db,
                kind=kind,
                recipient=service.Recipient(email=email, bsn="999993653"),
                subject="Uw zaak",
                body_text="Kijk in Mijn Haren.",
                now=now,
            )
        db.commit()
    for later in (now, now + timedelta(days=1)):
        assert deliver_pending(db_engine, settings, SmtpMailSender(settings), later) == 0
    assert inbox.messages == []
    with Session(db_engine) as db:
        skipped = sorted(m.skipped for m in db.exec(select(OutboxMessage)).all())
        assert skipped == ["geen_adres", "voorkeur"]
        assert all(m.attempts == 0 for m in db.exec(select(OutboxMessage)).all())


def test_temporary_refusal_is_retried_after_the_back_off(
    db_engine: Any, database_url: str, smtp: Any
) -> None:
    inbox, port = smtp
    settings = make_settings(database_url, mail_backend="smtp", smtp_port=port)
    now = datetime.now(UTC)
    queue(db_engine, 2, now)
    inbox.refuse = "451 4.3.0 Probeer het later nog eens"
    assert deliver_pending(db_engine, settings, SmtpMailSender(settings), now) == 0
    inbox.refuse = ""
    with Session(db_engine) as db:
        messages = db.exec(select(OutboxMessage)).all()
        assert [(m.attempts, m.last_error, m.sent_at) for m in messages] == [
            (1, "SMTPDataError", None)
        ] * 2
        assert all(service.delivery_state(m) == "vertraagd" for m in messages)
    # The first retry waits one minute.
    assert deliver_pending(db_engine, settings, SmtpMailSender(settings), now) == 0
    later = now + timedelta(seconds=59)
    assert deliver_pending(db_engine, settings, SmtpMailSender(settings), later) == 0
    later = now + timedelta(minutes=1, seconds=1)
    assert deliver_pending(db_engine, settings, SmtpMailSender(settings), later) == 2
    assert deliver_pending(db_engine, settings, SmtpMailSender(settings), later) == 0
    assert len(inbox.messages) == 2
    with Session(db_engine) as db:
        assert all(m.attempts == 2 for m in db.exec(select(OutboxMessage)).all())


def test_back_off_grows_with_every_failure(db_engine: Any, database_url: str) -> None:
    down = make_settings(database_url, mail_backend="smtp", smtp_port=free_port())
    now = datetime.now(UTC)
    queue(db_engine, 1, now)
    moment = now
    waits = []
    for _ in range(5):
        assert deliver_pending(db_engine, down, SmtpMailSender(down), moment) == 0
        with Session(db_engine) as db:
            message = db.exec(select(OutboxMessage)).one()
        send_after = message.send_after.replace(tzinfo=UTC)
        waits.append(send_after - moment)
        moment = send_after
    assert waits == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=2),
    ]
    assert message.attempts == 5


def test_development_mail_lands_in_files(db_engine: Any, database_url: str, tmp_path: Any) -> None:
    settings = make_settings(database_url)
    now = datetime.now(UTC)
    queue(db_engine, 1, now)
    assert deliver_pending(db_engine, settings, FileMailSender(tmp_path), now) == 1
    [mail] = list(tmp_path.glob("*.eml"))
    assert b"HRN-2026-000000" in mail.read_bytes()
