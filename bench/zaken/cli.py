"""The command line: build or reuse both databases, measure every page on each, print the table
with the large/small ratios, and write the JSON result."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from forms.cli import RESULTS_DIR, machine
from forms.load import Client, Measurement, measure, new_http_client
from forms.scenarios import session_cookie
from forms.servers import log_tail, portal_settings

from .data import Size, ensure_database, resident_name, resident_with_cases
from .scenarios import Scenario, deep_queue_path, get_page, scenarios, sessions
from .servers import running_portal, serve

DESCRIPTION = "Benchmark: case list and work queue with 1,000 and 1,000,000 cases (issue 4)."
DEFAULT_CACHE = Path(__file__).resolve().parent.parent.parent / "var" / "bench"
GOAL = 2.0  # the large database may be at most twice as slow


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument("--clients", default="8", help="concurrent clients, e.g. 8,32")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up before")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--small", default="1000:100", help="cases:residents")
    parser.add_argument("--large", default="1000000:100000", help="cases:residents")
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    return parser.parse_args()


def size(label: str, text: str) -> Size:
    cases, residents = (int(part) for part in text.split(":"))
    return Size(label, cases, residents)


def bench_database(
    size: Size, url: str, workdir: Path, concurrency: list[int], options: argparse.Namespace
) -> list[Measurement]:
    bsn, own_cases = resident_with_cases(url)
    print(
        f"\n{size.label}: {size.cases:,} cases, {size.residents:,} owners; "
        f"the resident has {own_cases} cases"
    )
    results: list[Measurement] = []
    with running_portal(url, workdir, options.log_level) as server:
        settings = portal_settings(url, 0, workdir / "data", options.log_level)
        cookie_name = session_cookie(settings)
        tokens = sessions(url, settings, bsn, max(concurrency))
        deep, page_number = deep_queue_path(server.url, {cookie_name: tokens["staff"][0]})
        print(f"  deep page: page {page_number} of the queue")
        for scenario in scenarios(deep, resident_name()):
            for count in concurrency:
                results.append(run_one(size, scenario, server, cookie_name, tokens, count, options))
                print_row(results[-1])
        if any(m.errors for m in results):
            print(log_tail(server.log), file=sys.stderr)
    return results


def run_one(
    size: Size,
    scenario: Scenario,
    server: Any,
    cookie_name: str,
    tokens: dict[str, list[str]],
    count: int,
    options: argparse.Namespace,
) -> Measurement:
    clients = [
        Client(new_http_client(server.url, {cookie_name: token}))
        for token in tokens[scenario.who][:count]
    ]
    try:
        return measure(
            size.label,
            scenario.name,
            clients,
            get_page(scenario.path, scenario.must_contain),
            seconds=options.duration,
            warmup=options.warmup,
            server_pid=server.process.pid,
        )
    finally:
        for client in clients:
            client.http.close()


def print_row(m: Measurement) -> None:
    notes = f"  ({'; '.join(m.notes)})" if m.notes else ""
    print(
        f"  {m.scenario:<36} {m.clients:>3} clients {m.rps:>8.1f} req/s  "
        f"p50 {m.p50_ms:>7.1f} ms  p95 {m.p95_ms:>7.1f} ms  errors {m.errors}{notes}"
    )


def report(small: list[Measurement], large: list[Measurement]) -> bool:
    """The side-by-side table, and which pages miss the goal; True when none does."""
    print(
        "\n| page | clients | small req/s | large req/s | small p95 | large p95 "
        "| p95 large/small | req/s small/large |"
    )
    print("|---|---|---|---|---|---|---|---|")
    missed: list[str] = []
    for a, b in zip(small, large, strict=True):
        slower_p95 = b.p95_ms / a.p95_ms if a.p95_ms else float("inf")
        slower_rps = a.rps / b.rps if b.rps else float("inf")
        if slower_p95 > GOAL or slower_rps > GOAL or a.errors or b.errors:
            missed.append(f"{a.scenario} ({a.clients} clients)")
        print(
            f"| {a.scenario} | {a.clients} | {a.rps:,.0f} | {b.rps:,.0f} | {a.p95_ms:.1f} ms "
            f"| {b.p95_ms:.1f} ms | {slower_p95:.2f} | {slower_rps:.2f} |"
        )
    verdict = "met" if not missed else "NOT met by " + ", ".join(missed)
    print(f"\ngoal: the large database at most {GOAL:.0f}x slower: {verdict}")
    return not missed


def main() -> None:
    options = arguments()
    if options.serve:
        serve(options)
        return
    concurrency = [int(part) for part in options.clients.split(",")]
    small_size, large_size = size("small", options.small), size("large", options.large)
    info = machine()
    print(
        f"{DESCRIPTION}\nmachine: {info['nproc']} cores, {info['cpu_model']}, "
        f"Python {info['python']}, load {info['load_average']}"
    )
    print("databases (built once, then reused):", file=sys.stderr)
    urls = {s.label: ensure_database(options.cache_dir, s) for s in (small_size, large_size)}
    with tempfile.TemporaryDirectory(prefix="bench-zaken-") as folder:
        workdir = Path(folder)
        small = bench_database(small_size, urls["small"], workdir, concurrency, options)
        large = bench_database(large_size, urls["large"], workdir, concurrency, options)
    ok = report(small, large)
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    result = {
        "machine": info,
        "small": asdict(small_size),
        "large": asdict(large_size),
        "measurements": [asdict(m) for m in small + large],
        "goal_met": ok,
    }
    path = RESULTS_DIR / f"zaken-{stamp}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"result: {path}")
    if not ok:
        sys.exit(1)
