"""Changing a case: status, assignment, information requests, answers, messages, closing.

Every change writes its history and its message to the resident in the same transaction, and a
change on a stale version or a closed case changes nothing at all.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from portal.berichten import service as berichten
from portal.berichten.models import OutboxMessage
from portal.settings import Settings
from portal.zaken import handling, zaaktypen
from portal.zaken import service as zaken_service
from portal.zaken.models import Zaak, ZaakStatus, ZaakVerzoek

SUZANNE_BSN = "999993653"
SUZANNE_EMAIL = "suzanne.moulin@example.nl"
STAFF = handling.Actor(subject="behandelaar", name="Bram Behandelaar", role="behandelaar")
RESIDENT = handling.Actor(subject=SUZANNE_BSN, name="Suzanne Moulin", role="inwoner")
# Monday 20 April 2026; King's Day is Monday 27 April.
RECEIVED = datetime(2026, 4, 20, 8, 0, tzinfo=UTC)


def new_zaak(
    db: Session,
    *,
    zaaktype: str = "parkeervergunning",
    received: datetime = RECEIVED,
    email: str | None = SUZANNE_EMAIL,
    key: str = "zaak-1",
) -> Zaak:
    return zaken_service.create_zaak(
        db,
        zaaktype=zaaktype,
        omschrijving="Parkeervergunning aanvragen",
        initiator=zaken_service.Initiator(
            kind="natuurlijk_persoon", bsn=SUZANNE_BSN, name="Suzanne Moulin"
        ),
        answers={"voertuig": {"kenteken": "12-ABC-3", "merk": "Volvo"}},
        submission_token=key,
        received_at=received,
        contact_email=email,
    )


def outbox(db: Session) -> list[OutboxMessage]:
    return list(db.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def history(db: Session, zaak: Zaak) -> list[ZaakStatus]:
    assert zaak.id is not None
    return zaken_service.status_history(db, zaak_id=zaak.id)


def naive(moment: datetime) -> datetime:
    """Stored datetimes come back without a zone (UTC); compare them as such."""
    return moment.replace(tzinfo=None)


def ask(
    db: Session, zaak: Zaak, settings: Settings, *, at: datetime, deadline: date | None = None
) -> ZaakVerzoek:
    return handling.request_information(
        db,
        zaak,
        version=zaak.version,
        kind="documenten",
        question="Stuur ons een kopie van het kentekenbewijs",
        deadline=deadline or (at + timedelta(days=14)).date(),
        actor=STAFF,
        settings=settings,
        now=at,
    )


def test_change_status_records_history_and_notifies(db_engine: Any, settings: Settings) -> None:
    at = RECEIVED + timedelta(hours=3)
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        handling.change_status(
            db,
            zaak,
            version=1,
            status=zaaktypen.IN_PROGRESS,
            actor=STAFF,
            settings=settings,
            now=at,
            note_for_resident="Wij kijken uw aanvraag na.",
            internal_note="Kenteken controleren bij RDW",
        )
        db.commit()
        steps = history(db, zaak)
        messages = outbox(db)
    assert zaak.status == zaaktypen.IN_PROGRESS
    assert zaak.version == 2
    assert naive(zaak.last_changed_at) == naive(at)
    assert [s.status for s in steps] == [zaaktypen.RECEIVED, zaaktypen.IN_PROGRESS]
    assert steps[-1].note_for_resident == "Wij kijken uw aanvraag na."
    assert steps[-1].internal_note == "Kenteken controleren bij RDW"
    assert steps[-1].set_by == "Bram Behandelaar"
    assert [(m.kind, m.recipient, m.zaak_reference) for m in messages] == [
        ("status_changed", SUZANNE_EMAIL, zaak.reference)
    ]
    assert messages[0].recipient_bsn == SUZANNE_BSN
    assert messages[0].skipped == ""


def test_change_to_a_status_that_does_not_notify_queues_nothing(
    db_engine: Any, settings: Settings
) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        handling.change_status(
            db,
            zaak,
            version=1,
            status=zaaktypen.IN_PROGRESS,
            actor=STAFF,
            settings=settings,
            now=RECEIVED,
        )
        before = len(outbox(db))
        handling.change_status(
            db,
            zaak,
            version=2,
            status=zaaktypen.RECEIVED,
            actor=STAFF,
            settings=settings,
            now=RECEIVED,
        )
        db.commit()
        assert len(outbox(db)) == before == 1
        assert [s.status for s in history(db, zaak)][-1] == zaaktypen.RECEIVED


@pytest.mark.parametrize("status", ["bestaat_niet", zaaktypen.CLOSED, zaaktypen.WAITING])
def test_change_status_refuses_unknown_closed_and_waiting(
    db_engine: Any, settings: Settings, status: str
) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        db.commit()
        with pytest.raises(handling.InvalidChange):
            handling.change_status(
                db, zaak, version=1, status=status, actor=STAFF, settings=settings, now=RECEIVED
            )
        db.refresh(zaak)
        assert (zaak.status, zaak.version) == (zaaktypen.RECEIVED, 1)
        assert len(history(db, zaak)) == 1
        assert outbox(db) == []


def test_assign_claims_gives_and_releases(db_engine: Any) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        handling.assign(
            db, zaak, version=1, staff_subject="behandelaar", staff_name="Bram", now=RECEIVED
        )
        assert (zaak.assigned_to, zaak.assigned_name, zaak.version) == ("behandelaar", "Bram", 2)
        handling.assign(db, zaak, version=2, staff_subject=None, staff_name="", now=RECEIVED)
        db.commit()
        assert (zaak.assigned_to, zaak.assigned_name, zaak.version) == (None, "", 3)
        assert outbox(db) == []


def test_request_information_waits_and_pauses_the_clock(db_engine: Any, settings: Settings) -> None:
    at = RECEIVED + timedelta(days=1)
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        berichten.set_preferences(db, owner=f"bsn:{SUZANNE_BSN}", wanted=set())
        verzoek = ask(db, zaak, settings, at=at, deadline=date(2026, 5, 4))
        db.commit()
        messages = outbox(db)
        steps = history(db, zaak)
    assert zaak.status == zaaktypen.WAITING
    assert zaak.paused_at is not None
    assert naive(zaak.paused_at) == naive(at)
    assert verzoek.id is not None
    assert verzoek.deadline == date(2026, 5, 4)
    assert verzoek.created_by == "Bram Behandelaar"
    assert steps[-1].status == zaaktypen.WAITING
    assert steps[-1].note_for_resident == "Stuur ons een kopie van het kentekenbewijs"
    # Switched every e-mail off: an information request is sent all the same.
    assert [(m.kind, m.skipped) for m in messages] == [("information_requested", "")]


def test_request_information_does_not_pause_when_the_case_type_forbids_it(
    db_engine: Any, settings: Settings
) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        case_type = zaaktypen.ensure_zaaktype(db, "parkeervergunning", now=RECEIVED)
        zaaktypen.update_zaaktype(
            db,
            case_type,
            norm_days=case_type.norm_days,
            legal_days=case_type.legal_days,
            pause_allowed=False,
            results=list(case_type.results),
            now=RECEIVED,
        )
        zaak = new_zaak(db)
        ask(db, zaak, settings, at=RECEIVED)
        db.commit()
    assert zaak.status == zaaktypen.WAITING
    assert zaak.paused_at is None


def test_request_information_refuses_an_unknown_kind(db_engine: Any, settings: Settings) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        with pytest.raises(handling.InvalidChange):
            handling.request_information(
                db,
                zaak,
                version=1,
                kind="geld",
                question="?",
                deadline=date(2026, 5, 1),
                actor=STAFF,
                settings=settings,
                now=RECEIVED,
            )
        assert zaak.version == 1
        assert db.exec(select(ZaakVerzoek)).all() == []


def test_answer_moves_the_norm_on_by_the_working_days_it_stood_still(
    db_engine: Any, settings: Settings
) -> None:
    # Received Monday 20 April 2026, norm 5 working days: 21, 22, 23, 24 and (skipping the
    # weekend and King's Day, Monday 27 April) Tuesday 28 April.
    asked = datetime(2026, 4, 23, 9, 0, tzinfo=UTC)  # Thursday
    answered = datetime(2026, 4, 29, 14, 0, tzinfo=UTC)  # Wednesday
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        assert zaak.due_by_norm == date(2026, 4, 28)
        verzoek = ask(db, zaak, settings, at=asked)
        handling.answer_request(
            db,
            zaak,
            verzoek,
            version=zaak.version,
            answer="Kopie bijgevoegd",
            actor=RESIDENT,
            now=answered,
        )
        db.commit()
        steps = history(db, zaak)
    # Stood still Friday 24, Tuesday 28, Wednesday 29 (not the weekend, not King's Day):
    # three working days on from Tuesday 28 April is 29, 30 April, Friday 1 May.
    assert zaak.due_by_norm == date(2026, 5, 1)
    assert zaak.paused_at is None
    assert zaak.status == zaaktypen.IN_PROGRESS
    assert verzoek.answered_at is not None
    assert verzoek.answer == "Kopie bijgevoegd"
    assert [s.status for s in steps][-1] == zaaktypen.IN_PROGRESS
    assert steps[-1].set_by == "Suzanne Moulin"


def test_answer_over_christmas_skips_both_holidays(db_engine: Any, settings: Settings) -> None:
    # Received Monday 14 December 2026: due 15, 16, 17, 18, 21 December.
    received = datetime(2026, 12, 14, 8, 0, tzinfo=UTC)
    asked = datetime(2026, 12, 17, 10, 0, tzinfo=UTC)  # Thursday
    answered = datetime(2026, 12, 28, 10, 0, tzinfo=UTC)  # Monday after Christmas
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db, received=received)
        assert zaak.due_by_norm == date(2026, 12, 21)
        verzoek = ask(db, zaak, settings, at=asked)
        handling.answer_request(
            db, zaak, verzoek, version=zaak.version, answer="Hier", actor=RESIDENT, now=answered
        )
        db.commit()
    # Stood still 18, 21, 22, 23, 24 and 28 December (25 is Christmas, 26 a Saturday): six days.
    # Six working days on from 21 December: 22, 23, 24, 28, 29, 30 December.
    assert zaak.due_by_norm == date(2026, 12, 30)


def test_answer_keeps_waiting_while_another_request_is_open(
    db_engine: Any, settings: Settings
) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        first = ask(db, zaak, settings, at=RECEIVED)
        ask(db, zaak, settings, at=RECEIVED + timedelta(hours=1))
        due = zaak.due_by_norm
        handling.answer_request(
            db,
            zaak,
            first,
            version=zaak.version,
            answer="Eerste",
            actor=RESIDENT,
            now=RECEIVED + timedelta(days=3),
        )
        db.commit()
    assert zaak.status == zaaktypen.WAITING
    assert zaak.paused_at is not None
    assert zaak.due_by_norm == due


def test_a_request_is_answered_once(db_engine: Any, settings: Settings) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        verzoek = ask(db, zaak, settings, at=RECEIVED)
        handling.answer_request(
            db, zaak, verzoek, version=zaak.version, answer="Ja", actor=RESIDENT, now=RECEIVED
        )
        with pytest.raises(handling.InvalidChange):
            handling.answer_request(
                db,
                zaak,
                verzoek,
                version=zaak.version,
                answer="Nog eens",
                actor=RESIDENT,
                now=RECEIVED,
            )
        assert verzoek.answer == "Ja"


def test_resident_message_is_not_mailed_and_staff_message_is(
    db_engine: Any, settings: Settings
) -> None:
    at = RECEIVED + timedelta(hours=2)
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        own = handling.post_message(
            db, zaak, body="Wanneer hoor ik iets?", actor=RESIDENT, settings=settings, now=at
        )
        assert outbox(db) == []
        reply = handling.post_message(
            db, zaak, body="Deze week nog.", actor=STAFF, settings=settings, now=at
        )
        db.commit()
        messages = outbox(db)
        db.refresh(zaak)
    assert (own.sender, own.author) == ("inwoner", "Suzanne Moulin")
    assert (reply.sender, reply.author) == ("medewerker", "behandelaar")
    assert [m.kind for m in messages] == ["message_received"]
    assert naive(zaak.last_changed_at) == naive(at)


def test_close_sets_result_cancels_requests_and_announces_the_decision(
    db_engine: Any, settings: Settings
) -> None:
    closed = RECEIVED + timedelta(days=5)
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        verzoek = ask(db, zaak, settings, at=RECEIVED)
        handling.close_zaak(
            db,
            zaak,
            version=zaak.version,
            result="toegekend",
            actor=STAFF,
            settings=settings,
            now=closed,
            note_for_resident="U krijgt de vergunning.",
        )
        db.commit()
        db.refresh(verzoek)
        kinds = [m.kind for m in outbox(db)]
        steps = history(db, zaak)
    assert zaak.closed_at is not None
    assert naive(zaak.closed_at) == naive(closed)
    assert (zaak.status, zaak.result, zaak.paused_at) == (zaaktypen.CLOSED, "toegekend", None)
    assert verzoek.cancelled_at is not None
    assert kinds == ["information_requested", "decision_made"]
    assert steps[-1].note_for_resident == "U krijgt de vergunning."


def test_close_refuses_a_result_the_case_type_does_not_have(
    db_engine: Any, settings: Settings
) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        with pytest.raises(handling.InvalidChange):
            handling.close_zaak(
                db,
                zaak,
                version=1,
                result="geen_besluit",
                actor=STAFF,
                settings=settings,
                now=RECEIVED,
            )
        with pytest.raises(handling.InvalidChange):
            handling.close_zaak(
                db,
                zaak,
                version=1,
                result="misschien",
                actor=STAFF,
                settings=settings,
                now=RECEIVED,
            )
        assert (zaak.closed_at, zaak.version) == (None, 1)
        assert outbox(db) == []


def test_withdraw_closes_as_withdrawn_and_keeps_the_reason(
    db_engine: Any, settings: Settings
) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        handling.withdraw(
            db,
            zaak,
            version=1,
            reason="Ik ben toch niet verhuisd",
            actor=RESIDENT,
            settings=settings,
            now=RECEIVED + timedelta(days=1),
        )
        db.commit()
        steps = history(db, zaak)
        messages = outbox(db)
    assert (zaak.result, zaak.status) == ("ingetrokken", zaaktypen.CLOSED)
    assert zaak.withdraw_reason == "Ik ben toch niet verhuisd"
    assert zaak.closed_at is not None
    assert steps[-1].internal_note == "Ik ben toch niet verhuisd"
    assert messages == []  # the resident did it; no e-mail about it
