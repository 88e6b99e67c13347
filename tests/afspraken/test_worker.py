"""The worker's round for appointments: expired holds are released, and each appointment gets
one reminder a day before, never two."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from fastapi.testclient import TestClient

from portal.settings import Settings
from portal.worker import run_jobs_once
from tests.afspraken.helpers import (
    FIRST_DAY,
    NOW,
    WEDNESDAY,
    appointments,
    at,
    book,
    confirm,
    give_details,
    hold_token,
    outbox,
    seed,
    units_of,
)
from tests.conftest import csrf_token_for, make_settings


@pytest.fixture(autouse=True)
def clock(db_engine: Any, settings: Settings) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        seed(db_engine, settings)
        yield traveller


@pytest.fixture
def worker_settings(database_url: str, tmp_path: Path) -> Settings:
    """The worker's settings: e-mail goes to files in a temporary folder."""
    return make_settings(database_url, data_dir=tmp_path)


def test_expired_holds_are_released(
    client: TestClient,
    db_engine: Any,
    worker_settings: Settings,
    clock: time_machine.Traveller,
) -> None:
    booked = book(client, day=WEDNESDAY, clock="09:00")
    hold_token(client, day=WEDNESDAY, clock="10:00")
    clock.shift(timedelta(minutes=5))
    hold_token(client, day=WEDNESDAY, clock="11:00")
    clock.shift(timedelta(minutes=6))  # the 10:00 hold ran out, the 11:00 one has 4 minutes
    results = run_jobs_once(worker_settings)
    assert results["appointment_holds_released"] == 1
    confirmed, expired, live = appointments(db_engine)
    assert expired.state == "verlopen"
    assert expired.id is not None
    assert units_of(db_engine, expired.id) == []
    assert live.state == "vastgehouden"
    assert live.id is not None
    assert len(units_of(db_engine, live.id)) == 2
    assert confirmed.state == "bevestigd"
    assert confirmed.id is not None
    assert len(units_of(db_engine, confirmed.id)) == 2
    assert client.get(booked.manage_path).status_code == 200
    # The next round finds nothing more to release; later the other hold goes too.
    assert run_jobs_once(worker_settings)["appointment_holds_released"] == 0
    clock.shift(timedelta(minutes=5))
    assert run_jobs_once(worker_settings)["appointment_holds_released"] == 1
    assert [a.state for a in appointments(db_engine)] == ["bevestigd", "verlopen", "verlopen"]
    assert all(
        units_of(db_engine, a.id) == [] for a in appointments(db_engine)[1:] if a.id is not None
    )


def test_one_reminder_for_an_appointment_within_24_hours_never_two(
    client: TestClient,
    db_engine: Any,
    worker_settings: Settings,
    clock: time_machine.Traveller,
) -> None:
    # Monday 10:00 now; Tuesday 09:00 is 23 hours away, Wednesday 09:00 47 hours.
    wednesday = FIRST_DAY + timedelta(days=1)
    soon = book(client, day=FIRST_DAY, clock="09:00", email="soon@example.nl")
    book(client, day=wednesday, clock="09:00", email="later@example.nl")
    cancelled = book(client, day=FIRST_DAY, clock="10:00", email="cancelled@example.nl")
    response = client.post(
        f"{cancelled.manage_path}/afzeggen", data={"csrf_token": csrf_token_for(client)}
    )
    assert response.status_code == 303

    first = run_jobs_once(worker_settings)
    assert first["appointment_reminders"] == 1
    second = run_jobs_once(worker_settings)
    assert second["appointment_reminders"] == 0
    [reminder] = outbox(db_engine, "appointment_reminder")
    assert reminder.recipient == "soon@example.nl"
    assert reminder.subject == "Herinnering: uw afspraak bij de gemeente"
    assert "02-03-2027 van 09:00 tot 09:10 uur" in reminder.body_text
    assert f"http://testserver{soon.manage_path}" in reminder.body_text
    assert reminder.attachment_text is None
    assert reminder.sent_at is not None  # e-mailed in the same round
    soon_row = next(a for a in appointments(db_engine) if a.email == "soon@example.nl")
    assert soon_row.reminder_sent_at == NOW

    # A day later Wednesday comes within 24 hours: its reminder goes, Tuesday's not again.
    clock.move_to(at(FIRST_DAY, "09:30"))
    assert run_jobs_once(worker_settings)["appointment_reminders"] == 1
    assert run_jobs_once(worker_settings)["appointment_reminders"] == 0
    reminders = outbox(db_engine, "appointment_reminder")
    assert sorted(r.recipient for r in reminders) == ["later@example.nl", "soon@example.nl"]


def test_a_moved_appointment_is_reminded_of_its_new_time(
    client: TestClient,
    db_engine: Any,
    worker_settings: Settings,
    clock: time_machine.Traveller,
) -> None:
    booked = book(client, day=FIRST_DAY, clock="09:00")
    assert run_jobs_once(worker_settings)["appointment_reminders"] == 1
    response = client.post(
        f"{booked.manage_path}/verzetten",
        data={
            "csrf_token": csrf_token_for(client),
            "datum": FIRST_DAY.isoformat(),
            "tijd": "09:40",
        },
    )
    assert response.status_code == 303
    assert run_jobs_once(worker_settings)["appointment_reminders"] == 1
    assert run_jobs_once(worker_settings)["appointment_reminders"] == 0
    first, second = outbox(db_engine, "appointment_reminder")
    assert "van 09:00 tot 09:10 uur" in first.body_text
    assert "van 09:40 tot 09:50 uur" in second.body_text


def test_details_sent_after_the_worker_let_the_hold_go_are_kept(
    client: TestClient,
    db_engine: Any,
    worker_settings: Settings,
    clock: time_machine.Traveller,
) -> None:
    """A resident who takes longer than the hold, with the worker running meanwhile, does not
    lose what they typed: the new time they choose gets the details."""
    token = hold_token(client, day=WEDNESDAY, clock="09:00")
    clock.shift(timedelta(minutes=12))
    assert run_jobs_once(worker_settings)["appointment_holds_released"] == 1
    response = give_details(client, token, name="Jan Jansen", email="jan@example.nl")
    assert response.status_code == 303
    [released] = appointments(db_engine)
    assert (released.state, released.name, released.email) == (
        "verlopen",
        "Jan Jansen",
        "jan@example.nl",
    )
    assert released.id is not None
    assert units_of(db_engine, released.id) == []
    # The time is still free, so confirming takes it again, with the details given.
    response = confirm(client, token)
    assert response.status_code == 303
    [booked] = appointments(db_engine)
    assert (booked.state, booked.name, booked.email) == (
        "bevestigd",
        "Jan Jansen",
        "jan@example.nl",
    )
