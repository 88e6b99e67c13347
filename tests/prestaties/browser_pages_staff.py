"""Page states of the feedback box and the back-office figures for the browser harness (merged in
tests/browser/pages.py): the question on a closed case, its error and thank-you states, the
question after an appointment, the dashboard and the residents' comments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Page
from sqlmodel import Session

from portal.prestaties import reacties
from portal.settings import Settings
from portal.zaken import service as zaken_service
from tests.browser.pages import BEHANDELAAR, SUZANNE, PageState, click_button, fill
from tests.prestaties.test_feedback import appointment, closed_case
from tests.zaken import resident_helpers as cases


@dataclass(frozen=True)
class _Choose:
    """Tick a radio button or checkbox (no page load)."""

    selector: str

    def __call__(self, page: Page) -> None:
        page.check(self.selector)

    def __repr__(self) -> str:
        return f"choose({self.selector!r})"


def _closed(engine: Any) -> dict[str, str]:
    return {"zaak": closed_case(engine)}


def _attended(engine: Any) -> dict[str, str]:
    settings = Settings(
        environment="test", database_url=str(engine.url), base_url="http://127.0.0.1"
    )
    return {"afspraak": appointment(engine, settings)}


def _figures(engine: Any) -> dict[str, str]:
    """Twelve closed cases (four of them handled by Bram), two open cases near their norm, and
    comments with and without the resident's name."""
    closed = [closed_case(engine) for _ in range(12)]
    today = datetime.now(UTC).date()
    with Session(engine) as db:
        for number, reference in enumerate(closed):
            zaak = zaken_service.get_zaak_by_reference(db, reference=reference)
            assert zaak is not None
            assert zaak.id is not None
            if number < 4:
                zaak.assigned_to, zaak.assigned_name = "medewerker-bram", "Bram Behandelaar"
                db.add(zaak)
            reacties.give_feedback(
                db,
                subject_kind="zaak",
                subject_id=zaak.id,
                product=zaak.zaaktype,
                month=reacties.case_feedback_month(zaak),
                score=2 + number % 4,
                comment="Duidelijke brief, maar het duurde lang." if number % 3 == 0 else "",
                share_identity=number == 0,
                owner_bsn=zaak.initiator_bsn,
                owner_kvk=None,
                now=datetime.now(UTC) - timedelta(minutes=number),
            )
        db.commit()
    for due in (today - timedelta(days=2), zaken_service.add_working_days(today, 1)):
        reference = cases.make_zaak(engine)
        with Session(engine) as db:
            zaak = zaken_service.get_zaak_by_reference(db, reference=reference)
            assert zaak is not None
            zaak.due_by_norm = due
            db.add(zaak)
            db.commit()
    return {}


def page_states() -> list[PageState]:
    return [
        PageState("prestaties-reactie-formulier", "/mijn/zaken/{zaak}", SUZANNE, seed=_closed),
        PageState(
            "prestaties-reactie-fout",
            "/mijn/zaken/{zaak}",
            SUZANNE,
            steps=(fill("#toelichting", "Te lang. " * 120), click_button("Reactie versturen")),
            seed=_closed,
            status=422,
        ),
        PageState(
            "prestaties-reactie-bedankt",
            "/mijn/zaken/{zaak}",
            SUZANNE,
            steps=(_Choose("#tevredenheid-2"), click_button("Reactie versturen")),
            seed=_closed,
        ),
        PageState(
            "prestaties-afspraak-reactie",
            "/mijn/afspraken/{afspraak}/reactie",
            SUZANNE,
            seed=_attended,
        ),
        PageState("prestaties-mijn-afspraken-reactie", "/mijn/afspraken", SUZANNE, seed=_attended),
        PageState(
            "prestaties-afspraak-reactie-fout",
            "/mijn/afspraken/{afspraak}/reactie",
            SUZANNE,
            steps=(click_button("Reactie versturen"),),
            seed=_attended,
            status=422,
        ),
        PageState("prestaties-dashboard", "/backoffice/prestaties", BEHANDELAAR, seed=_figures),
        PageState(
            "prestaties-reacties", "/backoffice/prestaties/reacties", BEHANDELAAR, seed=_figures
        ),
    ]
