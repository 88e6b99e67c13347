"""No double booking, ever: many residents racing for the last free place in a slot, against
the portal served as separate OS processes on loopback ports (`mijn-haren serve`), on the test
session's database (SQLite, or PostgreSQL when MIJNHAREN_TEST_DATABASE_URL says so).

Every client first loads the page that offers the time (so each has seen it free, and has its
CSRF cookie and token); then all send their POST at once, spread over the processes. Exactly
one wins; every other one gets a clear "no longer available" answer and changes nothing.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any

import httpx
import pytest
from sqlmodel import Session, col, select

from portal.afspraken import booking, journey, links, schedule, service
from portal.afspraken.models import (
    Appointment,
    BookableProduct,
    DayException,
    Desk,
    DeskProduct,
    DeskUnit,
    Location,
)
from portal.berichten.models import OutboxMessage
from portal.settings import Settings
from tests.live import csrf_of, http_client, running_portals

pytestmark = [pytest.mark.live, pytest.mark.timeout(240)]

SERVER_PROCESSES = 2
LOCATION = "racepunt"
PRODUCT = "paspoort"
TAKEN = "Deze tijd is intussen niet meer vrij"
UNITS_PER_APPOINTMENT = 2  # 10 minutes of one person


# --- The portal as separate processes --------------------------------------------------


@pytest.fixture(scope="module")
def portals(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """`mijn-haren serve` twice, each its own process and port, on the test database."""
    # Every client comes from 127.0.0.1; the limit is not what is tested here.
    with running_portals(
        database_url,
        tmp_path_factory.mktemp("race"),
        SERVER_PROCESSES,
        appointment_rate_limit="1000000",
    ) as started:
        yield [portal.url for portal in started]


Prepared = dict[str, str]


def race(
    urls: list[str],
    count: int,
    prepare: Callable[[int, httpx.Client], Prepared],
    send: Callable[[int, httpx.Client, Prepared], httpx.Response],
) -> list[httpx.Response]:
    """`count` clients, each on its own thread and connection, spread over the processes:
    each prepares (loads a page), then all send at the same moment."""
    answers: list[httpx.Response | None] = [None] * count
    failures: list[str] = []
    barrier = threading.Barrier(count)

    def client(index: int) -> None:
        with http_client(urls[index % len(urls)]) as http:
            try:
                prepared = prepare(index, http)
            except BaseException as problem:
                failures.append(f"prepare {index}: {problem!r}")
                barrier.abort()
                return
            try:
                barrier.wait(timeout=120)
                answers[index] = send(index, http, prepared)
            except BaseException as problem:
                failures.append(f"send {index}: {problem!r}")

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "clients still waiting"
    assert failures == [], failures[:5]
    return [answer for answer in answers if answer is not None]


# --- A location with one desk and one product --------------------------------------------


@dataclass
class Day:
    day: date
    slots: list[datetime]


def race_day(settings: Settings, now: datetime) -> date:
    """A day well inside the booking window (the window starts the next working day)."""
    first, last = service.window(settings, now)
    day = first + timedelta(days=7)
    assert day <= last
    return day


def seed(db_engine: Any, settings: Settings, *, opens: clock, closes: clock) -> Day:
    """One location, one desk, one 10-minute product, open only on the race day."""
    now = datetime.now(UTC)
    day = race_day(settings, now)
    with Session(db_engine) as db:
        db.add(
            Location(
                code=LOCATION,
                name="Racepunt",
                street="Raadhuisplein 1",
                postcode="9751 AA",
                city="Haren",
            )
        )
        db.add(
            BookableProduct(
                code=PRODUCT,
                name_nl="Paspoort aanvragen",
                name_en="Apply for a passport",
                minutes_per_person=10,
                max_persons=2,
            )
        )
        db.flush()
        desk = Desk(location_code=LOCATION, name="Balie 1")
        db.add(desk)
        db.flush()
        assert desk.id is not None
        db.add(DeskProduct(desk_id=desk.id, product_code=PRODUCT))
        db.add(
            DayException(
                location_code=LOCATION,
                day=day,
                kind="open",
                opens=opens,
                closes=closes,
                created_at=now,
            )
        )
        db.commit()
        choice = service.make_choice(db, [PRODUCT], 1)
        slots = service.available_times(db, choice, LOCATION, day, settings=settings, now=now)
    return Day(day, slots)


def book(db: Session, settings: Settings, start: datetime, number: int) -> Appointment:
    """A confirmed appointment, as staff book it for a caller."""
    return booking.book_for_caller(
        db,
        choice=service.make_choice(db, [PRODUCT], 1),
        location_code=LOCATION,
        start=start,
        contact=booking.Contact(
            name=f"Bezoeker {number}", email=f"bezoeker{number}@example.nl", phone=""
        ),
        staff_subject="medewerker-test",
        settings=settings,
        now=datetime.now(UTC),
    )


def units_of(db: Session, appointment_id: int | None) -> list[DeskUnit]:
    query = select(DeskUnit).where(DeskUnit.appointment_id == appointment_id)
    return list(db.exec(query.order_by(col(DeskUnit.unit_start))).all())


def expected_units(start: datetime) -> list[datetime]:
    end = start + timedelta(minutes=10)
    return [schedule.unit_instant(u) for u in schedule.units_between(start, end)]


# --- The races ---------------------------------------------------------------------------


def test_200_concurrent_holds_of_the_last_place_give_one_booking(
    portals: list[str], db_engine: Any, settings: Settings
) -> None:
    seeded = seed(db_engine, settings, opens=clock(10), closes=clock(10, 30))
    assert len(seeded.slots) == 3
    early, last_free, late = seeded.slots
    with Session(db_engine) as db:
        for number, start in enumerate((early, late)):
            book(db, settings, start, number)
        db.commit()
    wanted = journey.time_value(last_free)
    choice = {"product": PRODUCT, "personen": "1", "locatie": LOCATION}
    choice["datum"] = seeded.day.isoformat()

    def prepare(index: int, http: httpx.Client) -> Prepared:
        page = http.get("/afspraken/tijd", params=choice)
        assert page.status_code == 200
        offered = re.findall(r'name="tijd" value="([0-9:]+)"', page.text)
        assert offered == [wanted], offered
        return {**choice, "tijd": wanted, "csrf_token": csrf_of(page)}

    def send(index: int, http: httpx.Client, form: Prepared) -> httpx.Response:
        return http.post("/afspraken/tijd", data=form)

    answers = race(portals, 200, prepare, send)

    assert Counter(a.status_code for a in answers) == {303: 1, 409: 199}
    winner = next(a for a in answers if a.status_code == 303)
    assert winner.headers["location"].startswith("/afspraken/gegevens/")
    assert all(TAKEN in a.text for a in answers if a.status_code == 409)
    with Session(db_engine) as db:
        appointments = db.exec(select(Appointment)).all()
        assert len(appointments) == 3
        held = [a for a in appointments if a.state == "vastgehouden"]
        assert len(held) == 1
        assert held[0].starts_at == last_free
        assert sorted(a.starts_at for a in appointments if a.state == "bevestigd") == [early, late]
        assert len(db.exec(select(DeskUnit)).all()) == 3 * UNITS_PER_APPOINTMENT
        units = units_of(db, held[0].id)
        assert [u.unit_start for u in units] == expected_units(last_free)
        assert all(u.hold_until is not None for u in units)

    # The winner's link works from anywhere: details, then confirmed.
    with http_client(portals[-1]) as http:
        details = http.get(winner.headers["location"])
        assert details.status_code == 200
        saved = http.post(
            winner.headers["location"],
            data={
                "csrf_token": csrf_of(details),
                "naam": "Winnaar",
                "email": "winnaar@example.nl",
                "telefoon": "",
            },
        )
        assert saved.status_code == 303
        confirmed = http.post(saved.headers["location"], data={"csrf_token": csrf_of(details)})
        assert confirmed.status_code == 303
        assert confirmed.headers["location"].endswith("?melding=gemaakt")
    with Session(db_engine) as db:
        states = Counter(a.state for a in db.exec(select(Appointment)).all())
        assert states == {"bevestigd": 3}
        assert len(db.exec(select(DeskUnit)).all()) == 3 * UNITS_PER_APPOINTMENT


def test_50_concurrent_reschedules_onto_the_last_place_move_one_appointment(
    portals: list[str], db_engine: Any, settings: Settings
) -> None:
    # 09:00-17:30 is 51 places of 10 minutes; 50 are booked, one in the middle stays free.
    seeded = seed(db_engine, settings, opens=clock(9), closes=clock(17, 30))
    assert len(seeded.slots) == 51
    free = seeded.slots[25]
    with Session(db_engine) as db:
        booked = [
            book(db, settings, start, number)
            for number, start in enumerate(s for s in seeded.slots if s != free)
        ]
        db.commit()
        tokens = [links.manage_token(settings, a) for a in booked]
        before = {a.id: a.starts_at for a in booked}
        own_times = [a.starts_at for a in booked]
    wanted = journey.time_value(free)
    day = seeded.day.isoformat()

    def prepare(index: int, http: httpx.Client) -> Prepared:
        page = http.get(
            f"/afspraken/afspraak/{tokens[index]}/verzetten/tijd", params={"datum": day}
        )
        assert page.status_code == 200
        # The free place, and the appointment's own time (choosing that keeps it).
        offered = set(re.findall(r'name="tijd" value="([0-9:]+)"', page.text))
        assert offered == {wanted, journey.time_value(own_times[index])}, offered
        return {"datum": day, "tijd": wanted, "csrf_token": csrf_of(page)}

    def send(index: int, http: httpx.Client, form: Prepared) -> httpx.Response:
        return http.post(f"/afspraken/afspraak/{tokens[index]}/verzetten", data=form)

    answers = race(portals, len(tokens), prepare, send)

    assert Counter(a.status_code for a in answers) == {303: 1, 409: 49}
    winner_index = next(i for i, a in enumerate(answers) if a.status_code == 303)
    assert answers[winner_index].headers["location"].endswith("?melding=verzet")
    assert all(TAKEN in a.text for a in answers if a.status_code == 409)
    winner = booked[winner_index]
    with Session(db_engine) as db:
        after = {a.id: a for a in db.exec(select(Appointment)).all()}
        assert len(after) == 50
        assert all(a.state == "bevestigd" for a in after.values())
        moved = [i for i, a in after.items() if a.starts_at != before[i]]
        assert moved == [winner.id]
        assert after[winner.id].starts_at == free
        # Each appointment holds exactly its own ten minutes, the old or the new.
        for appointment in after.values():
            units = units_of(db, appointment.id)
            assert [u.unit_start for u in units] == expected_units(appointment.starts_at)
        assert len(db.exec(select(DeskUnit)).all()) == 50 * UNITS_PER_APPOINTMENT
        assert not any(a.rescheduled_count for i, a in after.items() if i != winner.id)
        mails = db.exec(select(OutboxMessage.kind)).all()
        assert mails == ["appointment_rescheduled"]
        # The winner's old place is the only free one now.
        choice = service.make_choice(db, [PRODUCT], 1)
        now = datetime.now(UTC)
        free_now = service.available_times(
            db, choice, LOCATION, seeded.day, settings=settings, now=now
        )
        assert free_now == [before[winner.id]]

    with http_client(portals[0]) as http:
        # The winner's old link was used; a loser's link still opens its appointment.
        assert http.get(f"/afspraken/afspraak/{tokens[winner_index]}").status_code == 404
        loser = (winner_index + 1) % len(tokens)
        assert http.get(f"/afspraken/afspraak/{tokens[loser]}").status_code == 200


def test_20_concurrent_confirms_of_one_hold_confirm_it_once(
    portals: list[str], db_engine: Any, settings: Settings
) -> None:
    """A resident clicking "confirm" many times (or on several tabs): one appointment, one
    e-mail, and every click ends on the appointment's page."""
    seeded = seed(db_engine, settings, opens=clock(10), closes=clock(10, 10))
    assert len(seeded.slots) == 1
    now = datetime.now(UTC)
    with Session(db_engine) as db:
        held = booking.hold_slot(
            db,
            choice=service.make_choice(db, [PRODUCT], 1),
            location_code=LOCATION,
            start=seeded.slots[0],
            settings=settings,
            now=now,
        )
        booking.save_contact(
            db,
            held,
            booking.Contact(name="Dubbelklikker", email="klik@example.nl", phone=""),
            settings=settings,
            now=now,
        )
        db.commit()
        token = links.hold_token(settings, held)
        held_id = held.id

    def prepare(index: int, http: httpx.Client) -> Prepared:
        page = http.get(f"/afspraken/controleren/{token}")
        assert page.status_code == 200
        return {"csrf_token": csrf_of(page)}

    def send(index: int, http: httpx.Client, form: Prepared) -> httpx.Response:
        return http.post(f"/afspraken/controleren/{token}", data=form)

    answers = race(portals, 20, prepare, send)

    assert [a.status_code for a in answers] == [303] * 20, [a.status_code for a in answers]
    assert all(
        a.headers["location"].startswith(("/afspraken/afspraak/", "http://127.0.0.1"))
        and "/afspraken/afspraak/" in a.headers["location"]
        for a in answers
    )
    with Session(db_engine) as db:
        appointment = db.get(Appointment, held_id)
        assert appointment is not None
        assert appointment.state == "bevestigd"
        assert appointment.version == 2
        assert db.exec(select(OutboxMessage.kind)).all() == ["appointment_confirmed"]
        units = units_of(db, held_id)
        assert [u.unit_start for u in units] == expected_units(seeded.slots[0])
        assert all(u.hold_until is None for u in units)
