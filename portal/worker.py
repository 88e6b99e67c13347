"""Background jobs run by `mijn-haren worker`, using the same services as the web app."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import CursorResult, delete
from sqlmodel import Session, col

from auth.dependencies import session_policy
from auth.sessions import purge_expired, utcnow
from portal.aanvragen import service as aanvragen_service
from portal.afspraken import booking
from portal.afspraken import mail as appointment_mail
from portal.berichten.sender import deliver_pending, sender_for
from portal.database import make_engine
from portal.files import file_store
from portal.models import RateLimitWindow
from portal.prestaties import service as prestaties
from portal.settings import Settings
from portal.zaken import handling

log = structlog.get_logger("mijnharen.worker")
PENDING_LOGIN_MAX_AGE = timedelta(minutes=10)


def run_jobs_once(settings: Settings) -> dict[str, int]:
    """One round of every job, each in its own transaction; returns what each job did."""
    engine = make_engine(settings.database_url)
    results: dict[str, int] = {}
    try:
        with Session(engine) as db:
            results["sessions_and_logins_purged"] = purge_expired(
                db, policy=session_policy(settings), pending_max_age=PENDING_LOGIN_MAX_AGE
            )
            db.commit()
        with Session(engine) as db:
            cutoff = utcnow() - timedelta(hours=1)
            removed: CursorResult[Any] = db.execute(  # type: ignore[assignment]
                delete(RateLimitWindow).where(col(RateLimitWindow.window_start) < cutoff)
            )
            results["rate_limit_windows_purged"] = int(removed.rowcount or 0)
            db.commit()
        with Session(engine) as db:
            results["drafts_expired"] = aanvragen_service.purge_expired_drafts(db, now=utcnow())
            db.commit()
        # Reminders first, so a reminder written in this round is e-mailed in this round.
        with Session(engine) as db:
            results["request_reminders"] = handling.send_request_reminders(
                db, settings=settings, now=utcnow()
            )
            db.commit()
        with Session(engine) as db:
            results["appointment_holds_released"] = booking.release_expired_holds(db, now=utcnow())
            db.commit()
        with Session(engine) as db:
            results["appointment_reminders"] = appointment_mail.queue_reminders(
                db, settings=settings, now=utcnow()
            )
            db.commit()
        with Session(engine) as db:
            results["figure_rows_refreshed"] = prestaties.refresh_due(db, now=utcnow())
            db.commit()
        with Session(engine) as db:
            results["appointment_waits_measured"] = prestaties.record_waits(
                db, settings=settings, now=utcnow()
            )
            db.commit()
        results["mail_sent"] = deliver_pending(engine, settings, sender_for(settings), now=utcnow())
        with Session(engine) as db:
            results["orphan_files_removed"] = file_store(settings.data_dir).sweep(
                keep=aanvragen_service.referenced_files(db), older_than=timedelta(hours=1)
            )
    finally:
        engine.dispose()
    log.info("worker_round", **results)
    return results
