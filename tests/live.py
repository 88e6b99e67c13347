"""The portal as separate OS processes (`mijn-haren serve`) on loopback ports, against the test
session's database: for the tests that race, kill or stop server processes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from bs4 import BeautifulSoup

from tests.conftest import free_port, project_root

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Portal:
    """One `mijn-haren serve` process; `restart` starts a new one on the same port."""

    port: int
    environment: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] = field(init=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def data_dir(self) -> Path:
        return Path(self.environment["MIJNHAREN_DATA_DIR"])

    def start(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "portal.cli", "serve", "--port", str(self.port)],
                cwd=project_root(),
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def wait_until_live(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"portal stopped:\n{self.log.read_text(errors='replace')}")
            try:
                answer = httpx.get(f"{self.url}/health/live", timeout=2, trust_env=False)
                if answer.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{self.url} did not start:\n{self.log.read_text(errors='replace')}")

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to finish anything."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def restart(self) -> None:
        self.start()
        self.wait_until_live(timeout=120)  # a busy machine can take long to import the portal

    def terminate(self) -> None:
        """SIGTERM: stop accepting connections, finish running requests, exit."""
        if self.process.poll() is None:
            self.process.terminate()

    def wait_stopped(self, timeout: float = 30) -> None:
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def portal_environment(
    database_url: str, data_dir: Path, *, base_url: str, **settings: str
) -> dict[str, str]:
    """The environment of a server process: test settings plus `MIJNHAREN_<NAME>` overrides."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "MIJNHAREN_ENVIRONMENT": "test",
        "MIJNHAREN_DATABASE_URL": database_url,
        "MIJNHAREN_BASE_URL": base_url,
        "MIJNHAREN_DATA_DIR": str(data_dir),
        "MIJNHAREN_LOG_LEVEL": "WARNING",
    }
    environment.update({f"MIJNHAREN_{name.upper()}": value for name, value in settings.items()})
    return environment


@contextmanager
def running_portals(
    database_url: str,
    folder: Path,
    count: int,
    *,
    shared_data_dir: bool = False,
    same_base_url: bool = False,
    environment: dict[str, str] | None = None,
    **settings: str,
) -> Iterator[list[Portal]]:
    """`count` server processes, each on its own port, stopped (SIGTERM) afterwards.

    `same_base_url`: every process has the first one's address as its public address, as
    processes behind one load balancer do. `shared_data_dir`: one folder of stored files.
    `environment`: further variables (not settings), such as TMPDIR.
    """
    ports = [free_port() for _ in range(count)]
    started: list[Portal] = []
    try:
        for number, port in enumerate(ports):
            data_dir = folder / ("data" if shared_data_dir else f"data-{number}")
            base_port = ports[0] if same_base_url else port
            variables = portal_environment(
                database_url, data_dir, base_url=f"http://127.0.0.1:{base_port}", **settings
            )
            variables.update(environment or {})
            portal = Portal(port, variables, folder / f"portal-{number}.log")
            portal.start()
            started.append(portal)
        for portal in started:
            portal.wait_until_live()
        yield started
    finally:
        for portal in started:
            portal.terminate()
        for portal in started:
            portal.wait_stopped()


def http_client(base_url: str) -> httpx.Client:
    return httpx.Client(
        base_url=base_url,
        follow_redirects=False,
        timeout=90,
        trust_env=False,
        limits=httpx.Limits(max_connections=1),
    )


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, f"no CSRF token on {page.request.url} ({page.status_code})"
    return found.group(1)


def hidden_fields(page: httpx.Response) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the page's main form, as a browser would post them."""
    form = BeautifulSoup(page.text, "html.parser").select_one("main form[method=post]")
    assert form is not None, page.text
    fields = {
        str(i["name"]): str(i.get("value", ""))
        for i in form.select("input[type=hidden]")
        if i.get("name")
    }
    return str(form.get("action") or page.url), fields
