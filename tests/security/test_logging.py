"""Logs are JSON lines in UTC without personal data; the suite-wide scan really finds leaks."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from portal.observability import configure_logging, redact_text
from tests.conftest import _LogCollector, make_settings, personal_data_in


def test_scanner_finds_each_kind_of_leak() -> None:
    assert personal_data_in(["bsn 999993653 here"])
    assert personal_data_in(["mail suzanne@example.nl"])
    assert personal_data_in(["cookie " + "A" * 43])
    assert personal_data_in(["order 123456789 is not a bsn"]) == []  # fails the elfproef


@pytest.mark.parametrize(
    ("raw", "hidden"),
    [
        ("BSN 999993653", "999993653"),
        ("to suzanne.moulin@example.nl", "suzanne.moulin@example.nl"),
        ("state=" + "x" * 40, "x" * 40),
    ],
)
def test_redaction(raw: str, hidden: str) -> None:
    assert hidden not in redact_text(raw)


def test_log_lines_are_json_with_utc_time_and_redacted_fields(database_url: str) -> None:
    configure_logging(make_settings(database_url))
    collector = _LogCollector()
    logging.getLogger().addHandler(collector)
    try:
        structlog.get_logger("test").info(
            "login_failed", provider="digid", bsn="999993653", detail="user 999993653 mail a@b.nl"
        )
    finally:
        logging.getLogger().removeHandler(collector)
    line = json.loads(collector.lines[-1])
    assert line["event"] == "login_failed"
    assert line["timestamp"].endswith("Z")
    assert line["bsn"] == "[redacted]"
    assert "999993653" not in collector.lines[-1]
    assert "a@b.nl" not in collector.lines[-1]
