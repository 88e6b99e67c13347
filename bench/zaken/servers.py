"""The portal served by uvicorn (one worker) in a subprocess, on one of the databases."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from forms.servers import Server, free_port, log_tail, portal_settings

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
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"portal stopped:\n{log_tail(log)}")
            try:
                answer = httpx.get(f"{server.url}/health/live", timeout=2, trust_env=False)
                if answer.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"portal did not start:\n{log_tail(log)}")
            time.sleep(0.1)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
