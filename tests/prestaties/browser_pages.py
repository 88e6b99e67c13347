"""Page states of the public performance pages for the browser harness (merged in
tests/browser/pages.py), and the helpers the tests use to write closed cases, appointments and
form counts with known dates through the portal's own handling functions."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from portal.aanvragen.models import FormMonth
from portal.afspraken.demo import load_afspraken_demo
from portal.afspraken.models import Appointment, Desk
from portal.prestaties import service
from portal.prestaties.demo import NORMS, load_prestaties_demo
from portal.prestaties.models import Feedback, ServiceNorm, WaitMeasurement
from portal.settings import Settings
from portal.zaken import handling
from portal.zaken import service as zaken_service
from portal.zaken.models import Zaak

if TYPE_CHECKING:
    from tests.browser.pages import PageState

STAFF = handling.Actor(subject="behandelaar", name="Bram Behandelaar", role="behandelaar")
RESIDENT = handling.Actor(subject="inwoner", name="Suzanne Moulin", role="inwoner")
SUZANNE = zaken_service.Initiator(kind="natuurlijk_persoon", bsn="999993653", name="Suzanne Moulin")
_tokens = itertools.count()


def settings_for(engine: Any) -> Settings:
    return Settings(
        environment="test",
        database_url=engine.url.render_as_string(hide_password=False),
        base_url="http://127.0.0.1",
    )


def load_norms(db: Session) -> None:
    """Only the channel norms of the demo (its year of history would spoil a hand count)."""
    for norm in NORMS:
        db.add(ServiceNorm.model_validate(norm.model_dump()))
    db.flush()


def at(day: date, hour: int = 10) -> datetime:
    """A time on `day` well inside the day in Haren (UTC 10:00 is 11:00 or 12:00 there)."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def closed_case(
    db: Session,
    settings: Settings,
    *,
    received: date,
    closed: date,
    zaaktype: str = "parkeervergunning",
    result: str = "toegekend",
    asked: date | None = None,
    answered: date | None = None,
) -> Zaak:
    """A case received on `received` and closed on `closed` (result 'ingetrokken': withdrawn by
    the resident), optionally with an information request on `asked`, answered on `answered`."""
    zaak = zaken_service.create_zaak(
        db,
        zaaktype=zaaktype,
        omschrijving=zaaktype,
        initiator=SUZANNE,
        answers={},
        submission_token=f"prestaties-{next(_tokens)}",
        received_at=at(received),
        contact_email=None,
    )
    if asked is not None:
        verzoek = handling.request_information(
            db,
            zaak,
            version=zaak.version,
            kind="documenten",
            question="Stuur ons een kopie van uw kentekenbewijs.",
            deadline=asked + timedelta(days=14),
            actor=STAFF,
            settings=settings,
            now=at(asked, 11),
        )
        db.flush()
        if answered is not None:
            handling.answer_request(
                db,
                zaak,
                verzoek,
                version=zaak.version,
                answer="Hierbij.",
                actor=RESIDENT,
                now=at(answered, 11),
            )
    if result == "ingetrokken":
        handling.withdraw(
            db,
            zaak,
            version=zaak.version,
            reason="Niet meer nodig.",
            actor=RESIDENT,
            settings=settings,
            now=at(closed, 14),
        )
    else:
        handling.close_zaak(
            db,
            zaak,
            version=zaak.version,
            result=result,
            actor=STAFF,
            settings=settings,
            now=at(closed, 14),
        )
    db.flush()
    return zaak


def feedback(db: Session, zaak: Zaak, score: int, comment: str = "") -> None:
    assert zaak.id is not None
    assert zaak.closed_month is not None
    db.add(
        Feedback(
            subject_kind="zaak",
            subject_id=zaak.id,
            product=zaak.zaaktype,
            month=zaak.closed_month,
            score=score,
            comment=comment,
            created_at=zaak.closed_at or datetime.now(UTC),
        )
    )


def appointment(db: Session, *, product: str, day: date, came: bool) -> None:
    """An appointment on `day` that staff marked as attended or not."""
    desk = db.exec(select(Desk).where(Desk.location_code == "gemeentehuis")).first()
    assert desk is not None
    assert desk.id is not None
    number = next(_tokens)
    db.add(
        Appointment(
            reference=f"P{number:07d}",
            state="verschenen" if came else "niet_verschenen",
            product_codes=[product],
            persons=1,
            location_code="gemeentehuis",
            desk_id=desk.id,
            starts_at=at(day, 9),
            ends_at=at(day, 9) + timedelta(minutes=10),
            link_nonce=f"{number:032d}",
            created_at=at(day - timedelta(days=7)),
            attended_at=at(day, 9) if came else None,
        )
    )


def wait(db: Session, *, product: str, day: date, days: int | None, location: str) -> None:
    db.add(
        WaitMeasurement(day=day, product_code=product, location_code=location, working_days=days)
    )


def form_month(db: Session, *, form: str, month: str, started: int, submitted: int) -> None:
    db.add(FormMonth(form_slug=form, month=month, started=started, submitted=submitted))


def seed_demo(engine: Any) -> dict[str, str]:
    """The demo's year of history (closed cases, appointments, feedback, waits, form counts)."""
    settings = settings_for(engine)
    with Session(engine) as db:
        load_afspraken_demo(db, settings)
        db.commit()
        load_prestaties_demo(db, settings)
        db.commit()
        today = zaken_service.local_date(datetime.now(UTC))
        figures = service.case_months(db, months=service.last_months(today, 12))
        busiest = service.summary_by_product(figures)
        product = max(busiest.values(), key=lambda total: total.closed).product
    return {"product": product}


def page_states() -> list[PageState]:
    # Imported here: the tests import this module's helpers without the whole harness.
    from tests.browser.pages import PageState

    return [
        PageState("prestaties", "/prestaties", seed=seed_demo),
        PageState("prestaties-product", "/prestaties?product={product}", seed=seed_demo),
        PageState("prestaties-leeg", "/prestaties"),
        PageState("prestaties-open-data", "/prestaties/open-data"),
    ]


# The hand-computed data set of the tests (tests/prestaties/test_figures.py explains each case).
HAND_TODAY = date(2026, 1, 31)
D = date


def seed_hand_computed(engine: Any) -> list[Zaak]:
    """Twelve parking-permit cases: ten closed in December 2025, two in January 2026."""
    settings = settings_for(engine)
    plan: list[dict[str, Any]] = [
        # 1-10: closed in December 2025 (norm: a decision within 5 working days)
        {"received": D(2025, 12, 1), "closed": D(2025, 12, 2)},
        {"received": D(2025, 12, 1), "closed": D(2025, 12, 8)},
        {"received": D(2025, 12, 1), "closed": D(2025, 12, 9)},
        {"received": D(2025, 12, 3), "closed": D(2025, 12, 3)},
        {"received": D(2025, 12, 5), "closed": D(2025, 12, 8)},
        {"received": D(2025, 12, 8), "closed": D(2025, 12, 22), "asked": D(2025, 12, 9)},
        {
            "received": D(2025, 12, 8),
            "closed": D(2025, 12, 17),
            "asked": D(2025, 12, 9),
            "answered": D(2025, 12, 11),
        },
        {"received": D(2025, 12, 15), "closed": D(2025, 12, 19), "result": "afgewezen"},
        {"received": D(2025, 12, 17), "closed": D(2025, 12, 24)},
        {"received": D(2025, 12, 24), "closed": D(2025, 12, 29)},
        # 11-12: closed in January 2026
        {"received": D(2025, 12, 23), "closed": D(2026, 1, 2)},
        {"received": D(2026, 1, 5), "closed": D(2026, 1, 7), "result": "ingetrokken"},
    ]
    with Session(engine) as db:
        cases = [closed_case(db, settings, **case) for case in plan]
        for zaak, score in zip(cases, [5, 4, 4, 3, 5, 5, 2, 4, 5, 4, 1], strict=False):
            feedback(db, zaak, score)
        db.commit()
        for zaak in cases:
            db.refresh(zaak)
        return cases
