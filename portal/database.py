"""Engine, the per-request database session (one commit per request) and the migration check."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import anyio
from fastapi import Depends, Form, Request
from fastapi import Path as PathParameter
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, create_engine
from starlette.concurrency import run_in_threadpool

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
HEAD_FILE = MIGRATIONS_DIR / "HEAD"  # the newest migration; tests check Alembic agrees
T = TypeVar("T")
POSTGRES_SESSIONS = 8  # requests holding a session at once per process, below the pool of 10


def make_engine(database_url: str) -> Engine:
    """An engine for SQLite (WAL, durable commits) or PostgreSQL."""
    if database_url.startswith("sqlite"):
        path = database_url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            database_url, connect_args={"check_same_thread": False, "timeout": 30}
        )
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_immediate_when_writing)
        return engine
    return create_engine(database_url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _configure_sqlite(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # synchronous=FULL: with NORMAL a committed transaction can roll back after power loss.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _begin_immediate_when_writing(connection: Any) -> None:
    # pysqlite's own BEGIN handling is off (isolation_level=None), so we emit BEGIN ourselves.
    # A deferred BEGIN lets two writers read, then fail to upgrade their lock; IMMEDIATE
    # takes the write lock up front so concurrent writers queue on busy_timeout instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def database_gate(request: Request) -> anyio.Semaphore:
    """How many requests per process may hold a database session at once.

    SQLite: one. SQLite has one writer; a request that holds the write lock and then needs a
    worker thread (FastAPI runs each sync dependency and endpoint on the thread pool) would
    deadlock if all threads were blocked waiting for that lock.
    PostgreSQL: fewer than the connection pool (10). Requests waiting for a row lock (two
    holds of the same appointment time) must never take every worker thread and connection
    while the holder of that lock needs a thread to commit.
    Waiting for the gate happens on the event loop, so whoever holds it always finds a thread.
    The gate is made on first use, inside the running event loop.
    """
    state = request.app.state
    gate: anyio.Semaphore | None = getattr(state, "database_gate", None)
    if gate is None:
        sqlite = state.engine.dialect.name == "sqlite"
        gate = state.database_gate = anyio.Semaphore(1 if sqlite else POSTGRES_SESSIONS)
    return gate


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's database session, committed once before the response leaves."""
    gate = database_gate(request)
    await gate.acquire()
    session = Session(request.app.state.engine, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        await run_in_threadpool(_finish, session, commit=False)
        raise
    else:
        if session.in_transaction() or session.new or session.dirty or session.deleted:
            await run_in_threadpool(_finish, session, commit=True)
        else:
            session.close()  # never touched the database: nothing to wait for
    finally:
        gate.release()


async def in_own_session(request: Request, work: Callable[[Session], T]) -> T:
    """Run `work` in a database session of its own, committed and closed before this returns,
    under the same gate as the request sessions: for a request that must not hold a session
    while it waits on something else (a slow sender, another system)."""

    def run() -> T:
        with Session(request.app.state.engine, expire_on_commit=False) as db:
            result = work(db)
            db.commit()
            return result

    async with database_gate(request):
        return await run_in_threadpool(run)


def _finish(session: Session, *, commit: bool) -> None:
    """Commit (or roll back) and close, in one trip to the thread pool."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]

# The largest INTEGER of PostgreSQL (SQLite's are wider). A number from a request that is looked
# up in or compared with such a column is kept within it: a larger one made the database driver
# fail (a server error) where the answer is "no such thing" (issue 8, found by fuzzing).
MAX_INTEGER = 2_147_483_647
RowId = Annotated[int, PathParameter(ge=1, le=MAX_INTEGER)]
Version = Annotated[int, Form(ge=0, le=MAX_INTEGER)]


# Alembic is imported only by the commands that migrate: a server (re)starting after a crash
# or for scale-out does not load it (about 0.3 s of CPU less per start on this machine).


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration pointing at our migrations and the given database."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def migration_heads(database_url: str) -> tuple[set[str], set[str]]:
    """(revisions the database is at, revisions the code expects)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(database_url))
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()
    return current, set(script.get_heads())


def database_is_at_head(engine: Engine) -> bool:
    """Whether the database is at the newest migration (the committed HEAD file), and no other.

    Read without Alembic: this runs at every start-up and readiness probe."""
    try:
        with engine.connect() as connection:
            query = text("SELECT version_num FROM alembic_version")
            current = set(connection.execute(query).scalars())
    except DBAPIError:  # no alembic_version table: never migrated
        return False
    return current == {HEAD_FILE.read_text().strip()}


def upgrade_database(database_url: str) -> None:
    """Bring the database to the newest migration."""
    from alembic import command

    command.upgrade(alembic_config(database_url), "head")
