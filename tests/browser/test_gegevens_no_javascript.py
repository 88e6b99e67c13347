"""The personal data journeys work with JavaScript switched off: seeing the household and the
whole BSN, verifying an e-mail address with a code, starting a correction and downloading the
copy of everything."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.gegevens.browser_pages import LANCE
from tests.gegevens.helpers import emailed_code

pytestmark = pytest.mark.browser


def test_resident_verifies_an_address_and_downloads_everything_without_javascript(
    page_no_js: Page, db_engine: Any
) -> None:
    page = page_no_js
    log_in(page, LANCE, next_path="/mijn/gegevens")
    main = page.locator("main")
    expect(main).to_contain_text("Marianne de Jong")
    expect(main).to_contain_text("******858")
    with page.expect_navigation():
        main.get_by_role("link", name="Toon uw hele BSN").click()
    expect(main).to_contain_text("999990858")

    with page.expect_navigation():
        main.get_by_role("link", name="Voeg toe e-mailadres").click()
    page.locator("#email").fill("lance.nojs@example.nl")
    with page.expect_navigation():
        page.get_by_role("button", name="Stuur mij een code").click()
    page.locator("#code").fill(emailed_code(db_engine, "lance.nojs@example.nl"))
    with page.expect_navigation():
        page.get_by_role("button", name="Bevestig").click()
    expect(page.get_by_role("status")).to_contain_text("Uw e-mailadres is bevestigd")
    expect(main).to_contain_text("lance.nojs@example.nl")

    with page.expect_download() as started:
        page.get_by_role("button", name="Download mijn gegevens").click()
    path = started.value.path()
    data = json.loads(zipfile.ZipFile(io.BytesIO(path.read_bytes())).read("gegevens.json"))
    assert data["contactgegevens"][0]["email"] == "lance.nojs@example.nl"

    with page.expect_navigation():
        main.get_by_role("link", name="Klopt er iets niet? Nationaliteit").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Start het formulier").click()
    expect(page.locator("h1")).to_contain_text("Uw gegevens")
