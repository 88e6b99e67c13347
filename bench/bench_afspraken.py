"""Benchmark: free appointment times for a busy location, and booking under contention (issue 5).

    .venv/bin/python bench/bench_afspraken.py [--quick] [--clients 4,16] [--duration 8]
        [--warmup 1] [--fill 0.8] [--repeat 30]

Builds a temporary SQLite database with the demo locations (the town hall: three counters and
a consultation room, mornings, afternoons and a Thursday evening) and books most of the
counters' ten-minute places for the whole eight-week window (`--fill`, scattered at random).
Then, in one run:

(a) in this process, the free times: `service.available_days` over the eight weeks (the date
    step) for one and for two persons, and `service.available_times` for one day (the time
    step); milliseconds per call;
(b) booking throughput under contention: the portal served by uvicorn (one worker) in a
    subprocess on a loopback port, N concurrent clients each booking again and again (hold a
    time, give details, confirm: three POSTs), all choosing among the same few earliest free
    places, so that many of them race for the same time and get "no longer available" (409),
    then try the next; bookings per second, p50/p95 of a booking, the 409s, and the POSTs per
    second as a ratio of a bare FastAPI + Jinja2 page served and loaded the same way in the
    same run.

Afterwards it checks that every booking counted is exactly one confirmed appointment, and that
no request failed. `--quick` runs one small concurrency for a few seconds. Writes
bench/results/afspraken-<timestamp>.json; exits 1 when a request failed or a check did not hold.
"""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    # Run as a script, only bench/ is on the path; the project's packages are imported lazily.
    sys.path.insert(0, str(PROJECT_ROOT))

from afspraken.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
