"""A backup restores: the demo data and its files are backed up, restored into an empty
database and data folder of the same kind (SQLite or PostgreSQL, as the suite runs), and every
table is compared row for row with the backup's manifest."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from portal.backup import BackupFailed, make_backup, restore_backup, states_of
from portal.cli import main
from portal.demo import load_demo_data
from tests.conftest import make_settings


@pytest.fixture
def empty_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the suite's kind."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    server, _, _ = database_url.rpartition("/")
    name = f"mijnharen_restore_{secrets.token_hex(4)}"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{server}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_backup_restores_every_table_and_file(
    database_url: str, db_engine: Any, empty_database: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    list(load_demo_data(make_settings(database_url, data_dir=data_dir)))
    before = states_of(database_url)
    assert before["zaak"].rows > 20
    assert before["afspraak"].rows > 0

    folder = make_backup(database_url, data_dir, tmp_path / "backups")
    restored_dir = tmp_path / "restored"
    restored = restore_backup(folder, empty_database, restored_dir)

    assert restored == before
    originals = sorted(p.name for p in (data_dir / "bestanden").iterdir())
    assert originals
    copies = sorted(p.name for p in (restored_dir / "bestanden").iterdir())
    assert copies == originals
    for name in originals:
        original = (data_dir / "bestanden" / name).read_bytes()
        assert (restored_dir / "bestanden" / name).read_bytes() == original


def test_a_restore_that_differs_from_the_manifest_is_refused(
    database_url: str, db_engine: Any, empty_database: str, tmp_path: Path
) -> None:
    list(load_demo_data(make_settings(database_url, data_dir=tmp_path / "data")))
    folder = make_backup(database_url, tmp_path / "data", tmp_path / "backups")
    manifest = folder / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"rows": ', '"rows": 1', 1))
    with pytest.raises(BackupFailed, match="differ"):
        restore_backup(folder, empty_database, tmp_path / "restored")


def test_the_commands(
    database_url: str, db_engine: Any, empty_database: str, tmp_path: Path, monkeypatch: Any
) -> None:
    from portal.settings import get_settings

    data_dir = tmp_path / "data"
    list(load_demo_data(make_settings(database_url, data_dir=data_dir)))
    monkeypatch.setenv("MIJNHAREN_DATABASE_URL", database_url)
    monkeypatch.setenv("MIJNHAREN_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    made = CliRunner().invoke(main, ["db", "backup", "--to", str(tmp_path / "backups")])
    assert made.exit_code == 0, made.output
    folder = Path(made.output.strip().rsplit(" ", 1)[1])
    monkeypatch.setenv("MIJNHAREN_DATABASE_URL", empty_database)
    monkeypatch.setenv("MIJNHAREN_DATA_DIR", str(tmp_path / "restored"))
    get_settings.cache_clear()
    try:
        done = CliRunner().invoke(main, ["db", "restore", str(folder)])
    finally:
        get_settings.cache_clear()
    assert done.exit_code == 0, done.output
    assert "every table matches the backup" in done.output
