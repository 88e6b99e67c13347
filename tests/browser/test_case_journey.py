"""Issue 4's "Done means", end to end in two browsers: a demo employee logs in through the
development identity provider, finds the relocation a resident submitted, asks for a document;
the resident gets the e-mail, follows its link and uploads the document without JavaScript;
the employee adds the decision letter and closes the case; the resident sees every step in the
timeline and in their messages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, FilePayload, Page, expect

from portal.berichten.sender import deliver_pending
from portal.demo import load_demo_data
from tests.browser.conftest import log_in
from tests.browser.pages import BEHANDELAAR, SUZANNE
from tests.conftest import LiveServer
from tests.zaken.resident_helpers import PDF

pytestmark = pytest.mark.browser
SUZANNE_EMAIL = "suzanne.moulin@example.nl"


class Outbox:
    """Stands in for the SMTP server: keeps what the worker sends."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.sent.append(message)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.sent if m["To"] == address]


def press(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def run_worker(live_server: LiveServer, db_engine: Any, outbox: Outbox) -> None:
    # A little in the future: the e-mail was queued a moment ago by the live server.
    later = datetime.now(UTC) + timedelta(seconds=5)
    deliver_pending(db_engine, live_server.app.state.settings, outbox, later)


def test_staff_ask_for_a_document_and_close_the_relocation(
    new_context: Callable[..., BrowserContext], live_server: LiveServer, db_engine: Any
) -> None:
    list(load_demo_data(live_server.app.state.settings))
    outbox = Outbox()
    run_worker(live_server, db_engine, outbox)  # the demo's own messages count as sent
    assert outbox.sent == []

    staff = new_context().new_page()
    log_in(staff, BEHANDELAAR, next_path="/backoffice/zaken")
    staff.get_by_label("Product").select_option("verhuizing-doorgeven")
    staff.get_by_label("Zoek op zaaknummer of naam").fill("moulin")
    press(staff, "Filteren")
    staff.locator("main").get_by_role("link", name=re.compile(r"^HRN-\d{4}-\d{6}$")).first.click()
    staff.wait_for_url(re.compile(r"/backoffice/zaken/HRN-"))
    reference = urlsplit(staff.url).path.rsplit("/", 1)[1]
    expect(staff.locator("h1")).to_contain_text("Verhuizing")
    press(staff, "Zaak oppakken")

    staff.get_by_label("Documenten", exact=True).check()
    staff.get_by_label("Uw vraag aan de inwoner").fill(
        "Stuur ons een kopie van uw huurcontract voor de Kerklaan 12."
    )
    deadline = (datetime.now(UTC) + timedelta(days=14)).strftime("%d-%m-%Y")
    staff.get_by_label("Uiterste datum").fill(deadline)
    press(staff, "Verzoek versturen")
    expect(staff.locator("#verzoeken ~ *").first).to_contain_text("huurcontract")

    run_worker(live_server, db_engine, outbox)
    (mail,) = outbox.to(SUZANNE_EMAIL)
    body = mail.get_content()
    assert "999993653" not in body
    assert "huurcontract" not in body  # the question itself stays behind the login
    link = re.search(r"https?://\S+/mijn/zaken/(HRN-\d{4}-\d{6})", body)
    assert link is not None
    assert link.group(1) == reference

    resident = new_context(java_script_enabled=False).new_page()
    log_in(resident, SUZANNE, next_path=urlsplit(link.group(0)).path)
    action = resident.locator("section.haren-action")
    expect(action).to_contain_text("huurcontract")
    action.locator("input[type=file]").set_input_files(
        FilePayload(name="huurcontract.pdf", mimeType="application/pdf", buffer=PDF)
    )
    press(resident, "Antwoord versturen")
    expect(resident.get_by_role("status")).to_contain_text("Uw antwoord is verstuurd")

    staff.reload()
    expect(staff.locator("main")).to_contain_text("huurcontract.pdf")
    staff.get_by_label("Titel").fill("Besluit verhuizing")
    staff.locator("#brief-bestand").set_input_files(
        FilePayload(name="besluit.pdf", mimeType="application/pdf", buffer=PDF)
    )
    press(staff, "Brief toevoegen")
    staff.get_by_label("Toegekend", exact=True).check()
    staff.get_by_label("Bericht voor de inwoner").last.fill("Uw nieuwe adres staat in de BRP.")
    press(staff, "Zaak afsluiten")
    expect(staff.locator("main")).to_contain_text("Toegekend")

    run_worker(live_server, db_engine, outbox)
    subjects = [m["Subject"] for m in outbox.to(SUZANNE_EMAIL)]
    assert "Wij hebben uw zaak afgehandeld" in subjects

    resident.goto(f"/mijn/zaken/{reference}")
    timeline = resident.locator("ol.haren-timeline")
    for step in ("Ontvangen", "Wij wachten op u", "In behandeling", "Afgehandeld"):
        expect(timeline).to_contain_text(step)
    expect(timeline).to_contain_text("Uw nieuwe adres staat in de BRP.")
    expect(resident.locator("h2#uitkomst")).to_contain_text("Toegekend")
    documents = resident.locator(".haren-documents")
    expect(documents).to_contain_text("huurcontract.pdf")
    expect(documents).to_contain_text("Besluit verhuizing")

    resident.goto("/mijn/berichten")
    messages = resident.locator("main")
    expect(messages).to_contain_text("Wij hebben informatie van u nodig")
    expect(messages).to_contain_text("Wij hebben uw zaak afgehandeld")
    expect(messages).to_contain_text("Verstuurd per e-mail")
