"""The load generator: N client threads sending requests back to back, and what it measures."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from .servers import cpu_seconds, own_cpu_seconds


class Exhausted(Exception):
    """No more work for this scenario (every prepared draft is submitted)."""


CONFLICT = "conflict"
"""What an action returns for a right answer that is not a success (a time someone else took):
counted apart, neither as a success nor as an error."""


@dataclass
class Client:
    """One simulated visitor: its own connection, session cookie, CSRF token and draft."""

    http: httpx.Client
    hidden: dict[str, str] = field(default_factory=dict)
    step_url: str = ""

    @property
    def csrf(self) -> str:
        return self.hidden["csrf_token"]


@dataclass
class Measurement:
    database: str
    scenario: str
    clients: int
    requests: int
    errors: int
    elapsed_s: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    server_cpu_pct: float
    client_cpu_pct: float
    server_cpu_ms_per_request: float
    warmup_requests: int = 0
    conflicts: int = 0
    ratio_vs_bare: float | None = None
    cpu_ratio_vs_bare: float | None = None
    """Bare page's server CPU per request / this scenario's (independent of the load generator)."""
    notes: list[str] = field(default_factory=list)


Action = Callable[[Client], str | None]
"""Sends one request; returns None when the answer is right, else what was wrong."""


def percentile(ordered: Sequence[float], fraction: float) -> float:
    if not ordered:
        return math.nan
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]


def run_load(
    clients: Sequence[Client], action: Action, seconds: float, server_pid: int
) -> tuple[list[float], list[str], float, float, float, int]:
    """Every client sends requests back to back for `seconds` (or until work runs out).

    Returns (latencies of good answers, problems, elapsed, server CPU s, own CPU s, conflicts).
    """
    latencies: list[list[float]] = [[] for _ in clients]
    conflicts = [0] * len(clients)
    problems: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients) + 1)
    finished = [0.0] * len(clients)
    deadline = [0.0]

    def loop(index: int, client: Client) -> None:
        barrier.wait()
        mine = latencies[index]
        while time.perf_counter() < deadline[0]:
            started = time.perf_counter()
            try:
                problem = action(client)
            except Exhausted:
                break
            except httpx.HTTPError as error:
                problem = f"{type(error).__name__}: {error}"
            ended = time.perf_counter()
            if problem is None:
                mine.append(ended - started)
            elif problem == CONFLICT:
                conflicts[index] += 1
            else:
                with lock:
                    problems.append(problem)
            finished[index] = ended

    threads = [
        threading.Thread(target=loop, args=(i, c), daemon=True) for i, c in enumerate(clients)
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
    server_cpu = cpu_seconds(server_pid) - server_before
    own_cpu = own_cpu_seconds() - own_before
    latency_list = [x for sub in latencies for x in sub]
    return latency_list, problems, elapsed, server_cpu, own_cpu, sum(conflicts)


def measure(
    database: str,
    scenario: str,
    clients: Sequence[Client],
    action: Action,
    *,
    seconds: float,
    warmup: float,
    server_pid: int,
    before_measuring: Callable[[float], None] | None = None,
) -> Measurement:
    """Warm up, then measure one scenario at one concurrency."""
    warm_latencies, warm_problems, warm_elapsed, _, _, _ = run_load(
        clients, action, warmup, server_pid
    )
    if before_measuring is not None:
        before_measuring(len(warm_latencies) / max(warm_elapsed, 1e-9))
    latencies, problems, elapsed, server_cpu, own_cpu, conflicts = run_load(
        clients, action, seconds, server_pid
    )
    latencies.sort()
    count = len(latencies)
    notes = [f"{len(warm_problems)} errors during warm-up"] if warm_problems else []
    notes += sorted(set(problems))[:3]
    if elapsed < 0.8 * seconds:
        notes.append(f"ran out of work after {elapsed:.1f} s")
    return Measurement(
        database=database,
        scenario=scenario,
        clients=len(clients),
        requests=count,
        errors=len(problems),
        elapsed_s=round(elapsed, 3),
        rps=round(count / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(percentile(latencies, 0.50) * 1000, 2),
        p95_ms=round(percentile(latencies, 0.95) * 1000, 2),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 2),
        max_ms=round(latencies[-1] * 1000, 2) if latencies else math.nan,
        server_cpu_pct=round(100 * server_cpu / elapsed, 1) if elapsed else 0.0,
        client_cpu_pct=round(100 * own_cpu / elapsed, 1) if elapsed else 0.0,
        server_cpu_ms_per_request=round(1000 * server_cpu / count, 3) if count else math.nan,
        warmup_requests=len(warm_latencies),
        conflicts=conflicts,
        notes=notes,
    )


def expect(response: httpx.Response, status: int, location_end: str | None = None) -> str | None:
    if response.status_code != status:
        return f"{response.request.method} {response.status_code} (wanted {status})"
    if location_end is not None and not response.headers.get("location", "").endswith(location_end):
        return f"{response.request.method} redirected to {response.headers.get('location')}"
    return None


def new_http_client(base_url: str, cookies: dict[str, str] | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=base_url,
        cookies=cookies,
        follow_redirects=False,
        timeout=60,
        trust_env=False,  # loopback only, whatever proxy the environment names
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
    )
