"""Booking under contention: N client threads against the served portal, each booking again
and again (hold → details → confirm), all choosing among the same few earliest free places."""

from __future__ import annotations

import itertools
import random
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from forms.load import new_http_client, percentile
from forms.servers import cpu_seconds, own_cpu_seconds

from .data import LOCATION, PRODUCT

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TAKEN = "Deze tijd is intussen niet meer vrij"
CANDIDATES = 4  # every client picks one of the first few places it does not know are taken


@dataclass(frozen=True)
class Place:
    day: str
    time: str
    location: str = LOCATION


class Board:
    """The free places in order, and which ones clients found taken (shared by the threads;
    deliberately a little behind reality, like residents looking at the same page)."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self.gone: set[Place] = set()
        self.lock = threading.Lock()

    def pick(self, rng: random.Random) -> Place | None:
        with self.lock:
            open_places = [p for p in self.places[: len(self.gone) + 64] if p not in self.gone]
            return rng.choice(open_places[:CANDIDATES]) if open_places else None

    def drop(self, place: Place) -> None:
        with self.lock:
            self.gone.add(place)


@dataclass
class BookingRun:
    clients: int
    elapsed_s: float
    bookings: int
    conflicts: int
    errors: int
    posts: int
    bookings_per_s: float
    posts_per_s: float
    booking_p50_ms: float
    booking_p95_ms: float
    post_p95_ms: float
    server_cpu_pct: float
    client_cpu_pct: float
    server_cpu_ms_per_post: float
    warmup_bookings: int = 0
    ratio_vs_bare: float | None = None
    cpu_ratio_vs_bare: float | None = None
    notes: list[str] = field(default_factory=list)


def free_places(
    database_url: str,
    settings: Any,
    now: datetime,
    location: str = LOCATION,
    product: str = PRODUCT,
) -> list[Place]:
    """Every free start of `product` for one person at `location`, earliest first."""
    from sqlmodel import Session

    from portal.afspraken import journey, service
    from portal.database import make_engine

    engine = make_engine(database_url)
    try:
        with Session(engine) as db:
            choice = service.make_choice(db, [product], 1)
            first, last = service.window(settings, now)
            times = service.available_times_by_day(
                db, choice, location, first=first, last=last, now=now
            )
    finally:
        engine.dispose()
    return [
        Place(day.isoformat(), journey.time_value(start), location)
        for day in sorted(times)
        for start in times[day]
    ]


class Booker:
    """One resident's browser: its own connection, CSRF cookie and token."""

    counter = itertools.count(1)

    def __init__(self, base_url: str, first_day: str, seed: int) -> None:
        self.http = new_http_client(base_url)
        self.rng = random.Random(seed)
        page = self.http.get(
            "/afspraken/tijd",
            params={"product": PRODUCT, "personen": "1", "locatie": LOCATION, "datum": first_day},
        )
        found = CSRF.search(page.text)
        if page.status_code != 200 or not found:
            raise RuntimeError(f"time page: {page.status_code}")
        self.csrf = found.group(1)

    def book(self, place: Place, post_times: list[float]) -> str:
        """'booked', 'taken', or what went wrong."""
        number = next(self.counter)

        def post(url: str, data: dict[str, str]) -> httpx.Response:
            started = time.perf_counter()
            answer = self.http.post(url, data={"csrf_token": self.csrf, **data})
            post_times.append(time.perf_counter() - started)
            return answer

        held = post(
            "/afspraken/tijd",
            {
                "product": PRODUCT,
                "personen": "1",
                "locatie": LOCATION,
                "datum": place.day,
                "tijd": place.time,
            },
        )
        if held.status_code == 409 and TAKEN in held.text:
            return "taken"
        details = held.headers.get("location", "")
        if held.status_code != 303 or "/afspraken/gegevens/" not in details:
            return f"hold: {held.status_code}"
        saved = post(
            details,
            {"naam": f"Bewoner {number}", "email": f"bewoner{number}@example.nl", "telefoon": ""},
        )
        check = saved.headers.get("location", "")
        if saved.status_code != 303 or "/afspraken/controleren/" not in check:
            return f"details: {saved.status_code}"
        confirmed = post(check, {})
        if confirmed.status_code != 303 or "melding=gemaakt" not in confirmed.headers.get(
            "location", ""
        ):
            return f"confirm: {confirmed.status_code}"
        return "booked"


def run_bookings(
    bookers: list[Booker], board: Board, seconds: float, server_pid: int
) -> tuple[list[float], list[float], int, list[str], float, float, float]:
    """Every client books back to back for `seconds` (or until no place is left).

    Returns (booking latencies, POST latencies, 409s, problems, elapsed, server CPU s, own CPU s).
    """
    bookings: list[list[float]] = [[] for _ in bookers]
    posts: list[list[float]] = [[] for _ in bookers]
    conflicts = [0] * len(bookers)
    problems: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(bookers) + 1)
    deadline = [0.0]
    finished = [0.0] * len(bookers)

    def loop(index: int, booker: Booker) -> None:
        barrier.wait()
        while time.perf_counter() < deadline[0]:
            place = board.pick(booker.rng)
            if place is None:
                break
            started = time.perf_counter()
            try:
                outcome = booker.book(place, posts[index])
            except httpx.HTTPError as error:
                outcome = f"{type(error).__name__}: {error}"
            ended = time.perf_counter()
            finished[index] = ended
            if outcome == "booked":
                bookings[index].append(ended - started)
                board.drop(place)
            elif outcome == "taken":
                conflicts[index] += 1
                board.drop(place)
            else:
                with lock:
                    problems.append(outcome)

    threads = [
        threading.Thread(target=loop, args=(i, b), daemon=True) for i, b in enumerate(bookers)
    ]
    for thread in threads:
        thread.start()
    server_before, own_before = cpu_seconds(server_pid), own_cpu_seconds()
    start = time.perf_counter()
    deadline[0] = start + seconds
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = max([*finished, start + 1e-9]) - start
    return (
        [x for sub in bookings for x in sub],
        [x for sub in posts for x in sub],
        sum(conflicts),
        problems,
        elapsed,
        cpu_seconds(server_pid) - server_before,
        own_cpu_seconds() - own_before,
    )


def measure_bookings(
    bookers: list[Booker], board: Board, *, seconds: float, warmup: float, server_pid: int
) -> BookingRun:
    warm_bookings, _, _, warm_problems, _, _, _ = run_bookings(bookers, board, warmup, server_pid)
    latencies, post_latencies, conflicts, problems, elapsed, server_cpu, own_cpu = run_bookings(
        bookers, board, seconds, server_pid
    )
    latencies.sort()
    post_latencies.sort()
    count, post_count = len(latencies), len(post_latencies)
    notes = [f"{len(warm_problems)} errors during warm-up"] if warm_problems else []
    notes += sorted(set(problems))[:3]
    if elapsed < 0.8 * seconds:
        notes.append(f"ran out of free places after {elapsed:.1f} s")
    return BookingRun(
        clients=len(bookers),
        elapsed_s=round(elapsed, 3),
        bookings=count,
        conflicts=conflicts,
        errors=len(problems) + len(warm_problems),
        posts=post_count,
        bookings_per_s=round(count / elapsed, 1) if elapsed else 0.0,
        posts_per_s=round(post_count / elapsed, 1) if elapsed else 0.0,
        booking_p50_ms=round(percentile(latencies, 0.50) * 1000, 1),
        booking_p95_ms=round(percentile(latencies, 0.95) * 1000, 1),
        post_p95_ms=round(percentile(post_latencies, 0.95) * 1000, 1),
        server_cpu_pct=round(100 * server_cpu / elapsed, 1) if elapsed else 0.0,
        client_cpu_pct=round(100 * own_cpu / elapsed, 1) if elapsed else 0.0,
        server_cpu_ms_per_post=round(1000 * server_cpu / post_count, 2) if post_count else 0.0,
        warmup_bookings=len(warm_bookings),
        notes=notes,
    )
