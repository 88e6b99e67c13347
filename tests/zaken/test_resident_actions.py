"""What the resident does on the case page: answer a request (with files), send a message and
withdraw. A bad answer changes nothing; a stale or closed case is refused with 409."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.files import file_store
from portal.settings import Settings
from portal.zaken.models import Zaak, ZaakBericht, ZaakDocument, ZaakStatus
from tests.conftest import csrf_token_for
from tests.zaken import resident_helpers as cases

Login = Callable[[str], Identity]
PDF = cases.PDF


def page(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def text_of(response: Any) -> str:
    return page(response).get_text(" ", strip=True)


def documents(engine: Any) -> list[ZaakDocument]:
    with Session(engine) as db:
        return list(db.exec(select(ZaakDocument)).all())


def answer(
    client: TestClient,
    reference: str,
    verzoek_id: int,
    *,
    text: str = "",
    files: list[tuple[str, bytes, str]] | None = None,
    version: int | None = None,
) -> Any:
    if version is None:
        with Session(client.app.state.engine) as db:  # type: ignore[attr-defined]
            zaak = db.exec(select(Zaak).where(col(Zaak.reference) == reference)).one()
            version = zaak.version
    parts = [("bestanden", file) for file in files] if files else [("bestanden", ("", b"", ""))]
    return client.post(
        f"/mijn/zaken/{reference}/verzoeken/{verzoek_id}",
        data={"csrf_token": csrf_token_for(client), "version": str(version), "antwoord": text},
        files=parts,
    )


def test_answering_with_a_pdf_resumes_the_case(
    client: TestClient, login: Login, db_engine: Any, settings: Settings
) -> None:
    reference = cases.make_zaak(db_engine)
    verzoek_id = cases.ask(db_engine, reference)
    assert cases.load(db_engine, reference).paused_at is not None
    login("suzanne")
    response = answer(
        client,
        reference,
        verzoek_id,
        text="Hierbij mijn huurcontract.",
        files=[("huurcontract.pdf", PDF, "application/pdf")],
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/mijn/zaken/{reference}?melding=antwoord"
    zaak = cases.load(db_engine, reference)
    assert zaak.status == "in_behandeling"
    assert zaak.paused_at is None
    [verzoek] = cases.requests_of(db_engine, reference)
    assert verzoek.answered_at is not None
    assert verzoek.answer == "Hierbij mijn huurcontract."
    [document] = documents(db_engine)
    assert (document.source, document.verzoek_id, document.filename) == (
        "inwoner",
        verzoek_id,
        "huurcontract.pdf",
    )
    assert document.added_by  # the resident's name, or "inwoner"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    stored = file_store(settings.data_dir).path_of(document.stored_name)
    assert stored.read_bytes() == PDF
    detail = client.get(response.headers["location"])
    status = page(detail).select_one('[role="status"]')
    assert status is not None
    assert "Uw antwoord is verstuurd" in status.get_text()
    assert page(detail).select("section.haren-action") == []
    assert "Door u gestuurd" in text_of(detail)
    download = client.get(f"/mijn/zaken/{reference}/documenten/{document.id}")
    assert download.content == PDF


def test_a_question_can_be_answered_with_text_only(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine)
    verzoek_id = cases.ask(db_engine, reference, kind="vraag", question="Welke kleur is de auto?")
    login("suzanne")
    response = answer(client, reference, verzoek_id, text="Blauw")
    assert response.status_code == 303
    assert cases.load(db_engine, reference).status == "in_behandeling"
    assert documents(db_engine) == []


def _assert_nothing_changed(engine: Any, reference: str, version: int) -> None:
    zaak = cases.load(engine, reference)
    assert (zaak.version, zaak.status) == (version, "wacht_op_u")
    assert zaak.paused_at is not None
    assert all(r.answered_at is None for r in cases.requests_of(engine, reference))
    assert documents(engine) == []


def test_numbers_beyond_any_row_are_a_bad_request_and_change_nothing(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    """Found by fuzzing: a request number or version too large for the database made the
    driver fail (500); now the form's limits refuse it before anything is looked up."""
    reference = cases.make_zaak(db_engine)
    verzoek_id = cases.ask(db_engine, reference)
    version = cases.load(db_engine, reference).version
    login("suzanne")
    too_large = 2**63
    assert answer(client, reference, too_large, text="Blauw").status_code == 400
    assert answer(client, reference, verzoek_id, text="Blauw", version=too_large).status_code == 400
    for action, field in (("berichten", "bericht"), ("intrekken", "reden")):
        response = client.post(
            f"/mijn/zaken/{reference}/{action}",
            data={"csrf_token": csrf_token_for(client), "version": str(too_large), field: "x"},
        )
        assert response.status_code == 400, action
    _assert_nothing_changed(db_engine, reference, version)


def test_bad_uploads_are_refused_and_nothing_is_saved(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine)
    verzoek_id = cases.ask(db_engine, reference)
    version = cases.load(db_engine, reference).version
    login("suzanne")
    html = b"<!doctype html><html><script>alert(1)</script></html>"
    response = answer(
        client,
        reference,
        verzoek_id,
        text="Alstublieft",
        files=[("contract.pdf", html, "application/pdf"), ("setup.exe", PDF, "application/pdf")],
    )
    assert response.status_code == 422
    soup = page(response)
    summary = soup.select(".haren-error-summary a")
    assert len(summary) == 2
    assert all(a["href"] == f"#bestanden-{verzoek_id}" for a in summary)
    assert soup.select_one(f"#bestanden-{verzoek_id}[aria-invalid=true]") is not None
    typed = soup.select_one(f"#antwoord-{verzoek_id}")
    assert typed is not None
    assert typed.get_text() == "Alstublieft"
    assert soup.title is not None
    assert soup.title.get_text().startswith("Fout:")
    _assert_nothing_changed(db_engine, reference, version)


def test_documents_request_needs_a_file_and_question_needs_an_answer(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine)
    documents_request = cases.ask(db_engine, reference)
    question = cases.ask(db_engine, reference, kind="vraag", question="Hoe lang woont u er?")
    version = cases.load(db_engine, reference).version
    login("suzanne")
    no_file = answer(client, reference, documents_request, text="Zie bijlage")
    assert no_file.status_code == 422
    link = page(no_file).select_one(".haren-error-summary a")
    assert link is not None
    assert link["href"] == f"#bestanden-{documents_request}"
    no_answer = answer(client, reference, question, text="   ")
    assert no_answer.status_code == 422
    link = page(no_answer).select_one(".haren-error-summary a")
    assert link is not None
    assert link["href"] == f"#antwoord-{question}"
    too_long = answer(client, reference, question, text="x" * 4001)
    assert too_long.status_code == 422
    assert "maximaal 4000 tekens" in text_of(too_long)
    six = [(f"bijlage{n}.pdf", PDF, "application/pdf") for n in range(6)]
    too_many = answer(client, reference, documents_request, files=six)
    assert too_many.status_code == 422
    _assert_nothing_changed(db_engine, reference, version)


def test_one_answer_of_two_keeps_the_case_waiting(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine)
    first = cases.ask(db_engine, reference, kind="vraag")
    cases.ask(db_engine, reference, kind="vraag", question="Tweede vraag")
    login("suzanne")
    assert answer(client, reference, first, text="Antwoord").status_code == 303
    zaak = cases.load(db_engine, reference)
    assert zaak.status == "wacht_op_u"
    assert zaak.paused_at is not None
    detail = client.get(f"/mijn/zaken/{reference}")
    assert len(page(detail).select("section.haren-action")) == 1


def test_a_stale_form_is_refused(client: TestClient, login: Login, db_engine: Any) -> None:
    reference = cases.make_zaak(db_engine)
    verzoek_id = cases.ask(db_engine, reference)
    version = cases.load(db_engine, reference).version
    login("suzanne")
    response = answer(
        client,
        reference,
        verzoek_id,
        text="Mijn antwoord",
        files=[("contract.pdf", PDF, "application/pdf")],
        version=version - 1,
    )
    assert response.status_code == 409
    assert "Deze zaak is intussen gewijzigd" in text_of(response)
    typed = page(response).select_one(f"#antwoord-{verzoek_id}")
    assert typed is not None
    assert typed.get_text() == "Mijn antwoord"
    shown = page(response).select_one(
        f"form[action$='/verzoeken/{verzoek_id}'] input[name=version]"
    )
    assert shown is not None
    assert shown["value"] == str(version)
    _assert_nothing_changed(db_engine, reference, version)


def test_answering_a_closed_case_is_refused(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine)
    verzoek_id = cases.ask(db_engine, reference)
    cases.close(db_engine, reference)
    login("suzanne")
    response = answer(client, reference, verzoek_id, files=[("a.pdf", PDF, "application/pdf")])
    assert response.status_code == 409
    assert "afgehandeld" in text_of(response)
    assert documents(db_engine) == []


def test_message_is_stored_in_the_thread(client: TestClient, login: Login, db_engine: Any) -> None:
    reference = cases.make_zaak(db_engine)
    login("suzanne")
    token = csrf_token_for(client)
    version = cases.load(db_engine, reference).version
    empty = client.post(
        f"/mijn/zaken/{reference}/berichten",
        data={"csrf_token": token, "version": str(version), "bericht": " "},
    )
    assert empty.status_code == 422
    link = page(empty).select_one(".haren-error-summary a")
    assert link is not None
    assert link["href"] == "#bericht"
    response = client.post(
        f"/mijn/zaken/{reference}/berichten",
        data={"csrf_token": token, "version": str(version), "bericht": "Wanneer hoor ik iets?"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/mijn/zaken/{reference}?melding=bericht#berichten"
    with Session(db_engine) as db:
        [message] = db.exec(select(ZaakBericht)).all()
    assert (message.sender, message.body) == ("inwoner", "Wanneer hoor ik iets?")
    detail = client.get(f"/mijn/zaken/{reference}")
    assert "Wanneer hoor ik iets?" in text_of(detail)
    cases.close(db_engine, reference)
    closed = client.post(
        f"/mijn/zaken/{reference}/berichten",
        data={"csrf_token": token, "version": str(version), "bericht": "Nog iets"},
    )
    assert closed.status_code == 409
    with Session(db_engine) as db:
        assert len(db.exec(select(ZaakBericht)).all()) == 1


def test_withdraw_needs_a_reason_and_closes_the_case(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine)
    cases.ask(db_engine, reference)
    login("suzanne")
    confirm = client.get(f"/mijn/zaken/{reference}/intrekken")
    assert confirm.status_code == 200
    soup = page(confirm)
    assert soup.select_one("main button[type=submit]").get_text(strip=True) == (  # type: ignore[union-attr]
        "Ja, trek mijn aanvraag in"
    )
    assert soup.select_one(f"a[href='/mijn/zaken/{reference}']") is not None
    version = int(soup.select_one("main input[name=version]")["value"])  # type: ignore[index,arg-type]
    token = csrf_token_for(client)
    no_reason = client.post(
        f"/mijn/zaken/{reference}/intrekken",
        data={"csrf_token": token, "version": str(version), "reden": ""},
    )
    assert no_reason.status_code == 422
    link = page(no_reason).select_one(".haren-error-summary a")
    assert link is not None
    assert link["href"] == "#reden"
    assert cases.load(db_engine, reference).closed_at is None
    too_long = client.post(
        f"/mijn/zaken/{reference}/intrekken",
        data={"csrf_token": token, "version": str(version), "reden": "x" * 1001},
    )
    assert too_long.status_code == 422
    stale = client.post(
        f"/mijn/zaken/{reference}/intrekken",
        data={"csrf_token": token, "version": str(version - 1), "reden": "Verhuisd"},
    )
    assert stale.status_code == 409
    assert "Deze zaak is intussen gewijzigd" in text_of(stale)
    zaak = cases.load(db_engine, reference)
    assert (zaak.closed_at, zaak.withdraw_reason) == (None, "")
    response = client.post(
        f"/mijn/zaken/{reference}/intrekken",
        data={"csrf_token": token, "version": str(version), "reden": "Ik ga toch verhuizen."},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/mijn/zaken/{reference}?melding=ingetrokken"
    zaak = cases.load(db_engine, reference)
    assert zaak.closed_at is not None
    assert zaak.result == "ingetrokken"
    assert zaak.withdraw_reason == "Ik ga toch verhuizen."
    with Session(db_engine) as db:
        last = db.exec(
            select(ZaakStatus).where(ZaakStatus.zaak_id == zaak.id).order_by(col(ZaakStatus.id))
        ).all()[-1]
    assert (last.status, last.internal_note) == ("afgehandeld", "Ik ga toch verhuizen.")
    detail = client.get(response.headers["location"])
    assert "Uitkomst: Ingetrokken" in text_of(detail)
    assert client.get(f"/mijn/zaken/{reference}/intrekken").status_code == 404
    again = client.post(
        f"/mijn/zaken/{reference}/intrekken",
        data={"csrf_token": token, "version": str(zaak.version), "reden": "Nogmaals"},
    )
    assert again.status_code == 404


def test_control_characters_are_refused(client: TestClient, login: Login, db_engine: Any) -> None:
    reference = cases.make_zaak(db_engine)
    verzoek_id = cases.ask(db_engine, reference, kind="vraag")
    version = cases.load(db_engine, reference).version
    login("suzanne")
    token = csrf_token_for(client)
    bad_answer = answer(client, reference, verzoek_id, text="ja\x00nee")
    assert bad_answer.status_code == 422
    assert "tekens die niet zijn toegestaan" in text_of(bad_answer)
    bad_message = client.post(
        f"/mijn/zaken/{reference}/berichten",
        data={"csrf_token": token, "version": str(version), "bericht": "hallo\x1bwereld"},
    )
    assert bad_message.status_code == 422
    bad_reason = client.post(
        f"/mijn/zaken/{reference}/intrekken",
        data={"csrf_token": token, "version": str(version), "reden": "\u202eeman"},
    )
    assert bad_reason.status_code == 422
    _assert_nothing_changed(db_engine, reference, version)
    with Session(db_engine) as db:
        assert db.exec(select(ZaakBericht)).all() == []


def test_a_request_staff_dropped_can_no_longer_be_answered(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    reference = cases.make_zaak(db_engine)
    verzoek_id = cases.ask(db_engine, reference, kind="vraag")
    cases.set_status(db_engine, reference)  # staff go on without the answer
    login("suzanne")
    response = answer(client, reference, verzoek_id, text="Toch nog")
    assert response.status_code == 409
    assert "Deze vraag is vervallen" in text_of(response)
    assert all(r.answered_at is None for r in cases.requests_of(db_engine, reference))
