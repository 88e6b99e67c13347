"""Appointment e-mails are written in the language the resident booked in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from portal.afspraken import booking, links, mail, service
from portal.afspraken.demo import load_afspraken_demo
from portal.berichten.models import OutboxMessage
from portal.settings import Settings


@pytest.mark.parametrize(
    ("language", "greeting", "bring", "subject"),
    [
        ("nl", "Beste Jan Jansen,", "Neem mee:", "Uw afspraak bij de gemeente is gemaakt"),
        ("en", "Dear Jan Jansen,", "Bring along:", "Your appointment with the municipality"),
    ],
)
def test_confirmation_in_the_booking_language(
    db_engine: Any, settings: Settings, language: str, greeting: str, bring: str, subject: str
) -> None:
    now = datetime.now(UTC)
    with Session(db_engine) as db:
        load_afspraken_demo(db, settings)
        choice = service.make_choice(db, ["paspoort"], 1)
        first, last = service.window(settings, now)
        times = service.available_times_by_day(
            db, choice, "servicepunt-onnen", first=first, last=last, now=now
        )
        start = times[min(times)][0]
        appointment = booking.hold_slot(
            db,
            choice=choice,
            location_code="servicepunt-onnen",
            start=start,
            settings=settings,
            now=now,
            language=language,
        )
        booking.save_contact(
            db,
            appointment,
            booking.Contact("Jan Jansen", "jan@example.nl", ""),
            settings=settings,
            now=now,
        )
        booking.confirm(db, appointment, now=now)
        mail.queue_appointment_mail(
            db,
            appointment,
            kind="appointment_confirmed",
            settings=settings,
            now=now,
            manage_url=links.manage_url(settings, appointment),
        )
        db.commit()
        (message,) = db.exec(
            select(OutboxMessage).where(OutboxMessage.recipient == "jan@example.nl")
        ).all()
    assert message.subject.startswith(subject)
    assert message.body_text.startswith(greeting)
    assert bring in message.body_text
    product = "Apply for a passport" if language == "en" else "Paspoort aanvragen"
    assert product in message.body_text
    assert message.attachment_name.endswith(".ics")
