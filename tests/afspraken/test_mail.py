"""The confirmation e-mail over real SMTP (aiosmtpd on loopback): a valid calendar file, and a
body with the date, time, place, what to bring and a manage link that opens the appointment."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from datetime import date
from email.message import EmailMessage
from typing import Any

import icalendar
import pytest
import time_machine
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlmodel import Session

from portal.berichten.models import OutboxMessage
from portal.berichten.sender import SmtpMailSender, deliver_pending
from portal.settings import Settings
from tests.afspraken.helpers import (
    NOW,
    WEDNESDAY,
    appointments,
    at,
    book,
    outbox,
    seed,
)
from tests.berichten.test_sender import Inbox
from tests.conftest import free_port, make_settings


@pytest.fixture(autouse=True)
def clock(db_engine: Any, settings: Settings) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        seed(db_engine, settings)
        yield traveller


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def deliver(db_engine: Any, database_url: str, port: int) -> int:
    settings = make_settings(database_url, mail_backend="smtp", smtp_port=port)
    return deliver_pending(db_engine, settings, SmtpMailSender(settings), NOW)


def received(inbox: Inbox) -> list[EmailMessage]:
    return [
        email.message_from_bytes(envelope.content, policy=email.policy.default)
        for envelope in inbox.messages
    ]


def calendar_part(message: EmailMessage) -> EmailMessage:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    part = parts[0]
    assert isinstance(part, EmailMessage)
    return part


def test_the_confirmation_arrives_with_a_valid_calendar_file(
    client: TestClient, db_engine: Any, database_url: str, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    booked = book(
        client,
        day=WEDNESDAY,
        clock="10:30",
        persons=2,
        name="Anna de Vries",
        email="anna@example.nl",
    )
    assert deliver(db_engine, database_url, port) == 1
    assert deliver(db_engine, database_url, port) == 0  # once, not twice
    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["anna@example.nl"]
    [message] = received(inbox)
    assert message["To"] == "anna@example.nl"
    assert message["Subject"] == "Uw afspraak bij de gemeente is gemaakt"

    [appointment] = appointments(db_engine)
    part = calendar_part(message)
    assert part.get_filename() == "afspraak-gemeente-haren.ics"
    calendar = icalendar.Calendar.from_ical(part.get_content())
    assert str(calendar["version"]) == "2.0"
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    [event] = events
    assert str(event["uid"]).startswith(f"{appointment.reference}@")
    assert event.decoded("dtstart") == appointment.starts_at == at(WEDNESDAY, "10:30")
    assert event.decoded("dtend") == appointment.ends_at == at(WEDNESDAY, "10:50")
    assert str(event["location"]) == "Gemeentehuis Haren, Raadhuisplein 10, 9751 AN Haren"
    assert "Paspoort aanvragen" in str(event["summary"])

    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "Beste Anna de Vries," in text
    assert "Wanneer: 10-03-2027 van 10:30 tot 10:50 uur" in text
    assert "Waar: Gemeentehuis Haren, Raadhuisplein 10, 9751 AN Haren" in text
    assert "Waarvoor: Paspoort aanvragen (2 personen)" in text
    assert "Neem mee:" in text
    assert "pasfoto van minder dan 6 maanden oud" in text
    assert f"Kenmerk: {appointment.reference}" in text
    link = f"http://testserver{booked.manage_path}"
    assert link in text.split()

    # The link in the e-mail opens the appointment.
    page = client.get(booked.manage_path)
    assert page.status_code == 200
    assert appointment.reference in page.text
    assert "Afspraak verzetten" in page.text


def test_the_sent_message_is_recorded_once(
    client: TestClient, db_engine: Any, database_url: str, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    book(client, day=date(2027, 4, 6), clock="09:00", email="piet@example.nl")
    assert deliver(db_engine, database_url, port) == 1
    [message] = outbox(db_engine)
    assert message.sent_at is not None
    assert message.attempts == 1
    with Session(db_engine) as db:
        stored = db.get(OutboxMessage, message.id)
        assert stored is not None
        assert stored.attachment_text is not None
    # Summer time: 09:00 in Haren is 07:00 UTC in the calendar file that arrived.
    [received_message] = received(inbox)
    raw = calendar_part(received_message).get_content()
    assert "DTSTART:20270406T070000Z" in raw.replace("\r\n", "\n")
