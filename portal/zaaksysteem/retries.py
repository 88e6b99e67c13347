"""Work the worker takes from a table of its own (registrations, notifications): due rows are
taken one at a time with a conditional UPDATE, so two workers never run the same one, and a
failed one is tried again later, less and less often."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from portal.zaaksysteem.models import Melding, Registratie

#: How long a worker may take over a row before another may try it.
LEASE = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, … minutes after each failure, at most an hour; retried until it succeeds."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def claim_due(
    engine: Engine,
    model: type[Registratie] | type[Melding],
    done: Any,
    *,
    now: datetime,
    batch: int,
) -> Iterator[int]:
    """The ids of due rows (`done` still empty), each claimed for LEASE and counted as an
    attempt before it is handed out; a row another worker claimed first is skipped."""
    with Session(engine) as db:
        due = db.exec(
            select(model.id, model.next_attempt_at)
            .where(col(done).is_(None), col(model.next_attempt_at) <= now)
            .order_by(col(model.next_attempt_at))
            .limit(batch)
        ).all()
    for row_id, due_at in due:
        assert row_id is not None
        with Session(engine) as db:
            claimed = db.execute(
                update(model)
                .where(
                    col(model.id) == row_id,
                    col(model.next_attempt_at) == due_at,
                    col(done).is_(None),
                )
                .values(next_attempt_at=now + LEASE, attempts=model.attempts + 1)
            )
            db.commit()
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            yield row_id
