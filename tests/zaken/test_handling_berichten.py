"""The messages a case change writes: the resident's e-mail choices, no address, and reminders
for open information requests (once, and only near the deadline)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from portal.berichten import service as berichten
from portal.berichten.models import MessagePreference
from portal.settings import Settings
from portal.zaken import handling, zaaktypen
from tests.zaken.test_handling import (
    RECEIVED,
    RESIDENT,
    STAFF,
    SUZANNE_BSN,
    ask,
    new_zaak,
    outbox,
)

OWNER = f"bsn:{SUZANNE_BSN}"


def test_a_kind_switched_off_is_kept_but_not_mailed(db_engine: Any, settings: Settings) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        wanted = set(berichten.KINDS) - {"status_changed"}
        berichten.set_preferences(db, owner=OWNER, wanted=wanted)
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
        handling.post_message(db, zaak, body="Hallo", actor=STAFF, settings=settings, now=RECEIVED)
        db.commit()
        messages = outbox(db)
        assert berichten.preferences(db, owner=OWNER)["status_changed"] is False
    assert [(m.kind, m.skipped) for m in messages] == [
        ("status_changed", "voorkeur"),
        ("message_received", ""),
    ]
    assert berichten.delivery_state(messages[0]) == "niet_gemaild_voorkeur"


def test_kinds_that_ask_the_resident_to_act_cannot_be_switched_off(
    db_engine: Any, settings: Settings
) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        berichten.set_preferences(db, owner=OWNER, wanted=set())
        # Even a row written around the service does not silence them.
        db.merge(MessagePreference(owner=OWNER, kind="request_reminder", email_wanted=False))
        db.merge(MessagePreference(owner=OWNER, kind="information_requested", email_wanted=False))
        zaak = new_zaak(db)
        ask(db, zaak, settings, at=RECEIVED, deadline=date(2026, 4, 22))
        assert handling.send_request_reminders(db, settings=settings, now=RECEIVED) == 1
        handling.close_zaak(
            db,
            zaak,
            version=zaak.version,
            result="afgewezen",
            actor=STAFF,
            settings=settings,
            now=RECEIVED,
        )
        db.commit()
        messages = outbox(db)
    assert [(m.kind, m.skipped) for m in messages] == [
        ("information_requested", ""),
        ("request_reminder", ""),
        ("decision_made", "voorkeur"),
    ]


def test_without_an_address_nothing_is_mailed(db_engine: Any, settings: Settings) -> None:
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db, email=None)
        ask(db, zaak, settings, at=RECEIVED)
        db.commit()
        [message] = outbox(db)
    assert (message.kind, message.skipped, message.recipient) == (
        "information_requested",
        "geen_adres",
        "",
    )
    assert message.recipient_bsn == SUZANNE_BSN  # still in the resident's message log
    assert berichten.delivery_state(message) == "geen_adres"


def test_reminder_is_sent_once_and_only_near_the_deadline(
    db_engine: Any, settings: Settings
) -> None:
    # Asked Monday 20 April 2026 with a deadline of Friday 1 May; the reminder goes two working
    # days before: from Wednesday 29 April (King's Day, 27 April, is no working day).
    with Session(db_engine, expire_on_commit=False) as db:
        zaak = new_zaak(db)
        verzoek = ask(db, zaak, settings, at=RECEIVED, deadline=date(2026, 5, 1))
        db.commit()
        for day in (RECEIVED, datetime(2026, 4, 24, 9, 0, tzinfo=UTC)):
            assert handling.send_request_reminders(db, settings=settings, now=day) == 0
        # Tuesday 28 April: two working days ahead is Thursday 30 April, before the deadline.
        tuesday = datetime(2026, 4, 28, 9, 0, tzinfo=UTC)
        assert handling.send_request_reminders(db, settings=settings, now=tuesday) == 0
        wednesday = datetime(2026, 4, 29, 6, 0, tzinfo=UTC)
        assert handling.send_request_reminders(db, settings=settings, now=wednesday) == 1
        for later in (wednesday + timedelta(hours=1), datetime(2026, 5, 4, tzinfo=UTC)):
            assert handling.send_request_reminders(db, settings=settings, now=later) == 0
        db.commit()
        db.refresh(verzoek)
        kinds = [m.kind for m in outbox(db)]
    assert verzoek.reminder_sent_at is not None
    assert kinds == ["information_requested", "request_reminder"]


def test_no_reminder_for_answered_or_lapsed_requests(db_engine: Any, settings: Settings) -> None:
    late = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    with Session(db_engine, expire_on_commit=False) as db:
        answered = new_zaak(db, key="beantwoord")
        verzoek = ask(db, answered, settings, at=RECEIVED, deadline=date(2026, 5, 1))
        handling.answer_request(
            db,
            answered,
            verzoek,
            version=answered.version,
            answer="Hier",
            actor=RESIDENT,
            now=RECEIVED,
        )
        closed = new_zaak(db, key="gesloten")
        ask(db, closed, settings, at=RECEIVED, deadline=date(2026, 5, 1))
        handling.close_zaak(
            db,
            closed,
            version=closed.version,
            result="afgewezen",
            actor=STAFF,
            settings=settings,
            now=RECEIVED,
        )
        db.commit()
        assert handling.send_request_reminders(db, settings=settings, now=late) == 0
        assert "request_reminder" not in [m.kind for m in outbox(db)]
