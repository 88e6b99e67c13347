"""Page states of the zaken pages for the browser harness (merged in tests/browser/pages.py)."""

from __future__ import annotations

from tests.browser.pages import PageState


def page_states() -> list[PageState]:
    return []
