"""The scenarios: who the clients are, what each request is, and what answer is right.

Public: the home page and the product search, anonymous. Personal: a demo resident's overview
and case list, one step of the relocation form (GET, and POST with valid values), each client
with its own session (made in the database, as tests/conftest.py's `login` does) and its own
draft. Booking: an anonymous appointment, one POST per request (hold a time, give details,
confirm), each client working through its own share of the free times of both demo locations
over the whole window, so places do not run out; a time someone else just took ("niet meer
vrij", 409) counts apart, not as a success.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from afspraken.load import CSRF, TAKEN, Place, free_places
from forms.load import CONFLICT, Action, Client, Exhausted, expect, new_http_client
from forms.scenarios import error_summary, hidden_inputs, insert_drafts, session_cookie
from zaken.scenarios import sessions

RESIDENT_BSN = "999993653"  # Suzanne Moulin: demo cases, messages and an appointment
FORM_RESIDENT_BSN = "999992879"  # Lonneke Smit, so the drafts do not show in the overview
FORM_SLUG = "verhuizing"
FORM_FIRST_STEP = "uw-gegevens"
FORM_STEP = "nieuw-adres"  # an address, a date, a choice and a conditional field
SEARCHES = ("paspoort", "parkeren", "afval", "verhuizen", "rijbewijs", "kapvergunning")
BOOKED_PRODUCT = "paspoort"  # served at both demo locations
BOOKING_LOCATIONS = ("gemeentehuis", "servicepunt-onnen")


@dataclass(frozen=True)
class Scenario:
    name: str
    kind: str  # public | personal
    clients: Callable[[int], list[Client]]
    action: Action
    before_measuring: Callable[[float], None] | None = None
    after_measuring: Callable[[], str] | None = None  # a note for the report


def get(path: str, must_contain: str = "") -> Action:
    """One GET that must answer 200 (with `must_contain` in the page)."""

    def action(client: Client) -> str | None:
        answer = client.http.get(path)
        if answer.status_code == 200 and must_contain not in answer.text:
            return f"GET {path}: no {must_contain!r} in the page"
        return expect(answer, 200)

    return action


def search(client: Client) -> str | None:
    """The product search, each client going round the queries from its own starting point."""
    query = SEARCHES[int(client.hidden.setdefault("search", "0")) % len(SEARCHES)]
    client.hidden["search"] = str(int(client.hidden["search"]) + 1)
    answer = client.http.get("/producten", params={"q": query})
    if answer.status_code == 200 and 'id="producten-results"' not in answer.text:
        return f"search {query!r}: no results section"
    return expect(answer, 200)


class LoadPortal:
    """What the scenarios need of the served portal: its URL, settings and database."""

    def __init__(self, url: str, database_url: str, settings: Any, *, seed: int) -> None:
        from portal.database import make_engine

        self.url = url
        self.database_url = database_url
        self.settings = settings
        self.engine = make_engine(database_url)
        self.cookie = session_cookie(settings)
        self.places = PlaceSupply(self._free_places(), seed)
        self.bookings = 0
        self.opened: list[Client] = []

    def close(self) -> None:
        for client in self.opened:
            client.http.close()
        self.engine.dispose()

    def scenarios(self) -> list[Scenario]:
        return [
            Scenario("home page /", "public", self.visitors, get("/", "Mijn Haren")),
            Scenario("product search /producten?q=", "public", self.visitors, search),
            Scenario("overview /mijn", "personal", self.residents, get("/mijn", "Suzanne")),
            Scenario(
                "case list /mijn/zaken", "personal", self.residents, get("/mijn/zaken", "HRN-")
            ),
            Scenario("form step GET", "personal", self.form_clients, self.show_step),
            Scenario("form step POST (303)", "personal", self.form_clients, self.save_step),
            Scenario(
                "booking POSTs (hold, details, confirm)",
                "personal",
                self.bookers,
                self.book_step,
                before_measuring=self.count_bookings_from_now,
                after_measuring=self.bookings_note,
            ),
        ]

    def _client(self, cookies: dict[str, str] | None = None) -> Client:
        client = Client(new_http_client(self.url, cookies))
        self.opened.append(client)
        return client

    def visitors(self, count: int) -> list[Client]:
        clients = [self._client() for _ in range(count)]
        for number, client in enumerate(clients):
            client.hidden["search"] = str(number)
        return clients

    def residents(self, count: int, bsn: str = RESIDENT_BSN) -> list[Client]:
        tokens = sessions(self.database_url, self.settings, bsn, count)["resident"]
        return [self._client({self.cookie: token}) for token in tokens]

    # --- The form step -----------------------------------------------------------------

    def form_clients(self, count: int) -> list[Client]:
        """Residents, each with a draft of its own standing at FORM_STEP.

        One goes through the form's start and first step over HTTP; its answers are copied
        into a draft for every client (a resident has one open draft per form in the portal).
        """
        clients = self.residents(count, FORM_RESIDENT_BSN)
        answers = self._answers_up_to_the_step(clients[0])
        drafts = insert_drafts(
            self.engine,
            self.settings,
            count,
            answers,
            form_slug=FORM_SLUG,
            bsn=FORM_RESIDENT_BSN,
        )
        for client, (draft_id, _) in zip(clients, drafts, strict=True):
            client.step_url = f"/formulieren/{FORM_SLUG}/{draft_id}/stap/{FORM_STEP}"
            page = client.http.get(client.step_url)
            if page.status_code != 200:
                raise RuntimeError(f"GET {client.step_url}: {page.status_code}")
            client.hidden.update(hidden_inputs(page.text))
        return clients

    def _answers_up_to_the_step(self, client: Client) -> dict[str, Any]:
        from sqlalchemy import delete
        from sqlmodel import Session, col

        from portal.aanvragen.models import Draft

        with Session(self.engine) as db:  # an earlier run's draft would be resumed instead
            db.execute(
                delete(Draft).where(
                    col(Draft.owner) == f"bsn:{FORM_RESIDENT_BSN}",
                    col(Draft.form_slug) == FORM_SLUG,
                    col(Draft.submitted_at).is_(None),
                )
            )
            db.commit()
        start = client.http.get(f"/formulieren/{FORM_SLUG}")
        begun = client.http.post(f"/formulieren/{FORM_SLUG}", data=hidden_inputs(start.text))
        first = begun.headers.get("location", "")
        if begun.status_code != 303 or not first.endswith(f"/stap/{FORM_FIRST_STEP}"):
            raise RuntimeError(f"begin {FORM_SLUG}: {begun.status_code} {first}")
        page = client.http.get(first)
        data = {**hidden_inputs(page.text), "email": "bewoner@example.nl", "telefoon": ""}
        saved = client.http.post(first, data=data)
        if saved.status_code != 303 or not saved.headers["location"].endswith(FORM_STEP):
            raise RuntimeError(f"first step: {saved.status_code} {error_summary(saved.text)}")
        with Session(self.engine) as db:
            draft = db.get(Draft, first.split("/")[-3])
            assert draft is not None
            return dict(draft.answers)

    def show_step(self, client: Client) -> str | None:
        answer = client.http.get(client.step_url)
        if answer.status_code == 200 and "nieuw_adres-postcode" not in answer.text:
            return "step page without the address field"
        return expect(answer, 200)

    def save_step(self, client: Client) -> str | None:
        from formulieren import dates

        today = dates.today()
        data = {
            **client.hidden,
            "nieuw_adres-postcode": "9752 CD",
            "nieuw_adres-huisnummer": "42",
            "nieuw_adres-huisletter": "a",
            "nieuw_adres-toevoeging": "",
            "nieuw_adres-straat": "Rijksstraatweg",
            "nieuw_adres-woonplaats": "Haren",
            "verhuisdatum-dag": str(today.day),
            "verhuisdatum-maand": str(today.month),
            "verhuisdatum-jaar": str(today.year),
            "woonsituatie": "huur",
        }
        answer = client.http.post(client.step_url, data=data)
        if answer.headers.get("location", "").endswith(f"/stap/{FORM_STEP}"):
            return "the step sent back to itself"
        return expect(answer, 303)

    # --- The booking -------------------------------------------------------------------

    def _free_places(self) -> list[Place]:
        now = datetime.now(UTC)
        return [
            place
            for location in BOOKING_LOCATIONS
            for place in free_places(
                self.database_url, self.settings, now, location, BOOKED_PRODUCT
            )
        ]

    def bookers(self, count: int) -> list[Client]:
        """Anonymous visitors, each with the CSRF token of the time page."""
        clients = [self._client() for _ in range(count)]
        first = self.places.peek()
        for client in clients:
            page = client.http.get(
                "/afspraken/tijd",
                params={
                    "product": BOOKED_PRODUCT,
                    "personen": "1",
                    "locatie": first.location,
                    "datum": first.day,
                },
            )
            found = CSRF.search(page.text)
            if page.status_code != 200 or not found:
                raise RuntimeError(f"time page: {page.status_code}")
            client.hidden["csrf_token"] = found.group(1)
        return clients

    def book_step(self, client: Client) -> str | None:
        """The client's next POST of its booking: hold a new time, the details, or confirm."""
        next_url = client.hidden.get("booking", "")
        if not next_url:
            return self._hold(client)
        if "/afspraken/gegevens/" in next_url:
            number = next(BOOKING_NUMBERS)
            data = {"naam": f"Bewoner {number}", "email": f"bewoner{number}@example.nl"}
            answer = client.http.post(next_url, data={"csrf_token": client.csrf, **data})
            client.hidden["booking"] = answer.headers.get("location", "")
            if "/afspraken/controleren/" not in client.hidden["booking"]:
                client.hidden["booking"] = ""
                return f"details: {answer.status_code}"
            return expect(answer, 303)
        answer = client.http.post(next_url, data={"csrf_token": client.csrf})
        client.hidden["booking"] = ""
        if "melding=gemaakt" not in answer.headers.get("location", ""):
            return f"confirm: {answer.status_code}"
        with self.places.lock:
            self.bookings += 1
        return expect(answer, 303)

    def _hold(self, client: Client) -> str | None:
        place = self.places.take()
        answer = client.http.post(
            "/afspraken/tijd",
            data={
                "csrf_token": client.csrf,
                "product": BOOKED_PRODUCT,
                "personen": "1",
                "locatie": place.location,
                "datum": place.day,
                "tijd": place.time,
            },
        )
        if answer.status_code == 409 and TAKEN in answer.text:
            return CONFLICT
        location = answer.headers.get("location", "")
        if answer.status_code != 303 or "/afspraken/gegevens/" not in location:
            return f"hold: {answer.status_code}"
        client.hidden["booking"] = location
        return None

    def count_bookings_from_now(self, _rate: float) -> None:
        with self.places.lock:
            self.bookings = 0

    def bookings_note(self) -> str:
        return f"{self.bookings} bookings confirmed, {self.places.left()} free times left"


BOOKING_NUMBERS: Iterator[int] = itertools.count(1)  # a new e-mail address for every booking


@dataclass
class PlaceSupply:
    """The free times of the window in random order, each handed out once (to all threads)."""

    places: list[Place]
    seed: int
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if not self.places:
            raise RuntimeError("no free appointment times to book")
        random.Random(self.seed).shuffle(self.places)

    def peek(self) -> Place:
        return self.places[-1]

    def take(self) -> Place:
        with self.lock:
            if not self.places:
                raise Exhausted
            return self.places.pop()

    def left(self) -> int:
        return len(self.places)
