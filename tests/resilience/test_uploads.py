"""An upload cut off halfway leaves nothing behind: no stored file without its row, no row
without its file, no partial file under a stored name, and no temporary file once the worker's
sweep has run.

The portal runs as its own process (`mijn-haren serve`) with its own temporary folder (TMPDIR,
where the multipart parser spools a large body). A client streams an 8 MiB photo to the
"melding openbare ruimte" form over a raw socket and: the server is SIGKILLed while the body
is still arriving; the server is SIGKILLed while it writes the received file into the store;
or the client simply goes away halfway. Each time a whole upload afterwards still works.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from portal.aanvragen.models import DraftUpload
from portal.files import file_store
from portal.worker import run_jobs_once
from tests.conftest import make_settings
from tests.live import Portal, running_portals
from tests.resilience.uploads import PHOTO_SIZE, PNG, Upload, read_answer, status_of

pytestmark = [pytest.mark.live, pytest.mark.timeout(240)]


@pytest.fixture
def portal(database_url: str, tmp_path: Path) -> Iterator[Portal]:
    (tmp_path / "tmp").mkdir()
    with running_portals(
        database_url, tmp_path, 1, environment={"TMPDIR": str(tmp_path / "tmp")}
    ) as [started]:
        yield started


def stored_files(portal: Portal) -> list[str]:
    store = file_store(portal.data_dir).root
    return sorted(path.name for path in store.iterdir())


def spooled_files(portal: Portal) -> list[str]:
    """Files of the server process under its TMPDIR, open or not (deleted ones included)."""
    tmp = portal.environment["TMPDIR"]
    named = [str(path) for path in Path(tmp).iterdir()]
    held = []
    for descriptor in Path(f"/proc/{portal.process.pid}/fd").iterdir():
        try:
            target = os.readlink(descriptor)
        except FileNotFoundError:
            continue
        if target.startswith(tmp):
            held.append(target)
    return named + held


def assert_rows_and_files_agree(portal: Portal, db_engine: Engine) -> list[DraftUpload]:
    """Every upload row has its whole file in the store, and every stored file has its row."""
    store = file_store(portal.data_dir)
    with Session(db_engine) as db:
        rows = list(db.exec(select(DraftUpload)).all())
    final = [name for name in stored_files(portal) if not name.startswith(".tmp-")]
    assert sorted(row.id for row in rows) == final
    for row in rows:
        assert store.path_of(row.id).stat().st_size == row.size
    return rows


def sweep_an_hour_later(portal: Portal, database_url: str) -> dict[str, int]:
    """The worker's round, with every file in the store made an hour and a minute old."""
    an_hour_ago = time.time() - timedelta(hours=1, minutes=1).total_seconds()
    for path in file_store(portal.data_dir).root.iterdir():
        os.utime(path, (an_hour_ago, an_hour_ago))
    return run_jobs_once(make_settings(database_url, data_dir=portal.data_dir))


def a_whole_upload_works(portal: Portal, db_engine: Engine) -> None:
    answer = Upload(portal).send()
    assert status_of(answer) == 303, answer[:500]
    [row] = assert_rows_and_files_agree(portal, db_engine)
    assert row.size == PHOTO_SIZE + len(PNG)


def test_a_kill_while_the_body_arrives_leaves_no_file_and_no_row(
    portal: Portal, db_engine: Engine, database_url: str
) -> None:
    upload = Upload(portal)
    with upload.open() as connection:
        connection.sendall(upload.body[: len(upload.body) // 2])
        time.sleep(0.5)  # the server is reading and spooling the body
        portal.kill()
        try:
            connection.sendall(upload.body[len(upload.body) // 2 :])
            answer = read_answer(connection)
        except OSError:
            answer = b""
    assert answer == b""  # no answer: the upload was not acknowledged
    assert list(Path(portal.environment["TMPDIR"]).iterdir()) == []
    assert stored_files(portal) == []
    portal.restart()
    assert_rows_and_files_agree(portal, db_engine)
    a_whole_upload_works(portal, db_engine)


def stop_when_a_temporary_file_appears(portal: Portal, seen: list[str], done: Any) -> None:
    """Freeze the server (SIGSTOP) the moment it starts writing a file into the store."""
    store = file_store(portal.data_dir).root
    while not done.is_set():
        found = [entry.name for entry in os.scandir(store) if entry.name.startswith(".tmp-")]
        if found:
            os.kill(portal.process.pid, signal.SIGSTOP)
            seen.extend(found)
            return


def test_a_kill_while_the_file_is_written_leaves_only_a_temporary_file_the_sweep_removes(
    portal: Portal, db_engine: Engine, database_url: str
) -> None:
    seen: list[str] = []
    for _attempt in range(10):
        upload = Upload(portal)
        done = threading.Event()
        watcher = threading.Thread(
            target=stop_when_a_temporary_file_appears, args=(portal, seen, done), daemon=True
        )
        watcher.start()
        sender = threading.Thread(target=send_ignoring_errors, args=(upload,), daemon=True)
        sender.start()
        while sender.is_alive() and not seen:
            time.sleep(0.001)
        done.set()
        watcher.join(timeout=10)
        if seen:
            break
        # The whole file was written before the watcher looked: remove it and try again.
        with Session(db_engine) as db:
            for row in db.exec(select(DraftUpload)).all():
                db.delete(row)
            db.commit()
    assert seen, "the kill never landed while a file was written"
    portal.kill()
    sender.join(timeout=30)
    [temporary] = seen
    store = file_store(portal.data_dir).root
    partial = store / temporary
    final_name = temporary.removeprefix(".tmp-")
    assert not (store / final_name).exists()  # never a partial file under a stored name
    portal.restart()
    assert_rows_and_files_agree(portal, db_engine)

    results = sweep_an_hour_later(portal, database_url)
    assert results["orphan_files_removed"] >= 1
    assert not partial.exists()
    assert [name for name in stored_files(portal) if name.startswith(".tmp-")] == []
    assert_rows_and_files_agree(portal, db_engine)


def send_ignoring_errors(upload: Upload) -> None:
    with contextlib.suppress(OSError):  # the server was killed
        upload.send()


def test_a_client_that_goes_away_halfway_leaves_nothing_behind(
    portal: Portal, db_engine: Engine, database_url: str
) -> None:
    upload = Upload(portal)
    with upload.open() as connection:
        connection.sendall(upload.body[: len(upload.body) // 2])
        deadline = time.monotonic() + 30
        while not spooled_files(portal) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert spooled_files(portal) != []  # the body is being spooled to disk
    deadline = time.monotonic() + 30
    while spooled_files(portal) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert spooled_files(portal) == []  # the spooled part was closed and is gone
    assert httpx.get(f"{portal.url}/health/live", trust_env=False).status_code == 200
    assert stored_files(portal) == []
    assert_rows_and_files_agree(portal, db_engine)
    a_whole_upload_works(portal, db_engine)
    assert spooled_files(portal) == []
    assert sweep_an_hour_later(portal, database_url)["orphan_files_removed"] == 0
