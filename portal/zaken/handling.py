"""Changing a case: status, assignment, information requests, messages, documents, closing.

Every change bumps the case's version with a conditional UPDATE, so of two employees (or an
employee and the resident) acting on the same version only the first succeeds; the other gets
`StaleZaak` and sees the case again. The message to the resident is written in the same
transaction as the change (outbox).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import CursorResult, delete, func, update
from sqlmodel import Session, col, select

from portal.berichten import service as berichten
from portal.settings import Settings
from portal.zaken import zaaktypen
from portal.zaken.models import Zaak, ZaakBericht, ZaakNaamwoord, ZaakStatus, ZaakVerzoek
from portal.zaken.service import (
    add_working_days,
    closing_figures,
    open_requests,
    working_days_between,
)


class StaleZaak(Exception):
    """Someone else changed the case since this form was shown."""


class ZaakClosed(Exception):
    """The case is closed; nothing can be changed any more."""


class InvalidChange(ValueError):
    """A change the case type does not allow (an unknown status or result)."""


@dataclass(frozen=True)
class Actor:
    """Who makes a change: an employee (subject, name, role) or the resident."""

    subject: str
    name: str
    role: str  # inwoner | kcc | behandelaar | beheerder | systeem

    @property
    def is_resident(self) -> bool:
        return self.role == "inwoner"


def _bump(db: Session, zaak: Zaak, version: int, now: datetime, **values: Any) -> None:
    """Apply `values` only if the case is still at `version` and open."""
    if zaak.closed_at is not None:
        raise ZaakClosed(zaak.reference)
    result: CursorResult[Any] = db.execute(  # type: ignore[assignment]
        update(Zaak)
        .where(col(Zaak.id) == zaak.id, col(Zaak.version) == version)
        .where(col(Zaak.closed_at).is_(None))
        .values(version=Zaak.version + 1, last_changed_at=now, **values)
    )
    if result.rowcount != 1:
        raise StaleZaak(zaak.reference)
    db.refresh(zaak)


def _resumed_clock(zaak: Zaak, now: datetime) -> dict[str, Any]:
    """The values that restart a paused norm clock: the due date moves on by the working days
    it stood still."""
    if zaak.paused_at is None:
        return {}
    values: dict[str, Any] = {"paused_at": None}
    stood_still = working_days_between(zaak.paused_at.date(), now.date())
    if zaak.due_by_norm is not None and stood_still:
        values["due_by_norm"] = add_working_days(zaak.due_by_norm, stood_still)
    return values


def _cancel_open_requests(db: Session, zaak: Zaak, now: datetime) -> None:
    assert zaak.id is not None
    for verzoek in open_requests(db, zaak_id=zaak.id):
        verzoek.cancelled_at = now
        db.add(verzoek)
    db.flush()


def _record_status(
    db: Session, zaak: Zaak, status: str, actor: Actor, now: datetime, note: str, internal: str
) -> None:
    assert zaak.id is not None
    db.add(
        ZaakStatus(
            zaak_id=zaak.id,
            status=status,
            set_at=now,
            set_by=actor.name[:100],
            note_for_resident=note,
            internal_note=internal,
        )
    )
    db.flush()


def _recipient(zaak: Zaak) -> berichten.Recipient:
    return berichten.Recipient(
        email=zaak.contact_email, bsn=zaak.initiator_bsn, kvk=zaak.initiator_kvk
    )


def _notify(db: Session, zaak: Zaak, kind: str, settings: Settings, now: datetime) -> None:
    """An e-mail with the name and a link to the case."""
    link = f"{settings.base_url.rstrip('/')}/mijn/zaken/{zaak.reference}"
    feedback = (
        "Hoe tevreden bent u over hoe wij uw aanvraag hebben afgehandeld? "
        f"Laat het ons weten:\n{link}#reactie\n\n"
        if kind == "decision_made"
        else ""
    )
    subject, body = berichten.case_notice(kind, name=zaak.initiator_name, link=link, after=feedback)
    berichten.queue_message(
        db,
        kind=kind,
        recipient=_recipient(zaak),
        subject=subject,
        body_text=body,
        now=now,
        zaak_reference=zaak.reference,
    )


def change_status(
    db: Session,
    zaak: Zaak,
    *,
    version: int,
    status: str,
    actor: Actor,
    settings: Settings,
    now: datetime,
    note_for_resident: str = "",
    internal_note: str = "",
) -> None:
    """Move the case to another step of its case type (not to closed: use `close_zaak`)."""
    status_type = zaaktypen.status_type(db, zaak.zaaktype, status)
    if status_type is None or status in (zaaktypen.CLOSED, zaaktypen.WAITING):
        raise InvalidChange(status)
    # Going on without the resident's answer: their open requests lapse and the clock runs.
    _bump(db, zaak, version, now, status=status, **_resumed_clock(zaak, now))
    _cancel_open_requests(db, zaak, now)
    _record_status(db, zaak, status, actor, now, note_for_resident, internal_note)
    if status_type.notifies_resident:
        _notify(db, zaak, "status_changed", settings, now)


def assign(
    db: Session,
    zaak: Zaak,
    *,
    version: int,
    staff_subject: str | None,
    staff_name: str,
    now: datetime,
) -> None:
    """Claim the case (staff_subject = oneself), give it to someone, or release it (None)."""
    _bump(db, zaak, version, now, assigned_to=staff_subject, assigned_name=staff_name[:200])


def request_information(
    db: Session,
    zaak: Zaak,
    *,
    version: int,
    kind: str,
    question: str,
    deadline: date,
    actor: Actor,
    settings: Settings,
    now: datetime,
    internal_note: str = "",
) -> ZaakVerzoek:
    """Ask the resident for information or documents; the case waits (and its norm clock, if
    the case type allows) until they answer."""
    if kind not in ("vraag", "documenten"):
        raise InvalidChange(kind)
    case_type = zaaktypen.ensure_zaaktype(db, zaak.zaaktype, now=now)
    paused = {"paused_at": now} if case_type.pause_allowed and zaak.paused_at is None else {}
    _bump(db, zaak, version, now, status=zaaktypen.WAITING, **paused)
    assert zaak.id is not None
    verzoek = ZaakVerzoek(
        zaak_id=zaak.id,
        kind=kind,
        question=question[:2000],
        deadline=deadline,
        created_at=now,
        created_by=actor.name[:100],
    )
    db.add(verzoek)
    _record_status(db, zaak, zaaktypen.WAITING, actor, now, question[:2000], internal_note)
    _notify(db, zaak, "information_requested", settings, now)
    return verzoek


def answer_request(
    db: Session,
    zaak: Zaak,
    verzoek: ZaakVerzoek,
    *,
    version: int,
    answer: str,
    actor: Actor,
    now: datetime,
) -> None:
    """The resident answers; when nothing else is open the case goes back to being handled and
    the norm clock runs again, moved on by the working days it stood still."""
    if zaak.closed_at is not None:
        raise ZaakClosed(zaak.reference)
    if verzoek.zaak_id != zaak.id or verzoek.answered_at is not None:
        raise InvalidChange("request already answered")
    if verzoek.cancelled_at is not None:
        raise InvalidChange("request cancelled")
    # The case is changed (or refused as stale or closed) before the request is marked answered,
    # so a refused answer leaves the request open.
    others_open = [r for r in open_requests(db, zaak_id=verzoek.zaak_id) if r.id != verzoek.id]
    values: dict[str, Any] = {}
    if not others_open:
        values = {"status": zaaktypen.IN_PROGRESS, **_resumed_clock(zaak, now)}
    _bump(db, zaak, version, now, **values)
    verzoek.answered_at = now
    verzoek.answer = answer[:4000]
    db.add(verzoek)
    db.flush()
    if "status" in values:
        _record_status(db, zaak, zaaktypen.IN_PROGRESS, actor, now, "", "")


def add_letter(
    db: Session,
    zaak: Zaak,
    *,
    version: int,
    actor: Actor,
    settings: Settings,
    now: datetime,
    notify: bool,
) -> None:
    """Staff add a letter to the case (the caller stores the file and its row after this):
    refused like any change on a stale form or a closed case. A decision letter is announced
    by closing the case; another letter by a message of its own when `notify`."""
    _bump(db, zaak, version, now)
    if notify and not actor.is_resident:
        _notify(db, zaak, "message_received", settings, now)


def post_message(
    db: Session,
    zaak: Zaak,
    *,
    body: str,
    actor: Actor,
    settings: Settings,
    now: datetime,
) -> ZaakBericht:
    """A message in the case's thread; a message from staff is also announced by e-mail.

    Messages need no version: two messages at once are both wanted, in the order they came.
    """
    assert zaak.id is not None
    if zaak.closed_at is not None:
        raise ZaakClosed(zaak.reference)
    message = ZaakBericht(
        zaak_id=zaak.id,
        sender="inwoner" if actor.is_resident else "medewerker",
        author=(actor.name if actor.is_resident else actor.role)[:200],
        body=body[:4000],
        created_at=now,
    )
    db.add(message)
    db.execute(update(Zaak).where(col(Zaak.id) == zaak.id).values(last_changed_at=now))
    db.flush()
    if not actor.is_resident:
        _notify(db, zaak, "message_received", settings, now)
    return message


def close_zaak(
    db: Session,
    zaak: Zaak,
    *,
    version: int,
    result: str,
    actor: Actor,
    settings: Settings,
    now: datetime,
    note_for_resident: str = "",
    internal_note: str = "",
) -> None:
    """Close the case with a result of its case type; open requests lapse."""
    case_type = zaaktypen.ensure_zaaktype(db, zaak.zaaktype, now=now)
    if result not in case_type.results:
        raise InvalidChange(result)
    _close(db, zaak, version, result, actor, settings, now, note_for_resident, internal_note)


def withdraw(
    db: Session,
    zaak: Zaak,
    *,
    version: int,
    reason: str,
    actor: Actor,
    settings: Settings,
    now: datetime,
) -> None:
    """The resident withdraws the application (any case type allows that); staff see why."""
    reason = reason[:1000]
    _close(
        db, zaak, version, "ingetrokken", actor, settings, now, "", reason, withdraw_reason=reason
    )


def _close(
    db: Session,
    zaak: Zaak,
    version: int,
    result: str,
    actor: Actor,
    settings: Settings,
    now: datetime,
    note_for_resident: str,
    internal_note: str,
    **values: Any,
) -> None:
    asked = db.exec(select(func.count()).where(col(ZaakVerzoek.zaak_id) == zaak.id)).one() > 0
    _bump(
        db,
        zaak,
        version,
        now,
        status=zaaktypen.CLOSED,
        result=result,
        closed_at=now,
        paused_at=None,
        **closing_figures(zaak, result=result, asked=asked, now=now),
        **values,
    )
    _record_status(db, zaak, zaaktypen.CLOSED, actor, now, note_for_resident, internal_note)
    # The queue lists open cases only, so only their names need to be found by word.
    db.execute(delete(ZaakNaamwoord).where(col(ZaakNaamwoord.zaak_id) == zaak.id))
    _cancel_open_requests(db, zaak, now)
    if not actor.is_resident:
        _notify(db, zaak, "decision_made", settings, now)


def send_request_reminders(
    db: Session, *, settings: Settings, now: datetime, days_before: int = 2
) -> int:
    """Remind residents once of a request whose deadline is `days_before` working days away."""
    from sqlmodel import select

    soon = add_working_days(now.date(), days_before)
    due = db.exec(
        select(ZaakVerzoek)
        .where(col(ZaakVerzoek.answered_at).is_(None), col(ZaakVerzoek.cancelled_at).is_(None))
        .where(col(ZaakVerzoek.reminder_sent_at).is_(None), col(ZaakVerzoek.deadline) <= soon)
    ).all()
    sent = 0
    for verzoek in due:
        zaak = db.get(Zaak, verzoek.zaak_id)
        if zaak is None or zaak.closed_at is not None:
            continue
        verzoek.reminder_sent_at = now
        db.add(verzoek)
        _notify(db, zaak, "request_reminder", settings, now)
        sent += 1
    db.flush()
    return sent
