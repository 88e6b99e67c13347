"""The page registry: every page state the browser tests check (axe, keyboard, reflow).

Adding a page is one line in `PAGES` below:

    PageState("zaak-detail", "/mijn/zaken/Z-1", who=SUZANNE),

then run `.venv/bin/pytest tests/browser -k zaak-detail`. Every state is checked by
test_accessibility.py (axe-core), test_keyboard.py and test_reflow.py; opening it also fails on
an uncaught script error or anything the Content Security Policy blocked.

- `id`: unique, kebab-case; it names the parametrized tests (`test_keyboard[zaak-detail]`).
- `path`: opened after logging in (redirects are followed, so `/auth/digid/login` ends on the
  development identity provider's page).
- `who`: `None` (anonymous), `resident(bsn)`, `company(kvk)` or `staff(role, ...)` (the demo
  people of auth/devidp/people.py); the harness logs in through the development identity
  provider as a browser does before opening `path`.
- `steps`: optional actions after opening `path`, to reach a state: `goto(path)`,
  `click(selector)`, `click_button(name)` (by accessible name), `fill(selector, text)`.
  Example, the error state of a form: `steps=(click_button("Versturen"),)`; for an htmx update
  that does not load a new page, `click_button("Versturen", navigates=False)`. A step is any
  `Callable[[Page], None]`, so a special case can be a small function in this file.
- `seed`: optional `seed(engine) -> {placeholder: value}`: writes what the page shows (a case,
  a message) into the database, which is empty at the start of every test, and fills the
  `{placeholders}` of `path`, e.g. `PageState("zaak", "/mijn/zaken/{zaak}", seed=...)`.
- `status`: the HTTP status of the last page load (default 200), so a missing page or a server
  error is caught instead of being checked for accessibility.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page

from auth.devidp.people import STAFF

Step = Callable[[Page], None]


@dataclass(frozen=True)
class Who:
    """Someone the development identity provider can log in: provider plus subject."""

    provider: str  # "digid", "eherkenning" or "medewerker"
    subject: str  # BSN, KVK number (optionally "-vestigingsnummer") or staff id
    loa: str | None = None  # level of assurance; None keeps the provider page's default

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"


def resident(bsn: str, loa: str | None = None) -> Who:
    return Who("digid", bsn, loa)


def company(kvk: str, loa: str | None = None) -> Who:
    return Who("eherkenning", kvk, loa)


def staff(*roles: str) -> Who:
    """The demo staff member with exactly these roles, e.g. `staff("kcc")`."""
    for account in STAFF:
        if set(account.roles) == set(roles):
            return Who("medewerker", account.subject)
    raise ValueError(f"no demo staff member in auth/devidp/people.py has the roles {roles}")


# Demo accounts from auth/devidp/people.py.
SUZANNE = resident("999993653")
DAGOBERT = company("69599084")
BEHANDELAAR = staff("behandelaar")


@dataclass(frozen=True)
class _Goto:
    path: str

    def __call__(self, page: Page) -> None:
        page.goto(self.path)

    def __repr__(self) -> str:
        return f"goto({self.path!r})"


@dataclass(frozen=True)
class _Click:
    selector: str

    def __call__(self, page: Page) -> None:
        with page.expect_navigation():
            page.locator(self.selector).click()

    def __repr__(self) -> str:
        return f"click({self.selector!r})"


@dataclass(frozen=True)
class _ClickButton:
    name: str
    navigates: bool

    def __call__(self, page: Page) -> None:
        button = page.get_by_role("button", name=self.name, exact=True)
        if self.navigates:
            with page.expect_navigation():
                button.click()
        else:
            button.click()
            page.wait_for_load_state("networkidle")

    def __repr__(self) -> str:
        return f"click_button({self.name!r})"


@dataclass(frozen=True)
class _Fill:
    selector: str
    text: str

    def __call__(self, page: Page) -> None:
        page.locator(self.selector).fill(self.text)

    def __repr__(self) -> str:
        return f"fill({self.selector!r}, {self.text!r})"


def goto(path: str) -> Step:
    """Open another path (after the first one), e.g. after choosing a language."""
    return _Goto(path)


def click(selector: str) -> Step:
    """Click the element matching a CSS selector and wait for the page it loads."""
    return _Click(selector)


def click_button(name: str, *, navigates: bool = True) -> Step:
    """Click the button with this accessible name; `navigates=False` for htmx updates."""
    return _ClickButton(name, navigates)


def fill(selector: str, text: str) -> Step:
    """Type `text` into the field matching a CSS selector."""
    return _Fill(selector, text)


@dataclass(frozen=True)
class PageState:
    """One page in one state, as a person would see it."""

    id: str
    path: str
    who: Who | None = None
    steps: tuple[Step, ...] = ()
    status: int = 200
    # Writes the data the page needs into the (empty) database before it is opened, and
    # returns values for `{placeholders}` in `path`, e.g. {"zaak": "HRN-2026-000001"}.
    seed: Callable[[Any], dict[str, str]] | None = None


PAGES: list[PageState] = [
    # Public pages
    PageState("home", "/"),
    PageState("home-en", "/taal/en?next=/", steps=(goto("/"),)),
    PageState("inloggen", "/inloggen"),
    PageState("inloggen-medewerker", "/inloggen?provider=medewerker&next=/backoffice"),
    PageState("contact", "/contact"),
    PageState("toegankelijkheid", "/toegankelijkheid"),
    PageState("privacy", "/privacy"),
    PageState("niet-gevonden", "/bestaat-niet", status=404),
    PageState("uitgelogd", "/uitgelogd"),
    PageState("sessie-verlopen", "/sessie-verlopen"),
    # Product catalogue
    PageState("producten", "/producten"),
    PageState("producten-zoeken", "/producten?q=paspoort"),
    PageState("producten-niets-gevonden", "/producten?q=qqqxyz"),
    PageState(
        "producten-zoeken-htmx",
        "/producten",
        steps=(fill("#producten-q", "afval"), click_button("Zoeken", navigates=False)),
    ),
    PageState("product", "/producten/identiteitskaart"),
    PageState("product-niet-gevonden", "/producten/bestaat-niet", status=404),
    # Development identity provider and the login result pages
    PageState("devidp-digid", "/auth/digid/login"),
    PageState("devidp-eherkenning", "/auth/eherkenning/login"),
    PageState("devidp-medewerker", "/auth/medewerker/login"),
    PageState("devidp-fout", "/auth/digid/login", steps=(click_button("Inloggen"),), status=400),
    PageState("devidp-ongeldig-verzoek", "/dev-idp/digid/authorize", status=400),
    PageState("devidp-uitgelogd", "/dev-idp/digid/logout"),
    PageState(
        "login-mislukt", "/auth/digid/login", steps=(click('button[name="cancel"]'),), status=400
    ),
    # Logged in
    PageState("uitloggen-bevestigen", "/uitloggen", who=SUZANNE),
    PageState("mijn-inwoner", "/mijn", who=SUZANNE),
    PageState("mijn-bedrijf", "/mijn", who=DAGOBERT),
    PageState("backoffice", "/backoffice", who=BEHANDELAAR),
    PageState("geen-toegang", "/backoffice", who=SUZANNE, status=403),
    # Forms (portal/aanvragen): start page, first step, its error state, the drafts list
    PageState("formulier-start-anoniem", "/formulieren/verhuizing"),
    PageState("formulier-start", "/formulieren/verhuizing", who=SUZANNE),
    PageState(
        "formulier-stap", "/formulieren/verhuizing", who=SUZANNE, steps=(click_button("Start"),)
    ),
    PageState(
        "formulier-stap-fout",
        "/formulieren/verhuizing",
        who=SUZANNE,
        steps=(click_button("Start"), click_button("Opslaan en doorgaan")),
        status=422,
    ),
    PageState("mijn-aanvragen", "/mijn/aanvragen", who=SUZANNE),
]


def _check_unique(pages: list[PageState]) -> None:
    ids = [state.id for state in pages]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"page state ids must be unique: {duplicates}")


_check_unique(PAGES)


# Page states kept with their domain's tests (each list is one line here).
from tests.aanvragen.browser_pages import page_states as _form_page_states  # noqa: E402
from tests.afspraken.browser_pages import page_states as _afspraak_page_states  # noqa: E402
from tests.backoffice.browser_pages import page_states as _backoffice_page_states  # noqa: E402
from tests.gegevens.browser_pages import page_states as _gegevens_page_states  # noqa: E402
from tests.prestaties.browser_pages import page_states as _prestaties_page_states  # noqa: E402
from tests.prestaties.browser_pages_staff import page_states as _prestaties_staff_states  # noqa: E402
from tests.zaaksysteem.browser_pages import page_states as _zaaksysteem_states  # noqa: E402
from tests.zaken.browser_pages import page_states as _zaak_page_states  # noqa: E402

PAGES.extend(_form_page_states())
PAGES.extend(_zaak_page_states())
PAGES.extend(_backoffice_page_states())
PAGES.extend(_afspraak_page_states())
PAGES.extend(_prestaties_page_states())
PAGES.extend(_prestaties_staff_states())
PAGES.extend(_gegevens_page_states())
PAGES.extend(_zaaksysteem_states())
PAGES.extend(
    [
        PageState("product-paspoort", "/producten/paspoort"),
        PageState("product-verhuizing", "/producten/verhuizing-doorgeven"),
    ]
)
_check_unique(PAGES)
