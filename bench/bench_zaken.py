"""Benchmark: the resident's case list and the staff work queue with 1,000 and 1,000,000 cases.

    .venv/bin/python bench/bench_zaken.py [--clients 8,32] [--duration 5] [--warmup 1]
        [--small 1000:100] [--large 1000000:100000] [--cache-dir var/bench]

Builds two SQLite databases with the case generator (`portal/zaken/generator.py`, the same as
`mijn-haren demo load --cases N --residents M`) in a cache folder, once: later runs reuse them.
Serves the portal with uvicorn (one worker) on each in turn, on a loopback port, and loads it
with N concurrent clients (httpx, one keep-alive connection each, closed loop; the forms
benchmark's load generator). Measured, on both databases in one run:

- the resident's case list /mijn/zaken (a generated resident with about 10 cases);
- the staff work queue /backoffice/zaken, first page (as the demo behandelaar);
- a filtered queue page: one product, overdue only;
- a page deep in the queue: the page reached by following "next" 20 times (keyset paging).

Prints requests per second, p50/p95 latency and, per page, the ratio large/small of the p95
latency and small/large of the throughput; the goal is at most 2. Every answer must be 200 and
hold a case reference. Writes bench/results/zaken-<timestamp>.json; exits 1 when the goal is
not met or a request failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    # Run as a script, only bench/ is on the path; the project's packages are imported lazily.
    sys.path.insert(0, str(PROJECT_ROOT))

from zaken.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
