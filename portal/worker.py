"""Background jobs run by `mijn-haren worker`, using the same services as the web app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import CursorResult, Engine, delete
from sqlmodel import Session, col

from auth.dependencies import session_policy
from auth.sessions import purge_expired, utcnow
from portal.aanvragen import service as aanvragen_service
from portal.afspraken import booking
from portal.afspraken import mail as appointment_mail
from portal.berichten.sender import deliver_pending, sender_for
from portal.database import make_engine
from portal.files import file_store
from portal.integrations.zgw import zgw_api_for
from portal.models import RateLimitWindow
from portal.prestaties import service as prestaties
from portal.settings import Settings
from portal.zaaksysteem import meldingen, registratie
from portal.zaken import handling

log = structlog.get_logger("mijnharen.worker")
PENDING_LOGIN_MAX_AGE = timedelta(minutes=10)


Job = Callable[[Session, Settings], int]


def _purge_rate_limit_windows(db: Session, settings: Settings) -> int:
    cutoff = utcnow() - timedelta(hours=1)
    removed: CursorResult[Any] = db.execute(  # type: ignore[assignment]
        delete(RateLimitWindow).where(col(RateLimitWindow.window_start) < cutoff)
    )
    return int(removed.rowcount or 0)


# Each job runs in its own transaction, in this order: reminders before the mail, so a reminder
# written in this round is e-mailed in this round.
JOBS: tuple[tuple[str, Job], ...] = (
    (
        "sessions_and_logins_purged",
        lambda db, s: purge_expired(
            db, policy=session_policy(s), pending_max_age=PENDING_LOGIN_MAX_AGE
        ),
    ),
    ("rate_limit_windows_purged", _purge_rate_limit_windows),
    ("drafts_expired", lambda db, s: aanvragen_service.purge_expired_drafts(db, now=utcnow())),
    (
        "request_reminders",
        lambda db, s: handling.send_request_reminders(db, settings=s, now=utcnow()),
    ),
    ("appointment_holds_released", lambda db, s: booking.release_expired_holds(db, now=utcnow())),
    (
        "appointment_reminders",
        lambda db, s: appointment_mail.queue_reminders(db, settings=s, now=utcnow()),
    ),
    ("figure_rows_refreshed", lambda db, s: prestaties.refresh_due(db, now=utcnow())),
    (
        "appointment_waits_measured",
        lambda db, s: prestaties.record_waits(db, settings=s, now=utcnow()),
    ),
)


def _case_system_round(engine: Engine, settings: Settings) -> dict[str, int]:
    """Registrations and notifications of the case system; these jobs manage their own
    transactions, so none is open while the case system is asked."""
    api = zgw_api_for(settings)
    if api is None:
        return {}
    return {
        "zgw_registered": registratie.register_due(engine, settings, api, now=utcnow()),
        "zgw_statuses_polled": meldingen.poll_registered(engine, api, now=utcnow()),
        "zgw_notifications_handled": meldingen.handle_due(engine, settings, api, now=utcnow()),
    }


def run_jobs_once(settings: Settings) -> dict[str, int]:
    """One round of every job, each in its own transaction; returns what each job did."""
    engine = make_engine(settings.database_url)
    results: dict[str, int] = {}
    try:
        for name, job in JOBS:
            with Session(engine) as db:
                results[name] = job(db, settings)
                db.commit()
        results.update(_case_system_round(engine, settings))
        results["mail_sent"] = deliver_pending(engine, settings, sender_for(settings), now=utcnow())
        with Session(engine) as db:
            results["orphan_files_removed"] = file_store(settings.data_dir).sweep(
                keep=aanvragen_service.referenced_files(db), older_than=timedelta(hours=1)
            )
    finally:
        engine.dispose()
    log.info("worker_round", **results)
    return results
