"""The `mijn-haren` command: serve, db, demo load, worker, zgw abonneren."""

from __future__ import annotations

import time
from pathlib import Path

import click
import structlog

from portal.settings import get_settings

log = structlog.get_logger("mijnharen.cli")


@click.group()
def main() -> None:
    """Mijn Haren, the self-service portal of the municipality of Haren."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="processes to run")
@click.option("--reload", is_flag=True, help="restart on code changes (development)")
def serve(host: str, port: int, workers: int, reload: bool) -> None:
    """Serve the portal over HTTP."""
    run_server("portal.main:create_app", host=host, port=port, workers=workers, reload=reload)


def run_server(factory: str, *, host: str, port: int, workers: int, reload: bool = False) -> None:
    """Serve the app that `factory` (an import path) makes, with the portal's uvicorn options.

    The load benchmark serves its bare baseline page through this too, so both run with the
    same processes, event loop and HTTP parser.
    """
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        factory,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
        log_config=None,
    )


@main.group()
def db() -> None:
    """Database commands."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration that the database does not have yet."""
    from portal.database import upgrade_database
    from portal.observability import configure_logging

    settings = get_settings()
    configure_logging(settings)
    upgrade_database(settings.database_url)
    click.echo("database is at the newest migration")


@db.command("backup")
@click.option(
    "--to",
    "target",
    type=click.Path(path_type=Path),
    default=None,
    help="folder to write the backup in (default: <data dir>/backups)",
)
def db_backup(target: Path | None) -> None:
    """Back up the database and the stored files, with a manifest of every table."""
    from portal.backup import make_backup

    settings = get_settings()
    folder = make_backup(
        settings.database_url, settings.data_dir, target or settings.data_dir / "backups"
    )
    click.echo(f"backup written to {folder}")


@db.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def db_restore(folder: Path) -> None:
    """Restore a backup into an empty database and data folder, and check every table."""
    from portal.backup import BackupFailed, restore_backup

    settings = get_settings()
    try:
        restored = restore_backup(folder, settings.database_url, settings.data_dir)
    except BackupFailed as problem:
        raise click.ClickException(str(problem)) from problem
    rows = sum(state.rows for state in restored.values())
    click.echo(f"restored {len(restored)} tables, {rows} rows; every table matches the backup")


@db.command("current")
def db_current() -> None:
    """Show the database's migration and the newest one in the code."""
    from portal.database import migration_heads

    current, expected = migration_heads(get_settings().database_url)
    click.echo(f"database: {', '.join(sorted(current)) or '(empty)'}")
    click.echo(f"code:     {', '.join(sorted(expected))}")


@main.group()
def demo() -> None:
    """Demo data for development and benchmarks."""


@demo.command("load")
@click.option(
    "--cases",
    type=click.IntRange(min=1),
    default=None,
    help="also generate this many synthetic cases, for benchmarks (up to this total)",
)
@click.option(
    "--residents",
    type=click.IntRange(min=1),
    default=None,
    help="spread the generated cases over this many owners  [default: cases / 10]",
)
def demo_load(cases: int | None, residents: int | None) -> None:
    """Load the demo data set (idempotent: running it twice changes nothing)."""
    from portal.demo import load_demo_data

    settings = get_settings()
    for line in load_demo_data(settings):
        click.echo(line)
    if cases is not None:
        from portal.database import make_engine
        from portal.zaken.generator import generate_cases

        engine = make_engine(settings.database_url)
        try:
            added = generate_cases(
                engine,
                cases=cases,
                residents=residents,
                progress=lambda line: click.echo(line, err=True),
            )
        except OverflowError as error:
            raise click.ClickException(str(error)) from error
        finally:
            engine.dispose()
        click.echo(f"zaken: {added} generated cases added")
    elif residents is not None:
        raise click.UsageError("--residents needs --cases")


@main.command()
@click.option("--once", is_flag=True, help="run every job once and stop")
@click.option("--interval", default=30.0, show_default=True, help="seconds between rounds")
def worker(once: bool, interval: float) -> None:
    """Run background jobs: send e-mail, clean up expired sessions, logins, drafts and files."""
    from portal.observability import configure_logging
    from portal.worker import run_jobs_once

    settings = get_settings()
    configure_logging(settings)
    while True:
        run_jobs_once(settings)
        if once:
            return
        time.sleep(interval)


if __name__ == "__main__":
    main()


@main.group()
def zgw() -> None:
    """The municipality's case system (ZGW APIs)."""


@zgw.command("abonneren")
@click.option("--nrc", required=True, help="Notificaties API base URL, e.g. https://…/api/v1")
def zgw_subscribe(nrc: str) -> None:
    """Subscribe the portal's callback to the case system's notifications (channel zaken)."""
    from portal.integrations.zgw.http import subscribe

    settings = get_settings()
    if len(settings.zgw_notificaties_auth) < 16:
        raise click.ClickException(
            "set MIJNHAREN_ZGW_NOTIFICATIES_AUTH (16+ characters) first: the callback checks it"
        )
    url = subscribe(
        nrc,
        client_id=settings.zgw_client_id,
        secret=settings.zgw_secret,
        callback_url=f"{settings.base_url.rstrip('/')}/zaaksysteem/notificaties",
        auth=settings.zgw_notificaties_auth,
        rsin=settings.zgw_rsin,
        timeout=settings.zgw_timeout_seconds,
    )
    click.echo(f"abonnement: {url}")


@zgw.command("demo-server")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8010, show_default=True, type=int)
def zgw_demo_server(host: str, port: int) -> None:
    """Serve the demo case system over HTTP (development): the ZGW APIs of a ZGW system with
    the demo cases, for MIJNHAREN_ZGW_BACKEND=http. What it stores lives until it stops."""
    import uvicorn

    from portal.integrations.zgw.demo import demo_store
    from portal.integrations.zgw.server import CaseSystemState, case_system_app

    settings = get_settings()
    if settings.is_production:
        raise click.ClickException("the demo case system never runs in production")
    state = CaseSystemState(
        store=demo_store(f"http://{host}:{port}"),
        client_id=settings.zgw_client_id,
        secret=settings.zgw_secret,
    )
    uvicorn.run(case_system_app(state), host=host, port=port, log_config=None, access_log=False)
