"""The command line: build the busy location, time the free-time reads, serve the bare page and
the portal, book under contention, check the bookings, print the report, write the JSON."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvicorn
from forms.cli import RESULTS_DIR, bench_bare, machine
from forms.load import Measurement
from forms.servers import Server, free_port, log_tail, started

from .data import Busy, ReadTiming, build_busy_location, measure_reads, settings_for
from .load import Board, Booker, BookingRun, free_places, measure_bookings

DESCRIPTION = "Benchmark: free appointment times and booking under contention (issue 5)."
ENTRY_POINT = Path(__file__).resolve().parent.parent / "bench_afspraken.py"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument("--quick", action="store_true", help="4 clients, 3 s, 10 calls")
    parser.add_argument("--clients", default="4,16", help="concurrent clients, e.g. 4,16")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up before")
    parser.add_argument("--fill", type=float, default=0.8, help="share of places booked")
    parser.add_argument("--repeat", type=int, default=30, help="calls per read timing")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.quick:
        options.clients, options.duration, options.warmup, options.repeat = "4", 3.0, 0.5, 10
    return options


def serve(options: argparse.Namespace) -> None:
    """`bench_afspraken.py --serve`: the portal until SIGTERM; every client is 127.0.0.1, so
    the booking rate limit is lifted."""
    from portal.main import create_app

    settings = settings_for(
        options.database_url,
        Path(options.data_dir),
        base_url=f"http://127.0.0.1:{options.port}",
        appointment_rate_limit=1_000_000_000,
    )
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=options.port,
        workers=1,
        log_config=None,
        access_log=False,
        log_level="warning",
    )
    uvicorn.Server(config).run()


@contextmanager
def running_portal(database_url: str, workdir: Path) -> Iterator[Server]:
    port = free_port()
    command = [
        sys.executable,
        str(ENTRY_POINT),
        "--serve",
        "--port",
        str(port),
        "--database-url",
        database_url,
        "--data-dir",
        str(workdir / "data"),
    ]
    log = workdir / f"server-{port}.log"
    with started(command, port, log, ready_path="/health/live", kind="portal") as server:
        yield server


def print_reads(timings: list[ReadTiming]) -> None:
    print("\n(a) free times, in process (ms per call)")
    for t in timings:
        print(
            f"  {t.name:<46} median {t.median_ms:>7.2f} ms  p95 {t.p95_ms:>7.2f} ms  "
            f"({t.calls} calls; {t.result})"
        )


def print_run(run: BookingRun) -> None:
    notes = f"  ({'; '.join(run.notes)})" if run.notes else ""
    print(
        f"  bookings {run.clients:>3} clients {run.bookings_per_s:>7.1f} bookings/s  "
        f"p50 {run.booking_p50_ms:>7.1f} ms  p95 {run.booking_p95_ms:>7.1f} ms  "
        f"409s {run.conflicts}  POSTs {run.posts_per_s:.1f}/s  errors {run.errors}{notes}"
    )


def bench_bookings(
    database_url: str, workdir: Path, concurrency: list[int], options: argparse.Namespace
) -> list[BookingRun]:
    settings = settings_for(database_url, workdir / "data")
    board = Board(free_places(database_url, settings, datetime.now(UTC)))
    print(f"  {len(board.places)} free times to book (a time may be free at several desks)")
    runs = []
    with running_portal(database_url, workdir) as server:
        for count in concurrency:
            first_day = board.places[0].day
            bookers = [Booker(server.url, first_day, options.seed + i) for i in range(count)]
            try:
                runs.append(
                    measure_bookings(
                        bookers,
                        board,
                        seconds=options.duration,
                        warmup=options.warmup,
                        server_pid=server.process.pid,
                    )
                )
            finally:
                for booker in bookers:
                    booker.http.close()
            print_run(runs[-1])
        if any(r.errors for r in runs):
            print(log_tail(server.log), file=sys.stderr)
    return runs


def check_bookings(database_url: str, busy: Busy, runs: list[BookingRun]) -> list[str]:
    """Every booking counted is one confirmed appointment, and nothing else holds a desk."""
    from sqlalchemy import func
    from sqlmodel import Session, col, select

    from portal.afspraken.models import Appointment, DeskUnit
    from portal.database import make_engine

    engine = make_engine(database_url)
    try:
        with Session(engine) as db:
            booked = db.exec(
                select(func.count()).where(
                    col(Appointment.email).like("bewoner%"), Appointment.state == "bevestigd"
                )
            ).one()
            others = db.exec(
                select(func.count()).where(col(Appointment.email).like("bewoner%"))
            ).one()
            units = db.exec(select(func.count()).select_from(DeskUnit)).one()
            open_appointments = db.exec(
                select(func.count()).where(
                    col(Appointment.state).in_(("bevestigd", "vastgehouden")),
                    col(Appointment.ends_at) > datetime.now(UTC),
                )
            ).one()
    finally:
        engine.dispose()
    counted = sum(r.bookings + r.warmup_bookings for r in runs)
    problems = []
    if booked != counted:
        problems.append(f"{counted} bookings counted, {booked} confirmed appointments")
    if others != booked:
        problems.append(f"{others - booked} bench appointments not confirmed")
    # Every place is ten minutes (two units) and the demo's own bookings are 20 minutes.
    print(
        f"check: {counted} bookings = {booked} confirmed appointments; "
        f"{units} desk units for {open_appointments} coming appointments "
        f"({busy.taken} booked beforehand)"
    )
    return problems


def report(bare: list[Measurement], runs: list[BookingRun]) -> None:
    print(
        "\n| clients | bookings/s | booking p50 | booking p95 | 409s | POSTs/s | POST p95 "
        "| bare page req/s | POSTs/s vs bare | CPU vs bare |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for b, run in zip(bare, runs, strict=True):
        run.ratio_vs_bare = round(run.posts_per_s / b.rps, 3) if b.rps else None
        run.cpu_ratio_vs_bare = (
            round(b.server_cpu_ms_per_request / run.server_cpu_ms_per_post, 3)
            if run.server_cpu_ms_per_post
            else None
        )
        print(
            f"| {run.clients} | {run.bookings_per_s:,.1f} | {run.booking_p50_ms:.0f} ms "
            f"| {run.booking_p95_ms:.0f} ms | {run.conflicts} | {run.posts_per_s:,.1f} "
            f"| {run.post_p95_ms:.0f} ms | {b.rps:,.0f} | {run.ratio_vs_bare} "
            f"| {run.cpu_ratio_vs_bare} |"
        )


def main() -> None:
    options = arguments()
    if options.serve:
        serve(options)
        return
    concurrency = [int(part) for part in options.clients.split(",")]
    info = machine()
    print(
        f"{DESCRIPTION}\nmachine: {info['nproc']} cores, {info['cpu_model']}, "
        f"Python {info['python']}, load {info['load_average']}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-afspraken-") as folder:
        workdir = Path(folder)
        url = f"sqlite:///{workdir / 'afspraken.db'}"
        settings = settings_for(url, workdir / "data")
        busy = build_busy_location(url, settings, fill=options.fill, seed=options.seed)
        print(
            f"busy location: {busy.days} open days in the window, {busy.places} counter places "
            f"of 10 minutes, {busy.taken} booked ({100 * busy.taken / busy.places:.0f} %), "
            f"{busy.free} free"
        )
        reads = measure_reads(url, settings, repeat=options.repeat)
        print_reads(reads)
        print("\n(b) booking under contention, served on a loopback port")
        print("  the bare FastAPI + Jinja2 page (baseline), GET:")
        bare = bench_bare(workdir, concurrency, options.duration, options.warmup)
        print("  the portal: hold, details, confirm (three POSTs a booking):")
        runs = bench_bookings(url, workdir, concurrency, options)
        problems = check_bookings(url, busy, runs)
    report(bare, runs)
    problems += [f"{r.errors} failed requests with {r.clients} clients" for r in runs if r.errors]
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    result: dict[str, Any] = {
        "machine": info,
        "options": {k: v for k, v in vars(options).items() if not k.startswith(("serve", "port"))},
        "busy_location": asdict(busy),
        "reads": [asdict(t) for t in reads],
        "bare": [asdict(m) for m in bare],
        "bookings": [asdict(r) for r in runs],
        "problems": problems,
    }
    path = RESULTS_DIR / f"afspraken-{stamp}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"result: {path}")
    if problems:
        print("PROBLEMS: " + "; ".join(problems), file=sys.stderr)
        sys.exit(1)
