"""The relocation form end to end: prefill from the BRP, steps, check answers, exactly-once
submission into a case with a reference, receipt PDF, e-mail queued, draft gone."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from formulieren.dates import today
from portal.aanvragen.models import Draft
from portal.berichten.models import OutboxMessage
from portal.zaken.models import Zaak
from tests.aanvragen.helpers import begin, hidden_fields, page, post_step

MOVING_DAY = today() + timedelta(days=7)
NEW_ADDRESS = {
    "nieuw_adres-postcode": "9751 AN",
    "nieuw_adres-huisnummer": "10",
    "nieuw_adres-huisletter": "",
    "nieuw_adres-toevoeging": "",
    "nieuw_adres-straat": "Raadhuisplein",
    "nieuw_adres-woonplaats": "Haren",
    "verhuisdatum-dag": str(MOVING_DAY.day),
    "verhuisdatum-maand": str(MOVING_DAY.month),
    "verhuisdatum-jaar": str(MOVING_DAY.year),
    "woonsituatie": "huur",
}


def fill_in_relocation(client: TestClient) -> str:
    """Complete every step; returns the check-answers URL."""
    first = begin(client, "verhuizing")
    response = post_step(client, first, {"email": "suzanne@example.nl"})
    assert response.status_code == 303, page(response).select_one("main").get_text()[:400]  # type: ignore[union-attr]
    response = post_step(client, response.headers["location"], NEW_ADDRESS)
    assert response.status_code == 303
    response = post_step(client, response.headers["location"], {"meeverhuizers": "nee"})
    assert response.status_code == 303
    assert response.headers["location"].endswith("/controleren")
    return str(response.headers["location"])


def test_address_is_prefilled_from_the_brp_and_locked(client: TestClient, login: Any) -> None:
    login("suzanne")
    first = begin(client, "verhuizing")
    html = page(client.get(first))
    text = html.select_one("main").get_text(" ", strip=True)  # type: ignore[union-attr]
    assert "Suzanne Moulin" in text
    assert "Basisregistratie Personen" in text
    assert html.select_one("input[name='naam'][type=text]") is None


def test_changing_a_prefilled_value_is_refused(client: TestClient, login: Any) -> None:
    login("suzanne")
    first = begin(client, "verhuizing")
    current = client.get(first)
    fields = hidden_fields(current)
    fields.update({"email": "suzanne@example.nl", "naam": "Iemand Anders"})
    response = client.post(first, data=fields)
    assert response.status_code == 422
    assert "kunt u hier niet wijzigen" in response.text


def test_missing_answers_get_an_error_summary(client: TestClient, login: Any) -> None:
    login("suzanne")
    first = begin(client, "verhuizing")
    step_two = post_step(client, first, {"email": "suzanne@example.nl"}).headers["location"]
    response = post_step(client, step_two, {})
    assert response.status_code == 422
    html = page(response)
    assert html.select_one("title").get_text().startswith("Fout:")  # type: ignore[union-attr]
    links = [a["href"] for a in html.select(".haren-error-summary a")]
    assert "#nieuw_adres-postcode" in links


def test_whole_journey_ends_in_one_case(client: TestClient, login: Any, db_engine: Any) -> None:
    login("suzanne")
    check_url = fill_in_relocation(client)
    check = client.get(check_url)
    rows = page(check).select(".haren-summary-list__row")
    assert any("Raadhuisplein 10" in r.get_text() for r in rows)
    change_links = page(check).select(".haren-summary-list__actions a")
    assert all("terug=controleren" in str(a["href"]) for a in change_links)
    fields = hidden_fields(check)
    response = client.post(check_url, data={**fields, "verklaring": "ja"})
    assert response.status_code == 303
    confirmation = client.get(response.headers["location"])
    reference = page(confirmation).select_one(".haren-reference").get_text(strip=True)  # type: ignore[union-attr]
    assert reference.startswith(f"HRN-{today().year}-")
    pdf = client.get(response.headers["location"].replace("bevestiging", "ontvangstbewijs.pdf"))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-disposition"].startswith("attachment;")
    with Session(db_engine) as db:
        zaak = db.exec(select(Zaak)).one()
        assert zaak.reference == reference
        assert zaak.initiator_bsn == "999993653"
        assert zaak.answers["nieuw-adres"]["nieuw_adres"]["straat"] == "Raadhuisplein"
        message = db.exec(select(OutboxMessage)).one()
        assert message.recipient == "suzanne@example.nl"
        assert reference in message.body_text
    assert "geen aanvragen" in client.get("/mijn/aanvragen").text
    overview = page(client.get("/mijn"))
    cases = overview.select_one("#overzicht-zaken-kaart")
    assert cases is not None
    assert "1 lopende zaak" in cases.get_text(" ", strip=True)


def test_declaration_is_required(client: TestClient, login: Any) -> None:
    login("suzanne")
    check_url = fill_in_relocation(client)
    response = client.post(check_url, data=hidden_fields(client.get(check_url)))
    assert response.status_code == 422


def test_double_submit_gives_one_case(client: TestClient, login: Any, db_engine: Any) -> None:
    login("suzanne")
    check_url = fill_in_relocation(client)
    fields = {**hidden_fields(client.get(check_url)), "verklaring": "ja"}
    first = client.post(check_url, data=fields)
    second = client.post(check_url, data=fields)
    assert first.headers["location"] == second.headers["location"]
    with Session(db_engine) as db:
        assert len(db.exec(select(Zaak)).all()) == 1


def test_another_residents_draft_is_not_found(client: TestClient, login: Any) -> None:
    login("suzanne")
    first = begin(client, "verhuizing")
    login("lance")
    assert client.get(first).status_code == 404
    assert client.post(first, data={}).status_code in (403, 404)


def test_draft_is_listed_and_can_be_resumed(client: TestClient, login: Any, db_engine: Any) -> None:
    login("suzanne")
    first = begin(client, "verhuizing")
    post_step(client, first, {"email": "suzanne@example.nl"})
    listing = page(client.get("/mijn/aanvragen"))
    assert "Verhuizing doorgeven" in listing.get_text()
    again = begin(client, "verhuizing")
    assert "/stap/nieuw-adres" in again
    with Session(db_engine) as db:
        assert len(db.exec(select(Draft)).all()) == 1


def test_form_needs_digid(client: TestClient) -> None:
    start = client.get("/formulieren/verhuizing")
    assert start.status_code == 200
    login_link = page(start).select_one("main a[href^='/auth/digid/login']")
    assert login_link is not None


def submit_concurrently(
    url: str, cookies: dict[str, str], fields: dict[str, str], n: int
) -> list[str]:
    answers: list[str] = []
    lock = threading.Lock()

    def one() -> None:
        with httpx.Client(cookies=cookies, follow_redirects=False, timeout=60) as browser:
            response = browser.post(url, data=fields)
        with lock:
            answers.append(f"{response.status_code} {response.headers.get('location')}")

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_fifty_concurrent_submits_make_one_case(
    live_server: Any, db_engine: Any, settings: Any
) -> None:
    from auth.dependencies import session_policy
    from auth.sessions import create_session
    from tests.conftest import identity_for

    with Session(db_engine) as db:
        token = create_session(
            db, identity=identity_for("suzanne"), id_token="", policy=session_policy(settings)
        )
        db.commit()
    with httpx.Client(
        base_url=live_server.url, cookies={"mh_sessie": token}, follow_redirects=False
    ) as browser:
        start = browser.get("/formulieren/verhuizing")
        url = browser.post("/formulieren/verhuizing", data=hidden_fields(start)).headers["location"]
        for values in ({"email": "suzanne@example.nl"}, NEW_ADDRESS, {"meeverhuizers": "nee"}):
            current = browser.get(url)
            url = browser.post(url, data={**hidden_fields(current), **values}).headers["location"]
        check = browser.get(url)
        fields = {**hidden_fields(check), "verklaring": "ja"}
        cookies = dict(browser.cookies)
    answers = submit_concurrently(f"{live_server.url}{url}", cookies, fields, 50)
    assert len(set(answers)) == 1, set(answers)
    assert answers[0].startswith("303 ")
    assert answers[0].endswith("/bevestiging")
    with Session(db_engine) as db:
        assert len(db.exec(select(Zaak)).all()) == 1
        assert len(db.exec(select(OutboxMessage)).all()) == 1


def test_expired_drafts_are_purged_by_the_worker(
    client: TestClient, login: Any, db_engine: Any, settings: Any
) -> None:
    import time as clock

    import time_machine

    from portal.worker import run_jobs_once

    login("suzanne")
    begin(client, "verhuizing")
    with time_machine.travel(clock.time() + 31 * 24 * 3600, tick=False):
        results = run_jobs_once(settings)
    assert results["drafts_expired"] == 1
    with Session(db_engine) as db:
        assert db.exec(select(Draft)).all() == []


def test_draft_lifetime_is_configurable_and_told(database_url: str, db_engine: Any) -> None:
    from portal.main import create_app
    from tests.conftest import make_settings

    settings = make_settings(database_url, draft_lifetime_days=2)
    with TestClient(create_app(settings), follow_redirects=False) as other:
        from auth.dependencies import session_policy
        from auth.sessions import create_session
        from tests.conftest import identity_for

        with Session(db_engine) as db:
            token = create_session(
                db, identity=identity_for("suzanne"), id_token="", policy=session_policy(settings)
            )
            db.commit()
        other.cookies.set("mh_sessie", token)
        step = other.get(begin(other, "verhuizing"))
    expected = (today() + timedelta(days=2)).strftime("%d-%m-%Y")
    assert f"bewaard tot {expected}" in page(step).get_text(" ", strip=True)
