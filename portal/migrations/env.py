"""Alembic environment: runs migrations on the URL that portal.database configured."""

from __future__ import annotations

from alembic import context

from portal.database import make_engine
from portal.registry import import_all_models

target_metadata = import_all_models().metadata


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        from portal.settings import get_settings

        url = get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `mijn-haren db upgrade`")
run_migrations_online()
