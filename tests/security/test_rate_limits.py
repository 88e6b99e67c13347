"""Login start and callback are rate limited per client, and the limit holds across processes
because the counts live in the shared database (ASVS 2.4.1)."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from portal.main import create_app
from tests.conftest import free_port, make_settings, project_root


def away_from_window_edge() -> None:
    """Limits count per clock minute; start well inside one so the test cannot straddle two."""
    second = time.time() % 60
    if second > 50:
        time.sleep(61 - second)


def test_n_plus_one_login_starts_get_429_with_retry_after(database_url: str) -> None:
    away_from_window_edge()
    settings = make_settings(database_url, login_rate_limit=3)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        answers = [client.get("/auth/digid/callback?state=x").status_code for _ in range(3)]
        limited = client.get("/auth/digid/callback?state=x")
    assert 429 not in answers
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert "Te veel pogingen" in limited.text


def test_limit_is_shared_by_two_app_instances(database_url: str) -> None:
    away_from_window_edge()
    settings = make_settings(database_url, login_rate_limit=4)
    first = TestClient(create_app(settings), follow_redirects=False)
    second = TestClient(create_app(settings), follow_redirects=False)
    codes = [c.get("/auth/digid/callback?state=x").status_code for c in (first, second) * 2]
    assert 429 not in codes
    assert first.get("/auth/digid/callback?state=x").status_code == 429
    assert second.get("/auth/digid/callback?state=x").status_code == 429


@pytest.mark.live
def test_limit_holds_across_two_server_processes(database_url: str) -> None:
    servers = []
    try:
        for _ in range(2):
            port = free_port()
            env = {
                "MIJNHAREN_ENVIRONMENT": "test",
                "MIJNHAREN_DATABASE_URL": database_url,
                "MIJNHAREN_BASE_URL": f"http://127.0.0.1:{port}",
                "MIJNHAREN_LOGIN_RATE_LIMIT": "5",
                "PATH": "/usr/bin:/bin",
            }
            process = subprocess.Popen(
                [sys.executable, "-m", "portal.cli", "serve", "--port", str(port)],
                cwd=project_root(),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            servers.append((process, f"http://127.0.0.1:{port}"))
        for _, url in servers:
            _wait_until_live(url)
        away_from_window_edge()
        codes = [
            httpx.get(f"{url}/auth/digid/callback?state=x").status_code
            for _ in range(3)
            for _, url in servers
        ]
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=20)
    assert codes.count(429) == 1, codes
    assert codes[-1] == 429


def _wait_until_live(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health/live", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")
