"""Shared fixtures: a migrated test database (SQLite, or PostgreSQL: MIJNHAREN_TEST_DATABASE_URL),
an app per test, logged-in clients, and the portal served live on a loopback port."""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from auth.dependencies import session_cookie_name, session_policy
from auth.identity import DIGID_LEVELS, EHERKENNING_LEVELS, Identity
from auth.sessions import create_session
from formulieren.fields.nummers import is_valid_bsn
from portal.database import make_engine, upgrade_database
from portal.main import create_app
from portal.registry import import_all_models
from portal.settings import Settings

SUZANNE_BSN = "999993653"
LANCE_BSN = "999990858"
GEHEIM_BSN = "999993872"
DAGOBERT_KVK = "69599084"
DAGOBERT_VESTIGING = "000038509504"
BV_KVK = "68750110"


class _LogCollector(logging.Handler):
    """Keeps every log line as the portal renders it, to scan for personal data at the end."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        portal_handler = next(
            (h for h in logging.getLogger().handlers if h.get_name() == "mijnharen"), None
        )
        formatter = portal_handler.formatter if portal_handler else None
        self.lines.append(formatter.format(record) if formatter else record.getMessage())


_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_TOKEN = re.compile(r"[A-Za-z0-9_\-]{40,}")


def personal_data_in(lines: list[str]) -> list[str]:
    """Log lines holding a BSN (elfproef), an e-mail address or a token-like string."""
    found = []
    for line in lines:
        if any(is_valid_bsn(m) for m in _NINE_DIGITS.findall(line)):
            found.append(f"BSN in: {line[:200]}")
        if _EMAIL.search(line):
            found.append(f"e-mail in: {line[:200]}")
        if _TOKEN.search(line):
            found.append(f"token in: {line[:200]}")
    return found


@pytest.fixture(scope="session", autouse=True)
def _logs_hold_no_personal_data() -> Iterator[_LogCollector]:
    """ASVS 16.2.5: the log output of the whole suite holds no BSN, e-mail address or token."""
    collector = _LogCollector()
    logging.getLogger().addHandler(collector)
    yield collector
    logging.getLogger().removeHandler(collector)
    leaks = personal_data_in(collector.lines)
    assert leaks == [], "personal data in the logs:\n" + "\n".join(leaks[:20])


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh database at the newest migration, shared by the whole test session."""
    url = os.environ.get("MIJNHAREN_TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    )
    upgrade_database(url)
    return url


@pytest.fixture(scope="session")
def db_engine(database_url: str) -> Iterator[Any]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(db_engine: Any) -> Iterator[None]:
    """Every test starts from empty tables (live servers see the same committed data)."""
    yield
    tables = [t for t in reversed(import_all_models().metadata.sorted_tables)]
    with db_engine.begin() as connection:
        for table in tables:
            connection.execute(text(f'DELETE FROM "{table.name}"'))


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "base_url": "http://testserver",
        "log_level": "INFO",
        **overrides,
    }
    return Settings(**values)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as test_client:
        yield test_client


def identity_for(kind: str, **extra: Any) -> Identity:
    """Demo identities: 'suzanne', 'lance', 'geheim', 'dagobert', 'bv', or 'staff:<roles>'."""
    if kind in ("suzanne", "lance", "geheim"):
        bsn = {"suzanne": SUZANNE_BSN, "lance": LANCE_BSN, "geheim": GEHEIM_BSN}[kind]
        return Identity(provider="digid", subject=bsn, bsn=bsn, loa=DIGID_LEVELS[1], **extra)
    if kind in ("dagobert", "bv"):
        kvk = DAGOBERT_KVK if kind == "dagobert" else BV_KVK
        return Identity(
            provider="eherkenning", subject=kvk, kvk=kvk, loa=EHERKENNING_LEVELS[3], **extra
        )
    if kind.startswith("staff:"):
        roles = tuple(role for role in kind.removeprefix("staff:").split(",") if role)
        return Identity(
            provider="medewerker",
            subject=f"medewerker-{'-'.join(roles) or 'zonder-rol'}",
            roles=roles,
            display_name="Test Medewerker",
        )
    raise ValueError(kind)


@pytest.fixture
def login(client: TestClient, settings: Settings, db_engine: Any) -> Callable[[str], Identity]:
    """Log the test client in directly (a session row and its cookie), skipping OIDC."""

    def log_in(kind: str) -> Identity:
        identity = identity_for(kind)
        with Session(db_engine) as db:
            token = create_session(
                db, identity=identity, id_token="", policy=session_policy(settings)
            )
            db.commit()
        client.cookies.set(session_cookie_name(settings), token)
        return identity

    return log_in


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """The portal served by uvicorn in a thread on a loopback port."""

    def __init__(self, app: FastAPI, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.app = app
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health/live", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("live server did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(database_url: str) -> Iterator[LiveServer]:
    """The portal on http://127.0.0.1:<port>, with the development identity provider."""
    port = free_port()
    # With the demo case system, so /mijn/zaken shows its htmx block and its pages can be checked.
    settings = make_settings(database_url, base_url=f"http://127.0.0.1:{port}", zgw_backend="local")
    server = LiveServer(create_app(settings), port)
    server.start()
    yield server
    server.stop()


def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def csrf_token_for(client: TestClient) -> str:
    """The anti-forgery token a page would have put in its forms for this client."""
    from portal.security import issue_csrf_token

    if not client.cookies.get("mh_csrf"):
        client.get("/health/live")
        client.get("/")
    app: FastAPI = client.app  # type: ignore[assignment]
    return issue_csrf_token(app.state.settings, str(client.cookies.get("mh_csrf")))
