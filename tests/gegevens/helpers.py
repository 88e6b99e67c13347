"""Shared helpers for the personal data tests: pages, codes from the outbox and the SMS folder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from portal.berichten.models import OutboxMessage
from tests.conftest import csrf_token_for


def page(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def post(client: TestClient, path: str, **data: str) -> Any:
    return client.post(path, data={"csrf_token": csrf_token_for(client), **data})


def emailed_code(engine: Any, address: str) -> str:
    """The code in the newest verification e-mail to `address`, as the resident reads it."""
    with Session(engine) as db:
        message = db.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.recipient) == address)
            .where(col(OutboxMessage.kind) == "verification_code")
            .order_by(col(OutboxMessage.id).desc())
        ).first()
    assert message is not None, f"no code e-mailed to {address}"
    found = re.search(r"\b(\d{6})\b", message.body_text)
    assert found is not None
    return found.group(1)


def texted_code(data_dir: Path, number: str) -> str:
    """The code in the newest text message written for `number` by the local phone sender."""
    files = sorted((data_dir / "sms").glob("*.txt"), key=lambda p: p.stat().st_mtime_ns)
    for path in reversed(files):
        text = path.read_text(encoding="utf-8")
        if text.startswith(f"To: {number}\n"):
            found = re.search(r"\b(\d{6})\b", text)
            assert found is not None
            return found.group(1)
    raise AssertionError(f"no text message to {number}")
