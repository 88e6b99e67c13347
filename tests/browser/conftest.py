"""Playwright fixtures: one headless Debian chromium for the session, a fresh context per test,
logging in through the development identity provider as a browser does, and opening the page
states of tests/browser/pages.py.

The portal is the session's `live_server` (tests/conftest.py) on a loopback port; tests never
talk to anything else. Playwright's own browser download is not used: Debian's chromium is.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from tests.browser.pages import PageState, Who
from tests.conftest import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000
# Where each provider sends you after logging in without a `next` (auth/routes.py).
LANDING = {"digid": "/mijn", "eherkenning": "/mijn", "medewerker": "/backoffice"}


def chromium_path() -> str:
    found = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    if not found:
        raise RuntimeError("the browser tests need Debian's chromium: apt-get install chromium")
    return found


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless chromium for the whole session; every test gets its own context."""
    browser = playwright.chromium.launch(
        executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember each phase's outcome on the test item, so fixtures can see that a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _failed(request: pytest.FixtureRequest) -> bool:
    return any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )


@pytest.fixture
def new_context(
    browser: Browser,
    live_server: LiveServer,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., BrowserContext]]:
    """Make a context on the live portal, closed after the test; keywords as Playwright's.

    When the test failed, a screenshot of each of its pages is saved and its path printed."""
    contexts: list[BrowserContext] = []

    def make(**options: object) -> BrowserContext:
        settings: dict[str, object] = {
            "base_url": live_server.url,
            "viewport": DESKTOP,
            "locale": "nl-NL",
            "timezone_id": "Europe/Amsterdam",
            **options,
        }
        context = browser.new_context(**settings)  # type: ignore[arg-type]
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    if _failed(request):
        folder = tmp_path_factory.getbasetemp() / "browser-failures"
        folder.mkdir(exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
        for number, page in enumerate(p for context in contexts for p in context.pages):
            target = folder / f"{name}-{number}.png"
            try:
                page.screenshot(path=str(target), full_page=True, timeout=5_000)
                print(f"screenshot of {page.url}: {target}")
            except PlaywrightError as error:
                print(f"no screenshot of {page.url}: {error.message}")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page with JavaScript, 1280x900, Dutch locale."""
    return new_context().new_page()


@pytest.fixture
def page_no_js(new_context: Callable[..., BrowserContext]) -> Page:
    """A page with JavaScript switched off (progressive enhancement, A4)."""
    return new_context(java_script_enabled=False).new_page()


def url_path(url: str) -> str:
    return urlsplit(url).path


def path_of(page: Page) -> str:
    return url_path(page.url)


def choose_on_devidp(page: Page, subject: str, loa: str | None = None) -> None:
    """On the development identity provider's page: pick the person, the level, click Inloggen."""
    page.locator(f'input[name="subject"][value="{subject}"]').check()
    level = page.locator('select[name="loa"]')
    if loa is not None:
        level.select_option(loa)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen", exact=True).click()


def log_in(page: Page, who: Who, next_path: str | None = None) -> None:
    """Log in as a browser does: the portal's login start, the dev IdP page, back to the portal."""
    query = f"?{urlencode({'next': next_path})}" if next_path else ""
    page.goto(f"/auth/{who.provider}/login{query}")
    assert page.locator('input[name="subject"]').count() > 0, (
        f"/auth/{who.provider}/login did not land on the development identity provider's page "
        f"(got {page.url})"
    )
    choose_on_devidp(page, who.subject, who.loa)
    expected = url_path(next_path or LANDING[who.provider])
    page.wait_for_url(lambda url: url_path(url) == expected)


def _is_at(page: Page, path: str) -> bool:
    here = urlsplit(page.url)
    return (here.path + (f"?{here.query}" if here.query else "")) == path


def open_state(page: Page, state: PageState, engine: Any = None) -> Response | None:
    """Log in if needed, open the page state's path, run its steps; check the final status and
    that no script failed and nothing was blocked by the Content Security Policy on the way."""
    documents: list[Response] = []
    script_problems: list[str] = []

    def remember(response: Response) -> None:
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            documents.append(response)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            script_problems.append(f"CSP: {message.text}")

    def page_error(error: PlaywrightError) -> None:
        script_problems.append(f"script error: {error}")

    path = state.path
    if state.seed is not None:
        assert engine is not None, "a page state with seed data needs the database engine"
        path = state.path.format(**state.seed(engine))
    page.on("response", remember)
    page.on("console", console)
    page.on("pageerror", page_error)
    try:
        if state.who is not None:
            # Logging in returns to the state's path, which saves loading it once more.
            log_in(page, state.who, next_path=path)
        if state.who is None or not _is_at(page, path):
            page.goto(path)
        for step in state.steps:
            step(page)
        page.wait_for_load_state("load")
        if page.locator("[hx-trigger~='load']").count():
            # A part htmx loads after the page (the case system's list): check the page as
            # it ends up, not the link it shows until then.
            page.wait_for_load_state("networkidle")
    finally:
        page.remove_listener("response", remember)
        page.remove_listener("console", console)
        page.remove_listener("pageerror", page_error)
    last = documents[-1] if documents else None
    status = last.status if last else None
    assert status == state.status, (
        f"{state.id}: {path} with steps {state.steps!r} as {state.who} ended on {page.url} "
        f"with HTTP {status}, expected {state.status}"
    )
    assert not script_problems, f"{state.id} ({page.url}):\n" + "\n".join(script_problems)
    return last


@pytest.fixture
def logged_in() -> Callable[[Page, Who], None]:
    """`logged_in(page, who)`: log `who` in through the development identity provider."""
    return log_in


@pytest.fixture
def opened(db_engine: Any) -> Callable[[Page, PageState], Response | None]:
    """`opened(page, state)`: bring `page` into a registry page state (seeding its data)."""
    return lambda page, state: open_state(page, state, db_engine)
