"""The file store for uploads and case documents: opaque names, outside every served folder.

A file is written to a temporary name in the store's own folder, synced, and renamed to its
final opaque name in one step (os.replace), so a crash leaves either nothing or a whole file,
never a partial file at a final name. The database row is written after the rename, in the
request's transaction; a sweep removes files that no row refers to.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO

from starlette.datastructures import UploadFile

from formulieren.ports import HEAD_SIZE, UploadedFile

CHUNK = 64 * 1024
_STORED_NAME = re.compile(r"^[0-9a-f]{32}$")


def new_file_name() -> str:
    """A fresh opaque name for a stored file."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    size: int
    sha256: str


class FileStore:
    """Files by opaque name under one folder; user-supplied names never reach a path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def save(self, source: IO[bytes], stored_name: str | None = None) -> StoredFile:
        """Copy `source` into the store under a new random name and return its details."""
        stored_name = stored_name or new_file_name()
        self.path_of(stored_name)
        temporary = self.root / f".tmp-{stored_name}"
        digest = hashlib.sha256()
        size = 0
        source.seek(0)
        try:
            with temporary.open("xb") as target:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    target.write(chunk)
                target.flush()
                os.fsync(target.fileno())
            os.replace(temporary, self.path_of(stored_name))
        finally:
            temporary.unlink(missing_ok=True)
        return StoredFile(stored_name=stored_name, size=size, sha256=digest.hexdigest())

    def path_of(self, stored_name: str) -> Path:
        """The path of a stored file; only names this store generated are accepted."""
        if not _STORED_NAME.match(stored_name):
            raise ValueError("not a stored file name")
        return self.root / stored_name

    def open(self, stored_name: str) -> IO[bytes]:
        return self.path_of(stored_name).open("rb")

    def delete(self, stored_name: str) -> None:
        self.path_of(stored_name).unlink(missing_ok=True)

    def copy(self, stored_name: str) -> StoredFile:
        """A second, independent copy (a draft's upload becomes a case document)."""
        with self.open(stored_name) as source:
            return self.save(source)

    def sweep(self, keep: set[str], *, older_than: timedelta) -> int:
        """Delete files no row refers to, and temporary files left by a crash.

        Only files older than `older_than`: a file saved a moment ago may belong to a request
        whose row is not committed yet.
        """
        cutoff = time.time() - older_than.total_seconds()
        removed = 0
        for path in self.root.iterdir():
            orphan = path.name.startswith(".tmp-") or path.name not in keep
            if path.is_file() and orphan and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def file_store(data_dir: Path) -> FileStore:
    return FileStore(data_dir / "bestanden")


def describe_upload(part: UploadFile) -> UploadedFile | None:
    """A posted file as the form engine checks it (its first bytes, declared type and size);
    `ref` is the name it will be stored under. None when the browser sent no file."""
    if not part.filename:
        return None
    part.file.seek(0)
    head = part.file.read(HEAD_SIZE)
    part.file.seek(0)
    return UploadedFile(
        filename=part.filename,
        content_type=part.content_type or "application/octet-stream",
        size=int(part.size or 0),
        head=head,
        ref=new_file_name(),
        fileobj=part.file,
    )
