"""Page states of the appointment pages for the browser harness (merged in tests/browser/pages.py).
Each seed loads the demo locations and products and, where the page needs one, an appointment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from portal.afspraken import booking, links, service
from portal.afspraken.demo import load_afspraken_demo
from portal.afspraken.models import Appointment
from portal.settings import Settings
from tests.browser.pages import PageState, click_button, resident, staff

LANCE = resident("999990858")
BALIE = staff("balie")
CHOICE = "product=paspoort&personen=2"
AT_TOWN_HALL = f"{CHOICE}&locatie=gemeentehuis"


def _settings(engine: Any) -> Settings:
    return Settings(environment="test", database_url=str(engine.url), base_url="http://127.0.0.1")


def _locations(engine: Any) -> dict[str, str]:
    with Session(engine) as db:
        load_afspraken_demo(db, _settings(engine))
        db.commit()
    return {}


def _first_day(db: Session, settings: Settings) -> tuple[date, datetime]:
    now = datetime.now(UTC)
    choice = service.make_choice(db, ["paspoort"], 2)
    first, last = service.window(settings, now)
    times = service.available_times_by_day(
        db, choice, "gemeentehuis", first=first, last=last, now=now
    )
    day = min(times)
    return day, times[day][-1]


def _with_day(engine: Any) -> dict[str, str]:
    _locations(engine)
    with Session(engine) as db:
        day, _start = _first_day(db, _settings(engine))
    return {"dag": day.isoformat()}


def _appointment(
    *, contact: bool, confirm: bool, bsn: str | None = None
) -> Callable[[Any], dict[str, str]]:
    def seed(engine: Any) -> dict[str, str]:
        _locations(engine)
        settings = _settings(engine)
        now = datetime.now(UTC)
        with Session(engine) as db:
            day, start = _first_day(db, settings)
            appointment = booking.hold_slot(
                db,
                choice=service.make_choice(db, ["paspoort"], 2),
                location_code="gemeentehuis",
                start=start,
                settings=settings,
                now=now,
                bsn=bsn,
            )
            if contact:
                booking.save_contact(
                    db,
                    appointment,
                    booking.Contact("Jan Jansen", "jan@example.nl", "+31612345678"),
                    settings=settings,
                    now=now,
                )
            if confirm:
                booking.confirm(db, appointment, now=now)
            tokens = _tokens(settings, appointment, day)
            db.commit()
        return tokens

    return seed


def _tokens(settings: Settings, appointment: Appointment, day: date) -> dict[str, str]:
    return {
        "hold": links.hold_token(settings, appointment),
        "manage": links.manage_token(settings, appointment),
        "dag": day.isoformat(),
        "later": (day + timedelta(days=1)).isoformat(),
    }


def _cancelled_page(engine: Any) -> dict[str, str]:
    return _locations(engine)


def page_states() -> list[PageState]:
    held = _appointment(contact=False, confirm=False)
    with_contact = _appointment(contact=True, confirm=False)
    confirmed = _appointment(contact=True, confirm=True)
    return [
        PageState("afspraak-start", "/afspraken", seed=_locations),
        PageState(
            "afspraak-start-fout", "/afspraken/locatie?personen=1", seed=_locations, status=422
        ),
        PageState("afspraak-locatie", f"/afspraken/locatie?{CHOICE}", seed=_locations),
        PageState("afspraak-datum", f"/afspraken/datum?{AT_TOWN_HALL}", seed=_locations),
        PageState("afspraak-tijd", f"/afspraken/tijd?{AT_TOWN_HALL}&datum={{dag}}", seed=_with_day),
        PageState(
            "afspraak-tijd-fout",
            f"/afspraken/tijd?{AT_TOWN_HALL}&datum={{dag}}",
            seed=_with_day,
            steps=(click_button("Verder"),),
            status=422,
        ),
        PageState("afspraak-gegevens", "/afspraken/gegevens/{hold}", seed=held),
        PageState(
            "afspraak-gegevens-fout",
            "/afspraken/gegevens/{hold}",
            seed=held,
            steps=(click_button("Verder"),),
            status=422,
        ),
        PageState("afspraak-controleren", "/afspraken/controleren/{hold}", seed=with_contact),
        PageState(
            "afspraak-bevestigd", "/afspraken/afspraak/{manage}?melding=gemaakt", seed=confirmed
        ),
        PageState("afspraak-beheren", "/afspraken/afspraak/{manage}", seed=confirmed),
        PageState("afspraak-verzetten", "/afspraken/afspraak/{manage}/verzetten", seed=confirmed),
        PageState(
            "afspraak-verzetten-tijd",
            "/afspraken/afspraak/{manage}/verzetten/tijd?datum={later}",
            seed=confirmed,
        ),
        PageState("afspraak-afzeggen", "/afspraken/afspraak/{manage}/afzeggen", seed=confirmed),
        PageState("afspraak-afgezegd", "/afspraken/afgezegd", seed=_cancelled_page),
        PageState("afspraak-link-ongeldig", "/afspraken/afspraak/ongeldig", status=404),
        PageState(
            "mijn-afspraken",
            "/mijn/afspraken",
            who=LANCE,
            seed=_appointment(contact=True, confirm=True, bsn="999990858"),
        ),
        PageState(
            "backoffice-afspraken", "/backoffice/afspraken?datum={dag}", who=BALIE, seed=confirmed
        ),
        PageState(
            "backoffice-afspraak-nieuw",
            f"/backoffice/afspraken/nieuw?{AT_TOWN_HALL}&datum={{dag}}",
            who=BALIE,
            seed=_with_day,
        ),
        PageState(
            "backoffice-afspraak-nieuw-fout",
            f"/backoffice/afspraken/nieuw?{AT_TOWN_HALL}&datum={{dag}}",
            who=BALIE,
            seed=_with_day,
            steps=(click_button("Afspraak maken"),),
            status=422,
        ),
        PageState(
            "backoffice-sluitingen", "/backoffice/afspraken/sluitingen", who=BALIE, seed=_locations
        ),
        PageState(
            "backoffice-sluitingen-fout",
            "/backoffice/afspraken/sluitingen",
            who=BALIE,
            seed=_locations,
            steps=(click_button("Sluiting opslaan en inwoners berichten"),),
            status=422,
        ),
    ]
