"""Migrations run forward and back on SQLite and PostgreSQL, match the models, and the app
refuses to serve a database that is not at head."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from portal.database import (
    MIGRATIONS_DIR,
    alembic_config,
    database_is_at_head,
    make_engine,
    upgrade_database,
)
from portal.main import DatabaseNotAtHead, create_app
from portal.registry import import_all_models
from tests.conftest import make_settings


def test_models_and_migrations_agree(db_engine: Any) -> None:
    with db_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, import_all_models().metadata)
    assert differences == []


def test_committed_head_file_names_the_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert (MIGRATIONS_DIR / "HEAD").read_text().strip() == script.get_current_head()


def test_revision_ids_are_readable_and_sequential() -> None:
    names = sorted(p.stem for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))
    assert names
    for number, name in enumerate(names, start=1):
        assert name.startswith(f"{number:03d}_")


@pytest.fixture
def scratch_database_url(database_url: str, db_engine: Any, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as the test database (a schema on PostgreSQL)."""
    if db_engine.dialect.name == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    schema = f"scratch_{uuid.uuid4().hex[:8]}"
    with db_engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in database_url else "?"
    yield f"{database_url}{separator}options=-csearch_path%3D{schema}"
    with db_engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))


def test_downgrade_and_upgrade_again(scratch_database_url: str) -> None:
    from alembic import command

    url = scratch_database_url
    upgrade_database(url)
    command.downgrade(alembic_config(url), "base")
    engine = make_engine(url)
    assert not database_is_at_head(engine)
    engine.dispose()
    upgrade_database(url)
    engine = make_engine(url)
    assert database_is_at_head(engine)
    engine.dispose()


def test_app_refuses_a_database_that_is_not_at_head(scratch_database_url: str) -> None:
    with pytest.raises(DatabaseNotAtHead, match="mijn-haren db upgrade"):
        create_app(make_settings(scratch_database_url))


def test_commits_are_durable(db_engine: Any) -> None:
    with db_engine.connect() as connection:
        if db_engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert connection.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL
        else:
            assert connection.execute(text("SHOW synchronous_commit")).scalar_one() == "on"


def test_name_words_migration_fills_in_the_cases_already_there(scratch_database_url: str) -> None:
    from alembic import command

    url = scratch_database_url
    command.upgrade(alembic_config(url), "003_case_handling")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO zaak (id, reference, zaaktype, omschrijving, channel, initiator_kind,"
                " initiator_name, status, received_at, last_changed_at, answers, submission_token)"
                " VALUES (7, 'HRN-2026-000007', 'vraag', 'Vraag', 'online', 'natuurlijk_persoon',"
                " 'Jan van den Berg-Jansen', 'ontvangen', '2026-11-28 10:00:00+00:00',"
                " '2026-11-28 10:00:00+00:00', '{}', 'token-7')"
            )
        )
    engine.dispose()
    upgrade_database(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        words = connection.execute(
            text("SELECT woord FROM zaak_naamwoord WHERE zaak_id = 7 ORDER BY woord")
        ).scalars()
        assert list(words) == ["berg", "den", "jan", "jansen", "van"]
    engine.dispose()
