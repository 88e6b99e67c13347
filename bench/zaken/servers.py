"""The portal served by uvicorn (one worker) in a subprocess, on one of the databases."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from forms.servers import Server, free_port, portal_settings, started

ENTRY_POINT = Path(__file__).resolve().parent.parent / "bench_zaken.py"


def serve(arguments: argparse.Namespace) -> None:
    """`bench_zaken.py --serve`: run the portal until SIGTERM."""
    from portal.main import create_app

    settings = portal_settings(
        arguments.database_url, arguments.port, Path(arguments.data_dir), arguments.log_level
    )
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=arguments.port,
        workers=1,
        log_config=None,
        access_log=False,
        log_level="warning",
    )
    uvicorn.Server(config).run()


@contextmanager
def running_portal(database_url: str, workdir: Path, log_level: str) -> Iterator[Server]:
    port = free_port()
    log = workdir / f"server-{port}.log"
    command = [
        sys.executable,
        str(ENTRY_POINT),
        "--serve",
        "--port",
        str(port),
        "--database-url",
        database_url,
        "--data-dir",
        str(workdir / "data"),
        "--log-level",
        log_level,
    ]
    with started(command, port, log, ready_path="/health/live", kind="portal") as server:
        yield server
