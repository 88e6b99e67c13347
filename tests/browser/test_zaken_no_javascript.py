"""The resident's journeys on the case pages work with JavaScript switched off: answering a
request with a file, withdrawing, and choosing which e-mail to get."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.browser.conftest import log_in
from tests.browser.pages import SUZANNE
from tests.zaken import resident_helpers as cases

pytestmark = pytest.mark.browser


def test_resident_answers_with_a_file_and_withdraws_without_javascript(
    page_no_js: Page,
    db_engine: Any,
) -> None:
    page = page_no_js
    reference = cases.make_zaak(db_engine, omschrijving="Verhuizing doorgeven")
    verzoek_id = cases.ask(db_engine, reference)
    log_in(page, SUZANNE, next_path=f"/mijn/zaken/{reference}")
    expect(page.locator("section.haren-action")).to_contain_text("Actie nodig")

    send = page.get_by_role("button", name="Antwoord versturen")
    with page.expect_navigation():
        send.click()
    expect(page.locator(".haren-error-summary")).to_contain_text("Voeg een bestand toe")

    page.locator(f"#antwoord-{verzoek_id}").fill("Hierbij het huurcontract.")
    page.locator(f"#bestanden-{verzoek_id}").set_input_files(
        FilePayload(name="huurcontract.pdf", mimeType="application/pdf", buffer=cases.PDF)
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_role("status")).to_contain_text("Uw antwoord is verstuurd")
    expect(page.locator('[aria-current="step"]')).to_contain_text("In behandeling")
    expect(page.locator(".haren-documents")).to_contain_text("huurcontract.pdf")
    assert cases.load(db_engine, reference).status == "in_behandeling"

    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Aanvraag intrekken").click()
    page.locator("#reden").fill("Ik blijf toch wonen waar ik woon.")
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, trek mijn aanvraag in").click()
    expect(page.locator("h2#uitkomst")).to_contain_text("Ingetrokken")
    assert cases.load(db_engine, reference).result == "ingetrokken"


def test_resident_switches_off_status_emails_without_javascript(
    page_no_js: Page,
) -> None:
    page = page_no_js
    log_in(page, SUZANNE, next_path="/mijn/berichten/voorkeuren")
    page.locator("input[value=status_changed]").uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Keuze bewaren").click()
    expect(page.get_by_role("status")).to_contain_text("Uw keuze is bewaard")
    expect(page.locator("input[value=status_changed]")).not_to_be_checked()
    expect(page.locator("input[value=information_requested]")).to_be_checked()
