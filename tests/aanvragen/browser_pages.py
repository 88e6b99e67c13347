"""Form page states for the browser tests (axe, keyboard, reflow), to merge into
tests/browser/pages.py.

`FORM_PAGES` is a list of dicts: `id`, `path`, `who` (None, "999993653" for Suzanne with DigiD
or "69599084" for Dagobert with eHerkenning), optional `steps` (the step helpers of
tests/browser/pages.py, plus `check` below for radio buttons and checkboxes) and optional
`status`. `page_states()` turns them into `PageState`s, so merging is one line in pages.py:

    from tests.aanvragen.browser_pages import page_states as form_page_states
    PAGES.extend(form_page_states())

They cover: form start pages (anonymous, DigiD, eHerkenning), step pages (radios and a text
area, a repeating group, a file upload), a step with errors, the check-answers page (also with
the declaration error), the confirmation page and /mijn/aanvragen with an unfinished form.
The ids do not clash with the form states already in PAGES (formulier-start, formulier-stap,
formulier-stap-fout, mijn-aanvragen).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page

from formulieren.dates import today
from tests.browser.pages import PageState, Step, click_button, company, fill, goto, resident

SUZANNE = "999993653"
DAGOBERT = "69599084"
NEXT = "Opslaan en doorgaan"


@dataclass(frozen=True)
class _Check:
    selector: str

    def __call__(self, page: Page) -> None:
        page.locator(self.selector).check()

    def __repr__(self) -> str:
        return f"check({self.selector!r})"


def check(selector: str) -> Step:
    """Tick the radio button or checkbox matching a CSS selector (no page load)."""
    return _Check(selector)


_TODAY = today()  # in the municipality's time zone, as the server checks it
START = click_button("Start")

# Vraag aan de gemeente (no login needed): two steps, no declaration.
VRAAG_FILLED: tuple[Step, ...] = (
    START,
    check("#onderwerp"),
    fill("#vraag", "Wanneer wordt het grofvuil opgehaald?"),
    click_button(NEXT),
    fill("#naam", "Jan Jansen"),
    fill("#email", "jan@example.nl"),
    click_button(NEXT),
)
# Melding openbare ruimte (no login) up to its photo upload step.
MELDING_TO_PHOTOS: tuple[Step, ...] = (
    START,
    check("#categorie-2"),
    fill("#omschrijving", "De lamp brandt al een week niet."),
    click_button(NEXT),
    check("#locatie_soort-2"),
    click_button(NEXT),
    fill("#locatie_omschrijving", "Fietspad langs het kanaal, bij de brug."),
    click_button(NEXT),
)
# Verhuizing doorgeven (Suzanne) up to the check-answers page, which has a declaration.
VERHUIZING_FILLED: tuple[Step, ...] = (
    START,
    fill("#email", "suzanne@example.nl"),
    click_button(NEXT),
    fill("#nieuw_adres-postcode", "9751 AN"),
    fill("#nieuw_adres-huisnummer", "10"),
    fill("#nieuw_adres-straat", "Raadhuisplein"),
    fill("#nieuw_adres-woonplaats", "Haren"),
    fill("#verhuisdatum-dag", str(_TODAY.day)),
    fill("#verhuisdatum-maand", str(_TODAY.month)),
    fill("#verhuisdatum-jaar", str(_TODAY.year)),
    check("#woonsituatie-2"),
    click_button(NEXT),
    check("#meeverhuizers-2"),
    click_button(NEXT),
)

FORM_PAGES: list[dict[str, Any]] = [
    # Start pages
    {"id": "formulier-vraag-start", "path": "/formulieren/vraag", "who": None},
    {"id": "formulier-melding-start", "path": "/formulieren/melding-openbare-ruimte", "who": None},
    {"id": "formulier-evenement-start-anoniem", "path": "/formulieren/evenementenvergunning",
     "who": None},
    {"id": "formulier-evenement-start", "path": "/formulieren/evenementenvergunning",
     "who": DAGOBERT},
    {"id": "formulier-parkeervergunning-start", "path": "/formulieren/parkeervergunning",
     "who": SUZANNE},
    # Step pages
    {"id": "formulier-melding-stap", "path": "/formulieren/melding-openbare-ruimte", "who": None,
     "steps": (START,)},
    {"id": "formulier-melding-stap-fout", "path": "/formulieren/melding-openbare-ruimte",
     "who": None, "steps": (START, click_button(NEXT)), "status": 422},
    {"id": "formulier-melding-upload", "path": "/formulieren/melding-openbare-ruimte",
     "who": None, "steps": MELDING_TO_PHOTOS},
    {"id": "formulier-evenement-stap", "path": "/formulieren/evenementenvergunning",
     "who": DAGOBERT, "steps": (START,)},
    {"id": "formulier-grofvuil-groep", "path": "/formulieren/grofvuil", "who": SUZANNE,
     "steps": (START, fill("#email", "suzanne@example.nl"), click_button(NEXT))},
    {"id": "formulier-grofvuil-groep-fout", "path": "/formulieren/grofvuil", "who": SUZANNE,
     "steps": (START, fill("#email", "suzanne@example.nl"), click_button(NEXT),
               click_button(NEXT)), "status": 422},
    # Check answers and confirmation
    {"id": "formulier-controleren", "path": "/formulieren/vraag", "who": None,
     "steps": VRAAG_FILLED},
    {"id": "formulier-controleren-verklaring", "path": "/formulieren/verhuizing", "who": SUZANNE,
     "steps": VERHUIZING_FILLED},
    {"id": "formulier-controleren-verklaring-fout", "path": "/formulieren/verhuizing",
     "who": SUZANNE, "steps": (*VERHUIZING_FILLED, click_button("Aanvraag versturen")),
     "status": 422},
    {"id": "formulier-bevestiging", "path": "/formulieren/vraag", "who": None,
     "steps": (*VRAAG_FILLED, click_button("Aanvraag versturen"))},
    {"id": "formulier-bevestiging-ingelogd", "path": "/formulieren/verhuizing", "who": SUZANNE,
     "steps": (*VERHUIZING_FILLED, check("#verklaring"), click_button("Aanvraag versturen"))},
    # Unfinished forms
    {"id": "mijn-aanvragen-concept", "path": "/formulieren/verhuizing", "who": SUZANNE,
     "steps": (START, fill("#email", "suzanne@example.nl"), click_button(NEXT),
               goto("/mijn/aanvragen"))},
    {"id": "mijn-aanvragen-bedrijf", "path": "/mijn/aanvragen", "who": DAGOBERT},
]  # fmt: skip


def page_states() -> list[PageState]:
    """`FORM_PAGES` as the harness's `PageState`s."""
    states = []
    for entry in FORM_PAGES:
        who = entry.get("who")
        states.append(
            PageState(
                entry["id"],
                entry["path"],
                who=None if who is None else resident(who) if who == SUZANNE else company(who),
                steps=tuple(entry.get("steps", ())),
                status=int(entry.get("status", 200)),
            )
        )
    return states
