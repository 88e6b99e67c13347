"""The command line: runs every scenario, prints the report table, writes the JSON result."""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .definition import EXPECTED_FIELDS, FORM_SLUG, FORM_TOML
from .load import Action, Client, Measurement, expect, measure, new_http_client
from .scenarios import Portal, database_label, safe_url
from .servers import log_tail, portal_settings, running_server, serve

DESCRIPTION = "Benchmark: form pages over HTTP against a bare FastAPI + Jinja2 page (issue 3)."
RESULTS_DIR = Path(__file__).resolve().parent.parent / "results"


def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def bench_bare(
    workdir: Path, concurrency: Sequence[int], seconds: float, warmup: float
) -> list[Measurement]:
    results = []
    with running_server("bare", workdir, ready_path="/") as server:
        pid = server.process.pid
        for count in concurrency:
            clients = [Client(new_http_client(server.url)) for _ in range(count)]
            try:

                def get_page(client: Client) -> str | None:
                    return expect(client.http.get("/"), 200)

                results.append(
                    measure(
                        "-",
                        "bare page",
                        clients,
                        get_page,
                        seconds=seconds,
                        warmup=warmup,
                        server_pid=pid,
                    )
                )
            finally:
                for client in clients:
                    client.http.close()
            print_row(results[-1])
    return results


def bench_portal(
    database_url: str,
    workdir: Path,
    concurrency: Sequence[int],
    seconds: float,
    warmup: float,
    log_level: str,
) -> list[Measurement]:
    from portal.database import upgrade_database

    upgrade_database(database_url)
    label = database_label(database_url)
    data_dir = workdir / f"data-{label}"
    data_dir.mkdir(exist_ok=True)
    forms_dir = workdir / "forms"
    port_args = [
        "--database-url",
        database_url,
        "--forms-dir",
        str(forms_dir),
        "--data-dir",
        str(data_dir),
        "--log-level",
        log_level,
    ]
    results: list[Measurement] = []
    with running_server("portal", workdir, ready_path="/health/live", extra=port_args) as server:
        # The server picked its own port; the settings here must match its base URL.
        port = int(server.url.rsplit(":", 1)[1])
        portal = Portal(database_url, server, portal_settings(database_url, port, data_dir, "INFO"))
        try:
            portal.remove_open_drafts()
            portal.walk_through_once(portal.log_in(1)[0])
            everyone = portal.clients(max(concurrency))
            try:
                scenarios: list[tuple[str, Action]] = [
                    ("step GET (30 fields)", portal.show_step),
                    ("step POST (valid, 303)", portal.save_step),
                    ("submit (303)", portal.submit),
                ]
                for name, action in scenarios:
                    for count in concurrency:
                        prepare = None
                        if action == portal.submit:
                            portal.empty_submit_queue()
                            portal.fill_submit_queue(20 * count + int(100 * warmup))

                            def prepare(rate: float, count: int = count) -> None:
                                portal.empty_submit_queue()
                                wanted = int(rate * seconds * 1.5) + 4 * count
                                portal.fill_submit_queue(min(max(wanted, 20 * count), 30000))

                        results.append(
                            measure(
                                label,
                                name,
                                everyone[:count],
                                action,
                                seconds=seconds,
                                warmup=warmup,
                                server_pid=server.process.pid,
                                before_measuring=prepare,
                            )
                        )
                        print_row(results[-1])
                submitted = sum(
                    m.requests + m.warmup_requests
                    for m in results
                    if m.scenario.startswith("submit")
                )
                portal.check_cases(1 + submitted)
            finally:
                for client in everyone:
                    client.http.close()
        finally:
            portal.close()
    problems = [line for line in log_tail(server.log, 0).splitlines() if '"error"' in line]
    if problems:
        print(f"  server log has {len(problems)} error lines, e.g. {problems[-1][:300]}")
    return results


HEADER = (
    f"{'database':<10} {'scenario':<24} {'clients':>7} {'requests':>8} {'errors':>6} "
    f"{'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'vs bare':>8} {'srv CPU':>8} {'cli CPU':>8} "
    f"{'CPU ms/req':>10} {'CPU vs bare':>11}"
)


def print_row(m: Measurement) -> None:
    ratio = "" if m.ratio_vs_bare is None else f"{m.ratio_vs_bare:.3f}"
    cpu_ratio = "" if m.cpu_ratio_vs_bare is None else f"{m.cpu_ratio_vs_bare:.3f}"
    print(
        f"{m.database:<10} {m.scenario:<24} {m.clients:>7} {m.requests:>8} {m.errors:>6} "
        f"{m.rps:>8.1f} {m.p50_ms:>8.2f} {m.p95_ms:>8.2f} {ratio:>8} "
        f"{m.server_cpu_pct:>7.0f}% {m.client_cpu_pct:>7.0f}% {m.server_cpu_ms_per_request:>10.2f} "
        f"{cpu_ratio:>11}" + (f"  ({'; '.join(m.notes)})" if m.notes else ""),
        flush=True,
    )


def without_nan(value: Any) -> Any:
    """JSON has no NaN: an empty measurement's percentiles become null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: without_nan(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nan(item) for item in value]
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument("--clients", default="8,32", help="concurrency levels, comma-separated")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up before each")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("MIJNHAREN_BENCH_DATABASE_URL", ""),
        help="also run on this database (default: $MIJNHAREN_BENCH_DATABASE_URL)",
    )
    parser.add_argument("--log-level", default="INFO", help="the portal's log level")
    parser.add_argument("--serve", choices=["bare", "portal"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--forms-dir", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve:
        serve(arguments)
        return

    concurrency = [int(c) for c in arguments.clients.split(",") if c.strip()]
    wall_start = time.monotonic()
    info = machine()
    started = datetime.now(UTC)
    print(
        f"Mijn Haren form benchmark, {started:%Y-%m-%d %H:%M} UTC\n"
        f"machine: {info['nproc']} CPUs, {info['cpu_model']}, Python {info['python']}, "
        f"{info['platform']}; load average {info['load_average'][0]:.2f}\n"
        f"server: uvicorn, 1 worker, subprocess on 127.0.0.1; load: httpx, one keep-alive "
        f"connection per client thread, closed loop; {arguments.duration:g} s per measurement "
        f"after {arguments.warmup:g} s warm-up; portal log level {arguments.log_level}\n",
        flush=True,
    )
    if info["load_average"][0] > 0.5 * (info["nproc"] or 1):
        print("note: this machine is busy with other work; expect noisy numbers\n")
    print(HEADER, flush=True)
    results: list[Measurement] = []
    databases: list[str] = []
    with tempfile.TemporaryDirectory(prefix="mh-bench-forms-") as temp:
        workdir = Path(temp)
        forms_dir = workdir / "forms"
        forms_dir.mkdir()
        (forms_dir / f"{FORM_SLUG}.toml").write_text(FORM_TOML)
        from formulieren import load_definitions

        form = load_definitions(forms_dir)[FORM_SLUG]
        assert sum(len(step.fields) for step in form.steps) == EXPECTED_FIELDS

        results += bench_bare(workdir, concurrency, arguments.duration, arguments.warmup)
        databases.append(f"sqlite:///{workdir / 'bench.db'}")
        if arguments.database_url:
            databases.append(arguments.database_url)
        for url in databases:
            results += bench_portal(
                url, workdir, concurrency, arguments.duration, arguments.warmup, arguments.log_level
            )

    bare = {m.clients: m for m in results if m.scenario == "bare page"}
    for m in results:
        baseline = bare.get(m.clients)
        if baseline is not None and baseline.rps:
            m.ratio_vs_bare = round(m.rps / baseline.rps, 4)
        if baseline is not None and m.server_cpu_ms_per_request:
            m.cpu_ratio_vs_bare = round(
                baseline.server_cpu_ms_per_request / m.server_cpu_ms_per_request, 4
            )
    print("\nSummary\n" + HEADER)
    for m in results:
        print_row(m)
    total_errors = sum(m.errors for m in results)
    print(
        "\nvs bare: req/s as a fraction of the bare page's at the same concurrency. srv/cli CPU: "
        "the server's and the load generator's CPU use (100% = one core).\nCPU ms/req: server "
        "CPU time per answered request; CPU vs bare: the bare page's CPU ms/req divided by this "
        "one's (the throughput ratio once the server, not the load generator, is the limit)."
    )
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"forms-{started:%Y%m%dT%H%M%SZ}.json"
    payload = {
        "benchmark": "forms",
        "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "wall_s": round(time.monotonic() - wall_start, 1),
        "machine": info,
        "parameters": {
            "clients": concurrency,
            "duration_s": arguments.duration,
            "warmup_s": arguments.warmup,
            "log_level": arguments.log_level,
            "databases": [
                database_label(u) if u.startswith("sqlite") else safe_url(u) for u in databases
            ],
            "form_fields": EXPECTED_FIELDS,
        },
        "results": [asdict(m) for m in results],
    }
    path.write_text(json.dumps(without_nan(payload), indent=2) + "\n")
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    print(f"whole run {payload['wall_s']:.0f} s; written to {shown}")
    if total_errors:
        print(f"{total_errors} requests failed", file=sys.stderr)
        sys.exit(1)
