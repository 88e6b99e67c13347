"""The file store: opaque names only, whole files or nothing, orphans swept after a while."""

from __future__ import annotations

import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest

from portal.files import FileStore


def test_saved_file_has_an_opaque_name_and_its_hash(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    stored = store.save(io.BytesIO(b"%PDF-1.4 hello"))
    assert len(stored.stored_name) == 32
    assert stored.size == 14
    assert store.path_of(stored.stored_name).read_bytes() == b"%PDF-1.4 hello"
    assert not list(tmp_path.glob(".tmp-*"))


@pytest.mark.parametrize("name", ["../etc/passwd", "a" * 32 + "/..", "", "X" * 32, "brief.pdf"])
def test_only_generated_names_reach_a_path(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="not a stored file name"):
        FileStore(tmp_path).path_of(name)


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    class Broken(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise OSError("disk gone")

    store = FileStore(tmp_path)
    with pytest.raises(OSError, match="disk gone"):
        store.save(Broken(b"x"))
    assert list(tmp_path.iterdir()) == []


def test_sweep_removes_only_old_orphans(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    kept = store.save(io.BytesIO(b"kept")).stored_name
    orphan = store.save(io.BytesIO(b"orphan")).stored_name
    fresh_orphan = store.save(io.BytesIO(b"fresh")).stored_name
    leftover = tmp_path / ".tmp-0123"
    leftover.write_bytes(b"half")
    old = time.time() - 7200
    for name in (kept, orphan):
        os.utime(store.path_of(name), (old, old))
    os.utime(leftover, (old, old))
    removed = store.sweep({kept}, older_than=timedelta(hours=1))
    assert removed == 2
    assert store.path_of(kept).exists()
    assert store.path_of(fresh_orphan).exists()
    assert not store.path_of(orphan).exists()
    assert not leftover.exists()
