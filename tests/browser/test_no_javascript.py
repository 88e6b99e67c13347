"""A4: the login journeys work with JavaScript switched off (progressive enhancement)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import choose_on_devidp, path_of, url_path
from tests.browser.pages import DAGOBERT, SUZANNE, staff

pytestmark = pytest.mark.browser


def control(page: Page | Locator, name: str | re.Pattern[str]) -> Locator:
    """The link or button with this accessible name (a login choice may be either)."""
    return page.get_by_role("link", name=name).or_(page.get_by_role("button", name=name)).first


def on_devidp_page(page: Page) -> bool:
    return page.locator('input[name="subject"]').count() > 0


def log_out_from_header(page: Page) -> None:
    """The header's logout button (a form POST, so it works without JavaScript)."""
    with page.expect_navigation():
        page.get_by_role("banner").get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(lambda url: url_path(url) == "/uitgelogd")
    expect(page.locator("h1")).to_be_visible()


def assert_logged_out(page: Page, protected: str) -> None:
    """After logging out the protected page sends you to a login page again."""
    page.goto(protected)
    assert path_of(page) in ("/inloggen", "/sessie-verlopen"), (
        f"after logging out {protected} still opened as {page.url}"
    )


def test_resident_logs_in_and_out_with_digid_without_javascript(page_no_js: Page) -> None:
    page = page_no_js
    page.goto("/")
    with page.expect_navigation():
        control(page, "Inloggen met DigiD").click()
    page.wait_for_load_state()
    assert on_devidp_page(page), f"'Inloggen met DigiD' led to {page.url}, not the dev IdP page"
    choose_on_devidp(page, SUZANNE.subject)
    page.wait_for_url(lambda url: url_path(url) == "/mijn")
    expect(page.locator("h1")).to_contain_text("Suzanne Moulin")
    log_out_from_header(page)
    assert_logged_out(page, "/mijn")


def test_company_logs_in_with_eherkenning_without_javascript(page_no_js: Page) -> None:
    page = page_no_js
    page.goto("/")
    with page.expect_navigation():
        control(page, "Inloggen met eHerkenning").click()
    page.wait_for_load_state()
    assert on_devidp_page(page), f"'Inloggen met eHerkenning' led to {page.url}"
    choose_on_devidp(page, DAGOBERT.subject)
    page.wait_for_url(lambda url: url_path(url) == "/mijn")
    expect(page.locator("main")).to_contain_text(DAGOBERT.subject)
    log_out_from_header(page)
    assert_logged_out(page, "/mijn")


def test_staff_logs_in_to_the_backoffice_without_javascript(page_no_js: Page) -> None:
    page = page_no_js
    page.goto("/backoffice")
    if not on_devidp_page(page):
        # The login choice page, with the staff login offered for this return address.
        assert path_of(page) == "/inloggen", f"/backoffice without a session went to {page.url}"
        with page.expect_navigation():
            control(page.locator("main"), re.compile("medewerker", re.IGNORECASE)).click()
        page.wait_for_load_state()
    assert on_devidp_page(page), f"the staff login led to {page.url}, not the dev IdP page"
    choose_on_devidp(page, staff("behandelaar").subject)
    page.wait_for_url(lambda url: url_path(url) == "/backoffice")
    expect(page.locator("h1")).to_contain_text("Backoffice")
    log_out_from_header(page)
    assert_logged_out(page, "/backoffice")
