"""The personal data tests run with their own data folder (text messages, documents, exports)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from auth.dependencies import session_cookie_name, session_policy
from auth.identity import Identity
from auth.sessions import create_session
from portal.settings import Settings
from tests.conftest import make_settings


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, data_dir=tmp_path)


@pytest.fixture
def login_as(
    client: TestClient, settings: Settings, db_engine: Any
) -> Callable[[Identity], Identity]:
    """Log the client in as any identity (a company branch, say), as `login` does."""

    def log_in(identity: Identity) -> Identity:
        with Session(db_engine) as db:
            token = create_session(
                db, identity=identity, id_token="", policy=session_policy(settings)
            )
            db.commit()
        client.cookies.set(session_cookie_name(settings), token)
        return identity

    return log_in
