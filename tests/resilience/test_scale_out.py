"""No state in any process: the portal served by two `mijn-haren serve` processes on one
database, and one browser whose every request goes to the other process than the one before.

Both processes have the same public address (the first one's), as processes behind one load
balancer do: the identity provider sends the browser back there, and the browser (this test)
then picks a process itself. A DigiD login through the development provider starts on one
process and finishes on the other; a form's steps, an appointment's hold and confirmation, the
case pages and the logout each land on alternating processes. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from sqlmodel import Session, select

from auth.identity import DIGID_LEVELS
from portal.afspraken.models import Appointment
from portal.settings import Settings
from portal.zaken.models import Zaak
from tests.afspraken.helpers import choice_query, offered_days, offered_times, seed
from tests.conftest import SUZANNE_BSN
from tests.live import Portal, csrf_of, hidden_fields, http_client, running_portals
from tests.resilience.uploads import SlowUpload, status_of

pytestmark = [pytest.mark.live, pytest.mark.timeout(240)]

LOGIN_LIMIT = 6
REFERENCE = re.compile(r"HRN-\d{4}-\d{6}")


@pytest.fixture(scope="module")
def portals(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Portal]]:
    with running_portals(
        database_url,
        tmp_path_factory.mktemp("scale-out"),
        2,
        same_base_url=True,
        shared_data_dir=True,
        login_rate_limit=str(LOGIN_LIMIT),
    ) as started:
        yield started


class AlternatingBrowser:
    """One cookie jar; each request goes to the next process in turn (round robin)."""

    def __init__(self, portals: list[Portal]) -> None:
        self.urls = [portal.url for portal in portals]
        self.turn = 0
        self.served_by: list[tuple[str, str]] = []
        self.http = httpx.Client(follow_redirects=False, timeout=60, trust_env=False)

    def _next(self, path: str) -> str:
        url = self.urls[self.turn % len(self.urls)]
        self.turn += 1
        self.served_by.append((url, path.split("?", 1)[0]))
        return url + path

    def get(self, target: str) -> httpx.Response:
        return self.http.get(self._next(self.local(target)))

    def post(self, target: str, data: dict[str, Any]) -> httpx.Response:
        return self.http.post(self._next(self.local(target)), data=data)

    def follow(self, response: httpx.Response) -> httpx.Response:
        """Follow redirects, each on the next process."""
        while response.status_code in (302, 303):
            response = self.get(response.headers["location"])
        return response

    @staticmethod
    def local(target: str) -> str:
        """Path and query of a URL: the browser chooses the process, not the link."""
        parts = urlsplit(target)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def processes_of(self, path_start: str) -> set[str]:
        return {url for url, path in self.served_by if path.startswith(path_start)}


@pytest.fixture
def browser(portals: list[Portal]) -> Iterator[AlternatingBrowser]:
    alternating = AlternatingBrowser(portals)
    yield alternating
    alternating.http.close()


def log_in_with_digid(browser: AlternatingBrowser) -> httpx.Response:
    started = browser.get("/auth/digid/login")
    assert started.status_code == 303
    login_page = browser.get(started.headers["location"])
    assert login_page.status_code == 200, login_page.text
    action, fields = hidden_fields(login_page)
    fields.update(subject=SUZANNE_BSN, loa=DIGID_LEVELS[1])
    back = browser.post(action, fields)
    assert back.status_code in (302, 303), back.text
    assert urlsplit(back.headers["location"]).path == "/auth/digid/callback"
    landed = browser.get(back.headers["location"])
    assert landed.status_code == 303, landed.text
    return browser.follow(landed)


def send_form(browser: AlternatingBrowser, page: httpx.Response, **values: str) -> httpx.Response:
    """Post the page's form as a browser does: its hidden fields plus the values typed in."""
    action, fields = hidden_fields(page)
    return browser.post(action, {**fields, **values})


def fill_in_the_question_form(browser: AlternatingBrowser) -> str:
    """Start the form, one step per process, check and send; returns the case reference."""
    start = browser.get("/formulieren/vraag")
    assert start.status_code == 200
    step = browser.post("/formulieren/vraag", {"csrf_token": csrf_of(start)})
    assert step.status_code == 303
    first = browser.get(step.headers["location"])
    assert first.status_code == 200
    saved = send_form(browser, first, onderwerp="afval", vraag="Wanneer komt de bak?")
    assert saved.status_code == 303, saved.text
    second = browser.get(saved.headers["location"])
    assert second.status_code == 200
    assert "Suzanne Moulin" in second.text  # the BRP name, fetched by the other process
    saved = send_form(browser, second, email="s@example.nl")
    assert saved.status_code == 303, saved.text
    check = browser.get(saved.headers["location"])
    assert check.status_code == 200
    assert "Wanneer komt de bak?" in check.text  # the first step, saved by another process
    sent = send_form(browser, check)
    assert sent.status_code == 303, sent.text
    confirmation = browser.get(sent.headers["location"])
    assert confirmation.status_code == 200
    found = REFERENCE.search(confirmation.text)
    assert found, confirmation.text
    return found.group(0)


def book_an_appointment(browser: AlternatingBrowser) -> str:
    """Choose a day and time, hold it, give details and confirm: returns the manage page."""
    days = offered_days(
        browser.get(f"/afspraken/datum?{choice_query(location='gemeentehuis')}").text
    )
    assert days
    query = choice_query(location="gemeentehuis", day=days[0])
    times_page = browser.get(f"/afspraken/tijd?{query}")
    times = offered_times(times_page.text)
    assert times
    held = browser.post(
        "/afspraken/tijd",
        {
            "csrf_token": csrf_of(times_page),
            "product": "paspoort",
            "personen": "1",
            "locatie": "gemeentehuis",
            "datum": days[0],
            "tijd": times[0],
        },
    )
    assert held.status_code == 303, held.text
    details = browser.get(held.headers["location"])
    assert details.status_code == 200
    given = browser.post(
        held.headers["location"],
        {
            "csrf_token": csrf_of(details),
            "naam": "Suzanne Moulin",
            "email": "s@example.nl",
            "telefoon": "",
        },
    )
    assert given.status_code == 303, given.text
    check = browser.get(given.headers["location"])
    assert check.status_code == 200
    confirmed = browser.post(given.headers["location"], {"csrf_token": csrf_of(check)})
    assert confirmed.status_code == 303, confirmed.text
    assert confirmed.headers["location"].endswith("?melding=gemaakt")
    return confirmed.headers["location"]


def test_a_resident_s_journeys_work_whichever_process_answers(
    browser: AlternatingBrowser, portals: list[Portal], db_engine: Any, settings: Settings
) -> None:
    seed(db_engine, settings)
    overview = log_in_with_digid(browser)
    assert overview.status_code == 200
    assert urlsplit(str(overview.url)).path == "/mijn"
    assert "Suzanne Moulin" in overview.text
    assert browser.processes_of("/auth/digid/login") != browser.processes_of("/auth/digid/callback")

    reference = fill_in_the_question_form(browser)
    manage_page = book_an_appointment(browser)

    booked = browser.get(manage_page)
    assert booked.status_code == 200
    assert "Uw afspraak is gemaakt" in booked.text
    cases = browser.get("/mijn/zaken")
    assert cases.status_code == 200
    assert reference in cases.text
    case = browser.get(f"/mijn/zaken/{reference}")
    assert case.status_code == 200
    assert "Vraag aan de gemeente" in case.text
    mine = browser.get("/mijn/afspraken")
    assert mine.status_code == 200
    assert "Gemeentehuis Haren" in mine.text

    logout_page = browser.get("/uitloggen")
    logged_out = browser.post("/uitloggen", {"csrf_token": csrf_of(logout_page)})
    assert logged_out.status_code == 303
    browser.follow(logged_out)
    after = browser.get("/mijn")
    assert after.status_code == 303  # to the login page, on either process
    assert browser.get("/mijn/zaken").status_code == 303

    # Every kind of step was served by both processes.
    for path in ("/formulieren/vraag/", "/afspraken/", "/mijn/zaken", "/uitloggen"):
        assert len(browser.processes_of(path)) == 2, path
    with Session(db_engine) as db:
        [zaak] = db.exec(select(Zaak)).all()
        assert zaak.reference == reference
        assert zaak.initiator_bsn == SUZANNE_BSN
        [appointment] = db.exec(select(Appointment)).all()
        assert appointment.state == "bevestigd"
        assert appointment.bsn == SUZANNE_BSN


def test_the_login_rate_limit_counts_the_requests_of_both_processes(
    browser: AlternatingBrowser,
) -> None:
    # The limit counts per minute; start early in a minute so all the requests share one.
    if datetime.now(UTC).second > 45:
        time.sleep(61 - datetime.now(UTC).second)
    answers = [browser.get("/auth/digid/login").status_code for _ in range(LOGIN_LIMIT + 2)]
    assert answers == [303] * LOGIN_LIMIT + [429, 429]
    assert len(browser.processes_of("/auth/digid/login")) == 2


@pytest.mark.parametrize("token_in_header", [False, True], ids=["token-in-form", "token-in-header"])
def test_a_slow_upload_on_one_process_does_not_hold_up_the_other(
    portals: list[Portal], token_in_header: bool
) -> None:
    """A client sending a large file slowly holds no database transaction (on SQLite: the
    write lock of every process) while its body arrives, whichever way it sends its token."""
    upload = SlowUpload(portals[0], token_in_header=token_in_header)
    upload.start()
    assert upload.begun.wait(timeout=30)
    time.sleep(0.5)  # well inside the upload
    with http_client(portals[1].url) as http:
        start = http.get("/formulieren/vraag")
        begun = http.post("/formulieren/vraag", data={"csrf_token": csrf_of(start)})
    assert begun.status_code == 303
    assert upload.is_alive()  # the other process answered while the upload was still arriving
    upload.join(timeout=120)
    assert isinstance(upload.answer, bytes)
    assert status_of(upload.answer) == 303
