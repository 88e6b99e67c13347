"""The worker's round: reminders for open requests are written and e-mailed in the same round, and
a case's e-mails hold nothing but the name and a link to the case in Mijn Haren."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from portal.berichten.models import OutboxMessage
from portal.berichten.sender import SmtpMailSender, deliver_pending
from portal.settings import Settings
from portal.worker import run_jobs_once
from portal.zaken import handling, zaaktypen
from portal.zaken import service as zaken_service
from tests.berichten.test_sender import Inbox
from tests.conftest import free_port, make_settings

SUZANNE_BSN = "999993653"
STAFF = handling.Actor(subject="behandelaar", name="Bram Behandelaar", role="behandelaar")
RESIDENT = handling.Actor(subject=SUZANNE_BSN, name="Suzanne Moulin", role="inwoner")


@pytest.fixture
def mail_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def smtp_settings(database_url: str, port: int, data_dir: Path) -> Settings:
    return make_settings(database_url, mail_backend="smtp", smtp_port=port, data_dir=data_dir)


def received(inbox: Inbox) -> list[EmailMessage]:
    return [
        email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[misc]
        for envelope in inbox.messages
    ]


def new_zaak(db: Session, *, received_at: datetime, answers: dict[str, Any]) -> Any:
    return zaken_service.create_zaak(
        db,
        zaaktype="parkeervergunning",
        omschrijving="Parkeervergunning voor bewoners",
        initiator=zaken_service.Initiator(
            kind="natuurlijk_persoon", bsn=SUZANNE_BSN, name="Suzanne Moulin"
        ),
        answers=answers,
        submission_token="worker-test",
        received_at=received_at,
        contact_email="suzanne.moulin@example.nl",
    )


def test_a_reminder_is_written_and_mailed_in_the_same_round(
    db_engine: Any, database_url: str, mail_server: Any, tmp_path: Path
) -> None:
    inbox, port = mail_server
    settings = smtp_settings(database_url, port, tmp_path)
    asked = datetime.now(UTC) - timedelta(days=10)
    with Session(db_engine) as db:
        zaak = new_zaak(db, received_at=asked, answers={})
        handling.request_information(
            db,
            zaak,
            version=1,
            kind="documenten",
            question="Stuur het kentekenbewijs",
            deadline=(datetime.now(UTC) + timedelta(days=1)).date(),
            actor=STAFF,
            settings=settings,
            now=asked,
        )
        db.commit()

    first = run_jobs_once(settings)
    assert first["request_reminders"] == 1
    assert first["mail_sent"] == 2
    assert sorted(str(m["Subject"]) for m in received(inbox)) == [
        "Herinnering: wij wachten nog op uw reactie",
        "Wij hebben informatie van u nodig",
    ]
    second = run_jobs_once(settings)
    assert (second["request_reminders"], second["mail_sent"]) == (0, 0)
    assert len(inbox.messages) == 2


def test_case_emails_hold_only_the_name_and_a_link(
    db_engine: Any, database_url: str, mail_server: Any, tmp_path: Path
) -> None:
    inbox, port = mail_server
    settings = smtp_settings(database_url, port, tmp_path)
    start = datetime.now(UTC) - timedelta(days=3)
    secret_answers = {
        "aanvrager": {"bsn": SUZANNE_BSN, "telefoon": "0612345678"},
        "voertuig": {"kenteken": "XZ-123-Q", "merk": "Volvo"},
    }
    with Session(db_engine) as db:
        zaak = new_zaak(db, received_at=start, answers=secret_answers)
        step = start
        handling.change_status(
            db,
            zaak,
            version=zaak.version,
            status=zaaktypen.IN_PROGRESS,
            actor=STAFF,
            settings=settings,
            now=step,
            note_for_resident="Notitie voor Suzanne: Volvo",
            internal_note="intern: BSN 999993653 gecontroleerd",
        )
        step += timedelta(minutes=1)
        verzoek = handling.request_information(
            db,
            zaak,
            version=zaak.version,
            kind="documenten",
            question="Stuur een kopie van het kentekenbewijs van de XZ-123-Q",
            deadline=(datetime.now(UTC) + timedelta(days=1)).date(),
            actor=STAFF,
            settings=settings,
            now=step,
        )
        handling.send_request_reminders(db, settings=settings, now=datetime.now(UTC))
        step += timedelta(minutes=1)
        handling.answer_request(
            db,
            zaak,
            verzoek,
            version=zaak.version,
            answer="Bijgevoegd",
            actor=RESIDENT,
            now=step,
        )
        handling.post_message(
            db,
            zaak,
            body="Uw Volvo XZ-123-Q staat goed geregistreerd.",
            actor=STAFF,
            settings=settings,
            now=step,
        )
        handling.close_zaak(
            db,
            zaak,
            version=zaak.version,
            result="toegekend",
            actor=STAFF,
            settings=settings,
            now=step,
            note_for_resident="Vergunning voor XZ-123-Q toegekend",
        )
        db.commit()
        reference = zaak.reference
        kinds = sorted(m.kind for m in db.exec(select(OutboxMessage)).all())

    assert kinds == sorted(
        [
            "status_changed",
            "information_requested",
            "request_reminder",
            "message_received",
            "decision_made",
        ]
    )
    assert deliver_pending(db_engine, settings, SmtpMailSender(settings), datetime.now(UTC)) == 5
    mails = received(inbox)
    assert len(mails) == 5
    forbidden = [
        SUZANNE_BSN,
        "0612345678",
        "XZ-123-Q",
        "Volvo",
        "Parkeervergunning",
        "parkeervergunning",
        "kentekenbewijs",
        "toegekend",
        "intern",
        "Notitie",
    ]
    for mail in mails:
        body = mail.get_content()
        text = f"{mail['Subject']}\n{body}"
        assert [word for word in forbidden if word in text] == []
        assert body.startswith("Beste Suzanne Moulin,")
        links = [line for line in body.splitlines() if "://" in line]
        case_link = f"http://testserver/mijn/zaken/{reference}"
        # The closing e-mail also links to the feedback question on the case page.
        closing = mail["Subject"] == "Wij hebben uw zaak afgehandeld"
        assert links == ([case_link, f"{case_link}#reactie"] if closing else [case_link])
        assert mail["To"] == "suzanne.moulin@example.nl"
