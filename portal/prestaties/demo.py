"""The channel service norms of Haren and a year of history for the figures (idempotent:
loading twice changes nothing)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert
from sqlmodel import Session

from portal.aanvragen import service as aanvragen_service
from portal.afspraken.demo import write_attendance_history
from portal.prestaties.models import Feedback, ServiceNorm, WaitMeasurement
from portal.settings import Settings
from portal.zaken import history

NORMS = (
    ServiceNorm(
        code="afspraak-beschikbaar",
        channel="balie",
        text_nl="U kunt binnen 5 werkdagen terecht voor een afspraak op het gemeentehuis.",
        text_en="You can get an appointment at the town hall within 5 working days.",
        target=5,
        unit="werkdagen",
        position=1,
    ),
    ServiceNorm(
        code="telefoon-opgenomen",
        channel="telefoon",
        text_nl="Wij nemen de telefoon (14 050) binnen 30 seconden op.",
        text_en="We answer the phone (14 050) within 30 seconds.",
        target=30,
        unit="seconden",
        measured_here=False,
        position=2,
    ),
    ServiceNorm(
        code="eerste-keer-goed",
        channel="online",
        text_nl="80% van de aanvragen handelen wij af zonder u om meer informatie te vragen.",
        text_en="We handle 80% of applications without asking you for more information.",
        target=80,
        unit="procent",
        position=3,
    ),
)


COMMENTS = (
    "Snel geregeld, dank u wel.",
    "Duidelijke uitleg in de brief.",
    "Het duurde langer dan ik had verwacht.",
    "Ik moest twee keer bellen voordat het goed was.",
    "Fijn dat ik alles online kon volgen.",
)
SCORES = (1, 2, 3, 4, 5)
SCORE_WEIGHTS = (4, 6, 14, 38, 38)
FORMS = {  # products with an online form, and the form's slug
    "verhuizing-doorgeven": "verhuizing",
    "parkeervergunning": "parkeervergunning",
    "grofvuil": "grofvuil",
    "kapvergunning": "kapvergunning",
    "afvalcontainer": "afvalcontainer",
    "melding-openbare-ruimte": "melding-openbare-ruimte",
}


def load_prestaties_demo(db: Session, settings: Settings) -> str:
    """The channel norms (case norms are the case types' own terms), and once a year of history:
    closed cases, past appointments, what residents thought, form counts and daily waits."""
    added = 0
    for norm in NORMS:
        if db.get(ServiceNorm, norm.code) is None:
            db.add(ServiceNorm.model_validate(norm.model_dump()))
            added += 1
    db.flush()
    if history.has_history(db):
        return f"performance: {added} service norms added; the year of history is already there"
    now = datetime.now(UTC)
    closed = history.write_history(db, now=now)
    appointments = write_attendance_history(db, now=now)
    feedback = _feedback(db, closed, now)
    _form_counts(db, closed)
    waits = _waits(db, now)
    return (
        f"performance: {added} service norms; a year of history: {len(closed)} closed cases, "
        f"{appointments} past appointments, {feedback} reactions, {waits} daily waits"
    )


def _feedback(db: Session, closed: list[history.ClosedCase], now: datetime) -> int:
    rng = random.Random(f"mijn-haren-feedback-{now:%Y-%m-%d}")  # noqa: S311 (demo data)
    rows = []
    for case in closed:
        if rng.random() > 0.3:
            continue
        score = rng.choices(SCORES, SCORE_WEIGHTS)[0]
        rows.append(
            {
                "subject_kind": "zaak",
                "subject_id": case.zaak_id,
                "product": case.product,
                "month": case.month,
                "score": score,
                "comment": rng.choice(COMMENTS) if rng.random() < 0.2 else "",
                "share_identity": rng.random() < 0.1,
                "owner_bsn": case.bsn,
                "owner_kvk": case.kvk,
                "created_at": now,
            }
        )
    if rows:
        db.execute(insert(Feedback), rows)
    return len(rows)


def _form_counts(db: Session, closed: list[history.ClosedCase]) -> None:
    submitted: Counter[tuple[str, str]] = Counter(
        (FORMS[case.product], case.month)
        for case in closed
        if case.online and case.product in FORMS
    )
    for (form_slug, month), count in submitted.items():
        started = round(count * (1.12 + sum(map(ord, form_slug)) % 20 / 100))
        aanvragen_service.add_form_counts(
            db, form_slug=form_slug, month=month, started=started, submitted=count
        )


def _waits(db: Session, now: datetime) -> int:
    rng = random.Random(f"mijn-haren-waits-{now:%Y-%m-%d}")  # noqa: S311 (demo data)
    today = now.date()
    rows = []
    for offset in range(1, 366):
        day = today - timedelta(days=offset)
        busy = 2 if day.month in (5, 6) else 0  # before the summer holidays, passports rush
        for product, location in (
            ("paspoort", "gemeentehuis"),
            ("id-kaart", "gemeentehuis"),
            ("rijbewijs", "gemeentehuis"),
            ("document-ophalen", "gemeentehuis"),
            ("gesprek-sociaal-domein", "gemeentehuis"),
            ("paspoort", "servicepunt-onnen"),
        ):
            rows.append(
                {
                    "day": day,
                    "product_code": product,
                    "location_code": location,
                    "working_days": rng.randint(1, 4) + busy,
                }
            )
    db.execute(insert(WaitMeasurement), rows)
    return len(rows)
