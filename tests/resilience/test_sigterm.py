"""SIGTERM while a request is running: the request completes, new connections are refused at
once, and the process exits within the grace period (`MIJNHAREN_GRACEFUL_SHUTDOWN_SECONDS`,
passed to uvicorn as `timeout_graceful_shutdown`).

The slow request is a real one made slow by its client: an 8 MiB photo upload sent in chunks a
pause apart, as over a poor connection; no test-only code path in the portal.
"""

from __future__ import annotations

import signal
import socket
import time
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from portal.aanvragen.models import DraftUpload
from tests.live import Portal, running_portals
from tests.resilience.uploads import PHOTO_SIZE, PNG, SlowUpload, status_of

pytestmark = [pytest.mark.live, pytest.mark.timeout(240)]


def serve(
    database_url: str, folder: Path, grace_seconds: int
) -> AbstractContextManager[list[Portal]]:
    return running_portals(database_url, folder, 1, graceful_shutdown_seconds=str(grace_seconds))


def refused(portal: Portal) -> bool:
    try:
        socket.create_connection(("127.0.0.1", portal.port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def sigterm_during(portal: Portal) -> tuple[SlowUpload, float]:
    """Start the slow upload, send SIGTERM once it is under way; wait until connections are
    refused, and return the upload and the time of the signal."""
    upload = SlowUpload(portal)
    upload.start()
    assert upload.begun.wait(timeout=30)
    time.sleep(0.5)  # well inside the request
    signalled = time.monotonic()
    portal.terminate()
    while not refused(portal):
        assert portal.process.poll() is None
        time.sleep(0.02)
    assert upload.is_alive()  # refused while the upload was still being sent
    return upload, signalled


def test_the_running_request_completes_and_new_connections_are_refused(
    database_url: str, tmp_path: Path, db_engine: Engine
) -> None:
    grace = 60
    with serve(database_url, tmp_path, grace) as [portal]:
        upload, signalled = sigterm_during(portal)
        upload.join(timeout=grace)
        assert isinstance(upload.answer, bytes)
        assert status_of(upload.answer) == 303, upload.answer[:500]  # saved, on to the next step
        # The bound: the process is gone within the grace period.
        portal.process.wait(timeout=grace - (time.monotonic() - signalled))
        # uvicorn re-raises the signal once its graceful shutdown is done (as a process
        # manager expects), so the process ends "killed by SIGTERM" rather than with 0.
        assert portal.process.returncode in (0, -signal.SIGTERM)
    with Session(db_engine) as db:
        [row] = db.exec(select(DraftUpload)).all()
        assert row.size == PHOTO_SIZE + len(PNG)


def test_a_request_longer_than_the_grace_period_does_not_keep_the_process(
    database_url: str, tmp_path: Path, db_engine: Engine
) -> None:
    grace = 2
    with serve(database_url, tmp_path, grace) as [portal]:
        upload, signalled = sigterm_during(portal)
        # Exit after the grace period (plus uvicorn's own shutdown), not when the upload ends.
        portal.process.wait(timeout=grace + 5)
        stopped_after = time.monotonic() - signalled
        assert upload.is_alive()  # the client was still sending when the process had gone
        upload.join(timeout=30)
    assert not isinstance(upload.answer, bytes) or b"303" not in upload.answer[:20]
    print(f"\nexited {stopped_after:.1f} s after SIGTERM with a grace period of {grace} s")
    with Session(db_engine) as db:
        assert db.exec(select(DraftUpload)).all() == []  # cut off: nothing half stored
