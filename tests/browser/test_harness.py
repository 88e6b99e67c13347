"""The checks themselves: each one fails on a page with the fault it looks for planted in it.

Without these, a check that silently found nothing (a selector that never matches, a style
comparison that always passes) would look exactly like an accessible portal.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.pages import PageState
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_keyboard import check_keyboard
from tests.browser.test_reflow import VIEWPORTS, check_reflow

pytestmark = pytest.mark.browser

CONTACT = PageState("contact-met-fout", "/contact")


def plant(page: Page, html: str, css: str = "") -> None:
    """Add `html` at the end of <main> (and `css` to the page), as a template bug would."""
    page.goto(CONTACT.path)
    page.evaluate(
        "html => document.querySelector('main').insertAdjacentHTML('beforeend', html)", html
    )
    if css:
        page.add_style_tag(content=css)


@pytest.fixture
def calm_page(new_context: Callable[..., BrowserContext]) -> Page:
    """As in test_keyboard; the portal's CSP is bypassed so the planted styles apply."""
    return new_context(reduced_motion="reduce", bypass_csp=True).new_page()


def test_the_unchanged_page_passes(calm_page: Page) -> None:
    calm_page.goto(CONTACT.path)
    check_keyboard(calm_page, CONTACT)


def test_axe_finds_an_unlabelled_field(calm_page: Page) -> None:
    page = calm_page
    plant(page, '<input type="text" name="zonder-label">')
    count, report = axe_violations(page)
    assert count >= 1
    assert "label" in report


def test_keyboard_finds_a_missing_focus_indicator(calm_page: Page) -> None:
    plant(
        calm_page,
        '<p><a href="#nergens" class="geen-focus">geen focusstijl</a></p>',
        ".haren-theme .geen-focus, .haren-theme .geen-focus:focus,"
        " .haren-theme .geen-focus:focus-visible { outline: none !important;"
        " box-shadow: none !important; text-decoration: none !important;"
        " background: none !important; border: 0 !important; }",
    )
    with pytest.raises(AssertionError, match='no visible focus indicator on a "geen focusstijl"'):
        check_keyboard(calm_page, CONTACT)


def test_keyboard_finds_a_trap(calm_page: Page) -> None:
    plant(calm_page, '<p><button type="button" id="val">val</button></p>')
    calm_page.evaluate(
        "document.getElementById('val').addEventListener('keydown',"
        " (e) => { if (e.key === 'Tab') e.preventDefault(); })"
    )
    with pytest.raises(AssertionError, match="keyboard trap: Tab left focus on button#val"):
        check_keyboard(calm_page, CONTACT)


def test_keyboard_finds_a_control_out_of_the_tab_order(calm_page: Page) -> None:
    plant(calm_page, '<p><a href="#ergens" tabindex="-1">onbereikbaar</a></p>')
    with pytest.raises(AssertionError, match='not reachable with Tab: a "onbereikbaar"'):
        check_keyboard(calm_page, CONTACT)


def test_keyboard_finds_focus_hidden_behind_a_sticky_bar(calm_page: Page) -> None:
    plant(
        calm_page,
        '<div class="plakbalk">plakbalk</div>',
        ".plakbalk { position: fixed; inset: 0; background: white; z-index: 2000; }",
    )
    with pytest.raises(AssertionError, match="is hidden behind div"):
        check_keyboard(calm_page, CONTACT)


def test_keyboard_finds_a_missing_skip_link(calm_page: Page) -> None:
    plant(calm_page, "", ".utrecht-skip-link { display: none !important; }")
    with pytest.raises(AssertionError, match="not the skip link"):
        check_keyboard(calm_page, CONTACT)


def test_reflow_finds_a_wide_element(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(viewport=VIEWPORTS[0], bypass_csp=True).new_page()
    plant(page, '<div style="width: 600px">te breed</div>')
    with pytest.raises(AssertionError, match=r'div "te breed" \(right edge at'):
        check_reflow(page, CONTACT)
