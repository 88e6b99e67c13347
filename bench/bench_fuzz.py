"""The longer fuzz run (issue 8): Schemathesis over every operation of the portal's OpenAPI
schema, as tests/security/test_fuzz.py does, with many more examples and a random seed.

    .venv/bin/python bench/bench_fuzz.py [--examples 1000] [--minutes 30] [--seed N]
        [--visitors "anonymous;suzanne;staff:balie,behandelaar,beheerder,kcc"]

Runs on a temporary SQLite database (or MIJNHAREN_BENCH_DATABASE_URL, an empty database that
is changed) with the demo data. Prints the seed (pass it back with --seed to repeat a run;
`--seed 20261129 --examples 5 --minutes 0` makes the test's requests), and
per visitor the operations, requests, answers per status, the operations the app spent most
time on, and every failure with its request.
The time budget is shared by the visitors, and Schemathesis uses it all: it repeats its
phases with new inputs until a visitor's share is spent (with `--minutes 0` it stops after one
pass). Exits with status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.database import upgrade_database
from tests.conftest import free_port
from tests.security.fuzzing import (
    VISITORS,
    FuzzReport,
    Visitor,
    fuzz,
    fuzz_app,
    fuzz_config,
    fuzz_settings,
    known_values,
    serve_identity_providers,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=1000, help="per operation and visitor")
    parser.add_argument(
        "--minutes", type=float, default=30, help="time budget of the whole run; 0: none"
    )
    parser.add_argument("--seed", type=int, default=None, help="default: a random one")
    parser.add_argument("--visitors", default=";".join(VISITORS), help="separated by ;")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().getrandbits(32)
    visitors = args.visitors.split(";")
    print(f"seed {seed}, {args.examples} examples per operation, budget {args.minutes} min")
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("MIJNHAREN_BENCH_DATABASE_URL") or f"sqlite:///{folder}/fuzz.db"
        upgrade_database(url)
        settings = fuzz_settings(url, Path(folder), f"http://127.0.0.1:{free_port()}")
        app = fuzz_app(settings)
        known = known_values(app.state.engine, settings)
        failed = False
        with serve_identity_providers(settings):
            for kind in visitors:
                share = int(args.minutes * 60 / len(visitors)) or None
                config = fuzz_config(known, seed=seed, max_examples=args.examples, max_time=share)
                started = time.monotonic()
                report = fuzz(app, config, Visitor(kind, settings, app.state.engine))
                print_report(kind, report, time.monotonic() - started)
                failed = failed or bool(report.failures or report.errors)
        app.state.engine.dispose()
    return 1 if failed else 0


def print_report(kind: str, report: FuzzReport, seconds: float) -> None:
    called = sum(1 for count in report.examples.values() if count)
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(report.statuses.items()))
    print(f"\n== {kind}: {seconds:.0f} s")
    print(f"operations: {len(report.examples)} ({called} called)")
    print(f"requests: {report.total} ({report.total / max(seconds, 1):.0f}/s); {statuses}")
    slowest = ", ".join(f"{label} {s:.1f} s" for label, s in report.seconds.most_common(3))
    print(f"most time in the app: {slowest}")
    print(f"failures: {len(report.failures)}, errors: {len(report.errors)}")
    for problem in report.failures + report.errors:
        print(problem)


if __name__ == "__main__":
    sys.exit(main())
