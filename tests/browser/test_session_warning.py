"""WCAG 2.2.1 / R8: before the session times out a dialog warns and lets you stay logged in.

Playwright's fake clock makes the 13 minutes pass at once; the server's clock is the real one,
so the session is still fresh there when "Ingelogd blijven" is clicked.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, path_of, url_path
from tests.browser.pages import SUZANNE

pytestmark = pytest.mark.browser


def test_session_warning_opens_in_time_and_extends_the_session(page: Page) -> None:
    page.clock.install()
    log_in(page, SUZANNE)
    body = page.locator("body")
    expires_in = body.get_attribute("data-session-expires-in")
    warning = body.get_attribute("data-session-warning")
    assert expires_in, "a logged-in page must tell the script when the session ends"
    assert warning, "a logged-in page must tell the script when to warn"
    seconds_to_warning = int(float(expires_in)) - int(float(warning))
    assert seconds_to_warning > 10, (expires_in, warning)
    dialog = page.locator("#sessie-waarschuwing")

    page.clock.fast_forward((seconds_to_warning - 10) * 1000)
    page.clock.run_for(1000)
    expect(dialog).to_be_hidden()
    assert not dialog.evaluate("d => d.open"), "the warning opened too early"

    page.clock.fast_forward(11_000)
    page.clock.run_for(1000)
    expect(dialog).to_be_visible()
    assert dialog.evaluate("d => d.open"), "the warning <dialog> is shown without being open"
    focus_inside = page.evaluate(
        "document.getElementById('sessie-waarschuwing').contains(document.activeElement)"
    )
    assert focus_inside, "focus is not inside the session warning dialog"

    with page.expect_response(lambda r: "/sessie/verlengen" in r.url) as extended:
        page.get_by_role("button", name="Ingelogd blijven").click()
    assert extended.value.status in (200, 204, 303), extended.value.status
    restarted = extended.value.headers.get("x-session-expires-in")
    assert restarted, "the extend response does not say how long the session now lasts"
    assert int(restarted) >= int(float(expires_in)) - 5, (restarted, expires_in)
    expect(dialog).to_be_hidden()
    # The script restarted its clock: no warning again until the idle time has nearly run out.
    page.clock.fast_forward(60_000)
    expect(dialog).to_be_hidden()

    response = page.goto("/mijn")
    assert response is not None
    message = f"after 'Ingelogd blijven' /mijn gave {response.status} at {page.url}"
    assert response.status == 200, message
    assert path_of(page) == "/mijn", message
    assert not response.request.redirected_from, "the session had ended: /mijn redirected"


def test_without_an_answer_the_page_goes_to_session_expired(page: Page) -> None:
    page.clock.install()
    log_in(page, SUZANNE)
    expires_in = int(float(page.locator("body").get_attribute("data-session-expires-in") or 0))
    assert expires_in > 0, "a logged-in page must tell the script when the session ends"
    page.clock.fast_forward((expires_in + 1) * 1000)
    page.wait_for_url(lambda url: url_path(url) == "/sessie-verlopen")
    assert "next=%2Fmijn" in page.url, page.url
