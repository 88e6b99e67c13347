"""The servers: the bare baseline app and the portal, each run by uvicorn in a subprocess.

`running_server` starts `bench/bench_forms.py --serve bare|portal ...`, which calls `serve`.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import DictLoader, Environment, select_autoescape

ENTRY_POINT = Path(__file__).resolve().parent.parent / "bench_forms.py"

BARE_TEMPLATE = """\
<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<ul>{% for item in items %}
<li id="item-{{ loop.index }}">{{ item.name }}: {{ item.value }}</li>{% endfor %}
</ul>
</main></body></html>
"""


def bare_app() -> FastAPI:
    """The baseline: FastAPI + Jinja2, one route rendering a small template with a loop."""
    environment = Environment(
        loader=DictLoader({"page.html": BARE_TEMPLATE}), autoescape=select_autoescape()
    )
    templates = Jinja2Templates(env=environment)
    items = [{"name": f"Regel {i}", "value": i * 7} for i in range(1, 31)]
    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    def page(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(
            request, "page.html", {"title": "Kale pagina", "items": items}
        )

    return app


def portal_settings(database_url: str, port: int, data_dir: Path, log_level: str) -> Any:
    """Settings as tests/conftest.py's make_settings builds them, served on `port`."""
    from portal.settings import Settings

    return Settings(
        environment="test",
        database_url=database_url,
        base_url=f"http://127.0.0.1:{port}",
        data_dir=data_dir,
        log_level=log_level,
    )


def serve(arguments: argparse.Namespace) -> None:
    """Run one app under uvicorn with one worker until SIGTERM."""
    app: FastAPI
    if arguments.serve == "bare":
        app = bare_app()
    else:
        from formulieren import load_definitions
        from portal.aanvragen.web import form_definitions
        from portal.main import create_app

        form_definitions().update(load_definitions(Path(arguments.forms_dir)))
        settings = portal_settings(
            arguments.database_url,
            arguments.port,
            Path(arguments.data_dir),
            arguments.log_level,
        )
        app = create_app(settings)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=arguments.port,
        workers=1,
        log_config=None,
        access_log=False,
        log_level="warning",
    )
    uvicorn.Server(config).run()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path


@contextmanager
def running_server(
    kind: str, workdir: Path, *, ready_path: str, extra: Sequence[str] = ()
) -> Iterator[Server]:
    """`kind` served by uvicorn in a subprocess on a free loopback port."""
    port = free_port()
    log = workdir / f"server-{kind}-{port}.log"
    command = [sys.executable, str(ENTRY_POINT), "--serve", kind, "--port", str(port), *extra]
    with started(command, port, log, ready_path=ready_path, kind=kind) as server:
        yield server


@contextmanager
def started(
    command: Sequence[str],
    port: int,
    log: Path,
    *,
    ready_path: str,
    kind: str,
    env: Mapping[str, str] | None = None,
) -> Iterator[Server]:
    """Run `command` (a server on `port`) until it answers `ready_path`; stop it afterwards."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{kind} server stopped:\n{log_tail(log)}")
            try:
                answer = httpx.get(server.url + ready_path, timeout=2, trust_env=False)
                if answer.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{kind} server did not start:\n{log_tail(log)}")
            time.sleep(0.1)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_tail(log: Path, lines: int = 30) -> str:
    """The last `lines` lines of a server's log (0: all of it)."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (all their threads) from /proc.

    With `--workers N` uvicorn's worker processes are children of the one started here.
    """
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        process = int(stat.parent.name)
        parents[process] = int(fields[1])
        ticks[process] = int(fields[11]) + int(fields[12])
    tree: set[int] = set()
    grown = {pid}
    while grown:  # each round adds the children of the processes found in the last one
        tree |= grown
        grown = {child for child, parent in parents.items() if parent in grown} - tree
    return sum(ticks.get(process, 0) for process in tree) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
