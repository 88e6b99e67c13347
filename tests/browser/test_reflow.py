"""A3: at 320 CSS px wide (400 % zoom of 1280 px) no page state scrolls sideways (WCAG 1.4.10).

Each page state is opened at 320x256 and checked, then the same page is resized to 320x800 and
checked again (saves a second login and page load per state).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Response, ViewportSize

from tests.browser.pages import PAGES, PageState

pytestmark = pytest.mark.browser

VIEWPORTS: list[ViewportSize] = [{"width": 320, "height": 256}, {"width": 320, "height": 800}]

# The page's scroll width against its width, and the elements sticking out to the right
# (outside any element that scrolls or clips sideways itself, such as a data table in a scroll
# box: those do not make the page scroll).
OVERFLOW = """
() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const contained = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const overflowX = getComputedStyle(p).overflowX;
      if (overflowX !== 'visible') return true;
    }
    return false;
  };
  const describe = (el) => {
    const cls = el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    const text = (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    const r = el.getBoundingClientRect();
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls} "${text}" `
      + `(right edge at ${Math.round(r.right)}px)`;
  };
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1 && !contained(el)) offenders.push(describe(el));
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, offenders: offenders.slice(0, 15)};
}
"""


def check_reflow(page: Page, state: PageState) -> None:
    """No sideways scrolling at any of VIEWPORTS (the page is resized, not reloaded)."""
    problems = []
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        result: dict[str, Any] = page.evaluate(OVERFLOW)
        if result["scrollWidth"] > result["clientWidth"]:
            problems.append(
                f"at {viewport['width']}x{viewport['height']} the page scrolls sideways: "
                f"scrollWidth {result['scrollWidth']} > clientWidth {result['clientWidth']}; "
                "sticking out:\n    " + "\n    ".join(result["offenders"])
            )
    assert not problems, f"{state.id} ({page.url}):\n- " + "\n- ".join(problems)


@pytest.mark.parametrize("state", PAGES, ids=[state.id for state in PAGES])
def test_no_horizontal_scroll(
    new_context: Callable[..., BrowserContext],
    opened: Callable[[Page, PageState], Response | None],
    state: PageState,
) -> None:
    page = new_context(viewport=VIEWPORTS[0]).new_page()
    opened(page, state)
    check_reflow(page, state)
