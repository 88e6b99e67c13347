"""/mijn/gegevens: the BRP record with household, the masked BSN, geheimhouding, the company's
KVK profile with the login's branch first, and the correction request that becomes a case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.aanvragen.models import Draft
from portal.gegevens.models import AccessLogEntry, ContactDetails
from portal.zaken.models import Zaak
from tests.aanvragen.helpers import hidden_fields, post_step
from tests.conftest import (
    DAGOBERT_KVK,
    LANCE_BSN,
    SUZANNE_BSN,
    identity_for,
)
from tests.gegevens.helpers import page, post

Login = Callable[[str], Identity]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def text_of(response: Any) -> str:
    main = page(response).select_one("main")
    assert main is not None
    return main.get_text(" ", strip=True)


def log_count(engine: Any) -> int:
    with Session(engine) as db:
        return int(db.exec(select(func.count()).select_from(AccessLogEntry)).one())


def test_resident_sees_name_household_address_and_nationality(
    client: TestClient, login: Login
) -> None:
    login("lance")
    response = client.get("/mijn/gegevens")
    assert response.status_code == 200
    text = text_of(response)
    for expected in (
        "Lance Smit",
        "L. Smit",
        "30 september 1949",
        "Groningen",
        "Kerkstraat 25",
        "Woont hier sinds 01-06-1981",
        "Nederlandse",
        "Marianne de Jong",
        "Lonneke Smit",
        "Koos Smit",
        "Hendrik Smit",
        "Geertruida Bakker",
    ):
        assert expected in text, expected
    assert "geheimhouding" not in text.lower()


def test_bsn_is_masked_and_revealed_by_a_plain_get_that_logs_and_changes_nothing(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("lance")
    masked = client.get("/mijn/gegevens")
    assert LANCE_BSN not in masked.text
    assert "******858" in masked.text
    reveal = page(masked).find("a", string="Toon uw hele BSN")
    assert reveal is not None
    assert reveal["href"] == "/mijn/gegevens?bsn=toon#persoon"
    before = log_count(db_engine)
    shown = client.get("/mijn/gegevens?bsn=toon")
    assert shown.status_code == 200
    assert LANCE_BSN in text_of(shown)
    assert log_count(db_engine) == before  # the record came from the session; no new row


def test_geheimhouding_is_explained_in_plain_words(client: TestClient, login: Login) -> None:
    login("geheim")
    text = text_of(client.get("/mijn/gegevens"))
    assert "U heeft geheimhouding van uw gegevens" in text
    assert "Wij geven uw gegevens dan niet aan organisaties" in text


def test_geheimhouding_notice_in_english(client: TestClient, login: Login) -> None:
    login("geheim")
    client.get("/taal/en?next=/mijn/gegevens")
    text = text_of(client.get("/mijn/gegevens"))
    assert "My details" in text
    assert "Your details are kept confidential" in text


def test_company_sees_kvk_profile_with_the_login_branch_first(
    client: TestClient, login_as: Callable[[Identity], Identity]
) -> None:
    login_as(identity_for("dagobert", vestiging="000038509520"))
    response = client.get("/mijn/gegevens")
    assert response.status_code == 200
    text = text_of(response)
    for expected in (
        "Test EMZ Dagobert",
        "Tweede handelsnaam 1MZ",
        DAGOBERT_KVK,
        "Eenmanszaak",
        "10110",
        "Abebe Bikilalaan 17 M",
        "Rijksstraatweg 200",
    ):
        assert expected in text, expected
    branches = [
        card.get_text(" ", strip=True) for card in page(response).select(".haren-branch-list li")
    ]
    assert len(branches) == 2  # the main branch is listed once, not twice
    assert "000038509520" in branches[0]
    assert "U bent ingelogd voor deze vestiging" in branches[0]
    assert "Hoofdvestiging" in branches[1]


def test_brp_and_kvk_requests_are_logged_once_per_session_for_that_person(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("lance")
    client.get("/mijn/gegevens")
    client.get("/mijn")
    client.get("/mijn/gegevens")
    login("dagobert")
    client.get("/mijn/gegevens")
    with Session(db_engine) as db:
        rows = db.exec(select(AccessLogEntry)).all()
    assert [(r.action, r.subject_bsn, r.subject_kvk) for r in rows] == [
        ("brp_opgevraagd", LANCE_BSN, None),
        ("kvk_opgevraagd", None, DAGOBERT_KVK),
    ]
    assert all(r.staff_role == "portaal" and r.staff_name == "" for r in rows)


def test_form_prefill_is_a_logged_brp_request_too(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("suzanne")
    start = client.get("/formulieren/correctie-gegevens")
    step = client.post("/formulieren/correctie-gegevens", data=hidden_fields(start))
    assert client.get(step.headers["location"]).status_code == 200
    with Session(db_engine) as db:
        rows = db.exec(select(AccessLogEntry)).all()
    assert [(r.action, r.subject_bsn) for r in rows] == [("brp_opgevraagd", SUZANNE_BSN)]


def test_something_wrong_starts_a_correction_request_that_becomes_a_case(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("lance")
    overview = client.get("/mijn/gegevens")
    link = page(overview).select_one('a[href="/mijn/gegevens/corrigeren?gegeven=geboortedatum"]')
    assert link is not None
    assert "Klopt er iets niet?" in link.get_text()
    explained = client.get(str(link["href"]))
    assert explained.status_code == 200
    started = client.post("/mijn/gegevens/corrigeren", data=hidden_fields(explained))
    assert started.status_code == 303
    first = client.get(started.headers["location"])
    assert first.status_code == 303
    assert first.headers["location"].endswith("/stap/uw-gegevens")
    base = first.headers["location"].rsplit("/stap/", 1)[0]
    assert post_step(client, f"{base}/stap/uw-gegevens", {"email": "l@example.nl"}).is_redirect
    assert post_step(client, f"{base}/stap/over-wie", {"over_wie": "mijzelf"}).is_redirect
    fout = client.get(f"{base}/stap/fout")
    checked = page(fout).select_one('input[name="gegeven"][checked]')
    assert checked is not None
    assert checked["value"] == "geboortedatum"
    answered = post_step(
        client, f"{base}/stap/fout", {"gegeven": "geboortedatum", "juist": "1 oktober 1949"}
    )
    assert answered.is_redirect
    bewijs = client.get(f"{base}/stap/bewijs")
    uploaded = client.post(
        f"{base}/stap/bewijs",
        data=hidden_fields(bewijs),
        files={"bewijs": ("akte.pdf", PDF, "application/pdf")},
    )
    assert uploaded.status_code == 303
    check = client.get(f"{base}/controleren")
    assert check.status_code == 200
    sent = client.post(f"{base}/controleren", data={**hidden_fields(check), "verklaring": "ja"})
    assert sent.status_code == 303
    with Session(db_engine) as db:
        zaak = db.exec(select(Zaak).where(col(Zaak.initiator_bsn) == LANCE_BSN)).one()
    assert zaak.zaaktype == "correctie-gegevens"
    assert zaak.answers["fout"]["gegeven"] == "geboortedatum"


def test_an_open_correction_form_is_reused_with_the_new_field(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("lance")
    post(client, "/mijn/gegevens/corrigeren", gegeven="naam")
    post(client, "/mijn/gegevens/corrigeren", gegeven="nationaliteit")
    post(client, "/mijn/gegevens/corrigeren", gegeven="<script>")
    with Session(db_engine) as db:
        drafts = db.exec(select(Draft)).all()
    assert len(drafts) == 1
    assert drafts[0].answers["fout"]["gegeven"] == "anders"


def test_a_company_is_sent_to_the_kvk_for_corrections(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    login("dagobert")
    assert "kvk.nl" in client.get("/mijn/gegevens/corrigeren").text
    assert post(client, "/mijn/gegevens/corrigeren", gegeven="naam").status_code == 303
    with Session(db_engine) as db:
        assert db.exec(select(Draft)).all() == []


def test_paper_post_choice(client: TestClient, login: Login, db_engine: Any) -> None:
    login("suzanne")
    refused = post(client, "/mijn/gegevens/post", post="per duif")
    assert refused.status_code == 422
    summary = page(refused).select_one(".haren-error-summary a[href='#post']")
    assert summary is not None
    assert "Kies hoe u brieven van ons wilt krijgen" in summary.get_text()
    saved = post(client, "/mijn/gegevens/post", post="papier")
    assert saved.status_code == 303
    shown = client.get(saved.headers["location"])
    assert "Uw keuze voor post is bewaard." in shown.text
    assert page(shown).select_one("#post-papier[checked]") is not None
    with Session(db_engine) as db:
        details = db.get(ContactDetails, f"bsn:{SUZANNE_BSN}")
    assert details is not None
    assert details.paper_post is True


def test_overview_and_navigation_link_to_the_page(client: TestClient, login: Login) -> None:
    login("suzanne")
    overview = page(client.get("/mijn"))
    assert overview.select_one('main a[href="/mijn/gegevens"]') is not None
    assert overview.select_one('nav a[href="/mijn/gegevens"]') is not None
    assert page(client.get("/mijn/gegevens")).select_one(
        'nav a[href="/mijn/gegevens"][aria-current="page"]'
    )
