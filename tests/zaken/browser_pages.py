"""Page states of the resident's case and message pages for the browser harness (merged in
tests/browser/pages.py). Each seed writes the cases the page shows into the empty database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from playwright.sync_api import Page

from tests.browser.pages import PageState, click_button, company, resident
from tests.zaken import resident_helpers as cases

SUZANNE = resident("999993653")
DAGOBERT = company("69599084")


@dataclass(frozen=True)
class _InEnglish:
    """Choose English on the page that is open (the language link returns to it)."""

    def __call__(self, page: Page) -> None:
        here = urlsplit(page.url).path
        with page.expect_navigation():
            page.goto(f"/taal/en?next={quote(here)}")

    def __repr__(self) -> str:
        return "in_english()"


def _suzanne_cases(engine: Any) -> dict[str, str]:
    """Suzanne: one case just received, one waiting for her answer, one closed with a letter."""
    cases.make_zaak(
        engine, omschrijving="Melding openbare ruimte", zaaktype="melding-openbare-ruimte"
    )
    waiting = cases.make_zaak(
        engine, omschrijving="Verhuizing doorgeven", zaaktype="verhuizing-doorgeven"
    )
    cases.set_status(engine, waiting, note="Wij controleren uw nieuwe adres.")
    cases.ask(engine, waiting)
    closed = cases.make_zaak(engine)
    cases.close(engine, closed, letter=True)
    return {"zaak": waiting, "afgehandeld": closed}


def _waiting_case(engine: Any) -> dict[str, str]:
    reference = cases.make_zaak(
        engine, omschrijving="Verhuizing doorgeven", zaaktype="verhuizing-doorgeven"
    )
    cases.add_submission_pdf(engine, reference)
    cases.set_status(engine, reference, note="Wij controleren uw nieuwe adres.", internal="Intern")
    cases.ask(engine, reference)
    return {"zaak": reference}


def _closed_case(engine: Any) -> dict[str, str]:
    reference = cases.make_zaak(engine)
    cases.add_submission_pdf(engine, reference)
    cases.set_status(engine, reference)
    cases.close(engine, reference, letter=True)
    return {"zaak": reference}


def _open_case(engine: Any) -> dict[str, str]:
    return {"zaak": cases.make_zaak(engine)}


def _company_cases(engine: Any) -> dict[str, str]:
    cases.make_zaak(
        engine, "dagobert", omschrijving="Evenementenvergunning", zaaktype="evenementenvergunning"
    )
    closed = cases.make_zaak(
        engine, "dagobert", omschrijving="Terrasvergunning", zaaktype="terrasvergunning"
    )
    cases.close(engine, closed, result="afgewezen")
    return {}


def page_states() -> list[PageState]:
    return [
        PageState("zaken-lijst", "/mijn/zaken", who=SUZANNE, seed=_suzanne_cases),
        PageState("zaken-lijst-leeg", "/mijn/zaken", who=SUZANNE),
        PageState("zaken-lijst-bedrijf", "/mijn/zaken", who=DAGOBERT, seed=_company_cases),
        PageState("zaak-actie-nodig", "/mijn/zaken/{zaak}", who=SUZANNE, seed=_waiting_case),
        PageState(
            "zaak-actie-nodig-en",
            "/mijn/zaken/{zaak}",
            who=SUZANNE,
            seed=_waiting_case,
            steps=(_InEnglish(),),
        ),
        PageState(
            "zaak-antwoord-fout",
            "/mijn/zaken/{zaak}",
            who=SUZANNE,
            seed=_waiting_case,
            steps=(click_button("Antwoord versturen"),),
            status=422,
        ),
        PageState("zaak-afgehandeld", "/mijn/zaken/{zaak}", who=SUZANNE, seed=_closed_case),
        PageState("zaak-intrekken", "/mijn/zaken/{zaak}/intrekken", who=SUZANNE, seed=_open_case),
        PageState(
            "zaak-intrekken-fout",
            "/mijn/zaken/{zaak}/intrekken",
            who=SUZANNE,
            seed=_open_case,
            steps=(click_button("Ja, trek mijn aanvraag in"),),
            status=422,
        ),
        PageState("mijn-actie-nodig", "/mijn", who=SUZANNE, seed=_waiting_case),
        PageState("berichten", "/mijn/berichten", who=SUZANNE, seed=_suzanne_cases),
        PageState("berichten-voorkeuren", "/mijn/berichten/voorkeuren", who=SUZANNE),
    ]
