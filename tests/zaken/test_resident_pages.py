"""The resident's case pages: the list (order, paging, company branches), the case page
(timeline, notes, documents) and that nobody sees another person's case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from auth.dependencies import session_cookie_name, session_policy
from auth.identity import Identity
from auth.sessions import create_session
from portal.settings import Settings
from tests.conftest import DAGOBERT_VESTIGING, csrf_token_for, identity_for
from tests.zaken import resident_helpers as cases

Login = Callable[[str], Identity]


def page(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def text_of(response: Any) -> str:
    return page(response).get_text(" ", strip=True)


def list_references(response: Any) -> list[str]:
    soup = page(response)
    return [
        str(a["href"]).rsplit("/", 1)[-1] for a in soup.select("main .haren-zaak-list h2 a[href]")
    ]


def login_as(client: TestClient, settings: Settings, engine: Any, identity: Identity) -> None:
    with Session(engine) as db:
        token = create_session(db, identity=identity, id_token="", policy=session_policy(settings))
        db.commit()
    client.cookies.set(session_cookie_name(settings), token)


def test_anonymous_visitor_is_sent_to_login(client: TestClient, db_engine: Any) -> None:
    reference = cases.make_zaak(db_engine)
    for path in ("/mijn/zaken", f"/mijn/zaken/{reference}", f"/mijn/zaken/{reference}/intrekken"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/inloggen"), path


def test_staff_cannot_use_the_resident_pages(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine)
    login("staff:behandelaar")
    assert client.get("/mijn/zaken").status_code == 403
    assert client.get(f"/mijn/zaken/{reference}").status_code == 403


def test_empty_list_points_to_the_products(client: TestClient, login: Login) -> None:
    login("suzanne")
    response = client.get("/mijn/zaken")
    assert response.status_code == 200
    assert "U heeft nog geen zaken" in text_of(response)
    assert page(response).select_one("main a[href='/producten']") is not None


def test_list_shows_open_cases_first_then_latest_change(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    now = datetime.now(UTC)
    old_open = cases.make_zaak(db_engine, omschrijving="Oud", received_at=now - timedelta(days=9))
    closed = cases.make_zaak(db_engine, omschrijving="Klaar", received_at=now - timedelta(days=8))
    cases.close(db_engine, closed, result="afgewezen")
    new_open = cases.make_zaak(db_engine, omschrijving="Nieuw", received_at=now - timedelta(days=5))
    waiting = cases.make_zaak(db_engine, omschrijving="Wacht", received_at=now - timedelta(days=7))
    cases.ask(db_engine, waiting)
    cases.make_zaak(db_engine, "lance", omschrijving="Van Lance")
    login("suzanne")
    response = client.get("/mijn/zaken")
    assert response.status_code == 200
    assert list_references(response) == [waiting, new_open, old_open, closed]
    soup = page(response)
    cards = {
        ref: card.get_text(" ", strip=True)
        for ref, card in zip(
            list_references(response), soup.select(".haren-zaak-list > li"), strict=True
        )
    }
    assert "Actie nodig" in cards[waiting]
    assert "Wij wachten op u" in cards[waiting]
    assert "Actie nodig" not in cards[new_open]
    assert "Ontvangen" in cards[new_open]
    assert "Verwacht klaar" in cards[new_open]
    assert "Afgewezen" in cards[closed]
    assert "Afgehandeld op" in cards[closed]
    assert "Van Lance" not in text_of(response)


def test_list_is_paged(client: TestClient, login: Login, db_engine: Any) -> None:
    start = datetime.now(UTC) - timedelta(days=30)
    references = [
        cases.make_zaak(db_engine, omschrijving=f"Zaak {n}", received_at=start + timedelta(hours=n))
        for n in range(25)
    ]
    login("suzanne")
    first = client.get("/mijn/zaken")
    assert list_references(first) == list(reversed(references))[:20]
    assert "Pagina 1 van 2" in text_of(first)
    next_link = page(first).select_one("a[rel=next]")
    assert next_link is not None
    assert next_link["href"] == "/mijn/zaken?pagina=2"
    assert page(first).select_one("a[rel=prev]") is None
    second = client.get("/mijn/zaken?pagina=2")
    assert list_references(second) == list(reversed(references))[20:]
    assert "Pagina 2 van 2" in text_of(second)
    assert page(second).select_one("a[rel=prev]") is not None
    assert page(second).select_one("a[rel=next]") is None
    beyond = client.get("/mijn/zaken?pagina=9")
    assert list_references(beyond) == list(reversed(references))[20:]


def test_company_with_a_branch_sees_only_that_branch(
    client: TestClient, settings: Settings, db_engine: Any
) -> None:
    own_branch = cases.make_zaak(db_engine, "dagobert", vestiging=DAGOBERT_VESTIGING)
    other_branch = cases.make_zaak(db_engine, "dagobert", vestiging="000099999999")
    whole_company = cases.make_zaak(db_engine, "dagobert")
    login_as(client, settings, db_engine, identity_for("dagobert", vestiging=DAGOBERT_VESTIGING))
    response = client.get("/mijn/zaken")
    assert list_references(response) == [own_branch]
    assert client.get(f"/mijn/zaken/{own_branch}").status_code == 200
    assert client.get(f"/mijn/zaken/{other_branch}").status_code == 404
    assert client.get(f"/mijn/zaken/{whole_company}").status_code == 404


def test_company_without_a_branch_sees_all_its_cases(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    branch = cases.make_zaak(db_engine, "dagobert", vestiging=DAGOBERT_VESTIGING)
    company = cases.make_zaak(db_engine, "dagobert")
    cases.make_zaak(db_engine, "bv")
    login("dagobert")
    assert sorted(list_references(client.get("/mijn/zaken"))) == sorted([branch, company])


def test_case_page_shows_timeline_with_notes_but_never_internal_notes(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine)
    cases.set_status(
        db_engine,
        reference,
        note="Wij kijken nu naar uw kenteken.",
        internal="Intern: navragen bij handhaving",
    )
    cases.ask(
        db_engine,
        reference,
        kind="vraag",
        question="Op welk adres staat de auto geregistreerd?",
        internal="Intern: twijfel over adres",
    )
    login("suzanne")
    response = client.get(f"/mijn/zaken/{reference}")
    assert response.status_code == 200
    soup = page(response)
    h1 = soup.select_one("h1")
    assert h1 is not None
    assert reference in h1.get_text()
    assert "Parkeervergunning" in h1.get_text()
    steps = soup.select("ol.haren-timeline > li")
    names = [s.get_text(strip=True) for s in soup.select("ol.haren-timeline > li > strong")]
    assert names == ["Ontvangen", "In behandeling", "Wij wachten op u", "Afgehandeld"]
    current = soup.select('ol.haren-timeline > li[aria-current="step"]')
    assert len(current) == 1
    assert "Wij wachten op u" in current[0].get_text()
    assert "Wij kijken nu naar uw kenteken." in steps[1].get_text()
    assert "Volgende stap" in steps[3].get_text()
    body = text_of(response)
    assert "Intern:" not in body
    action = soup.select_one("section.haren-action")
    assert action is not None
    assert "Actie nodig" in action.get_text()
    assert "Op welk adres staat de auto geregistreerd?" in action.get_text()
    assert "termijn staat stil" in body
    form = action.select_one("form")
    assert form is not None
    assert form.get("enctype") == "multipart/form-data"
    version = form.select_one("input[name=version]")
    assert version is not None
    assert version["value"] == str(cases.load(db_engine, reference).version)
    assert soup.select_one("a[href$='/intrekken']") is not None


def test_case_page_in_english_uses_the_english_status_names(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine)
    cases.ask(db_engine, reference)
    login("suzanne")
    client.get(f"/taal/en?next=/mijn/zaken/{reference}")
    response = client.get(f"/mijn/zaken/{reference}")
    names = [
        s.get_text(strip=True) for s in page(response).select("ol.haren-timeline > li > strong")
    ]
    assert names == ["Received", "Waiting for you", "Being handled", "Completed"]
    assert "Waiting for you" in text_of(client.get("/mijn/zaken"))


def test_closed_case_shows_the_result_and_the_decision_letter(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine)
    cases.close(db_engine, reference, letter=True)
    login("suzanne")
    response = client.get(f"/mijn/zaken/{reference}")
    soup = page(response)
    assert "Uitkomst: Toegekend" in text_of(response)
    assert "Uw vergunning is verleend." in text_of(response)
    assert soup.select('[aria-current="step"]') == []
    # The only form left is the question how we did (tests/prestaties/test_feedback.py).
    forms = [form["action"] for form in soup.select("main form")]
    assert forms == [f"/mijn/zaken/{reference}/reactie"]
    documents = soup.select(".haren-documents li")
    assert len(documents) == 1
    assert "Besluit parkeervergunning" in documents[0].get_text()
    assert "Besluit" in documents[0].select_one(".haren-caption").get_text()  # type: ignore[union-attr]
    assert client.get(f"/mijn/zaken/{reference}/intrekken").status_code == 404


def test_document_downloads_as_an_attachment(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine)
    document_id = cases.add_submission_pdf(db_engine, reference)
    login("suzanne")
    detail = client.get(f"/mijn/zaken/{reference}")
    link = page(detail).select_one(".haren-documents a")
    assert link is not None
    assert link["href"] == f"/mijn/zaken/{reference}/documenten/{document_id}"
    assert "Uw aanvraag" in text_of(detail)
    response = client.get(str(link["href"]))
    assert response.status_code == 200
    assert response.content == cases.PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "aanvraag%20parkeervergunning.pdf" in response.headers["content-disposition"] or (
        "aanvraag parkeervergunning.pdf" in response.headers["content-disposition"]
    )
    assert "no-store" in response.headers["cache-control"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get(f"/mijn/zaken/{reference}/documenten/999999").status_code == 404


def test_a_document_number_beyond_any_row_is_a_bad_request(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    """Found by fuzzing: the driver failed on a number too large for the database (500)."""
    reference = cases.make_zaak(db_engine)
    login("suzanne")
    for number in ("2147483648", "9" * 80):
        response = client.get(f"/mijn/zaken/{reference}/documenten/{number}")
        assert response.status_code == 400
        assert "haren" in response.text.lower()


def test_another_residents_case_is_not_found(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine)
    verzoek_id = cases.ask(db_engine, reference)
    document_id = cases.add_submission_pdf(db_engine, reference)
    version = cases.load(db_engine, reference).version
    login("lance")
    token = csrf_token_for(client)
    assert client.get(f"/mijn/zaken/{reference}").status_code == 404
    assert client.get(f"/mijn/zaken/{reference}/documenten/{document_id}").status_code == 404
    assert client.get(f"/mijn/zaken/{reference}/intrekken").status_code == 404
    answer = client.post(
        f"/mijn/zaken/{reference}/verzoeken/{verzoek_id}",
        data={"csrf_token": token, "version": str(version), "antwoord": "x"},
        files=[("bestanden", ("a.pdf", cases.PDF, "application/pdf"))],
    )
    assert answer.status_code == 404
    withdraw = client.post(
        f"/mijn/zaken/{reference}/intrekken",
        data={"csrf_token": token, "version": str(version), "reden": "Niet nodig"},
    )
    assert withdraw.status_code == 404
    message = client.post(
        f"/mijn/zaken/{reference}/berichten",
        data={"csrf_token": token, "version": str(version), "bericht": "Hallo"},
    )
    assert message.status_code == 404
    assert reference not in text_of(client.get("/mijn/zaken"))
    zaak = cases.load(db_engine, reference)
    assert (zaak.version, zaak.closed_at) == (version, None)
    assert all(r.answered_at is None for r in cases.requests_of(db_engine, reference))


def test_a_request_or_document_of_another_case_is_not_found(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    mine = cases.make_zaak(db_engine, "lance")
    theirs = cases.make_zaak(db_engine)
    their_request = cases.ask(db_engine, theirs)
    their_document = cases.add_submission_pdf(db_engine, theirs)
    login("lance")
    assert client.get(f"/mijn/zaken/{mine}/documenten/{their_document}").status_code == 404
    response = client.post(
        f"/mijn/zaken/{mine}/verzoeken/{their_request}",
        data={
            "csrf_token": csrf_token_for(client),
            "version": str(cases.load(db_engine, mine).version),
            "antwoord": "x",
        },
        files=[("bestanden", ("a.pdf", cases.PDF, "application/pdf"))],
    )
    assert response.status_code == 404
    assert all(r.answered_at is None for r in cases.requests_of(db_engine, theirs))


def test_another_companys_case_is_not_found(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine, "dagobert")
    document_id = cases.add_submission_pdf(db_engine, reference)
    login("bv")
    assert client.get(f"/mijn/zaken/{reference}").status_code == 404
    assert client.get(f"/mijn/zaken/{reference}/documenten/{document_id}").status_code == 404
    assert client.get(f"/mijn/zaken/{reference}/intrekken").status_code == 404
    assert client.get("/mijn/zaken/HRN-2026-999999").status_code == 404
    assert client.get("/mijn/zaken/niet-een-nummer").status_code == 404


def test_overview_links_to_cases_and_messages(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    cases.make_zaak(db_engine)
    login("suzanne")
    response = client.get("/mijn")
    assert response.status_code == 200
    soup = page(response)
    assert soup.select_one("#overzicht-zaken-kaart a[href='/mijn/zaken']") is not None
    assert soup.select_one("main a[href='/mijn/berichten']") is not None
    nav = soup.select_one("nav.haren-nav")
    assert nav is not None
    assert nav.select_one("a[href='/mijn/zaken']") is not None
    assert nav.select_one("a[href='/mijn/berichten']") is not None
