"""After booking: rescheduling and cancelling with the signed link, links that stop working,
forged links, and the calendar file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import pytest
import time_machine
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer

from portal.afspraken import links
from portal.settings import Settings
from tests.afspraken.helpers import (
    NOW,
    TUESDAY,
    Booked,
    appointments,
    at,
    book,
    hold,
    hold_token,
    offered_times,
    outbox,
    seed,
    snapshot,
    token_in,
    units_of,
)
from tests.conftest import csrf_token_for

DEAD_LINK = "Deze link naar uw afspraak werkt niet meer"
ONNEN: dict[str, Any] = {"location": "servicepunt-onnen", "day": TUESDAY}  # one desk, 09:00-12:00


@pytest.fixture(autouse=True)
def clock(db_engine: Any, settings: Settings) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        seed(db_engine, settings)
        yield traveller


@pytest.fixture
def other(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as second:
        yield second


def reschedule(client: TestClient, booked: Booked, day: date, clock: str) -> Any:
    return client.post(
        f"{booked.manage_path}/verzetten",
        data={"csrf_token": csrf_token_for(client), "datum": day.isoformat(), "tijd": clock},
    )


def cancel(client: TestClient, path: str) -> Any:
    return client.post(f"{path}/afzeggen", data={"csrf_token": csrf_token_for(client)})


def test_reschedule_takes_the_new_time_and_frees_the_old_one(
    client: TestClient, other: TestClient, db_engine: Any
) -> None:
    booked = book(client, clock="09:00", **ONNEN)
    [before] = appointments(db_engine)
    page = client.get(f"{booked.manage_path}/verzetten")
    assert page.status_code == 200
    assert "Uw afspraak staat nu op" in page.text
    page = client.get(f"{booked.manage_path}/verzetten/tijd?datum={TUESDAY.isoformat()}")
    assert page.status_code == 200
    times = offered_times(page.text)
    assert "09:00" in times  # its own time counts as free while it is being moved
    assert "10:00" in times

    response = reschedule(client, booked, TUESDAY, "10:00")
    assert response.status_code == 303
    assert response.headers["location"].endswith("?melding=verzet")
    new_token = token_in(response.headers["location"], "/afspraken/afspraak/")
    assert new_token != booked.manage_token

    [after] = appointments(db_engine)
    assert after.id == before.id
    assert after.reference == before.reference
    assert after.state == "bevestigd"
    assert after.starts_at == at(TUESDAY, "10:00")
    assert after.ends_at == at(TUESDAY, "10:10")
    assert after.rescheduled_count == 1
    assert after.id is not None
    assert [start for _, start, _ in units_of(db_engine, after.id)] == [
        at(TUESDAY, "10:00"),
        at(TUESDAY, "10:05"),
    ]
    # The old link stops working, the new one works and says it was moved.
    old_page = client.get(booked.manage_path)
    assert old_page.status_code == 404
    assert DEAD_LINK in old_page.text
    assert client.get(f"{booked.manage_path}/afzeggen").status_code == 404
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert "Uw afspraak is verzet" in page.text
    assert "van 10:00 tot 10:10 uur" in page.text
    # The old time is free for someone else again.
    page = other.get(
        f"/afspraken/tijd?product=paspoort&personen=1&locatie=servicepunt-onnen&datum={TUESDAY}"
    )
    assert "09:00" in offered_times(page.text)
    assert "10:00" not in offered_times(page.text)
    assert hold(other, clock="09:00", **ONNEN).status_code == 303
    # The e-mail about the move carries the new time, a calendar file and the new link.
    [message] = outbox(db_engine, "appointment_rescheduled")
    assert "16-03-2027 van 10:00 tot 10:10 uur" in message.body_text
    assert f"/afspraken/afspraak/{new_token}" in message.body_text
    assert message.attachment_text is not None
    [event] = icalendar.Calendar.from_ical(message.attachment_text).walk("VEVENT")
    assert event.decoded("dtstart") == at(TUESDAY, "10:00")
    assert int(event.decoded("sequence")) > 1


def test_reschedule_to_a_taken_time_changes_nothing(
    client: TestClient, other: TestClient, db_engine: Any
) -> None:
    mine = book(client, clock="09:00", **ONNEN)
    book(other, clock="10:00", email="piet@example.nl", **ONNEN)
    [before, _theirs] = appointments(db_engine)
    assert before.id is not None
    units = units_of(db_engine, before.id)
    tables = snapshot(db_engine)

    response = reschedule(client, mine, TUESDAY, "10:00")
    assert response.status_code == 409
    assert "Deze tijd is intussen niet meer vrij. Kies een andere tijd." in response.text
    # A time off the ten-minute grid is refused the same way.
    response = reschedule(client, mine, TUESDAY, "09:55")
    assert response.status_code == 422  # not on the 10-minute grid
    assert "Kies een tijd uit de lijst." in response.text

    assert snapshot(db_engine) == tables
    [after, _theirs] = appointments(db_engine)
    assert (after.starts_at, after.desk_id, after.version) == (
        before.starts_at,
        before.desk_id,
        before.version,
    )
    assert units_of(db_engine, before.id) == units
    page = client.get(mine.manage_path)
    assert page.status_code == 200
    assert "van 09:00 tot 09:10 uur" in page.text


def test_a_two_person_reschedule_that_only_partly_fits_changes_nothing(
    client: TestClient, other: TestClient, db_engine: Any
) -> None:
    mine = book(client, clock="09:00", persons=2, **ONNEN)
    book(other, clock="10:10", email="piet@example.nl", **ONNEN)
    tables = snapshot(db_engine)
    # 10:00-10:20 would overlap 10:10-10:20 on the only desk.
    assert reschedule(client, mine, TUESDAY, "10:00").status_code == 409
    assert snapshot(db_engine) == tables
    assert client.get(mine.manage_path).status_code == 200


def test_cancel_frees_the_desk_and_sends_a_cancelling_calendar_file(
    client: TestClient, other: TestClient, db_engine: Any
) -> None:
    booked = book(client, clock="09:00", **ONNEN)
    page = client.get(f"{booked.manage_path}/afzeggen")
    assert page.status_code == 200
    response = cancel(client, booked.manage_path)
    assert response.status_code == 303
    assert response.headers["location"].endswith("/afspraken/afgezegd")
    assert client.get(response.headers["location"]).status_code == 200

    [cancelled] = appointments(db_engine)
    assert cancelled.state == "geannuleerd"
    assert cancelled.cancelled_at is not None
    assert cancelled.id is not None
    assert units_of(db_engine, cancelled.id) == []
    assert hold(other, clock="09:00", **ONNEN).status_code == 303

    [message] = outbox(db_engine, "appointment_cancelled")
    assert message.recipient == "jan@example.nl"
    assert "afgezegd" in message.body_text
    assert "/afspraken/afspraak/" not in message.body_text  # no link to a cancelled appointment
    assert message.attachment_text is not None
    calendar = icalendar.Calendar.from_ical(message.attachment_text)
    assert str(calendar["method"]) == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    [confirmed] = outbox(db_engine, "appointment_confirmed")
    assert confirmed.attachment_text is not None
    [first] = icalendar.Calendar.from_ical(confirmed.attachment_text).walk("VEVENT")
    assert str(event["uid"]) == str(first["uid"])  # the same entry in the calendar
    assert int(event.decoded("sequence")) > int(first.decoded("sequence"))


def test_a_used_link_stops_working(client: TestClient, db_engine: Any) -> None:
    booked = book(client, clock="09:00", **ONNEN)
    assert cancel(client, booked.manage_path).status_code == 303
    tables = snapshot(db_engine)
    for path in ("", "/agenda.ics", "/afzeggen", "/verzetten", f"/verzetten/tijd?datum={TUESDAY}"):
        assert client.get(f"{booked.manage_path}{path}").status_code == 404, path
    assert cancel(client, booked.manage_path).status_code == 404
    assert reschedule(client, booked, TUESDAY, "10:00").status_code == 404
    page = client.get(booked.manage_path)
    assert DEAD_LINK in page.text
    assert "maak dan een nieuwe afspraak" in page.text  # a new booking is offered instead
    assert snapshot(db_engine) == tables
    assert len(outbox(db_engine, "appointment_cancelled")) == 1


def test_links_stop_working_once_the_appointment_has_passed(
    client: TestClient, db_engine: Any, clock: time_machine.Traveller
) -> None:
    booked = book(client, clock="09:00", **ONNEN)
    clock.move_to(at(TUESDAY, "09:05"))
    # During the appointment the page still opens, but it can no longer be changed.
    page = client.get(booked.manage_path)
    assert page.status_code == 200
    assert "Afspraak afzeggen" not in page.text
    assert client.get(f"{booked.manage_path}/afzeggen").status_code == 404
    assert client.get(f"{booked.manage_path}/verzetten").status_code == 404
    tables = snapshot(db_engine)
    assert cancel(client, booked.manage_path).status_code == 404
    assert snapshot(db_engine) == tables

    clock.move_to(at(TUESDAY, "09:10"))
    for path in ("", "/agenda.ics", "/afzeggen", "/verzetten"):
        response = client.get(f"{booked.manage_path}{path}")
        assert response.status_code == 404, path
        assert DEAD_LINK in response.text
    assert cancel(client, booked.manage_path).status_code == 404
    assert reschedule(client, booked, TUESDAY + timedelta(days=2), "10:00").status_code == 404
    assert snapshot(db_engine) == tables
    [still] = appointments(db_engine)
    assert still.state == "bevestigd"


def forged_tokens(settings: Settings, booked: Booked, appointment_id: int) -> list[str]:
    good = booked.manage_token
    # Change one character in the middle of the signature (the last character of base64
    # carries padding bits, so changing it may decode to the same bytes).
    cut = good.rindex(".") + 5
    flipped = good[:cut] + ("A" if good[cut] != "A" else "B") + good[cut + 1 :]
    other_secret = URLSafeTimedSerializer("een ander geheim", salt=links.MANAGE_SALT)
    right_key = URLSafeTimedSerializer(settings.secret_key, salt=links.MANAGE_SALT)
    return [
        "niets",
        flipped,
        good.replace(".", "", 1),
        booked.hold_token,  # a booking link is not a manage link
        other_secret.dumps([appointment_id, "0" * 16]),
        right_key.dumps([appointment_id, "0" * 16]),  # an old nonce
        right_key.dumps([appointment_id + 1000, "0" * 16]),
        right_key.dumps(["1", "x"]),
        right_key.dumps({"id": appointment_id}),
    ]


def test_forged_and_tampered_links_get_404_and_change_nothing(
    client: TestClient, db_engine: Any, settings: Settings
) -> None:
    booked = book(client, clock="09:00", **ONNEN)
    [appointment] = appointments(db_engine)
    assert appointment.id is not None
    tables = snapshot(db_engine)
    for token in forged_tokens(settings, booked, appointment.id):
        path = f"/afspraken/afspraak/{token}"
        for suffix in ("", "/agenda.ics", "/afzeggen", "/verzetten"):
            response = client.get(f"{path}{suffix}")
            assert response.status_code == 404, (token, suffix)
            assert DEAD_LINK in response.text
        assert cancel(client, path).status_code == 404, token
        forged = Booked(booked.hold_token, token)
        assert reschedule(client, forged, TUESDAY, "10:00").status_code == 404, token
    assert snapshot(db_engine) == tables
    assert client.get(booked.manage_path).status_code == 200


def test_the_calendar_file_has_the_start_in_utc(client: TestClient, db_engine: Any) -> None:
    winter = book(client, clock="09:00", **ONNEN)
    # Tuesday 6 April 2027 is in summer time: 09:00 in Haren is 07:00 UTC.
    summer = book(client, clock="09:00", location="servicepunt-onnen", day=date(2027, 4, 6))
    expected = {
        winter.manage_token: datetime(2027, 3, 16, 8, 0, tzinfo=UTC),
        summer.manage_token: datetime(2027, 4, 6, 7, 0, tzinfo=UTC),
    }
    for booked in (winter, summer):
        response = client.get(f"{booked.manage_path}/agenda.ics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/calendar")
        assert "attachment" in response.headers["content-disposition"]
        calendar = icalendar.Calendar.from_ical(response.text)
        assert str(calendar["method"]) == "PUBLISH"
        [event] = calendar.walk("VEVENT")
        start = event.decoded("dtstart")
        assert start == expected[booked.manage_token]
        assert start.utcoffset() == timedelta(0)
        assert event.decoded("dtend") - start == timedelta(minutes=10)
        stamp = expected[booked.manage_token].strftime("%Y%m%dT%H%M%SZ")
        assert re.search(rf"^DTSTART[^:\r\n]*:{stamp}\r?$", response.text, re.MULTILINE)
        assert "Onnerweg 4" in str(event["location"])
        assert str(event["status"]) == "CONFIRMED"
    assert len({a.reference for a in appointments(db_engine)}) == 2


def test_a_hold_link_is_not_a_manage_link_and_a_finished_booking_link_leads_on(
    client: TestClient, db_engine: Any, settings: Settings
) -> None:
    booked = book(client, clock="09:00", **ONNEN)
    # The booking link of a confirmed appointment leads to the appointment page.
    response = client.get(f"/afspraken/gegevens/{booked.hold_token}")
    assert response.status_code == 303
    assert token_in(response.headers["location"], "/afspraken/afspraak/") == booked.manage_token
    # A manage link used as a booking link is nothing.
    assert client.get(f"/afspraken/gegevens/{booked.manage_token}").status_code == 404
    assert client.get(f"/afspraken/controleren/{booked.manage_token}").status_code == 404
    fresh = hold_token(client, clock="10:00", **ONNEN)
    assert client.get(f"/afspraken/afspraak/{fresh}").status_code == 404
