"""The booking journey's state, carried from step to step in the query string (no session is
needed without login), and checked again at every step: a tampered product list, an unknown
location, or a date outside the window gets the earlier step back with a clear message."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session
from starlette.datastructures import ImmutableMultiDict

from portal.afspraken import schedule, service
from portal.afspraken.models import Location
from portal.afspraken.service import Choice, InvalidChoice
from portal.openapi import TEXT, TEXTS
from portal.templating import gettext

MAX_PARAM = 40
# The journey's inputs with the chosen time, as the time step posts them (OpenAPI description).
FORM_FIELDS = {
    "product": TEXTS,
    "personen": TEXT,
    "locatie": TEXT,
    "datum": TEXT,
    "vorige": TEXT,
    "tijd": TEXT,
}


def choice_error(code: str) -> str:
    return {
        "geen_product": gettext("Kies waarvoor u komt."),
        "te_veel_producten": gettext(
            "Kies hoogstens 3 verschillende producten. Voor meer maakt u een tweede afspraak."
        ),
        "onbekend_product": gettext("Kies waarvoor u komt uit de lijst op deze pagina."),
        "personen": gettext("Kies voor hoeveel personen de afspraak is."),
    }[code]


@dataclass
class Journey:
    """What was chosen so far; each later field is only set once the earlier ones are valid."""

    codes: list[str] = field(default_factory=list)
    persons_raw: str = ""
    location_code: str = ""
    day_raw: str = ""
    previous_hold: str = ""
    choice: Choice | None = None
    location: Location | None = None
    day: date | None = None

    @classmethod
    def from_params(cls, params: ImmutableMultiDict[str, Any]) -> Journey:
        return cls(
            codes=[str(c)[:MAX_PARAM] for c in params.getlist("product")][:10],
            persons_raw=str(params.get("personen", "1"))[:3],
            location_code=str(params.get("locatie", ""))[:MAX_PARAM],
            day_raw=str(params.get("datum", ""))[:10],
            previous_hold=str(params.get("vorige", ""))[:300],
        )

    def query(self, *, upto: str = "datum", **extra: str) -> str:
        pairs: list[tuple[str, str]] = [("product", code) for code in self.codes]
        pairs.append(("personen", self.persons_raw))
        if upto in ("locatie", "datum") and self.location_code:
            pairs.append(("locatie", self.location_code))
        if upto == "datum" and self.day_raw:
            pairs.append(("datum", self.day_raw))
        if self.previous_hold:
            pairs.append(("vorige", self.previous_hold))
        pairs.extend(extra.items())
        return urlencode(pairs)

    def check_choice(self, db: Session) -> str | None:
        """None when the products and persons are bookable, else the message to show."""
        try:
            persons = int(self.persons_raw)
        except ValueError:
            return choice_error("personen")
        try:
            self.choice = service.make_choice(db, self.codes, persons)
        except InvalidChoice as error:
            return choice_error(str(error))
        return None

    def check_location(self, db: Session) -> str | None:
        assert self.choice is not None
        location = service.get_location(db, self.location_code) if self.location_code else None
        if location is None or not service.desks_for(db, location.code, self.choice):
            return gettext("Kies een locatie uit de lijst.")
        self.location = location
        return None

    def check_day(self, first: date, last: date) -> str | None:
        try:
            day = date.fromisoformat(self.day_raw)
        except ValueError:
            return gettext("Kies een datum uit de lijst.")
        if not first <= day <= last:
            return gettext(
                "Kies een datum uit de lijst. Afspraken kunnen van {first} tot en met {last}."
            ).format(first=f"{first:%d-%m-%Y}", last=f"{last:%d-%m-%Y}")
        self.day = day
        return None


def parse_time(day: date, raw: str) -> datetime | None:
    """'09:30' on `day` as a UTC instant, or None when it is not a time."""
    try:
        hours, minutes = (int(part) for part in raw.split(":", 1))
        moment = datetime.min.time().replace(hour=hours, minute=minutes)
    except ValueError:
        return None
    return schedule.local_instant(day, moment)


def time_value(instant: datetime) -> str:
    return f"{instant.astimezone(schedule.AMSTERDAM):%H:%M}"
