"""`mijn-haren db backup` and `mijn-haren db restore`: the database and the stored files, and a
manifest to check a restore against.

A backup is a folder: `database.sqlite3` (SQLite's online backup, consistent while the portal
runs) or `database.pgdump` (`pg_dump --format=custom`), `bestanden.tar` (uploads and case
documents) and `manifest.json` with the row count and a checksum of every table. A restore
loads both into an empty database and data folder and compares every table with the manifest,
so a backup that cannot be restored is found when it is tried, not when it is needed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, text

from portal.database import make_engine
from portal.registry import import_all_models

MANIFEST = "manifest.json"
FILES = "bestanden.tar"


class BackupFailed(RuntimeError):
    """The backup or restore could not be made, or a restored table differs."""


@dataclass(frozen=True)
class TableState:
    rows: int
    checksum: str


def _plain(value: Any) -> Any:
    """A column value in one form for both databases (times in UTC, JSON sorted)."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def table_states(connection: Connection) -> dict[str, TableState]:
    """Every table's row count and a SHA-256 over its rows in primary-key order."""
    states: dict[str, TableState] = {}
    for table in import_all_models().metadata.sorted_tables:
        digest = hashlib.sha256()
        count = 0
        order = list(table.primary_key.columns) or list(table.columns)
        for row in connection.execute(select(table).order_by(*order)):
            digest.update(repr([_plain(value) for value in row]).encode())
            count += 1
        states[table.name] = TableState(count, digest.hexdigest())
    return states


def states_of(database_url: str) -> dict[str, TableState]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return table_states(connection)
    finally:
        engine.dispose()


def _libpq_url(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def _sqlite_path(database_url: str) -> Path:
    return Path(database_url.split("///", 1)[1])


def make_backup(database_url: str, data_dir: Path, target: Path) -> Path:
    """Write a backup folder under `target`; returns it."""
    folder = target / f"mijnharen-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    folder.mkdir(parents=True)
    if database_url.startswith("sqlite"):
        copy_path = folder / "database.sqlite3"
        source = sqlite3.connect(_sqlite_path(database_url))
        copy = sqlite3.connect(copy_path)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        # The manifest describes the copy itself, whatever the portal wrote meanwhile.
        states = states_of(f"sqlite:///{copy_path}")
    else:
        states = _dump_postgres(database_url, folder / "database.pgdump")
    files = data_dir / "bestanden"
    with tarfile.open(folder / FILES, "w") as archive:
        if files.exists():
            archive.add(files, arcname="bestanden")
    manifest = {
        "made_at": datetime.now(UTC).isoformat(),
        "tables": {name: state.__dict__ for name, state in states.items()},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def _dump_postgres(database_url: str, path: Path) -> dict[str, TableState]:
    """pg_dump of one exported snapshot, and the manifest counted in that same snapshot, so
    both describe the same moment while the portal keeps running."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as plain:
            connection = plain.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                _run(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        f"--snapshot={snapshot}",
                        "--file",
                        str(path),
                        _libpq_url(database_url),
                    ]
                )
                return table_states(connection)
    finally:
        engine.dispose()


def restore_backup(folder: Path, database_url: str, data_dir: Path) -> dict[str, TableState]:
    """Load a backup into an empty database and data folder, then compare every table with the
    manifest; BackupFailed names the tables that differ."""
    manifest = json.loads((folder / MANIFEST).read_text())
    if database_url.startswith("sqlite"):
        target = _sqlite_path(database_url)
        if target.exists() and target.stat().st_size:
            raise BackupFailed(f"{target} exists: restore into an empty database")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / "database.sqlite3", target)
    else:
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                _libpq_url(database_url),
                str(folder / "database.pgdump"),
            ]
        )
    with tarfile.open(folder / FILES) as archive:
        archive.extractall(data_dir, filter="data")
    restored = states_of(database_url)
    expected = {name: TableState(**state) for name, state in manifest["tables"].items()}
    differing = sorted(name for name in expected if restored.get(name) != expected[name])
    if differing:
        raise BackupFailed("restored tables differ from the backup: " + ", ".join(differing))
    return restored


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupFailed(f"{command[0]} failed: {result.stderr.strip()[:500]}")
