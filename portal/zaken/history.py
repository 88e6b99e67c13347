"""A year of closed cases for the demo, so the published figures say something.

Per product a monthly volume and a share handled within the norm (a little lower in the summer
holidays, as in a real municipality); lead times, requests to the resident and withdrawals are
drawn around that. Written with SQLAlchemy Core in one go and deterministic for a given `now`.
The figures on each case are computed as closing a case computes them (closing_figures).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlmodel import Session

from portal.zaken import zaaktypen
from portal.zaken.generator import continue_id_sequence, owner_of
from portal.zaken.models import Zaak, ZaakStatus, ZaakVerzoek
from portal.zaken.service import HAREN_TIME, add_working_days, closing_figures, is_working_day

TOKEN_PREFIX = "hist-"  # noqa: S105 (a submission token prefix, not a secret)


@dataclass(frozen=True)
class Volume:
    product: str
    per_month: int
    within_norm: float  # share closed within the norm
    asked: float  # share where the resident was asked for something


VOLUMES = (
    Volume("melding-openbare-ruimte", 55, 0.93, 0.08),
    Volume("vraag", 45, 0.88, 0.05),
    Volume("verhuizing-doorgeven", 38, 0.95, 0.12),
    Volume("grofvuil", 30, 0.97, 0.03),
    Volume("parkeervergunning", 24, 0.86, 0.25),
    Volume("bijzondere-bijstand", 16, 0.78, 0.45),
    Volume("kapvergunning", 12, 0.82, 0.30),
    Volume("afvalcontainer", 11, 0.9, 0.1),
    Volume("wmo-ondersteuning", 7, 0.7, 0.5),  # below 10 a month: not published
)


@dataclass(frozen=True)
class ClosedCase:
    zaak_id: int
    product: str
    month: str
    bsn: str | None
    kvk: str | None
    online: bool


def _months(today: date, count: int) -> list[date]:
    """The first day of each of the last `count` months, oldest first (this month last)."""
    firsts = []
    year, month = today.year, today.month
    for _ in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return firsts[::-1]


def _working_days_in(first: date, today: date) -> list[date]:
    last = min(today, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1))
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [day for day in days if is_working_day(day)]


def _back(day: date, working_days: int) -> date:
    """`working_days` working days before `day`."""
    while working_days > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            working_days -= 1
    return day


def has_history(db: Session) -> bool:
    table: Any = Zaak.__table__  # type: ignore[attr-defined]
    query = select(func.count()).where(table.c.submission_token.like(f"{TOKEN_PREFIX}%"))
    return bool(db.execute(query).scalar_one())


def write_history(db: Session, *, now: datetime, months: int = 12) -> list[ClosedCase]:
    """Write the closed cases of the last `months` months (this one up to today)."""
    rng = random.Random(f"mijn-haren-history-{now:%Y-%m-%d}")  # noqa: S311 (demo data)
    today = now.astimezone(HAREN_TIME).date()
    next_id = int(db.execute(select(func.coalesce(func.max(Zaak.id), 0))).scalar_one()) + 1
    rows: dict[str, list[dict[str, Any]]] = {"zaken": [], "statuses": [], "requests": []}
    closed: list[ClosedCase] = []
    number = 0
    for first in _months(today, months):
        days = _working_days_in(first, today)
        summer = first.month in (7, 8)
        for volume in VOLUMES:
            case_type = zaaktypen.ensure_zaaktype(db, volume.product, now=now)
            count = round(volume.per_month * len(days) / 21 * rng.uniform(0.85, 1.15))
            for _ in range(count if days else 0):
                number += 1
                made = _case(
                    rng, next_id, number, volume, case_type, rng.choice(days), summer, rows
                )
                closed.append(made)
                next_id += 1
    if rows["zaken"]:
        db.execute(insert(Zaak), rows["zaken"])
        # The ids were given explicitly; later cases must continue after them.
        continue_id_sequence(db.connection())
        db.execute(insert(ZaakStatus), rows["statuses"])
    if rows["requests"]:
        db.execute(insert(ZaakVerzoek), rows["requests"])
    return closed


def _case(
    rng: random.Random,
    zaak_id: int,
    number: int,
    volume: Volume,
    case_type: Any,
    closed_on: date,
    summer: bool,
    rows: dict[str, list[dict[str, Any]]],
) -> ClosedCase:
    norm = case_type.norm_days
    in_norm = rng.random() < volume.within_norm - (0.08 if summer else 0)
    lead = rng.randint(0, norm) if in_norm else norm + rng.randint(1, max(3, norm // 2))
    received_on = _back(closed_on, lead)
    received = datetime.combine(received_on, time(rng.randint(8, 20), rng.randint(0, 59)))
    received = received.replace(tzinfo=HAREN_TIME).astimezone(UTC)
    closed_at = datetime.combine(closed_on, time(rng.randint(9, 16), rng.randint(0, 59)))
    closed_at = closed_at.replace(tzinfo=HAREN_TIME).astimezone(UTC)
    closed_at = max(closed_at, received + timedelta(hours=1))
    owner = owner_of(number)
    asked = rng.random() < volume.asked
    result = "ingetrokken" if rng.random() < 0.03 else rng.choice(case_type.results[:2])
    zaak = Zaak(
        id=zaak_id,
        reference=f"HRN-{received.year}-9{number:05d}",
        zaaktype=volume.product,
        omschrijving=case_type.name,
        channel="online" if rng.random() < 0.85 else "telefoon",
        initiator_kind="niet_natuurlijk_persoon" if owner.kvk else "natuurlijk_persoon",
        initiator_bsn=owner.bsn,
        initiator_kvk=owner.kvk,
        initiator_name=owner.name,
        search_name=owner.name.lower(),
        status=zaaktypen.CLOSED,
        received_at=received,
        due_by_norm=add_working_days(received_on, norm),
        due_by_law=received_on + timedelta(days=case_type.legal_days)
        if case_type.legal_days
        else None,
        closed_at=closed_at,
        last_changed_at=closed_at,
        result=result,
        withdraw_reason="Niet meer nodig" if result == "ingetrokken" else "",
        answers={},
        submission_token=f"{TOKEN_PREFIX}{number:06d}",
    )
    figures = closing_figures(zaak, result=result, asked=asked, now=closed_at)
    rows["zaken"].append({**zaak.model_dump(), **figures})
    for status, at in ((zaaktypen.RECEIVED, received), (zaaktypen.CLOSED, closed_at)):
        rows["statuses"].append(
            {
                "zaak_id": zaak_id,
                "status": status,
                "set_at": at,
                "set_by": "systeem" if status == zaaktypen.RECEIVED else "Bram Behandelaar",
                "note_for_resident": "",
                "internal_note": "",
            }
        )
    if asked:
        rows["requests"].append(
            {
                "zaak_id": zaak_id,
                "kind": "documenten",
                "question": "Stuur ons een kopie van het ontbrekende document",
                "deadline": received_on + timedelta(days=14),
                "created_at": received + timedelta(hours=2),
                "created_by": "Bram Behandelaar",
                "answer": "Hierbij.",
                "answered_at": min(closed_at, received + timedelta(days=2)),
            }
        )
    return ClosedCase(
        zaak_id,
        volume.product,
        figures["closed_month"],
        owner.bsn,
        owner.kvk,
        zaak.channel == "online",
    )
