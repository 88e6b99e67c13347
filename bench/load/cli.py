"""The command line: prepare the database, measure the bare page and every portal scenario for
each number of worker processes, print the table with the ratios and the aims, write the JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from forms.cli import RESULTS_DIR, machine, without_nan
from forms.load import Client, Measurement, expect, measure, new_http_client
from forms.scenarios import database_label, safe_url
from forms.servers import Server, log_tail

from .scenarios import LoadPortal, Scenario
from .servers import prepare_database, running_bare, running_portal, serve_bare

DESCRIPTION = "Benchmark: the portal under load next to a bare FastAPI + Jinja2 page (issue 8)."
AIMS = {"public": 0.60, "personal": 0.40}  # throughput as a share of the bare page's
P95_AIM_MS = 100.0


@dataclass
class Row:
    workers: int
    kind: str  # bare | public | personal
    measurement: Measurement
    page_bytes: int | None = None  # of the bare page and the portal's home page

    @property
    def aim_met(self) -> bool | None:
        ratio = self.measurement.ratio_vs_bare
        if self.kind not in AIMS or ratio is None:
            return None
        return ratio >= AIMS[self.kind] and self.measurement.p95_ms < P95_AIM_MS


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument("--quick", action="store_true", help="1 worker, 3 s per scenario")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up before")
    parser.add_argument("--workers", default="1,2", help="server processes, e.g. 1,2")
    parser.add_argument(
        "--database-url",
        default="",
        help="a throwaway database to run the portal on (default: a new SQLite file)",
    )
    parser.add_argument("--log-level", default="INFO", help="the portal's log level")
    parser.add_argument("--seed", type=int, default=8, help="order of the booked times")
    parser.add_argument("--only", default="", help="run only scenarios whose name has this")
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.quick:
        options.duration, options.warmup, options.workers = 3.0, 0.5, "1"
    return options


def measure_bare(workdir: Path, workers: int, options: argparse.Namespace) -> Row:
    with running_bare(workdir, workers) as server:
        clients = [Client(new_http_client(server.url)) for _ in range(options.clients)]
        try:
            size = len(clients[0].http.get("/").content)
            measurement = measure(
                "-",
                "bare FastAPI + Jinja2 page",
                clients,
                lambda client: expect(client.http.get("/"), 200),
                seconds=options.duration,
                warmup=options.warmup,
                server_pid=server.process.pid,
            )
        finally:
            for client in clients:
                client.http.close()
    return Row(workers, "bare", measurement, size)


def measure_portal(
    database_url: str, workdir: Path, workers: int, options: argparse.Namespace
) -> list[Row]:
    rows = []
    with running_portal(database_url, workdir, workers, options.log_level) as (server, settings):
        portal = LoadPortal(server.url, database_url, settings, seed=options.seed + workers)
        home_bytes = len(httpx.get(server.url + "/", trust_env=False).content)
        try:
            for scenario in portal.scenarios():
                if options.only in scenario.name:
                    rows.append(measure_scenario(portal, scenario, server, workers, options))
                    if scenario.name.startswith("home"):
                        rows[-1].page_bytes = home_bytes
                    print_row(rows[-1])
        finally:
            portal.close()
        if any(row.measurement.errors for row in rows):
            print(log_tail(server.log), file=sys.stderr)
    return rows


def measure_scenario(
    portal: LoadPortal,
    scenario: Scenario,
    server: Server,
    workers: int,
    options: argparse.Namespace,
) -> Row:
    clients = scenario.clients(options.clients)
    try:
        measurement = measure(
            database_label(portal.database_url),
            scenario.name,
            clients,
            scenario.action,
            seconds=options.duration,
            warmup=options.warmup,
            server_pid=server.process.pid,
            before_measuring=scenario.before_measuring,
        )
    finally:
        for client in clients:
            client.http.close()
    if scenario.after_measuring is not None:
        measurement.notes.append(scenario.after_measuring())
    return Row(workers, scenario.kind, measurement)


HEADER = (
    f"{'workers':>7} {'scenario':<40} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6} "
    f"{'409':>4} {'vs bare':>7} {'aim':>5} {'CPU ms/req':>10} {'CPU vs bare':>11} {'cli CPU':>7}"
)


def print_row(row: Row) -> None:
    m = row.measurement
    ratio = "" if m.ratio_vs_bare is None else f"{m.ratio_vs_bare:.2f}"
    cpu_ratio = "" if m.cpu_ratio_vs_bare is None else f"{m.cpu_ratio_vs_bare:.2f}"
    aim = {None: "", True: "met", False: "MISS"}[row.aim_met]
    notes = f"  ({'; '.join(m.notes)})" if m.notes else ""
    print(
        f"{row.workers:>7} {m.scenario:<40} {m.rps:>8.1f} {m.p50_ms:>7.1f} {m.p95_ms:>7.1f} "
        f"{m.errors:>6} {m.conflicts:>4} {ratio:>7} {aim:>5} "
        f"{m.server_cpu_ms_per_request:>10.2f} {cpu_ratio:>11} {m.client_cpu_pct:>6.0f}%{notes}",
        flush=True,
    )


def add_ratios(rows: list[Row]) -> None:
    """Each scenario against the bare page measured with the same number of workers."""
    bare = {row.workers: row.measurement for row in rows if row.kind == "bare"}
    for row in rows:
        baseline, m = bare[row.workers], row.measurement
        if baseline.rps:
            m.ratio_vs_bare = round(m.rps / baseline.rps, 3)
        if m.server_cpu_ms_per_request:
            m.cpu_ratio_vs_bare = round(
                baseline.server_cpu_ms_per_request / m.server_cpu_ms_per_request, 3
            )


def print_markdown(rows: list[Row]) -> None:
    """The table as it goes in the README."""
    print("\n| workers | scenario | req/s | p50 | p95 | vs bare page | aim |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        m = row.measurement
        aim = (
            ""
            if row.aim_met is None
            else f"{AIMS[row.kind]:.0%}: " + ("met" if row.aim_met else "missed")
        )
        print(
            f"| {row.workers} | {m.scenario} | {m.rps:,.0f} | {m.p50_ms:.0f} ms "
            f"| {m.p95_ms:.0f} ms | {m.ratio_vs_bare:.2f} | {aim} |"
        )


def write_result(rows: list[Row], info: dict[str, Any], options: argparse.Namespace) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"load-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    result = {
        "machine": info,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "options": {
            **{k: v for k, v in vars(options).items() if k not in ("serve_bare", "port")},
            "database_url": safe_url(options.database_url) if options.database_url else "sqlite",
        },
        "aims": {"ratio": AIMS, "p95_ms": P95_AIM_MS},
        "rows": [{**asdict(row), "aim_met": row.aim_met} for row in rows],
    }
    path.write_text(json.dumps(without_nan(result), indent=2) + "\n")
    return path


def main() -> None:
    options = arguments()
    if options.serve_bare:
        serve_bare(options.port, int(options.workers))
        return
    wall_start = time.monotonic()
    info = machine()
    print(
        f"{DESCRIPTION}\nmachine: {info['nproc']} CPUs, {info['cpu_model']}, "
        f"Python {info['python']}; load average {info['load_average']}\n"
        f"{options.clients} clients (threads with one keep-alive httpx connection each, closed "
        f"loop) in this process, sharing the CPUs with the server; {options.duration:g} s per "
        f"measurement after {options.warmup:g} s of warm-up; loopback only",
        flush=True,
    )
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="mh-bench-load-") as folder:
        workdir = Path(folder)
        database_url = options.database_url or f"sqlite:///{workdir / 'load.db'}"
        for line in prepare_database(database_url, workdir / "data"):
            print(f"  {line}")
        for workers in [int(part) for part in options.workers.split(",")]:
            print(f"\n{workers} worker process(es), database {database_label(database_url)}")
            print(HEADER)
            rows.append(measure_bare(workdir, workers, options))
            print_row(rows[-1])
            rows += measure_portal(database_url, workdir, workers, options)
    add_ratios(rows)
    print("\nSummary\n" + HEADER)
    for row in rows:
        print_row(row)
    print_markdown(rows)
    sizes = ", ".join(
        f"{row.measurement.scenario} {row.page_bytes:,} B"
        for row in rows
        if row.page_bytes and row.workers == rows[0].workers
    )
    print(
        f"\npage sizes: {sizes}. Aims: public pages at least {AIMS['public']:.0%} of the bare "
        f"page's req/s, personal pages and the booking at least {AIMS['personal']:.0%}, every "
        f"p95 under {P95_AIM_MS:.0f} ms. CPU ms/req: the server's CPU time per answered request; "
        "CPU vs bare: the bare page's divided by it (the throughput ratio once the server, not "
        "the load generator, is the limit); cli CPU: the load generator (100% = one core)."
    )
    path = write_result(rows, info, options)
    print(f"whole run {time.monotonic() - wall_start:.0f} s; written to {path}")
    if any(row.measurement.errors for row in rows):
        print("some requests failed", file=sys.stderr)
        sys.exit(1)
