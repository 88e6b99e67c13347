"""The two servers, each an OS process on a loopback port, and the portal's database.

The portal runs as `mijn-haren serve --workers N` (`python -m portal.cli serve`), configured by
its MIJNHAREN_ environment variables; the bare page through the same `run_server` with the same
N, started by the entry point's hidden `--serve-bare` mode.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from forms.servers import Server, free_port, portal_settings, started

ENTRY_POINT = Path(__file__).resolve().parent.parent / "bench_load.py"
BARE_FACTORY = "load.bare:create_app"


def serve_bare(port: int, workers: int) -> None:
    """`bench_load.py --serve-bare`: the bare page until SIGTERM."""
    from portal.cli import run_server

    run_server(BARE_FACTORY, host="127.0.0.1", port=port, workers=workers)


def portal_environment(
    database_url: str, data_dir: Path, port: int, log_level: str
) -> dict[str, str]:
    """The portal's settings for the benchmark, as MIJNHAREN_ variables."""
    return {
        **os.environ,
        "MIJNHAREN_ENVIRONMENT": "test",
        "MIJNHAREN_DATABASE_URL": database_url,
        "MIJNHAREN_BASE_URL": f"http://127.0.0.1:{port}",
        "MIJNHAREN_DATA_DIR": str(data_dir),
        "MIJNHAREN_LOG_LEVEL": log_level,
        # Every client comes from 127.0.0.1: the per-client booking limit would stop the load.
        "MIJNHAREN_APPOINTMENT_RATE_LIMIT": "1000000000",
    }


def prepare_database(database_url: str, data_dir: Path) -> list[str]:
    """Bring the database to the newest migration and load the demo data (`mijn-haren db
    upgrade` and `mijn-haren demo load`); what the loaders say."""
    from portal.database import upgrade_database
    from portal.demo import load_demo_data

    upgrade_database(database_url)
    return list(load_demo_data(portal_settings(database_url, 0, data_dir, "WARNING")))


@contextmanager
def running_bare(workdir: Path, workers: int) -> Iterator[Server]:
    port = free_port()
    command = [
        sys.executable,
        str(ENTRY_POINT),
        "--serve-bare",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    log = workdir / f"bare-{workers}-{port}.log"
    with started(command, port, log, ready_path="/", kind="bare") as server:
        yield server


@contextmanager
def running_portal(
    database_url: str, workdir: Path, workers: int, log_level: str
) -> Iterator[tuple[Server, Any]]:
    """The portal served by `mijn-haren serve`, and the settings it runs with."""
    port = free_port()
    environment = portal_environment(database_url, workdir / "data", port, log_level)
    command = [
        sys.executable,
        "-m",
        "portal.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    log = workdir / f"portal-{workers}-{port}.log"
    with started(
        command, port, log, ready_path="/health/live", kind="portal", env=environment
    ) as server:
        yield server, portal_settings(database_url, port, workdir / "data", log_level)
