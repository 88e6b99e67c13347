"""Hostile and broken input on every step: a clear Dutch message, a 4xx status, and not one
row of the appointment tables (or the outbox) changed."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer

from portal.afspraken import links
from portal.settings import Settings
from tests.afspraken.helpers import (
    FIRST_DAY,
    LAST_DAY,
    NOW,
    TUESDAY,
    WEDNESDAY,
    Booked,
    appointments,
    book,
    choice_query,
    confirm,
    give_details,
    hold,
    hold_token,
    offered_days,
    offered_times,
    seed,
    snapshot,
    token_in,
    units_of,
)
from tests.conftest import csrf_token_for

WINDOW = "Kies een datum uit de lijst. Afspraken kunnen van 02-03-2027 tot en met 26-04-2027."
PICK_DATE = "Kies een datum uit de lijst."
PICK_TIME = "Kies een tijd uit de lijst."
NO_TIME = "Kies een tijd."
PICK_PRODUCT = "Kies waarvoor u komt uit de lijst op deze pagina."
NO_PRODUCT = "Kies waarvoor u komt."
TOO_MANY = "Kies hoogstens 3 verschillende producten. Voor meer maakt u een tweede afspraak."
PERSONS = "Kies voor hoeveel personen de afspraak is."
PICK_LOCATION = "Kies een locatie uit de lijst."
FORM_EXPIRED = "Uw formulier is verlopen"
DEAD_LINK = "Deze link naar uw afspraak werkt niet meer"


@pytest.fixture(autouse=True)
def clock(db_engine: Any, settings: Settings) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        seed(db_engine, settings)
        yield traveller


@pytest.fixture
def booked(client: TestClient) -> Booked:
    """An appointment already there, so that 'nothing changed' covers a real row."""
    return book(client, day=TUESDAY, clock="09:00")


def post_time(client: TestClient, **fields: str | list[str]) -> Any:
    data: dict[str, str | list[str]] = {
        "csrf_token": csrf_token_for(client),
        "product": ["paspoort"],
        "personen": "1",
        "locatie": "gemeentehuis",
        "datum": WEDNESDAY.isoformat(),
        "tijd": "09:00",
    }
    data.update(fields)
    return client.post("/afspraken/tijd", data=data)


def assert_refused(response: Any, status: int, message: str) -> None:
    assert response.status_code == status, response.text[:500]
    assert message in html.unescape(response.text)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2027, 3, 1).isoformat(), WINDOW),  # today
        (date(2027, 2, 26).isoformat(), WINDOW),  # the past
        ((LAST_DAY + timedelta(days=1)).isoformat(), WINDOW),  # one day past the window
        ("2030-01-02", WINDOW),
        ("2027-02-30", PICK_DATE),
        ("morgen", PICK_DATE),
        ("10-03-2027", PICK_DATE),
        ("", PICK_DATE),
        ("2027-03-1x", PICK_DATE),
        ("'; DROP TABLE afspraak; --", PICK_DATE),
    ],
)
def test_dates_out_of_the_window_or_malformed(
    client: TestClient, db_engine: Any, booked: Booked, day: str, message: str
) -> None:
    before = snapshot(db_engine)
    query = choice_query(location="gemeentehuis", datum=day)
    assert_refused(client.get(f"/afspraken/tijd?{query}"), 422, message)
    assert_refused(post_time(client, datum=day), 422, message)
    response = client.post(
        f"{booked.manage_path}/verzetten",
        data={"csrf_token": csrf_token_for(client), "datum": day, "tijd": "10:00"},
    )
    if len(day) <= 10:
        assert_refused(response, 422, message)
    else:  # longer than a date can be: the form itself is refused
        assert_refused(response, 400, "Deze link is niet compleet")
    assert snapshot(db_engine) == before


def test_the_first_and_last_day_of_the_window_are_bookable(
    client: TestClient, db_engine: Any
) -> None:
    page = client.get(f"/afspraken/datum?{choice_query(location='gemeentehuis')}")
    days = offered_days(page.text)
    assert days[0] == FIRST_DAY.isoformat()
    assert days[-1] == LAST_DAY.isoformat()
    for day in (FIRST_DAY, LAST_DAY):
        page = client.get(f"/afspraken/tijd?{choice_query(location='gemeentehuis', day=day)}")
        assert page.status_code == 200
        assert "09:00" in offered_times(page.text)
        assert hold(client, day=day, clock="09:00").status_code == 303
    assert len(appointments(db_engine)) == 2


@pytest.mark.parametrize(
    ("day", "moment", "message"),
    [
        (WEDNESDAY, "09:05", PICK_TIME),  # not on the 10-minute grid
        (WEDNESDAY, "08:50", PICK_TIME),  # before opening
        (WEDNESDAY, "12:30", PICK_TIME),  # lunch
        (WEDNESDAY, "12:25", PICK_TIME),  # would end after 12:30
        (WEDNESDAY, "16:30", PICK_TIME),  # closing time
        (WEDNESDAY, "18:00", PICK_TIME),  # no evening on Wednesdays
        (date(2027, 3, 13), "10:00", PICK_TIME),  # a Saturday
        (date(2027, 3, 29), "10:00", PICK_TIME),  # tweede Paasdag
        (date(2027, 4, 27) - timedelta(days=1), "18:00", PICK_TIME),  # no evening on Monday
        (WEDNESDAY, "25:00", NO_TIME),
        (WEDNESDAY, "12:60", NO_TIME),
        (WEDNESDAY, "9u", NO_TIME),
        (WEDNESDAY, "", NO_TIME),
        (WEDNESDAY, "-1:00", NO_TIME),
    ],
)
def test_times_not_on_the_grid_or_outside_the_hours(
    client: TestClient, db_engine: Any, booked: Booked, day: date, moment: str, message: str
) -> None:
    before = snapshot(db_engine)
    assert_refused(post_time(client, datum=day.isoformat(), tijd=moment), 422, message)
    if moment:
        response = client.post(
            f"{booked.manage_path}/verzetten",
            data={"csrf_token": csrf_token_for(client), "datum": day.isoformat(), "tijd": moment},
        )
        assert_refused(response, 422, message)
    assert snapshot(db_engine) == before


@pytest.mark.parametrize(
    ("products", "persons", "message"),
    [
        (["vergunning"], "1", PICK_PRODUCT),
        (["paspoort", "onbekend"], "1", PICK_PRODUCT),
        (["paspoort", "paspoort"], "1", TOO_MANY),
        (["paspoort", "id-kaart", "rijbewijs", "document-ophalen"], "1", TOO_MANY),
        ([], "1", NO_PRODUCT),
        (["paspoort"], "0", PERSONS),
        (["paspoort"], "99", PERSONS),
        (["paspoort"], "x", PERSONS),
        (["paspoort"], "-1", PERSONS),
        (["paspoort"], "", PERSONS),
        (["rijbewijs"], "3", PERSONS),  # at most 2 persons for a driving licence
        (["paspoort", "rijbewijs"], "3", PERSONS),  # the smallest maximum counts
    ],
)
def test_a_tampered_product_list(
    client: TestClient,
    db_engine: Any,
    booked: Booked,
    products: list[str],
    persons: str,
    message: str,
) -> None:
    before = snapshot(db_engine)
    query = choice_query(tuple(products), persons, location="gemeentehuis", day=WEDNESDAY)
    for step in ("locatie", "datum", "tijd"):
        assert_refused(client.get(f"/afspraken/{step}?{query}"), 422, message)
    assert_refused(post_time(client, product=products, personen=persons), 422, message)
    assert snapshot(db_engine) == before


@pytest.mark.parametrize(
    ("products", "location"),
    [
        (["paspoort"], "nergens"),
        (["paspoort"], ""),
        (["paspoort"], "GEMEENTEHUIS"),
        (["huwelijk-melding"], "servicepunt-onnen"),  # not offered there
        (["rijbewijs", "gesprek-sociaal-domein"], "gemeentehuis"),  # no desk does both
    ],
)
def test_an_unknown_location_or_one_without_the_products(
    client: TestClient, db_engine: Any, booked: Booked, products: list[str], location: str
) -> None:
    before = snapshot(db_engine)
    query = choice_query(tuple(products), 1, day=WEDNESDAY) + f"&locatie={location}"
    for step in ("datum", "tijd"):
        assert_refused(client.get(f"/afspraken/{step}?{query}"), 422, PICK_LOCATION)
    assert_refused(post_time(client, product=products, locatie=location), 422, PICK_LOCATION)
    assert snapshot(db_engine) == before


def test_every_post_without_a_csrf_token_is_refused(
    client: TestClient, db_engine: Any, booked: Booked
) -> None:
    held = hold_token(client, day=WEDNESDAY, clock="11:00")
    before = snapshot(db_engine)
    posts = [
        (
            "/afspraken/tijd",
            {
                **dict.fromkeys(("product",), "paspoort"),
                "personen": "1",
                "locatie": "gemeentehuis",
                "datum": WEDNESDAY.isoformat(),
                "tijd": "10:00",
            },
        ),
        (f"/afspraken/gegevens/{held}", {"naam": "Jan", "email": "jan@example.nl"}),
        (f"/afspraken/controleren/{held}", {}),
        (f"{booked.manage_path}/verzetten", {"datum": WEDNESDAY.isoformat(), "tijd": "10:00"}),
        (f"{booked.manage_path}/afzeggen", {}),
    ]
    for path, data in posts:
        assert_refused(client.post(path, data=data), 403, FORM_EXPIRED)
        forged = {**data, "csrf_token": "nagemaakt"}
        assert_refused(client.post(path, data=forged), 403, FORM_EXPIRED)
    assert snapshot(db_engine) == before


def test_a_hold_token_for_another_appointment(
    client: TestClient, db_engine: Any, settings: Settings, booked: Booked
) -> None:
    mine = hold_token(client, day=WEDNESDAY, clock="11:00")
    give_details(client, mine, name="Jan Jansen", email="jan@example.nl")
    theirs, held = appointments(db_engine)
    assert held.id is not None
    serializer = URLSafeTimedSerializer(settings.secret_key, salt=links.HOLD_SALT)
    forged = [
        serializer.dumps([theirs.id, held.link_nonce]),  # another id with my nonce
        serializer.dumps([held.id, theirs.link_nonce]),  # my id with another's nonce
        serializer.dumps([held.id + 1000, held.link_nonce]),
        URLSafeTimedSerializer("een ander geheim", salt=links.HOLD_SALT).dumps(
            [held.id, held.link_nonce]
        ),
        URLSafeTimedSerializer(settings.secret_key, salt=links.MANAGE_SALT).dumps(
            [held.id, held.link_nonce]
        ),
        booked.manage_token,
        mine[:-2],
    ]
    before = snapshot(db_engine)
    for token in forged:
        for path in (f"/afspraken/gegevens/{token}", f"/afspraken/controleren/{token}"):
            assert_refused(client.get(path), 404, DEAD_LINK)
        response = give_details(client, token, name="Aanvaller", email="boef@example.nl")
        assert_refused(response, 404, DEAD_LINK)
        assert_refused(confirm(client, token), 404, DEAD_LINK)
    assert snapshot(db_engine) == before


def test_a_hold_link_expires_after_two_hours(
    client: TestClient, db_engine: Any, clock: time_machine.Traveller
) -> None:
    token = hold_token(client, day=WEDNESDAY, clock="11:00")
    give_details(client, token, name="Jan Jansen", email="jan@example.nl")
    clock.shift(timedelta(hours=2, seconds=1))
    before = snapshot(db_engine)
    assert_refused(client.get(f"/afspraken/controleren/{token}"), 404, DEAD_LINK)
    assert_refused(confirm(client, token), 404, DEAD_LINK)
    assert snapshot(db_engine) == before


def test_a_previous_hold_of_a_confirmed_appointment_is_left_alone(
    client: TestClient, db_engine: Any, booked: Booked
) -> None:
    """'vorige' with the booking link of a confirmed appointment, or with garbage, does not
    touch that appointment: the new hold is made on its own."""
    [confirmed] = appointments(db_engine)
    assert confirmed.id is not None
    units = units_of(db_engine, confirmed.id)
    for vorige in (booked.hold_token, booked.manage_token, "rommel"):
        response = hold(client, day=WEDNESDAY, clock="11:00", vorige=vorige)
        assert response.status_code == 303
        new = token_in(response.headers["location"], "/afspraken/gegevens/")
        page = client.get(f"/afspraken/gegevens/{new}").text
        assert "Jan Jansen" not in page  # nothing taken over
        assert "jan@example.nl" not in page
        # Let the new hold go again for the next round.
        hold(client, day=WEDNESDAY, clock="12:00", vorige=new)
    [again, *_] = appointments(db_engine)
    assert (again.state, again.name, again.starts_at, again.version) == (
        confirmed.state,
        confirmed.name,
        confirmed.starts_at,
        confirmed.version,
    )
    assert units_of(db_engine, confirmed.id) == units


def test_an_attendance_version_beyond_any_row_is_a_bad_request(
    client: TestClient, db_engine: Any, booked: Booked, login: Any
) -> None:
    """Found by fuzzing: a version too large for the database made the driver fail (500)."""
    [confirmed] = appointments(db_engine)
    login("staff:balie")
    response = client.post(
        f"/backoffice/afspraken/{confirmed.reference}/aanwezigheid",
        data={"csrf_token": csrf_token_for(client), "aanwezig": "ja", "versie": str(2**63)},
    )
    assert response.status_code == 400
    [after] = appointments(db_engine)
    assert (after.state, after.version) == (confirmed.state, confirmed.version)
