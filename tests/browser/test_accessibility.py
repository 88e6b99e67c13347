"""A1: axe-core finds no WCAG 2.0/2.1/2.2 A and AA violations on any page state in the registry."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Response

from tests.browser.pages import PAGES, PageState

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()


def axe_violations(page: Page) -> tuple[int, str]:
    """The number of axe violations on the page as it is now, and axe's readable report."""
    results = AXE.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return results.violations_count, results.generate_report()


@pytest.mark.parametrize("state", PAGES, ids=[state.id for state in PAGES])
def test_no_axe_violations(
    page: Page, opened: Callable[[Page, PageState], Response | None], state: PageState
) -> None:
    opened(page, state)
    count, report = axe_violations(page)
    assert count == 0, f"{state.id} ({page.url}):\n{report}"
