"""Benchmark: the public performance page /prestaties with 1,000 and with 1,000,000 cases.

    .venv/bin/python bench/bench_prestaties.py [--clients 1,8] [--duration 5] [--warmup 1]
        [--small 1000:100] [--large 1000000:100000] [--cache-dir var/bench]

Uses the case benchmark's two SQLite databases (built once by the case generator in the cache
folder, `bench/zaken/data.py`; about 70% of the cases are closed, spread over three years).
Measured on both in one run:

- the worker's refresh: counting the closed cases of the last 13 months per product and month
  (grouped queries over the covering index) into `prestatie_maand`, once;
- in-process: the figures of the last 12 months as the page reads them (`portal.prestaties.
  service`: the worker's monthly totals, appointments, reactions, forms), median of 15 runs;
- over HTTP: GET /prestaties served by uvicorn (one worker) on loopback, with N concurrent
  clients (the forms benchmark's load generator): requests per second and p50/p95 latency.

Prints the ratio large/small of the page; the goal is at most 2: a visit reads the monthly
totals, so it must not grow with the number of cases. The refresh does grow with them (it is
reported, not judged); the worker runs it for the current month each round and for earlier
months hourly.
Writes bench/results/prestaties-<timestamp>.json; exits 1 when the goal is not met or a
request failed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
for path in (PROJECT_ROOT, PROJECT_ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from forms.cli import RESULTS_DIR, machine  # noqa: E402
from forms.load import Client, Measurement, measure, new_http_client  # noqa: E402
from zaken.data import Size, ensure_database  # noqa: E402
from zaken.servers import running_portal  # noqa: E402

GOAL = 2.0
DEFAULT_CACHE = PROJECT_ROOT / "var" / "bench"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,8", help="concurrent clients, e.g. 1,8")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up before")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--small", default="1000:100", help="cases:residents")
    parser.add_argument("--large", default="1000000:100000", help="cases:residents")
    parser.add_argument("--log-level", default="WARNING")
    return parser.parse_args()


def _size(label: str, text: str) -> Size:
    cases, residents = (int(part) for part in text.split(":"))
    return Size(label, cases, residents)


def worker_refresh_ms(database_url: str) -> float:
    """What the worker does before the page is read: add up the last 13 months once."""
    from sqlmodel import Session

    from portal.database import make_engine
    from portal.prestaties import service

    engine = make_engine(database_url)
    try:
        with Session(engine) as db:
            now = datetime.now(UTC)
            months = service.last_months(now.date(), 13)
            started = time.perf_counter()
            service.refresh_case_months(db, months=months, now=now)
            db.commit()
            return (time.perf_counter() - started) * 1000
    finally:
        engine.dispose()


def in_process_ms(database_url: str, runs: int = 15) -> tuple[float, int]:
    """Median milliseconds for all figures of the last 12 months, and the closed cases counted."""
    from sqlmodel import Session

    from portal.database import make_engine
    from portal.prestaties import service

    engine = make_engine(database_url)
    timings: list[float] = []
    counted = 0
    try:
        with Session(engine) as db:
            months = service.last_months(datetime.now(UTC).date())
            for _ in range(runs):
                started = time.perf_counter()
                figures = service.case_months(db, months=months)
                service.appointment_months(db, months=months)
                service.feedback_months(db, months=months)
                service.form_months(db, months=months)
                timings.append((time.perf_counter() - started) * 1000)
                counted = sum(f.closed for f in figures.values())
    finally:
        engine.dispose()
    return statistics.median(timings), counted


def page_ok(response: Any) -> str | None:
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    if "<svg" not in response.text and "prestaties" not in response.text:
        return "no figures on the page"
    return None


def over_http(
    label: str, database_url: str, workdir: Path, clients: list[int], options: argparse.Namespace
) -> list[Measurement]:
    results = []
    with running_portal(database_url, workdir, options.log_level) as server:
        for count in clients:
            http_clients = [Client(new_http_client(server.url)) for _ in range(count)]
            try:
                results.append(
                    measure(
                        label,
                        "/prestaties",
                        http_clients,
                        lambda client: page_ok(client.http.get("/prestaties")),
                        seconds=options.duration,
                        warmup=options.warmup,
                        server_pid=server.process.pid,
                    )
                )
            finally:
                for client in http_clients:
                    client.http.close()
    return results


def main() -> None:
    options = arguments()
    clients = [int(part) for part in options.clients.split(",")]
    sizes = [_size("small", options.small), _size("large", options.large)]
    rows: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-prestaties-") as temp:
        for size in sizes:
            url = ensure_database(options.cache_dir, size)
            refresh = worker_refresh_ms(url)
            ms, counted = in_process_ms(url)
            http = over_http(size.label, url, Path(temp), clients, options)
            rows[size.label] = {
                "cases": size.cases,
                "closed_in_figures": counted,
                "figures_ms": ms,
                "worker_refresh_ms": refresh,
                "http": [asdict(m) for m in http],
            }
            print(
                f"{size.label:6} {size.cases:>9,} cases, {counted:>7,} closed in the last "
                f"12 months: figures {ms:7.1f} ms in-process (the worker's refresh of 13 months: "
                f"{refresh:.0f} ms)"
            )
            for m in http:
                print(
                    f"       /prestaties {m.clients:>2} clients: {m.rps:7.1f} req/s  "
                    f"p50 {m.p50_ms:6.1f} ms  p95 {m.p95_ms:6.1f} ms  errors {m.errors}"
                )
    small, large = rows["small"], rows["large"]
    verdicts = {"figures": large["figures_ms"] / small["figures_ms"]}
    for s_m, l_m in zip(small["http"], large["http"], strict=True):
        verdicts[f"p95 {s_m['clients']} clients"] = l_m["p95_ms"] / s_m["p95_ms"]
    failed = any(m["errors"] for row in rows.values() for m in row["http"])
    print(f"ratios large/small (goal <= {GOAL:.1f}):")
    for name, ratio in verdicts.items():
        print(f"  {name:18} {ratio:5.2f}  {'ok' if ratio <= GOAL else 'MISSES THE GOAL'}")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS_DIR / f"prestaties-{stamp}.json"
    out.write_text(json.dumps({"machine": machine(), "rows": rows, "ratios": verdicts}, indent=2))
    print(f"written to {out}")
    sys.exit(1 if failed or any(r > GOAL for r in verdicts.values()) else 0)


if __name__ == "__main__":
    main()
