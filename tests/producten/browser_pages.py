"""Product catalogue page states for the browser tests (axe, keyboard, reflow).

To be merged into `PAGES` in tests/browser/pages.py by its owner, e.g.
`PAGES.extend(PRODUCT_PAGES)` or by copying the lines below.
"""

from __future__ import annotations

from tests.browser.pages import PageState

PRODUCT_PAGES: list[PageState] = [
    PageState("producten", "/producten"),
    PageState("producten-zoeken", "/producten?q=paspoort"),
    PageState("producten-niets-gevonden", "/producten?q=xyzzy"),
    PageState("product-paspoort", "/producten/paspoort"),
    PageState("product-verhuizing", "/producten/verhuizing-doorgeven"),
]
