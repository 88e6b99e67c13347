"""Page weight: the HTML of every page state in the registry, as the browser received it from the
live portal (compressed; Chromium asks for gzip), is under 20 KB. The largest are printed at
the end. The first visit's total (HTML, CSS, JS) is tests/test_page_weight.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, Response

from tests.browser.pages import PAGES, PageState

pytestmark = pytest.mark.browser

HTML_LIMIT = 20 * 1024
# Starlette's GZipMiddleware leaves smaller bodies as they are.
COMPRESSED_FROM = 500


@pytest.fixture(scope="module")
def weights(request: pytest.FixtureRequest) -> Iterator[dict[str, int]]:
    """Each state's compressed HTML size; the five largest are reported after the module."""
    sizes: dict[str, int] = {}
    yield sizes
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if not sizes or reporter is None or capture is None:
        return
    largest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
    with capture.global_and_fixture_disabled():
        reporter.write_line(f"\nlargest HTML, gzip, of {len(sizes)} page states:")
        for state_id, size in largest:
            reporter.write_line(f"  {size:>7} bytes  {state_id}")


@pytest.mark.parametrize("state", PAGES, ids=[state.id for state in PAGES])
def test_compressed_html_is_under_20_kb(
    page: Page,
    opened: Callable[[Page, PageState], Response | None],
    state: PageState,
    weights: dict[str, int],
) -> None:
    response = opened(page, state)
    assert response is not None, state.id
    html = response.body()  # as decoded by the browser
    sent = response.request.sizes()["responseBodySize"]  # as it came over the wire
    if len(html) >= COMPRESSED_FROM:
        assert response.header_value("content-encoding") == "gzip", state.id
        assert sent < len(html), state.id
    weights[state.id] = sent
    assert sent < HTML_LIMIT, f"{state.id} ({page.url}): {sent} bytes of HTML, gzip"
