"""E-mail address and phone number, each verified with a one-time code. Wrong, expired, used up
and other people's codes fail with a clear message and change nothing; a verified address is
where messages go, and the old address hears of a change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.berichten import service as berichten
from portal.berichten.models import OutboxMessage
from portal.gegevens.models import ContactDetails, VerificationCode
from portal.settings import Settings
from tests.conftest import LANCE_BSN, SUZANNE_BSN
from tests.gegevens.helpers import emailed_code, page, post, texted_code

Login = Callable[[str], Identity]
EMAIL = "/mijn/gegevens/e-mail"
EMAIL_CODE = "/mijn/gegevens/e-mail/code"


def details(engine: Any, bsn: str = SUZANNE_BSN) -> ContactDetails | None:
    with Session(engine) as db:
        return db.get(ContactDetails, f"bsn:{bsn}")


def error_text(response: Any) -> str:
    summary = page(response).select_one(".haren-error-summary, .utrecht-alert--error")
    assert summary is not None, response.text[:500]
    return summary.get_text(" ", strip=True)


def verify_email(client: TestClient, engine: Any, address: str) -> Any:
    assert post(client, EMAIL, email=address).status_code == 303
    return post(client, EMAIL_CODE, code=emailed_code(engine, address))


def test_a_verified_address_is_stored_and_shown(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("suzanne")
    sent = post(client, EMAIL, email=" suzanne@example.nl ")
    assert sent.status_code == 303
    assert sent.headers["location"] == EMAIL_CODE
    form = client.get(EMAIL_CODE)
    assert "suzanne@example.nl" in form.text
    assert details(db_engine) is None  # nothing is used before the code comes back
    done = post(client, EMAIL_CODE, code=emailed_code(db_engine, "suzanne@example.nl"))
    assert done.status_code == 303
    shown = client.get(done.headers["location"])
    assert "Uw e-mailadres is bevestigd" in shown.text
    stored = details(db_engine)
    assert stored is not None
    assert stored.email == "suzanne@example.nl"
    assert stored.email_verified_at is not None


def test_codes_are_hashed_and_the_used_code_leaves_the_outbox(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("suzanne")
    post(client, EMAIL, email="suzanne@example.nl")
    code = emailed_code(db_engine, "suzanne@example.nl")
    with Session(db_engine) as db:
        row = db.exec(select(VerificationCode)).one()
    assert code not in row.code_hash
    assert len(row.code_hash) == 64
    post(client, EMAIL_CODE, code=code)
    with Session(db_engine) as db:
        message = db.exec(
            select(OutboxMessage).where(col(OutboxMessage.kind) == "verification_code")
        ).one()
    assert code not in message.body_text
    # The code mail is not in the person's message log: reading it there would prove nothing.
    assert message.recipient_bsn is None
    assert "Uw code voor Mijn Haren" not in client.get("/mijn/berichten").text


def test_messages_go_to_the_verified_address(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("suzanne")
    verify_email(client, db_engine, "geverifieerd@example.nl")
    with Session(db_engine) as db:
        to_person = berichten.queue_message(
            db,
            kind="status_changed",
            recipient=berichten.Recipient(email="oud@example.nl", bsn=SUZANNE_BSN),
            subject="s",
            body_text="b",
            now=datetime.now(UTC),
        )
        someone_else = berichten.queue_message(
            db,
            kind="status_changed",
            recipient=berichten.Recipient(email="lance@example.nl", bsn=LANCE_BSN),
            subject="s",
            body_text="b",
            now=datetime.now(UTC),
        )
        db.commit()
        assert to_person.recipient == "geverifieerd@example.nl"
        assert someone_else.recipient == "lance@example.nl"


def test_an_unverified_address_is_never_used(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("suzanne")
    post(client, EMAIL, email="niet-bevestigd@example.nl")
    with Session(db_engine) as db:
        message = berichten.queue_message(
            db,
            kind="status_changed",
            recipient=berichten.Recipient(email="zaak@example.nl", bsn=SUZANNE_BSN),
            subject="s",
            body_text="b",
            now=datetime.now(UTC),
        )
        assert message.recipient == "zaak@example.nl"


def test_changing_the_address_notifies_the_old_one(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("suzanne")
    verify_email(client, db_engine, "oud@example.nl")
    verify_email(client, db_engine, "nieuw@example.nl")
    with Session(db_engine) as db:
        notice = db.exec(
            select(OutboxMessage).where(col(OutboxMessage.kind) == "email_changed")
        ).one()
    assert notice.recipient == "oud@example.nl"
    assert notice.recipient_bsn == SUZANNE_BSN
    stored = details(db_engine)
    assert stored is not None
    assert stored.email == "nieuw@example.nl"


def test_a_wrong_code_fails_clearly_and_changes_nothing(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("suzanne")
    verify_email(client, db_engine, "oud@example.nl")
    post(client, EMAIL, email="nieuw@example.nl")
    right = emailed_code(db_engine, "nieuw@example.nl")
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    refused = post(client, EMAIL_CODE, code=wrong)
    assert refused.status_code == 422
    assert "Deze code klopt niet" in error_text(refused)
    assert page(refused).title is not None
    assert page(refused).title.text.startswith("Fout:")
    stored = details(db_engine)
    assert stored is not None
    assert stored.email == "oud@example.nl"
    assert post(client, EMAIL_CODE, code="12ab").status_code == 422
    # The right code still works afterwards (within the tries).
    assert post(client, EMAIL_CODE, code=right).status_code == 303


def test_an_expired_code_fails(client: TestClient, login: Login, db_engine: Any) -> None:
    login("suzanne")
    post(client, EMAIL, email="suzanne@example.nl")
    code = emailed_code(db_engine, "suzanne@example.nl")
    with Session(db_engine) as db:
        db.execute(
            update(VerificationCode).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.commit()
    refused = post(client, EMAIL_CODE, code=code)
    assert refused.status_code == 422
    assert "Deze code is verlopen" in error_text(refused)
    assert details(db_engine) is None


def test_too_many_tries_end_the_code(
    client: TestClient, login: Login, db_engine: Any, settings: Settings
) -> None:
    login("suzanne")
    post(client, EMAIL, email="suzanne@example.nl")
    code = emailed_code(db_engine, "suzanne@example.nl")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(settings.verification_code_max_attempts - 1):
        assert "Deze code klopt niet" in error_text(post(client, EMAIL_CODE, code=wrong))
    last = post(client, EMAIL_CODE, code=wrong)
    assert "te vaak een verkeerde code" in error_text(last)
    now_right = post(client, EMAIL_CODE, code=code)
    assert now_right.status_code == 422
    assert "Vraag een nieuwe code aan" in error_text(now_right)
    assert details(db_engine) is None


def test_another_persons_code_does_not_work(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("lance")
    post(client, EMAIL, email="gedeeld@example.nl")
    lance_code = emailed_code(db_engine, "gedeeld@example.nl")
    login("suzanne")
    refused = post(client, EMAIL_CODE, code=lance_code)
    assert refused.status_code == 422  # Suzanne has no code of her own
    post(client, EMAIL, email="suzanne@example.nl")
    suzanne_code = emailed_code(db_engine, "suzanne@example.nl")
    if suzanne_code != lance_code:
        assert post(client, EMAIL_CODE, code=lance_code).status_code == 422
    assert details(db_engine, SUZANNE_BSN) is None or suzanne_code == lance_code
    assert details(db_engine, LANCE_BSN) is None
    login("lance")
    assert post(client, EMAIL_CODE, code=lance_code).status_code == 303


def test_a_new_code_replaces_the_old_one(client: TestClient, login: Login, db_engine: Any) -> None:
    login("suzanne")
    post(client, EMAIL, email="eerst@example.nl")
    first = emailed_code(db_engine, "eerst@example.nl")
    post(client, EMAIL, email="daarna@example.nl")
    second = emailed_code(db_engine, "daarna@example.nl")
    if first != second:
        assert post(client, EMAIL_CODE, code=first).status_code == 422
    assert post(client, EMAIL_CODE, code=second).status_code == 303
    stored = details(db_engine)
    assert stored is not None
    assert stored.email == "daarna@example.nl"


def test_a_bad_address_is_refused(client: TestClient, login: Login, db_engine: Any) -> None:
    login("suzanne")
    refused = post(client, EMAIL, email="geen adres")
    assert refused.status_code == 422
    assert "Vul een e-mailadres in" in error_text(refused)
    assert page(refused).select_one("#email[aria-invalid=true]") is not None
    with Session(db_engine) as db:
        assert db.exec(select(VerificationCode)).all() == []


def test_phone_is_verified_with_a_texted_code(
    client: TestClient, login: Login, db_engine: Any, settings: Settings, tmp_path: Path
) -> None:
    login("suzanne")
    assert post(client, "/mijn/gegevens/telefoon", telefoon="06 1234").status_code == 422
    sent = post(client, "/mijn/gegevens/telefoon", telefoon="06-12 34 56 78")
    assert sent.status_code == 303
    code = texted_code(settings.data_dir, "+31612345678")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert post(client, "/mijn/gegevens/telefoon/code", code=wrong).status_code == 422
    stored = details(db_engine)
    assert stored is None or stored.phone is None
    done = post(client, "/mijn/gegevens/telefoon/code", code=code)
    assert done.status_code == 303
    stored = details(db_engine)
    assert stored is not None
    assert stored.phone == "+31612345678"
    assert stored.phone_verified_at is not None
    assert stored.email is None


def test_a_company_verifies_an_address_too(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("dagobert")
    assert verify_email(client, db_engine, "info@dagobert.example").status_code == 303
    with Session(db_engine) as db:
        stored = db.get(ContactDetails, "kvk:69599084")
    assert stored is not None
    assert stored.email == "info@dagobert.example"


def test_sending_codes_is_limited_per_minute(
    client: TestClient, login: Login, db_engine: Any, settings: Settings
) -> None:
    login("suzanne")
    for number in range(settings.verification_code_max_attempts):
        assert post(client, EMAIL, email=f"a{number}@example.nl").status_code == 303
    limited = post(client, EMAIL, email="nog-een@example.nl")
    assert limited.status_code == 429
    assert "retry-after" in limited.headers
    with Session(db_engine) as db:
        addresses = {c.address for c in db.exec(select(VerificationCode)).all()}
    assert "nog-een@example.nl" not in addresses
