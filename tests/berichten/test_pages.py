"""The resident's message log and e-mail preferences (/mijn/berichten)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.berichten import service as berichten
from portal.berichten.models import MessagePreference, OutboxMessage
from tests.conftest import DAGOBERT_KVK, LANCE_BSN, SUZANNE_BSN, csrf_token_for
from tests.zaken import resident_helpers as cases

Login = Callable[[str], Identity]


def page(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def queue(
    engine: Any,
    *,
    bsn: str | None = SUZANNE_BSN,
    kvk: str | None = None,
    email: str | None = "inwoner@example.nl",
    kind: str = "status_changed",
    at: datetime | None = None,
    reference: str | None = None,
    sent: bool = False,
    attempts: int = 0,
) -> int:
    with Session(engine) as db:
        message = berichten.queue_message(
            db,
            kind=kind,
            recipient=berichten.Recipient(email=email, bsn=bsn, kvk=kvk),
            subject=berichten.KINDS[kind].label,
            body_text=f"Beste inwoner,\n\n{kind}.\n\nMet vriendelijke groet,\nGemeente Haren\n",
            now=at or datetime.now(UTC),
            zaak_reference=reference,
        )
        if sent:
            message.sent_at = datetime.now(UTC)
        message.attempts = attempts
        db.add(message)
        db.commit()
        assert message.id is not None
        return message.id


def test_log_lists_own_messages_newest_first_with_their_state(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    now = datetime.now(UTC)
    reference = cases.make_zaak(db_engine)
    queue(db_engine, kind="submission_received", at=now - timedelta(days=4), sent=True)
    queue(db_engine, kind="status_changed", at=now - timedelta(days=3), reference=reference)
    queue(db_engine, kind="decision_made", at=now - timedelta(days=2), attempts=2)
    queue(db_engine, kind="message_received", at=now - timedelta(days=1), email=None)
    with Session(db_engine) as db:
        berichten.set_preferences(db, owner=f"bsn:{SUZANNE_BSN}", wanted=set())
        db.commit()
    queue(db_engine, kind="status_changed", at=now)
    queue(db_engine, bsn=LANCE_BSN, kind="information_requested", at=now)
    login("suzanne")
    response = client.get("/mijn/berichten")
    assert response.status_code == 200
    items = page(response).select(".haren-message-list > li")
    states = [item.select_one(".haren-meta").get_text(" ", strip=True) for item in items]  # type: ignore[union-attr]
    assert len(items) == 5
    assert "Niet gemaild: u heeft dit soort e-mail uitgezet" in states[0]
    assert "Niet gemaild: wij hebben geen e-mailadres van u" in states[1]
    assert "Vertraagd: wij proberen het opnieuw" in states[2]
    assert "Wordt verstuurd" in states[3]
    assert "Verstuurd per e-mail" in states[4]
    link = items[3].select_one(f"a[href='/mijn/zaken/{reference}']")
    assert link is not None
    assert items[0].select_one("details summary") is not None
    assert "Met vriendelijke groet" in items[0].select_one("details").get_text()  # type: ignore[union-attr]
    assert "Wij hebben informatie van u nodig" not in response.text  # Lance's message
    assert page(response).select_one("a[href='/mijn/berichten/voorkeuren']") is not None


def test_company_sees_the_messages_of_its_kvk_number(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    queue(db_engine, bsn=None, kvk=DAGOBERT_KVK, kind="decision_made")
    queue(db_engine, kind="status_changed")
    login("dagobert")
    items = page(client.get("/mijn/berichten")).select(".haren-message-list > li")
    assert len(items) == 1
    assert "Wij hebben uw zaak afgehandeld" in items[0].get_text()


def test_log_is_paged(client: TestClient, login: Login, db_engine: Any) -> None:
    start = datetime.now(UTC) - timedelta(days=1)
    for n in range(berichten.PAGE_SIZE + 3):
        queue(db_engine, at=start + timedelta(minutes=n))
    login("suzanne")
    first = page(client.get("/mijn/berichten"))
    assert len(first.select(".haren-message-list > li")) == berichten.PAGE_SIZE
    assert "Pagina 1 van 2" in first.get_text()
    second = page(client.get("/mijn/berichten?pagina=2"))
    assert len(second.select(".haren-message-list > li")) == 3
    beyond = page(client.get("/mijn/berichten?pagina=50"))
    assert len(beyond.select(".haren-message-list > li")) == 3


def test_empty_log(client: TestClient, login: Login) -> None:
    login("lance")
    response = client.get("/mijn/berichten")
    assert "Wij hebben u nog geen berichten gestuurd." in page(response).get_text()


def test_preferences_switch_off_status_messages_but_not_requests(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine)
    login("suzanne")
    form = client.get("/mijn/berichten/voorkeuren")
    assert form.status_code == 200
    soup = page(form)
    boxes = {str(box["value"]): box for box in soup.select("main input[type=checkbox]")}
    assert set(boxes) == set(berichten.KINDS)
    assert all(box.has_attr("checked") for box in boxes.values())
    for code, kind in berichten.KINDS.items():
        assert boxes[code].has_attr("disabled") == kind.mandatory
    assert "Dit bericht krijgt u altijd, omdat u dan iets moet doen" in soup.get_text()
    wanted = [code for code in berichten.KINDS if code != "status_changed"]
    response = client.post(
        "/mijn/berichten/voorkeuren",
        data={"csrf_token": csrf_token_for(client), "soort": wanted},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/mijn/berichten/voorkeuren?opgeslagen=1"
    saved = page(client.get(response.headers["location"]))
    assert saved.select_one('[role="status"]') is not None
    assert not saved.select_one("input[value=status_changed]").has_attr("checked")  # type: ignore[union-attr]
    cases.set_status(db_engine, reference)
    cases.ask(db_engine, reference)
    with Session(db_engine) as db:
        messages = db.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    by_kind = {m.kind: m.skipped for m in messages}
    assert by_kind == {"status_changed": "voorkeur", "information_requested": ""}


def test_unknown_preference_is_refused_and_nothing_changes(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("suzanne")
    response = client.post(
        "/mijn/berichten/voorkeuren",
        data={"csrf_token": csrf_token_for(client), "soort": ["status_changed", "spam"]},
    )
    assert response.status_code == 422
    soup = page(response)
    link = soup.select_one(".haren-error-summary a")
    assert link is not None
    assert link["href"] == "#soort"
    with Session(db_engine) as db:
        assert db.exec(select(MessagePreference)).all() == []


def test_anonymous_and_staff_cannot_see_messages(client: TestClient, login: Login) -> None:
    response = client.get("/mijn/berichten")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/inloggen")
    assert client.get("/mijn/berichten/voorkeuren").status_code == 303
    login("staff:kcc")
    assert client.get("/mijn/berichten").status_code == 403
