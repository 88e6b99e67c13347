"""Page states of /mijn/gegevens for the browser harness (merged in tests/browser/pages.py):
the BRP page (household, BSN shown, geheimhouding, English), the company's KVK page for a branch,
the correction start, the e-mail and phone forms with their errors and code pages, and the
access log with a staff view."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from auth.identity import Identity
from portal.gegevens import service
from tests.browser.pages import PageState, click_button, company, fill, resident
from tests.zaken import resident_helpers as cases
from tests.zaken.browser_pages import _InEnglish

LANCE = resident("999990858")
GEHEIM = resident("999993872")
DAGOBERT_BRANCH = company("69599084-000038509504")
SEND = "Stuur mij een code"


def _viewed_case(engine: Any) -> dict[str, str]:
    """A relocation case of Lance's that a behandelaar opened."""
    reference = cases.make_zaak(
        engine, "lance", omschrijving="Verhuizing doorgeven", zaaktype="verhuizing-doorgeven"
    )
    staff = Identity(provider="medewerker", subject="behandelaar", roles=("behandelaar",))
    with Session(engine) as db:
        service.record_access(
            db,
            staff=staff,
            role="behandelaar",
            action="zaak_bekeken",
            now=datetime.now(UTC),
            subject_bsn="999990858",
            zaak_reference=reference,
            purpose=f"Behandeling zaak {reference}",
        )
        db.commit()
    return {"zaak": reference}


def page_states() -> list[PageState]:
    return [
        PageState("gegevens-inwoner", "/mijn/gegevens", who=LANCE),
        PageState("gegevens-bsn-getoond", "/mijn/gegevens?bsn=toon", who=LANCE),
        PageState("gegevens-geheimhouding", "/mijn/gegevens", who=GEHEIM),
        PageState("gegevens-en", "/mijn/gegevens", who=GEHEIM, steps=(_InEnglish(),)),
        PageState("gegevens-bedrijf", "/mijn/gegevens", who=DAGOBERT_BRANCH),
        PageState("gegevens-opgeslagen", "/mijn/gegevens?opgeslagen=post", who=LANCE),
        PageState("gegevens-inzage", "/mijn/gegevens/inzage", who=LANCE, seed=_viewed_case),
        PageState("gegevens-inzage-bedrijf", "/mijn/gegevens/inzage", who=DAGOBERT_BRANCH),
        PageState("gegevens-corrigeren", "/mijn/gegevens/corrigeren?gegeven=naam", who=LANCE),
        PageState("gegevens-corrigeren-bedrijf", "/mijn/gegevens/corrigeren", who=DAGOBERT_BRANCH),
        PageState("gegevens-email", "/mijn/gegevens/e-mail", who=LANCE),
        PageState(
            "gegevens-email-fout",
            "/mijn/gegevens/e-mail",
            who=LANCE,
            steps=(fill("#email", "geen adres"), click_button(SEND)),
            status=422,
        ),
        PageState(
            "gegevens-email-code",
            "/mijn/gegevens/e-mail",
            who=LANCE,
            steps=(fill("#email", "lance@example.nl"), click_button(SEND)),
        ),
        PageState(
            "gegevens-email-code-fout",
            "/mijn/gegevens/e-mail",
            who=LANCE,
            steps=(
                fill("#email", "lance@example.nl"),
                click_button(SEND),
                fill("#code", "12ab"),
                click_button("Bevestig"),
            ),
            status=422,
        ),
        PageState("gegevens-code-geen", "/mijn/gegevens/e-mail/code", who=LANCE),
        PageState("gegevens-telefoon", "/mijn/gegevens/telefoon", who=LANCE),
        PageState(
            "gegevens-telefoon-fout",
            "/mijn/gegevens/telefoon",
            who=LANCE,
            steps=(fill("#telefoon", "12"), click_button(SEND)),
            status=422,
        ),
    ]
