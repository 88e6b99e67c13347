"""Whole journeys as a resident makes them, with JavaScript switched off (A4)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from formulieren.dates import today
from tests.browser.conftest import choose_on_devidp, path_of
from tests.browser.pages import SUZANNE

pytestmark = pytest.mark.browser


def press(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def follow(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).first.click()


def test_relocation_from_home_page_search_to_case(page_no_js: Page) -> None:
    page = page_no_js
    page.goto("/")
    page.get_by_label("Wat wilt u regelen?").fill("verhuizing")
    press(page, "Zoeken")
    follow(page, "Verhuizing doorgeven")
    follow(page, "Aanvragen")
    assert path_of(page) == "/formulieren/verhuizing"
    follow(page, "Inloggen met DigiD")
    choose_on_devidp(page, SUZANNE.subject)
    page.wait_for_url(re.compile(r"/formulieren/verhuizing$"))
    press(page, "Start")

    main = page.locator("main")
    expect(main).to_contain_text("Suzanne Moulin")
    expect(main).to_contain_text("Basisregistratie Personen")
    page.get_by_label("E-mailadres").fill("suzanne@example.nl")
    press(page, "Opslaan en doorgaan")

    page.locator("#nieuw_adres-postcode").fill("9751 AN")
    page.locator("#nieuw_adres-huisnummer").fill("10")
    page.locator("#nieuw_adres-straat").fill("Raadhuisplein")
    page.locator("#nieuw_adres-woonplaats").fill("Haren")
    moving_day = today() + timedelta(days=7)
    page.locator("#verhuisdatum-dag").fill(str(moving_day.day))
    page.locator("#verhuisdatum-maand").fill(str(moving_day.month))
    page.locator("#verhuisdatum-jaar").fill(str(moving_day.year))
    page.get_by_label("In een huurwoning").check()
    press(page, "Opslaan en doorgaan")

    page.get_by_label("Nee").check()
    press(page, "Opslaan en doorgaan")

    expect(page.locator("h1")).to_have_text("Controleer uw antwoorden")
    expect(main).to_contain_text("Raadhuisplein 10")
    page.get_by_label(re.compile("naar waarheid")).check()
    press(page, "Aanvraag versturen")

    reference = page.locator(".haren-reference").inner_text()
    assert re.fullmatch(r"HRN-\d{4}-\d{6}", reference)
    receipt = page.get_by_role("link", name=re.compile("ontvangstbewijs")).get_attribute("href")
    assert receipt is not None
    pdf = page.request.get(receipt)
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF-")

    page.goto("/mijn/aanvragen")
    expect(main).to_contain_text("U heeft geen aanvragen die u nog moet afmaken.")
    page.goto("/mijn")
    expect(page.locator("#overzicht-zaken-kaart")).to_contain_text("1 lopende zaak")
