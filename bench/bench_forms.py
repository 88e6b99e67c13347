"""Benchmark: form pages over HTTP against a bare FastAPI + Jinja2 page (issue 3).

    .venv/bin/python bench/bench_forms.py [--clients 8,32] [--duration 5] [--warmup 1]
    MIJNHAREN_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/mijnharen_bench \\
        .venv/bin/python bench/bench_forms.py          # also on PostgreSQL (a throwaway database)

Serves each app with uvicorn (one worker) in a subprocess on a loopback port and loads it with
N concurrent clients (httpx, one keep-alive connection per client thread, closed loop) in this
process. In one run it measures:

- bare page: a tiny FastAPI app defined here, rendering a small Jinja2 template with a loop
  (the baseline);
- step GET: the step page of a synthetic form with 30 fields of mixed types, as a logged-in
  resident (session row created directly in the database, BRP prefill from the local backend);
- step POST: the same step posted with valid values (server-side validation, draft saved, 303);
- submit: POST of the check-answers page (exactly-once submit into a case, confirmation e-mail
  queued, 303 to the confirmation), each on its own completed draft prepared beforehand.

The portal runs on a temporary SQLite database (created and migrated here) and, when
MIJNHAREN_BENCH_DATABASE_URL is set, also on that database (use a throwaway one: the cases, sent
drafts and queued e-mails stay; unsent drafts and the sessions are removed). Prints requests per
second, p50/p95 latency, throughput as a ratio of the bare page at the same concurrency, the
server's and the load generator's CPU use and the server's CPU time per request (when the load
generator, not the server, limits the bare page, compare those). Checks every answer (200, or
303 to the right page) and that every submit made exactly one case. The result is also written
to bench/results/forms-<timestamp>.json.
"""

from __future__ import annotations

import sys
from pathlib import Path

from forms.cli import main

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    # Run as a script, only bench/ is on the path; the project's packages are imported lazily.
    sys.path.insert(0, str(PROJECT_ROOT))


if __name__ == "__main__":
    main()
