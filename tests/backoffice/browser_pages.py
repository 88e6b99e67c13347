"""Back-office page states for the browser harness (merged in tests/browser/pages.py). The demo
staff member "behandelaar" handles relocations, so the case page shows the handling forms."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Page
from sqlalchemy import update
from sqlmodel import Session

from portal.settings import Settings
from portal.zaken import handling, zaaktypen
from portal.zaken import service as zaken_service
from portal.zaken.models import Zaak
from tests.browser.pages import PageState, click_button, staff

BEHANDELAAR = staff("behandelaar")
BEHEERDER = staff("beheerder")
KCC = staff("kcc")
ACTOR = handling.Actor(subject="behandelaar", name="Bram Behandelaar", role="behandelaar")


def _settings(engine: Any) -> Settings:
    return Settings(environment="test", database_url=str(engine.url), base_url="http://127.0.0.1")


def _new_case(db: Session, *, product: str, name: str, days_late: int = 0) -> Zaak:
    now = datetime.now(UTC)
    zaak = zaken_service.create_zaak(
        db,
        zaaktype=product,
        omschrijving=f"Aanvraag {product}",
        initiator=zaken_service.Initiator(kind="natuurlijk_persoon", bsn="999993653", name=name),
        answers={"aanvraag": {"nieuw_adres": "Dorpsstraat 1, Haren", "verhuisdatum": "2026-04-01"}},
        submission_token=secrets.token_urlsafe(32),
        received_at=now - timedelta(days=30 if days_late else 1),
        contact_email="suzanne@example.org",
    )
    if days_late:
        late = now.date() - timedelta(days=days_late)
        db.execute(update(Zaak).where(Zaak.id == zaak.id).values(due_by_norm=late))  # type: ignore[arg-type]
        db.refresh(zaak)
    return zaak


def _behandelaar_handles_relocations(db: Session) -> None:
    zaaktypen.set_staff_products(
        db,
        staff_subject="behandelaar",
        staff_name="Bram Behandelaar",
        zaaktypen={"verhuizing-doorgeven"},
    )


class _ProductTakenAway:
    """While the case page is open, the beheerder gives the behandelaar another product; the
    next handling form then answers with the "not your product" page. The engine comes from
    the seed, which runs first."""

    engine: Any = None

    def __call__(self, page: Page) -> None:
        with Session(self.engine) as db:
            zaaktypen.set_staff_products(
                db,
                staff_subject="behandelaar",
                staff_name="Bram Behandelaar",
                zaaktypen={"paspoort"},
            )
            db.commit()
        with page.expect_navigation():
            page.get_by_role("button", name="Verzoek versturen", exact=True).click()

    def __repr__(self) -> str:
        return "product_taken_away()"


_PRODUCT_TAKEN_AWAY = _ProductTakenAway()


def _open_case_then_other_product(engine: Any) -> dict[str, str]:
    _PRODUCT_TAKEN_AWAY.engine = engine
    return _open_case(engine)


def _queue(engine: Any) -> dict[str, str]:
    with Session(engine) as db:
        _behandelaar_handles_relocations(db)
        _new_case(db, product="verhuizing-doorgeven", name="Suzanne Moulin", days_late=3)
        _new_case(db, product="paspoort", name="Lance Smit")
        _new_case(db, product="verhuizing-doorgeven", name="Test EMZ Dagobert")
        db.commit()
    return {}


def _open_case(engine: Any) -> dict[str, str]:
    settings = _settings(engine)
    now = datetime.now(UTC)
    with Session(engine) as db:
        _behandelaar_handles_relocations(db)
        zaak = _new_case(db, product="verhuizing-doorgeven", name="Suzanne Moulin")
        handling.change_status(
            db,
            zaak,
            version=zaak.version,
            status=zaaktypen.IN_PROGRESS,
            actor=ACTOR,
            settings=settings,
            now=now,
            note_for_resident="Wij controleren uw nieuwe adres.",
            internal_note="Huurcontract nodig",
        )
        handling.post_message(
            db,
            zaak,
            body="Wij hebben een vraag over uw verhuizing.",
            actor=ACTOR,
            settings=settings,
            now=now,
        )
        db.commit()
        return {"zaak": zaak.reference}


def _closed_case(engine: Any) -> dict[str, str]:
    settings = _settings(engine)
    now = datetime.now(UTC)
    with Session(engine) as db:
        _behandelaar_handles_relocations(db)
        zaak = _new_case(db, product="verhuizing-doorgeven", name="Suzanne Moulin")
        handling.request_information(
            db,
            zaak,
            version=zaak.version,
            kind="vraag",
            question="Wat is uw nieuwe telefoonnummer?",
            deadline=now.date() + timedelta(days=14),
            actor=ACTOR,
            settings=settings,
            now=now,
        )
        handling.close_zaak(
            db,
            zaak,
            version=zaak.version,
            result="toegekend",
            actor=ACTOR,
            settings=settings,
            now=now,
            note_for_resident="Uw verhuizing is verwerkt.",
        )
        db.commit()
        return {"zaak": zaak.reference}


def _staff_products(engine: Any) -> dict[str, str]:
    with Session(engine) as db:
        _behandelaar_handles_relocations(db)
        db.commit()
    return {}


def page_states() -> list[PageState]:
    return [
        PageState("backoffice-start-beheerder", "/backoffice", who=BEHEERDER),
        PageState("backoffice-start-kcc", "/backoffice", who=KCC, seed=_queue),
        PageState("backoffice-werkvoorraad", "/backoffice/zaken", who=BEHANDELAAR, seed=_queue),
        PageState(
            "backoffice-werkvoorraad-leeg",
            "/backoffice/zaken?q=niemand&termijn=te_laat",
            who=BEHANDELAAR,
            seed=_queue,
        ),
        PageState(
            "backoffice-werkvoorraad-htmx",
            "/backoffice/zaken",
            who=BEHANDELAAR,
            seed=_queue,
            steps=(click_button("Filteren", navigates=False),),
        ),
        PageState("backoffice-zaak", "/backoffice/zaken/{zaak}", who=BEHANDELAAR, seed=_open_case),
        PageState("backoffice-zaak-kcc", "/backoffice/zaken/{zaak}", who=KCC, seed=_open_case),
        PageState(
            "backoffice-niet-uw-product",
            "/backoffice/zaken/{zaak}",
            who=BEHANDELAAR,
            seed=_open_case_then_other_product,
            steps=(_PRODUCT_TAKEN_AWAY,),
            status=403,
        ),
        PageState(
            "backoffice-zaak-afgehandeld",
            "/backoffice/zaken/{zaak}",
            who=BEHANDELAAR,
            seed=_closed_case,
        ),
        PageState(
            "backoffice-zaak-verzoek-fout",
            "/backoffice/zaken/{zaak}",
            who=BEHANDELAAR,
            seed=_open_case,
            steps=(click_button("Verzoek versturen"),),
            status=422,
        ),
        PageState("backoffice-contact", "/backoffice/contact/nieuw", who=KCC),
        PageState(
            "backoffice-contact-fout",
            "/backoffice/contact/nieuw",
            who=KCC,
            steps=(click_button("Vraag vastleggen"),),
            status=422,
        ),
        PageState("backoffice-zaaktypen", "/backoffice/beheer/zaaktypen", who=BEHEERDER),
        PageState("backoffice-zaaktype", "/backoffice/beheer/zaaktypen/paspoort", who=BEHEERDER),
        PageState(
            "backoffice-medewerkers",
            "/backoffice/beheer/medewerkers",
            who=BEHEERDER,
            seed=_staff_products,
        ),
    ]
