"""Shared helpers for the appointment tests: the demo locations and products, a fixed clock,
the booking journey through the web pages, and snapshots of the appointment tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, col, delete, select

from portal.afspraken import schedule
from portal.afspraken.demo import load_afspraken_demo
from portal.afspraken.models import Appointment, DeskUnit
from portal.berichten.models import OutboxMessage
from portal.settings import Settings
from tests.conftest import csrf_token_for

# Monday 1 March 2027, 10:00 in Haren: the window runs from Tuesday 2 March to Monday 26 April.
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
FIRST_DAY = date(2027, 3, 2)
LAST_DAY = date(2027, 4, 26)
WEDNESDAY = date(2027, 3, 10)  # gemeentehuis open 09:00-12:30 and 13:30-16:30, 3 counters
TUESDAY = date(2027, 3, 16)  # servicepunt-onnen open 09:00-12:00 with one desk

APPOINTMENT_TABLES = (
    "afspraak_locatie",
    "afspraak_openingstijd",
    "afspraak_uitzondering",
    "afspraak_product",
    "afspraak_balie",
    "afspraak_balie_product",
    "afspraak",
    "afspraak_bezetting",
    "outbox_message",
)


def at(day: date, clock: str) -> datetime:
    """The UTC instant of a wall-clock time ('09:30') in Haren."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return schedule.local_instant(day, time(hours, minutes))


def seed(db_engine: Any, settings: Settings, *, with_bookings: bool = False) -> None:
    """The demo locations, desks, hours and products; without the demo's own bookings unless
    asked, so that every test starts from an empty schedule."""
    with Session(db_engine) as db:
        load_afspraken_demo(db, settings)
        if not with_bookings:
            db.execute(delete(DeskUnit))
            db.execute(delete(Appointment))
        db.commit()


def snapshot(db_engine: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every appointment table (and the outbox), to prove nothing changed."""
    with db_engine.connect() as connection:
        return {
            table: sorted(
                (
                    tuple(str(v) for v in row)
                    for row in connection.execute(text(f'SELECT * FROM "{table}"'))
                ),
            )
            for table in APPOINTMENT_TABLES
        }


def appointments(db_engine: Any) -> list[Appointment]:
    with Session(db_engine) as db:
        return list(db.exec(select(Appointment).order_by(col(Appointment.id))).all())


def appointment(db_engine: Any, appointment_id: int) -> Appointment:
    with Session(db_engine) as db:
        found = db.get(Appointment, appointment_id)
        assert found is not None
        return found


def units_of(db_engine: Any, appointment_id: int) -> list[tuple[int, datetime, datetime | None]]:
    """The desk units an appointment (or hold) occupies: (desk, unit start, hold until)."""
    with Session(db_engine) as db:
        rows = db.exec(
            select(DeskUnit)
            .where(DeskUnit.appointment_id == appointment_id)
            .order_by(col(DeskUnit.unit_start))
        ).all()
        return [(u.desk_id, u.unit_start, u.hold_until) for u in rows]


def outbox(db_engine: Any, kind: str | None = None) -> list[OutboxMessage]:
    with Session(db_engine) as db:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id))
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        return list(db.exec(query).all())


def choice_query(
    products: tuple[str, ...] = ("paspoort",),
    persons: int | str = 1,
    location: str | None = None,
    day: date | str | None = None,
    **extra: str,
) -> str:
    pairs: list[tuple[str, str]] = [("product", code) for code in products]
    pairs.append(("personen", str(persons)))
    if location:
        pairs.append(("locatie", location))
    if day:
        pairs.append(("datum", str(day)))
    pairs.extend(extra.items())
    return urlencode(pairs)


def offered_times(html: str) -> list[str]:
    return re.findall(r'name="tijd" value="([0-9:]+)"', html)


def offered_days(html: str) -> list[str]:
    return re.findall(r'name="datum" value="([0-9-]+)"', html)


def token_in(location: str, prefix: str) -> str:
    path = location.split("://", 1)[-1]
    path = path[path.index("/") :] if "://" in location else path
    assert path.startswith(prefix), location
    return path.removeprefix(prefix).split("?", 1)[0].split("/", 1)[0]


def hold(
    client: TestClient,
    *,
    day: date,
    clock: str,
    products: tuple[str, ...] = ("paspoort",),
    persons: int = 1,
    location: str = "gemeentehuis",
    vorige: str | None = None,
) -> httpx.Response:
    """Choose a time (POST /afspraken/tijd): a 303 to the details page when it is held."""
    data: dict[str, str | list[str]] = {
        "csrf_token": csrf_token_for(client),
        "product": list(products),
        "personen": str(persons),
        "locatie": location,
        "datum": str(day),
        "tijd": clock,
    }
    if vorige:
        data["vorige"] = vorige
    response: httpx.Response = client.post("/afspraken/tijd", data=data)
    return response


def hold_token(client: TestClient, **choice: Any) -> str:
    response = hold(client, **choice)
    assert response.status_code == 303, response.text
    return token_in(response.headers["location"], "/afspraken/gegevens/")


def give_details(
    client: TestClient, token: str, *, name: str, email: str = "", phone: str = ""
) -> httpx.Response:
    response: httpx.Response = client.post(
        f"/afspraken/gegevens/{token}",
        data={
            "csrf_token": csrf_token_for(client),
            "naam": name,
            "email": email,
            "telefoon": phone,
        },
    )
    return response


def confirm(client: TestClient, token: str) -> httpx.Response:
    response: httpx.Response = client.post(
        f"/afspraken/controleren/{token}", data={"csrf_token": csrf_token_for(client)}
    )
    return response


@dataclass
class Booked:
    hold_token: str
    manage_token: str

    @property
    def manage_path(self) -> str:
        return f"/afspraken/afspraak/{self.manage_token}"


def book(
    client: TestClient,
    *,
    day: date,
    clock: str,
    name: str = "Jan Jansen",
    email: str = "jan@example.nl",
    phone: str = "",
    **choice: Any,
) -> Booked:
    """Hold a time, give the details and confirm it: the tokens of the booking."""
    token = hold_token(client, day=day, clock=clock, **choice)
    response = give_details(client, token, name=name, email=email, phone=phone)
    assert response.status_code == 303, response.text
    response = confirm(client, token)
    assert response.status_code == 303, response.text
    return Booked(token, token_in(response.headers["location"], "/afspraken/afspraak/"))


def appointment_by_reference(db_engine: Any, reference: str) -> Appointment:
    with Session(db_engine) as db:
        return db.exec(select(Appointment).where(Appointment.reference == reference)).one()


def reference_in(html: str) -> str:
    found = re.search(r"AF-[A-Z0-9]{4}-[A-Z0-9]{4}", html)
    assert found, "no appointment reference on the page"
    return found.group(0)
