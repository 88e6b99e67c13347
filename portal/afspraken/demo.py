"""The demo locations, products, desks and opening hours (idempotent: loading twice changes
nothing), and a few booked appointments so the staff day schedule has something to show."""

from __future__ import annotations

import random
import secrets
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert
from sqlmodel import Session, col, select

from portal.afspraken import booking, schedule, service
from portal.afspraken.models import (
    Appointment,
    BookableProduct,
    DayException,
    Desk,
    DeskProduct,
    Location,
    OpeningHours,
)
from portal.settings import Settings

LOCATIONS = (
    Location(
        code="gemeentehuis",
        name="Gemeentehuis Haren",
        street="Raadhuisplein 10",
        postcode="9751 AN",
        city="Haren",
        accessibility_nl=(
            "Ingang op straatniveau met automatische deur. Invalidenparkeerplaatsen voor de deur, "
            "een invalidentoilet en een ringleiding bij balie 1."
        ),
        accessibility_en=(
            "Step-free entrance with an automatic door. Disabled parking in front, an accessible "
            "toilet and a hearing loop at desk 1."
        ),
        position=1,
    ),
    Location(
        code="servicepunt-onnen",
        name="Servicepunt Onnen",
        street="Onnerweg 4",
        postcode="9755 PA",
        city="Onnen",
        accessibility_nl="Ingang met een drempel van 2 cm; de medewerker helpt u graag.",
        accessibility_en="The entrance has a 2 cm threshold; staff will gladly help you.",
        position=2,
    ),
)

PRODUCTS = (
    BookableProduct(
        code="paspoort",
        name_nl="Paspoort aanvragen",
        name_en="Apply for a passport",
        minutes_per_person=10,
        max_persons=5,
        bring_nl=(
            "uw huidige paspoort of identiteitskaart en een pasfoto van minder dan 6 maanden oud"
        ),
        bring_en="your current passport or ID card and a passport photo less than 6 months old",
        catalogue_slug="paspoort-aanvragen",
        position=1,
    ),
    BookableProduct(
        code="id-kaart",
        name_nl="Identiteitskaart aanvragen",
        name_en="Apply for an ID card",
        minutes_per_person=10,
        max_persons=5,
        bring_nl="uw huidige identiteitsbewijs en een pasfoto van minder dan 6 maanden oud",
        bring_en="your current identity document and a passport photo less than 6 months old",
        catalogue_slug="identiteitskaart-aanvragen",
        position=2,
    ),
    BookableProduct(
        code="rijbewijs",
        name_nl="Rijbewijs aanvragen of verlengen",
        name_en="Apply for or renew a driving licence",
        minutes_per_person=10,
        max_persons=2,
        bring_nl="uw huidige rijbewijs, een pasfoto en zo nodig de gezondheidsverklaring",
        bring_en="your current driving licence, a photo and, if needed, the health declaration",
        position=3,
    ),
    BookableProduct(
        code="document-ophalen",
        name_nl="Paspoort, identiteitskaart of rijbewijs ophalen",
        name_en="Collect a passport, ID card or driving licence",
        minutes_per_person=5,
        max_persons=5,
        bring_nl="uw oude document (dat maken wij ongeldig)",
        bring_en="your old document (we will invalidate it)",
        position=4,
    ),
    BookableProduct(
        code="huwelijk-melding",
        name_nl="Melding voorgenomen huwelijk of partnerschap",
        name_en="Notice of intended marriage or partnership",
        minutes_per_person=15,
        max_persons=2,
        bring_nl="een geldig identiteitsbewijs van u allebei",
        bring_en="valid identity documents of both of you",
        position=5,
    ),
    BookableProduct(
        code="gesprek-sociaal-domein",
        name_nl="Gesprek met een consulent zorg, werk of inkomen",
        name_en="Talk with an advisor on care, work or income",
        minutes_per_person=45,
        max_persons=1,
        bring_nl="eventuele brieven of beschikkingen waar u vragen over heeft",
        bring_en="any letters or decisions you have questions about",
        position=6,
    ),
)

COUNTER = ("paspoort", "id-kaart", "rijbewijs", "document-ophalen")
DESKS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "gemeentehuis": (
        ("Balie 1", (*COUNTER, "huwelijk-melding")),
        ("Balie 2", COUNTER),
        ("Balie 3", COUNTER),
        ("Spreekkamer", ("gesprek-sociaal-domein", "huwelijk-melding")),
    ),
    "servicepunt-onnen": (
        ("Balie", ("paspoort", "id-kaart", "document-ophalen", "gesprek-sociaal-domein")),
    ),
}
HOURS: dict[str, tuple[tuple[int, time, time], ...]] = {
    "gemeentehuis": (
        *(
            (day, opens, closes)
            for day in range(5)
            for opens, closes in ((time(9), time(12, 30)), (time(13, 30), time(16, 30)))
        ),
        (3, time(18), time(20)),
    ),
    "servicepunt-onnen": ((1, time(9), time(12)), (3, time(9), time(12))),
}


def load_afspraken_demo(db: Session, settings: Settings) -> str:
    """Locations, products, desks and hours, once; then a few appointments on the first days."""
    if db.get(Location, "gemeentehuis") is not None:
        return "appointments: demo locations already there"
    for location in LOCATIONS:
        db.add(Location.model_validate(location.model_dump()))
    for product in PRODUCTS:
        db.add(BookableProduct.model_validate(product.model_dump()))
    db.flush()
    for code, desks in DESKS.items():
        for name, products in desks:
            desk = Desk(location_code=code, name=name)
            db.add(desk)
            db.flush()
            assert desk.id is not None
            for product_code in products:
                db.add(DeskProduct(desk_id=desk.id, product_code=product_code))
        for weekday, opens, closes in HOURS[code]:
            db.add(OpeningHours(location_code=code, weekday=weekday, opens=opens, closes=closes))
    now = datetime.now(UTC)
    first, _last = service.window(settings, now)
    evening = first + timedelta(days=(1 - first.weekday()) % 7 + 7)  # a Tuesday, a week on
    db.add(
        DayException(
            location_code="gemeentehuis",
            day=evening,
            kind="open",
            opens=time(18),
            closes=time(20),
            reason="Extra avondopenstelling",
            created_at=now,
        )
    )
    db.flush()
    booked = _demo_bookings(db, settings, now)
    return f"appointments: 2 locations, {len(PRODUCTS)} products, {booked} booked"


def _demo_bookings(db: Session, settings: Settings, now: datetime) -> int:
    """Lance Smit and two callers on the first bookable day, so the schedule is not empty."""
    first, _last = service.window(settings, now)
    choice = service.make_choice(db, ["paspoort"], 2)
    times = service.available_times_by_day(
        db, choice, "gemeentehuis", first=first, last=first + timedelta(days=6), now=now
    )
    if not times:
        return 0
    day = min(times)
    people = (
        ("L. Smit", "lance.smit@example.nl", "999990858"),
        ("Anna de Vries", "anna@example.nl", None),
        ("Pieter Bakker", "pieter@example.nl", None),
    )
    for (name, email, bsn), start in zip(people, times[day][::4], strict=False):
        appointment = booking.hold_slot(
            db,
            choice=choice,
            location_code="gemeentehuis",
            start=start,
            settings=settings,
            now=now,
            bsn=bsn,
        )
        booking.save_contact(
            db,
            appointment,
            booking.Contact(name=name, email=email, phone=""),
            settings=settings,
            now=now,
        )
        booking.confirm(db, appointment, now=now)
    return len(db.exec(select(Appointment)).all())


ATTENDANCE_HISTORY = {  # appointments a month, by product
    "paspoort": 110,
    "id-kaart": 75,
    "rijbewijs": 55,
    "document-ophalen": 140,
    "gesprek-sociaal-domein": 14,
    "huwelijk-melding": 5,  # below 10 a month: not published
}


def write_attendance_history(db: Session, *, now: datetime, months: int = 12) -> int:
    """Past appointments of the last `months` months at the town hall, each marked as
    attended or not (about one in twenty does not come); past times hold no desk units."""
    if db.exec(select(Appointment).where(col(Appointment.booked_by) == "historie")).first():
        return 0
    rng = random.Random(f"mijn-haren-attendance-{now:%Y-%m-%d}")  # noqa: S311 (demo data)
    desks = service.desks_at(db, "gemeentehuis")
    rows: list[dict[str, object]] = []
    today = schedule.local_day(now)
    for day_offset in range(1, months * 30):
        day = today - timedelta(days=day_offset)
        if day.weekday() >= 5 or schedule.is_public_holiday(day):
            continue
        for code, per_month in ATTENDANCE_HISTORY.items():
            for _ in range(rng.randint(0, 2 * per_month // 21)):
                start = schedule.local_instant(
                    day, time(9 + rng.randint(0, 6), rng.choice((0, 20, 40)))
                )
                attended = rng.random() > 0.05
                rows.append(
                    {
                        "reference": booking.new_reference(),
                        "state": "verschenen" if attended else "niet_verschenen",
                        "product_codes": [code],
                        "persons": 1,
                        "location_code": "gemeentehuis",
                        "desk_id": rng.choice(desks).id,
                        "starts_at": start,
                        "ends_at": start + timedelta(minutes=20),
                        "link_nonce": secrets.token_hex(8),
                        "booked_by": "historie",
                        "created_at": start - timedelta(days=rng.randint(1, 14)),
                        "confirmed_at": start - timedelta(days=rng.randint(1, 14)),
                        "attended_at": start if attended else None,
                    }
                )
    if rows:
        db.execute(insert(Appointment), rows)
    return len(rows)
