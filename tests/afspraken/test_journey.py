"""The booking journey through the pages: without login, as a DigiD resident, the hold that
keeps a time for a while, the limits on open appointments, and the change links."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import icalendar
import pytest
import time_machine
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from auth.identity import Identity
from portal.afspraken.models import DayException
from portal.settings import Settings
from tests.afspraken.helpers import (
    NOW,
    TUESDAY,
    WEDNESDAY,
    appointment_by_reference,
    appointments,
    at,
    book,
    choice_query,
    confirm,
    give_details,
    hold,
    hold_token,
    offered_days,
    offered_times,
    outbox,
    reference_in,
    seed,
    token_in,
    units_of,
)
from tests.conftest import LANCE_BSN, csrf_token_for

PASPOORT_TWO: dict[str, Any] = {"products": ("paspoort",), "persons": 2}


@pytest.fixture(autouse=True)
def clock(db_engine: Any, settings: Settings) -> Iterator[time_machine.Traveller]:
    """Monday 1 March 2027, 10:00 in Haren, with the demo locations and products."""
    with time_machine.travel(NOW, tick=False) as traveller:
        seed(db_engine, settings)
        yield traveller


@pytest.fixture
def other(app: FastAPI) -> Iterator[TestClient]:
    """A second visitor of the same portal."""
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as second:
        yield second


def links_on(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', page)]


def test_booking_without_login_from_product_to_confirmation(
    client: TestClient, db_engine: Any
) -> None:
    page = client.get("/afspraken")
    assert page.status_code == 200
    assert "Paspoort aanvragen" in page.text
    page = client.get(f"/afspraken/locatie?{choice_query(**PASPOORT_TWO)}")
    assert page.status_code == 200
    assert "Gemeentehuis Haren" in page.text
    assert "Servicepunt Onnen" in page.text
    page = client.get(f"/afspraken/datum?{choice_query(**PASPOORT_TWO, location='gemeentehuis')}")
    assert page.status_code == 200
    days = offered_days(page.text)
    assert days[0] == "2027-03-02"  # the next working day
    assert days[-1] == "2027-04-26"  # eight weeks ahead
    assert "2027-03-06" not in days  # a Saturday
    assert "2027-03-29" not in days  # tweede Paasdag
    assert WEDNESDAY.isoformat() in days
    query = choice_query(**PASPOORT_TWO, location="gemeentehuis", day=WEDNESDAY)
    page = client.get(f"/afspraken/tijd?{query}")
    assert page.status_code == 200
    assert "De afspraak duurt 20 minuten." in page.text
    times = offered_times(page.text)
    assert times[:3] == ["09:00", "09:10", "09:20"]
    assert "12:10" in times
    assert "12:20" not in times  # 20 minutes would end after 12:30

    response = hold(client, day=WEDNESDAY, clock="10:30", **PASPOORT_TWO)
    assert response.status_code == 303
    token = token_in(response.headers["location"], "/afspraken/gegevens/")
    page = client.get(f"/afspraken/gegevens/{token}")
    assert page.status_code == 200
    assert "tot 10:10 uur voor u vast" in page.text  # held for 10 minutes
    response = give_details(
        client, token, name="Jan Jansen", email="Jan@Example.nl", phone="06 12345678"
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/afspraken/controleren/{token}")
    page = client.get(f"/afspraken/controleren/{token}")
    assert page.status_code == 200
    for shown in ("Jan Jansen", "Jan@example.nl", "Gemeentehuis Haren", "10:30", "10:50"):
        assert shown in page.text
    assert "2 personen" in page.text
    response = confirm(client, token)
    assert response.status_code == 303
    target = response.headers["location"]
    assert target.endswith("?melding=gemaakt")

    page = client.get(target)
    assert page.status_code == 200
    assert "Uw afspraak is gemaakt" in page.text
    assert "Wij sturen een bevestiging naar Jan@example.nl" in page.text
    assert "Raadhuisplein 10" in page.text
    assert "pasfoto" in page.text  # what to bring
    reference = reference_in(page.text)

    [booked] = appointments(db_engine)
    assert booked.reference == reference
    assert booked.state == "bevestigd"
    assert (booked.name, booked.email, booked.phone) == (
        "Jan Jansen",
        "Jan@example.nl",
        "+31612345678",
    )
    assert booked.bsn is None
    assert booked.persons == 2
    assert booked.product_codes == ["paspoort"]
    assert booked.starts_at == at(WEDNESDAY, "10:30")
    assert booked.ends_at == at(WEDNESDAY, "10:50")
    assert booked.hold_expires_at is None
    assert booked.id is not None
    units = units_of(db_engine, booked.id)
    assert len(units) == 4
    assert {desk for desk, _, _ in units} == {booked.desk_id}
    assert all(until is None for _, _, until in units)

    [message] = outbox(db_engine)
    assert message.kind == "appointment_confirmed"
    assert message.recipient == "Jan@example.nl"
    assert message.attachment_name.endswith(".ics")
    assert message.attachment_type == "text/calendar"
    assert message.attachment_text is not None
    calendar = icalendar.Calendar.from_ical(message.attachment_text)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == booked.starts_at
    assert event.decoded("dtend") == booked.ends_at
    assert reference in message.body_text
    assert "10-03-2027 van 10:30 tot 10:50 uur" in message.body_text


def test_confirming_twice_keeps_one_appointment_and_one_mail(
    client: TestClient, db_engine: Any
) -> None:
    token = hold_token(client, day=WEDNESDAY, clock="09:00")
    give_details(client, token, name="Jan Jansen", email="jan@example.nl")
    first = confirm(client, token)
    again = confirm(client, token)
    assert again.status_code == 303
    assert token_in(again.headers["location"], "/afspraken/afspraak/") == token_in(
        first.headers["location"], "/afspraken/afspraak/"
    )
    assert len(appointments(db_engine)) == 1
    assert len(outbox(db_engine)) == 1


def test_two_persons_take_twice_as_long(client: TestClient, db_engine: Any) -> None:
    one = book(client, day=WEDNESDAY, clock="09:00", persons=1, email="een@example.nl")
    two = book(client, day=WEDNESDAY, clock="09:00", persons=2, email="twee@example.nl")
    single, double = appointments(db_engine)
    assert double.ends_at - double.starts_at == 2 * (single.ends_at - single.starts_at)
    assert double.ends_at - double.starts_at == timedelta(minutes=20)
    assert single.id is not None
    assert double.id is not None
    assert len(units_of(db_engine, double.id)) == 2 * len(units_of(db_engine, single.id))
    assert single.desk_id != double.desk_id
    assert "van 09:00 tot 09:10 uur" in client.get(one.manage_path).text
    assert "van 09:00 tot 09:20 uur" in client.get(two.manage_path).text
    # With one person 12:20 still fits before 12:30; with two it does not.
    one_person = client.get(
        f"/afspraken/tijd?{choice_query(location='gemeentehuis', day=WEDNESDAY)}"
    )
    assert "12:20" in offered_times(one_person.text)
    response = hold(client, day=WEDNESDAY, clock="12:20", persons=2)
    assert response.status_code == 422
    assert "Kies een tijd uit de lijst." in response.text


def test_a_digid_resident_gets_the_name_from_the_brp_and_sees_the_appointment(
    client: TestClient, db_engine: Any, login: Callable[[str], Identity]
) -> None:
    login("lance")
    token = hold_token(client, day=WEDNESDAY, clock="11:00")
    page = client.get(f"/afspraken/gegevens/{token}")
    assert page.status_code == 200
    assert 'value="Lance Smit"' in page.text
    # E-mail is not required for a resident logged in with DigiD.
    response = give_details(client, token, name="Lance Smit")
    assert response.status_code == 303
    response = confirm(client, token)
    assert response.status_code == 303
    reference = reference_in(client.get(response.headers["location"]).text)
    booked = appointment_by_reference(db_engine, reference)
    assert booked.bsn == LANCE_BSN
    assert booked.name == "Lance Smit"
    mine = client.get("/mijn/afspraken")
    assert mine.status_code == 200
    assert reference in mine.text
    assert "Paspoort aanvragen" in mine.text
    manage = [link for link in links_on(mine.text) if link.startswith("/afspraken/afspraak/")]
    assert len(manage) == 1
    assert reference in client.get(manage[0]).text


def test_without_login_the_email_address_is_required(client: TestClient, db_engine: Any) -> None:
    token = hold_token(client, day=WEDNESDAY, clock="11:00")
    response = give_details(client, token, name="Jan Jansen")
    assert response.status_code == 422
    assert "Vul uw e-mailadres in. Daar sturen wij de bevestiging naartoe." in response.text
    response = give_details(client, token, name="Jan Jansen", email="geen-adres")
    assert response.status_code == 422
    assert "Vul een e-mailadres in zoals naam@voorbeeld.nl." in response.text
    assert 'value="Jan Jansen"' in response.text  # what was typed is kept
    [held] = appointments(db_engine)
    assert (held.name, held.email, held.state) == ("", "", "vastgehouden")


def test_a_hold_blocks_the_time_until_it_expires(
    client: TestClient, other: TestClient, db_engine: Any, clock: time_machine.Traveller
) -> None:
    # Servicepunt Onnen has one desk.
    where: dict[str, Any] = {"location": "servicepunt-onnen", "day": TUESDAY}
    hold_token(client, clock="09:00", **where)
    times = offered_times(other.get(f"/afspraken/tijd?{choice_query(**where)}").text)
    assert "09:00" not in times
    assert "09:10" in times
    taken = hold(other, clock="09:00", **where)
    assert taken.status_code == 409
    assert "Deze tijd is intussen niet meer vrij. Kies een andere tijd." in taken.text
    assert len(appointments(db_engine)) == 1  # the failed hold left nothing behind

    clock.shift(timedelta(minutes=9, seconds=59))
    assert "09:00" not in offered_times(other.get(f"/afspraken/tijd?{choice_query(**where)}").text)
    clock.shift(timedelta(seconds=2))
    # Free again without the worker having run.
    assert "09:00" in offered_times(other.get(f"/afspraken/tijd?{choice_query(**where)}").text)
    response = hold(other, clock="09:00", **where)
    assert response.status_code == 303
    first, second = appointments(db_engine)
    assert first.id is not None
    assert second.id is not None
    assert units_of(db_engine, first.id) == []
    assert len(units_of(db_engine, second.id)) == 2


def test_an_expired_hold_whose_time_is_still_free_can_be_confirmed(
    client: TestClient, db_engine: Any, clock: time_machine.Traveller
) -> None:
    token = hold_token(client, day=TUESDAY, clock="09:00", location="servicepunt-onnen")
    give_details(client, token, name="Jan Jansen", email="jan@example.nl")
    clock.shift(timedelta(minutes=30))
    page = client.get(f"/afspraken/controleren/{token}")
    assert page.status_code == 200
    assert "Is hij nog vrij, dan kunt u hem toch bevestigen." in page.text
    response = confirm(client, token)
    assert response.status_code == 303
    assert response.headers["location"].endswith("?melding=gemaakt")
    [booked] = appointments(db_engine)
    assert booked.state == "bevestigd"
    assert booked.id is not None
    assert all(until is None for _, _, until in units_of(db_engine, booked.id))
    assert len(outbox(db_engine, "appointment_confirmed")) == 1


def test_an_expired_hold_whose_time_was_taken_chooses_again_with_the_details_kept(
    client: TestClient, other: TestClient, db_engine: Any, clock: time_machine.Traveller
) -> None:
    where: dict[str, Any] = {"location": "servicepunt-onnen", "day": TUESDAY, "persons": 2}
    token = hold_token(client, clock="09:00", **where)
    give_details(client, token, name="Jan Jansen", email="jan@example.nl", phone="0612345678")
    clock.shift(timedelta(minutes=11))
    # Someone else takes the second half of the expired hold.
    hold_token(other, clock="09:10", location="servicepunt-onnen", day=TUESDAY)
    response = confirm(client, token)
    assert response.status_code == 409
    assert "Kies een nieuwe tijd" in response.text
    assert "Uw gegevens bewaren wij" in response.text
    mine, _theirs = appointments(db_engine)
    assert mine.state == "vastgehouden"  # the failed confirmation changed nothing
    assert outbox(db_engine) == []

    again = next(link for link in links_on(response.text) if link.startswith("/afspraken/datum?"))
    assert "vorige=" in again
    page = client.get(again)
    assert page.status_code == 200
    vorige = re.search(r'name="vorige" value="([^"]+)"', page.text)
    assert vorige is not None
    response = hold(client, clock="11:00", vorige=html.unescape(vorige.group(1)), **where)
    assert response.status_code == 303
    new_token = token_in(response.headers["location"], "/afspraken/gegevens/")
    page = client.get(f"/afspraken/gegevens/{new_token}")
    assert 'value="Jan Jansen"' in page.text
    assert 'value="jan@example.nl"' in page.text
    assert 'value="+31612345678"' in page.text
    # Straight on to check and confirm, without typing anything again.
    assert confirm(client, new_token).status_code == 303
    old, _theirs, new = appointments(db_engine)
    assert old.state == "vervangen"
    assert (new.state, new.name, new.email) == ("bevestigd", "Jan Jansen", "jan@example.nl")
    assert new.starts_at == at(TUESDAY, "11:00")


def test_the_open_appointments_of_a_resident_are_limited(
    client: TestClient, db_engine: Any, login: Callable[[str], Identity]
) -> None:
    login("lance")
    for clock in ("09:00", "10:00", "11:00"):
        book(client, day=WEDNESDAY, clock=clock, name="Lance Smit", email="")
    before = appointments(db_engine)
    response = hold(client, day=WEDNESDAY, clock="14:00")
    assert response.status_code == 422
    assert "U heeft al genoeg afspraken" in response.text
    assert "U kunt hoogstens 3 afspraken tegelijk hebben." in response.text
    assert appointments(db_engine) == before


def test_the_open_appointments_of_an_email_address_are_limited(
    client: TestClient, other: TestClient, db_engine: Any
) -> None:
    for clock in ("09:00", "10:00", "11:00"):
        book(client, day=WEDNESDAY, clock=clock, email="jan@example.nl")
    token = hold_token(other, day=WEDNESDAY, clock="14:00")
    response = give_details(other, token, name="Jan Jansen", email="JAN@example.nl")
    assert response.status_code == 422
    assert "U kunt hoogstens 3 afspraken tegelijk hebben." in response.text
    held = appointments(db_engine)[-1]
    assert (held.state, held.email) == ("vastgehouden", "")
    # Another address is fine.
    assert give_details(other, token, name="Jan Jansen", email="piet@example.nl").status_code == 303


def test_a_cancelled_appointment_no_longer_counts_for_the_limit(
    client: TestClient, db_engine: Any
) -> None:
    booked = [
        book(client, day=WEDNESDAY, clock=clock, email="jan@example.nl")
        for clock in ("09:00", "10:00", "11:00")
    ]
    path = f"{booked[0].manage_path}/afzeggen"
    assert client.post(path, data={"csrf_token": csrf_token_for(client)}).status_code == 303
    book(client, day=WEDNESDAY, clock="14:00", email="jan@example.nl")
    assert [a.state for a in appointments(db_engine)].count("bevestigd") == 3


def test_the_change_links_on_the_check_page_keep_the_choice(
    client: TestClient, db_engine: Any
) -> None:
    token = hold_token(client, day=WEDNESDAY, clock="09:30", **PASPOORT_TWO)
    give_details(client, token, name="Jan Jansen", email="jan@example.nl")
    page = client.get(f"/afspraken/controleren/{token}")
    links = links_on(page.text)
    product_link = next(link for link in links if link.startswith("/afspraken?"))
    location_link = next(link for link in links if link.startswith("/afspraken/locatie?"))
    date_link = next(link for link in links if link.startswith("/afspraken/datum?"))
    assert f"/afspraken/gegevens/{token}" in links

    start = client.get(product_link)
    assert start.status_code == 200
    assert re.search(r'value="paspoort"[^>]*checked', start.text)
    assert '<option value="2" selected>' in start.text
    places = client.get(location_link)
    assert places.status_code == 200
    assert re.search(r'name="personen" value="2"', places.text)
    days = client.get(date_link)
    assert days.status_code == 200
    assert WEDNESDAY.isoformat() in offered_days(days.text)
    assert f'name="vorige" value="{token}"' in days.text
    details = client.get(f"/afspraken/gegevens/{token}")
    assert 'value="Jan Jansen"' in details.text

    # Choosing another time from the date link moves the hold and keeps the details.
    response = hold(client, day=WEDNESDAY, clock="10:30", vorige=token, **PASPOORT_TWO)
    assert response.status_code == 303
    new_token = token_in(response.headers["location"], "/afspraken/gegevens/")
    check = client.get(f"/afspraken/controleren/{new_token}")
    assert check.status_code == 200
    assert "Jan Jansen" in check.text
    old, new = appointments(db_engine)
    assert old.state == "vervangen"
    assert old.id is not None
    assert units_of(db_engine, old.id) == []
    assert new.starts_at == at(WEDNESDAY, "10:30")
    # The old hold's link died with it: the old time cannot be confirmed beside the new one.
    assert confirm(client, token).status_code == 404
    assert appointments(db_engine)[0].state == "vervangen"


def test_a_resident_at_the_limit_can_still_change_the_time_of_the_hold(
    client: TestClient, db_engine: Any, login: Callable[[str], Identity]
) -> None:
    """Choosing another time for the hold replaces it: it does not count as a fourth."""
    login("lance")
    for clock in ("09:00", "10:00"):
        book(client, day=WEDNESDAY, clock=clock, name="Lance Smit", email="")
    token = hold_token(client, day=WEDNESDAY, clock="11:00")
    give_details(client, token, name="Lance Smit")
    response = hold(client, day=WEDNESDAY, clock="11:30", vorige=token)
    assert response.status_code == 303, response.text
    new_token = token_in(response.headers["location"], "/afspraken/gegevens/")
    assert confirm(client, new_token).status_code == 303
    states = [(a.state, a.starts_at) for a in appointments(db_engine)]
    assert states == [
        ("bevestigd", at(WEDNESDAY, "09:00")),
        ("bevestigd", at(WEDNESDAY, "10:00")),
        ("vervangen", at(WEDNESDAY, "11:00")),
        ("bevestigd", at(WEDNESDAY, "11:30")),
    ]
    # A fourth one is still refused.
    response = hold(client, day=WEDNESDAY, clock="14:00")
    assert response.status_code == 422
    assert "U kunt hoogstens 3 afspraken tegelijk hebben." in response.text


@pytest.mark.parametrize(
    ("today", "before", "after", "summer_before"),
    [
        # The last Sunday of March 2027 is 28 March; Friday 26 (Goede Vrijdag) and Monday 29
        # (tweede Paasdag) are closed, so the days next to them are booked.
        (date(2027, 3, 1), date(2027, 3, 25), date(2027, 3, 30), False),
        (date(2026, 10, 1), date(2026, 10, 23), date(2026, 10, 26), True),
        (date(2027, 10, 1), date(2027, 10, 29), date(2027, 11, 1), True),
    ],
)
def test_booking_around_the_change_of_summer_time(
    client: TestClient,
    db_engine: Any,
    clock: time_machine.Traveller,
    today: date,
    before: date,
    after: date,
    summer_before: bool,
) -> None:
    clock.move_to(datetime.combine(today, time(9), tzinfo=UTC))
    with Session(db_engine) as db:
        for day in (before, after):
            if day.weekday() != 3:  # Thursday has its weekly evening already
                db.add(
                    DayException(
                        location_code="gemeentehuis",
                        day=day,
                        kind="open",
                        opens=time(18),
                        closes=time(20),
                        created_at=datetime.now(UTC),
                    )
                )
        db.commit()
    days = offered_days(
        client.get(f"/afspraken/datum?{choice_query(location='gemeentehuis')}").text
    )
    assert before.isoformat() in days
    assert after.isoformat() in days
    if today.month == 3:
        assert "2027-03-26" not in days
        assert "2027-03-29" not in days
    offsets = {before: 2 if summer_before else 1, after: 1 if summer_before else 2}
    for day in (before, after):
        page = client.get(f"/afspraken/tijd?{choice_query(location='gemeentehuis', day=day)}")
        times = offered_times(page.text)
        assert times[0] == "09:00"
        assert "18:00" in times
        assert times[-1] == "19:50"
        for moment in ("09:00", "18:00"):
            booked = book(client, day=day, clock=moment, email=f"{day}-{moment[:2]}@example.nl")
            reference = reference_in(client.get(booked.manage_path).text)
            row = appointment_by_reference(db_engine, reference)
            hour = int(moment[:2]) - offsets[day]
            assert row.starts_at == datetime.combine(day, time(hour), tzinfo=UTC)
            page = client.get(booked.manage_path)
            assert f"van {moment} tot {moment[:3]}10 uur" in page.text
            ics = icalendar.Calendar.from_ical(client.get(f"{booked.manage_path}/agenda.ics").text)
            [event] = ics.walk("VEVENT")
            assert event.decoded("dtstart") == row.starts_at


def test_a_resident_s_verified_contact_details_are_filled_in_unverified_ones_not(
    client: TestClient, db_engine: Any, login: Callable[[str], Identity]
) -> None:
    from portal.gegevens.models import ContactDetails

    with Session(db_engine) as db:
        db.add(
            ContactDetails(
                owner=f"bsn:{LANCE_BSN}",
                email="lance@example.nl",
                email_verified_at=NOW,
                phone="+31612345678",
                phone_verified_at=None,
                updated_at=NOW,
            )
        )
        db.commit()
    login("lance")
    token = hold_token(client, day=WEDNESDAY, clock="11:00")
    page = client.get(f"/afspraken/gegevens/{token}")
    assert 'value="lance@example.nl"' in page.text
    assert "+31612345678" not in page.text
