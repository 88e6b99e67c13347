"""A2: keyboard use on every page state of the registry.

- the first Tab lands on the skip link, and activating it moves focus to <main>;
- tabbing round the page reaches every visible link, button and form field;
- focus never gets stuck (no keyboard trap) and comes round again (the tab order cycles);
- every element that gets focus shows a visible focus indicator (WCAG 2.4.7) and is not entirely
  hidden behind other content such as a sticky header (WCAG 2.4.11).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Response

from tests.browser.pages import PAGES, PageState

pytestmark = pytest.mark.browser

SKIP_LINK_NL = "Naar de inhoud"

# Marks every focusable element with data-kb (its number) and remembers its unfocused style.
# Returns the elements a keyboard user must be able to reach: visible, enabled, tabbable.
MARK_FOCUSABLES = """
() => {
  const selector = 'a[href], area[href], button, input, select, textarea, summary, iframe, '
    + '[tabindex], [contenteditable=""], [contenteditable="true"]';
  const style = (el) => {
    const cs = getComputedStyle(el);
    return {
      outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth, outlineColor: cs.outlineColor,
      outlineOffset: cs.outlineOffset, boxShadow: cs.boxShadow,
      backgroundColor: cs.backgroundColor, color: cs.color,
      borderColor: cs.borderColor, borderWidth: cs.borderWidth, borderStyle: cs.borderStyle,
      textDecoration: cs.textDecorationLine + ' ' + cs.textDecorationThickness,
    };
  };
  window.__kbBaseline = {};
  const reachable = [];
  let n = 0;
  for (const el of document.querySelectorAll(selector)) {
    const id = String(n++);
    el.setAttribute('data-kb', id);
    window.__kbBaseline[id] = style(el);
    // A link or control taken out of the tab order (tabindex="-1") still counts: a keyboard
    // user cannot reach it. Other elements with tabindex="-1" (<main>, an error summary) are
    // focus targets for scripts and links, not stops in the tab order.
    const native = el.matches('a[href], area[href], button, input, select, textarea, summary');
    if (el.matches('input[type=hidden]') || el.disabled || (!native && el.tabIndex < 0)) continue;
    if (el.closest('[inert], fieldset[disabled]')) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width * r.height <= 1) continue;
    if (r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0) continue;
    const group = el.matches('input[type=radio]') && el.name ? 'radio:' + el.name : null;
    reachable.push({id, group, label: window.__kbDescribe(el)});
  }
  return reachable;
}
"""

DESCRIBE = """
() => {
  window.__kbDescribe = (el) => {
    if (!el || el === document.body || el === document.documentElement) return '<body>';
    const tag = el.tagName.toLowerCase();
    const idPart = el.id ? '#' + el.id : '';
    const name = el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '';
    const value = el.matches('input[type=radio], input[type=checkbox]')
      ? `[value=${el.value}]` : '';
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `${tag}${idPart}${name}${value} "${text}"`;
  };
}
"""

# Describes the focused element: which one, whether its focus is visible, whether it is obscured.
# When Tab brings focus back from the browser's own controls into the page, the document gets
# focus a moment later (and only then does :focus match), so wait a few frames for that. Then let
# running transitions finish (haren.css gives every property a 0.01 ms transition under reduced
# motion, and until the next frame the computed style is still the unfocused one).
FOCUS_INFO = """
async () => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {id: null, label: '<body>'};
  }
  for (let i = 0; i < 20 && !(document.hasFocus() && el.matches(':focus')); i++) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  const settled = Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
  await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 1000))]);
  const cs = getComputedStyle(el);
  const base = (window.__kbBaseline || {})[el.getAttribute('data-kb')];
  const transparent = (c) => c === 'transparent' || /rgba\\(.*,\\s*0\\)$/.test(c);
  const reasons = [];
  const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0
    && !transparent(cs.outlineColor);
  const outlineIsNew = !base || base.outlineStyle === 'none' || parseFloat(base.outlineWidth) === 0
    || base.outlineColor !== cs.outlineColor || base.outlineWidth !== cs.outlineWidth
    || base.outlineStyle !== cs.outlineStyle || base.outlineOffset !== cs.outlineOffset;
  if (outline && outlineIsNew) reasons.push(`outline ${cs.outlineStyle} ${cs.outlineWidth}`);
  if (cs.boxShadow !== 'none' && (!base || base.boxShadow !== cs.boxShadow)) {
    reasons.push('box-shadow');
  }
  if (base) {
    if (base.backgroundColor !== cs.backgroundColor) reasons.push('background-color');
    const border = (s) => (s.borderStyle === 'none' || parseFloat(s.borderWidth) === 0)
      ? 'none' : `${s.borderStyle} ${s.borderWidth} ${s.borderColor}`;
    if (border(base) !== border(cs)) reasons.push('border');
    if (base.textDecoration !== cs.textDecorationLine + ' ' + cs.textDecorationThickness) {
      reasons.push('text-decoration');
    }
  }
  // WCAG 2.4.11: some part of the element (or its label) is on top at one of five points.
  const r = el.getBoundingClientRect();
  const mine = (hit) => hit && (hit === el || el.contains(hit)
    || [...(el.labels || [])].some((label) => label.contains(hit)));
  const points = [[0.5, 0.5], [0.1, 0.1], [0.9, 0.1], [0.1, 0.9], [0.9, 0.9]];
  let seen = false;
  let cover = null;
  for (const [fx, fy] of points) {
    const x = r.left + r.width * fx;
    const y = r.top + r.height * fy;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const hit = document.elementFromPoint(x, y);
    if (mine(hit)) { seen = true; break; }
    cover = cover || hit;
  }
  if (!seen && el.labels) {
    for (const label of el.labels) {
      const lr = label.getBoundingClientRect();
      const hit = document.elementFromPoint(lr.left + lr.width / 2, lr.top + lr.height / 2);
      if (lr.width > 0 && label.contains(hit)) seen = true;
    }
  }
  return {
    id: el.getAttribute('data-kb'),
    label: window.__kbDescribe(el),
    visible: reasons.length > 0,
    reasons,
    obscuredBy: seen ? null : (cover ? window.__kbDescribe(cover)
      : `nothing: it is outside the viewport (at x=${Math.round(r.left)}, y=${Math.round(r.top)}`
        + `, ${Math.round(r.width)}x${Math.round(r.height)} px; viewport ${innerWidth}x`
        + `${innerHeight}; document focused: ${document.hasFocus()}, `
        + `:focus ${el.matches(':focus')})`),
    inMain: !!el.closest('main'),
    isMain: el.tagName === 'MAIN',
    href: el.getAttribute('href'),
    text: (el.innerText || '').trim(),
    skipLink: el.matches('a[href^="#"]') && (() => {
      const target = document.getElementById((el.getAttribute('href') || '#').slice(1));
      return !!target && (target.tagName === 'MAIN' || !!target.querySelector('main'));
    })(),
  };
}
"""


def focus_info(page: Page) -> dict[str, Any]:
    info: dict[str, Any] = page.evaluate(FOCUS_INFO)
    return info


def check_skip_link(page: Page, state: PageState) -> None:
    """The first Tab lands on the skip link; Enter moves focus to <main>."""
    page.keyboard.press("Tab")
    first = focus_info(page)
    language = str(page.evaluate("document.documentElement.lang") or "nl")
    message = f"{state.id}: the first Tab focused {first['label']}, not the skip link"
    assert first["skipLink"], message
    if language.startswith("nl"):
        assert first["text"] == SKIP_LINK_NL, message
    assert first["visible"], f"{state.id}: the skip link has no visible focus indicator"
    assert first["obscuredBy"] is None, (
        f"{state.id}: the focused skip link is hidden behind {first['obscuredBy']}"
    )
    target = str(first["href"])[1:]
    page.keyboard.press("Enter")
    after = focus_info(page)
    in_target = page.evaluate(
        "(id) => { const t = document.getElementById(id);"
        " return !!t && (t === document.activeElement || t.contains(document.activeElement)); }",
        target,
    )
    message = (
        f"{state.id}: activating the skip link left focus on {after['label']}, "
        f"not in <main id={target!r}>"
    )
    assert in_target, message
    assert after["isMain"] or after["inMain"], message


def tab_round(
    page: Page, state: PageState, reachable: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Tab until focus comes back to an element it already visited; check every stop.

    Returns what `focus_info` said at each stop, in tab order."""
    stops: list[dict[str, Any]] = []
    order: list[str] = []
    visited: set[str] = set()
    problems: list[str] = []
    previous: str | None = None
    limit = 2 * len(reachable) + 10
    cycled = False
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focus_info(page)
        key = info["id"] or "<body>"
        order.append(info["label"])
        stops.append(info)
        if info["id"] is not None and key == previous:
            problems.append(f"keyboard trap: Tab left focus on {info['label']}")
            break
        if info["id"] is not None and key in visited:
            cycled = True
            break
        previous = key
        if info["id"] is None:
            continue
        visited.add(key)
        if not info["visible"]:
            problems.append(f"no visible focus indicator on {info['label']}")
        if info["obscuredBy"] is not None:
            problems.append(f"focused {info['label']} is hidden behind {info['obscuredBy']}")
    if not cycled and not problems:
        problems.append(f"focus did not come round again within {limit} presses of Tab")
    reached_groups = {item["group"] for item in reachable if item["id"] in visited}
    missed = [
        item["label"]
        for item in reachable
        if item["id"] not in visited
        and (item["group"] is None or item["group"] not in reached_groups)
    ]
    if missed:
        problems.append("not reachable with Tab: " + "; ".join(missed))
    assert not problems, (
        f"{state.id} ({page.url}):\n- "
        + "\n- ".join(problems)
        + ("\nTab order: " + " → ".join(order))
    )
    return stops


def check_keyboard(page: Page, state: PageState) -> None:
    """All keyboard checks on the page as it is now (opened in its state, nothing pressed yet)."""
    page.evaluate(DESCRIBE)
    reachable: list[dict[str, Any]] = page.evaluate(MARK_FOCUSABLES)
    nothing_focused = page.evaluate(
        "document.activeElement === null || document.activeElement === document.body"
    )
    if nothing_focused:
        check_skip_link(page, state)
        tab_round(page, state, reachable)
    else:
        # The page put focus somewhere itself (an error summary, A5): the skip link must still
        # be in the tab order.
        stops = tab_round(page, state, reachable)
        assert any(stop.get("skipLink") for stop in stops), (
            f"{state.id}: no skip link to <main> in the tab order: "
            + " → ".join(stop["label"] for stop in stops)
        )


@pytest.mark.parametrize("state", PAGES, ids=[state.id for state in PAGES])
def test_keyboard(
    new_context: Callable[..., BrowserContext],
    opened: Callable[[Page, PageState], Response | None],
    state: PageState,
) -> None:
    # Reduced motion: the Utrecht root scrolls smoothly otherwise, and the position checks
    # (WCAG 2.4.11) are about where focus ends up, not about the animation on the way.
    page = new_context(reduced_motion="reduce").new_page()
    opened(page, state)
    check_keyboard(page, state)
