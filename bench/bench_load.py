"""Benchmark: the portal under load next to a bare FastAPI + Jinja2 page (issue 8).

    .venv/bin/python bench/bench_load.py [--quick] [--clients 32] [--duration 5] [--warmup 1]
        [--workers 1,2] [--database-url postgresql+psycopg://...] [--only NAME]

Prepares a new SQLite database (or the throwaway database given) with `db upgrade` and the
demo data, then for each number of worker processes serves, on loopback ports, a bare FastAPI
app rendering one Jinja2 page of about the size of the portal's pages and the portal itself
(`mijn-haren serve --workers N`), both with the same uvicorn options. 32 clients (threads, one
keep-alive connection each, closed loop) load, after a warm-up: the home page, the product
search, a resident's overview and case list, one step of the relocation form (GET and POST)
and an appointment booking (hold, details, confirm; a time taken meanwhile is counted apart).
Prints requests per second, p50/p95 latency, errors and throughput as a ratio of the bare
page's, against the aims (public pages at least 0.60, personal ones at least 0.40, p95 under
100 ms). Writes bench/results/load-<timestamp>.json; exits 1 when a request failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    # Run as a script, only bench/ is on the path; the project's packages are imported lazily.
    sys.path.insert(0, str(PROJECT_ROOT))

from load.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
