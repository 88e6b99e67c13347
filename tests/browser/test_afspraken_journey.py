"""The issue's walk-through in a real browser: without logging in, a resident books a passport
appointment for two persons from the home page, gets the e-mail with the calendar file,
reschedules with the link in it, and on the day a desk employee marks the visit attended.
Once with JavaScript switched off, and the booking once more with it on."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
import time_machine
from icalendar import Calendar
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from portal.afspraken import schedule
from portal.afspraken.demo import load_afspraken_demo
from portal.afspraken.models import Appointment
from portal.berichten.sender import deliver_pending
from portal.settings import Settings
from tests.browser.conftest import log_in
from tests.browser.pages import staff

pytestmark = pytest.mark.browser
BALIE = staff("balie")


class Captured:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.messages.append(message)


def _settings(engine: Any, base_url: str) -> Settings:
    return Settings(environment="test", database_url=str(engine.url), base_url=base_url)


def _demo(engine: Any, base_url: str) -> None:
    with Session(engine) as db:
        load_afspraken_demo(db, _settings(engine, base_url))
        db.commit()


def _click(page: Page, role: str, name: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role(role, name=name, exact=True).first.click()  # type: ignore[arg-type]


def _book_from_home(page: Page) -> None:
    page.goto("/")
    _click(page, "link", "Afspraak maken")
    page.get_by_label("Paspoort aanvragen").check()
    page.get_by_label("Voor hoeveel personen?").select_option("2")
    _click(page, "button", "Verder")
    page.get_by_label("Gemeentehuis Haren").check()
    _click(page, "button", "Verder")
    page.locator('input[name="datum"]').first.check()
    _click(page, "button", "Verder")
    expect(page.locator("main")).to_contain_text("De afspraak duurt 20 minuten")
    page.locator('input[name="tijd"]').first.check()
    _click(page, "button", "Verder")
    page.get_by_label("Naam").fill("Jan Jansen")
    page.get_by_label("E-mailadres").fill("jan@example.nl")
    _click(page, "button", "Verder")
    expect(page.locator("h1")).to_contain_text("Controleer uw afspraak")
    _click(page, "button", "Afspraak bevestigen")
    expect(page.locator("h1")).to_contain_text("Uw afspraak is gemaakt")


def _only_appointment(engine: Any) -> Appointment:
    """The one appointment Jan Jansen made (the demo data has a few of its own)."""
    with Session(engine) as db:
        (appointment,) = db.exec(select(Appointment).where(Appointment.name == "Jan Jansen")).all()
        return appointment


def test_book_reschedule_by_email_link_and_attend_without_javascript(
    page_no_js: Page, db_engine: Any, live_server: Any
) -> None:
    page = page_no_js
    _demo(db_engine, live_server.url)
    _book_from_home(page)
    booked = _only_appointment(db_engine)
    assert (booked.state, booked.persons) == ("bevestigd", 2)
    assert booked.ends_at - booked.starts_at == timedelta(minutes=20)

    mailbox = Captured()
    settings = _settings(db_engine, live_server.url)
    deliver_pending(db_engine, settings, mailbox, now=datetime.now(booked.starts_at.tzinfo))
    (confirmation,) = [m for m in mailbox.messages if m["To"] == "jan@example.nl"]
    attachment = next(part for part in confirmation.iter_attachments())
    event = Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == booked.starts_at
    body = confirmation.get_body(("plain",))
    assert body is not None
    link = re.search(r"https?://\S+/afspraken/afspraak/\S+", body.get_content())
    assert link is not None

    page.goto(link.group(0))
    _click(page, "link", "Afspraak verzetten")
    page.locator('input[name="datum"]').nth(1).check()
    _click(page, "button", "Verder")
    page.locator('input[name="tijd"]').last.check()
    _click(page, "button", "Afspraak naar deze tijd verzetten")
    expect(page.locator("h1")).to_contain_text("Uw afspraak is verzet")
    moved = _only_appointment(db_engine)
    assert moved.starts_at != booked.starts_at
    assert moved.rescheduled_count == 1
    page.goto(link.group(0))
    expect(page.locator("h1")).not_to_contain_text("Uw afspraak")  # the used link is dead

    page.context.clear_cookies()
    day = schedule.local_day(moved.starts_at)
    with time_machine.travel(moved.starts_at - timedelta(minutes=30), tick=True):
        log_in(page, BALIE, next_path=f"/backoffice/afspraken?locatie=gemeentehuis&datum={day}")
        row = page.locator(f"#afspraak-{moved.reference}")
        expect(row).to_contain_text("Jan Jansen")
        with page.expect_navigation():
            row.get_by_role("button", name=re.compile("^Gekomen")).click()
    expect(page.locator(f"#afspraak-{moved.reference}")).to_contain_text("Gekomen")
    assert _only_appointment(db_engine).state == "verschenen"


def test_booking_with_javascript(page: Page, db_engine: Any, live_server: Any) -> None:
    _demo(db_engine, live_server.url)
    _book_from_home(page)
    assert _only_appointment(db_engine).state == "bevestigd"
