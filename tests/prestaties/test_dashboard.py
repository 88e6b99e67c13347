"""The back-office figures: who may look, the live figures per product and behandelaar, the open
cases about to break their norm, and the residents' comments (anonymous unless allowed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from auth.identity import Identity
from portal.prestaties import reacties, service
from portal.zaken import handling
from portal.zaken import service as zaken_service
from tests.conftest import SUZANNE_BSN
from tests.zaken import resident_helpers as cases

Login = Callable[[str], Identity]


def assign(engine: Any, reference: str, subject: str, name: str) -> None:
    with Session(engine) as db:
        zaak = zaken_service.get_zaak_by_reference(db, reference=reference)
        assert zaak is not None
        handling.assign(
            db,
            zaak,
            version=zaak.version,
            staff_subject=subject,
            staff_name=name,
            now=datetime.now(UTC),
        )
        db.commit()


def closed_cases(engine: Any, count: int, *, assigned: int = 0) -> list[str]:
    """`count` closed cases of Suzanne, the first `assigned` handled by Bram."""
    references = []
    for number in range(count):
        reference = cases.make_zaak(engine)
        if number < assigned:
            assign(engine, reference, "medewerker-bram", "Bram Behandelaar")
        cases.close(engine, reference)
        references.append(reference)
    return references


def comment(
    db: Session,
    *,
    subject_id: int,
    text: str,
    share: bool = False,
    kind: str = "zaak",
    score: int = 4,
    at: datetime | None = None,
) -> None:
    reacties.give_feedback(
        db,
        subject_kind=kind,
        subject_id=subject_id,
        product="parkeervergunning",
        month="2026-10",
        score=score,
        comment=text,
        share_identity=share,
        owner_bsn=SUZANNE_BSN,
        owner_kvk=None,
        now=at or datetime.now(UTC),
    )


def soup_of(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def rows(response: Any, caption_id: str) -> list[list[str]]:
    table = soup_of(response).find(id=caption_id)
    assert table is not None
    assert table.parent is not None
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        for row in table.parent.select("tbody tr")
    ]


@pytest.mark.parametrize("path", ["/backoffice/prestaties", "/backoffice/prestaties/reacties"])
def test_who_may_look(client: TestClient, login: Login, path: str) -> None:
    assert client.get(path).status_code in (302, 303, 307)
    for kind, status in [
        ("suzanne", 403),
        ("staff:kcc", 403),
        ("staff:balie", 403),
        ("staff:behandelaar", 200),
        ("staff:beheerder", 200),
    ]:
        login(kind)
        assert client.get(path).status_code == status, kind


def test_the_figures_per_product_and_behandelaar(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    closed_cases(db_engine, 10, assigned=4)
    login("staff:beheerder")
    page = client.get("/backoffice/prestaties")
    assert page.status_code == 200
    (this_month, last_month) = rows(page, "per-product-titel")
    # Ten cases closed within their norm, none asked for more information.
    assert this_month[0].lower().startswith("parkeervergunning")
    assert this_month[2:4] == ["10", "100%"]
    assert this_month[7] == "100%"
    assert last_month[2:] == ["0", "geen zaken afgehandeld"]
    handlers = rows(page, "per-behandelaar-titel")
    assert handlers == [
        ["Niet toegewezen", "6", "minder dan 10", "minder dan 10"],
        ["Bram Behandelaar", "4", "minder dan 10", "minder dan 10"],
    ]


def test_handler_figures_in_one_grouped_query(db_engine: Any) -> None:
    closed_cases(db_engine, 12, assigned=10)
    today = datetime.now(UTC).date()
    with Session(db_engine) as db:
        figures = service.handler_figures(db, months=service.last_months(today, 2))
    bram, nobody = figures
    assert (bram.staff_subject, bram.staff_name, bram.closed) == (
        "medewerker-bram",
        "Bram Behandelaar",
        10,
    )
    assert (bram.within_norm_share, bram.first_time_right_share) == (100.0, 100.0)
    assert (nobody.staff_subject, nobody.closed, nobody.within_norm_share) == (None, 2, None)


def test_the_cases_about_to_break_their_norm(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    today = datetime.now(UTC).date()
    soon = cases.make_zaak(db_engine)
    later = cases.make_zaak(db_engine)
    late = cases.make_zaak(db_engine)
    with Session(db_engine) as db:
        for reference, due in [
            (soon, zaken_service.add_working_days(today, 1)),
            (later, today + timedelta(days=30)),
            (late, today - timedelta(days=3)),
        ]:
            zaak = zaken_service.get_zaak_by_reference(db, reference=reference)
            assert zaak is not None
            zaak.due_by_norm = due
            db.add(zaak)
        db.commit()
    login("staff:behandelaar")
    page = client.get("/backoffice/prestaties")
    listed = rows(page, "bijna-te-laat-titel")
    assert [row[0] for row in listed] == [late, soon]
    assert "te laat" in listed[0][2]
    assert "te laat" not in listed[1][2]
    links = [a["href"] for a in soup_of(page).select("#bijna-te-laat ~ div table a")]
    assert f"/backoffice/zaken/{late}" in links
    assert f"/backoffice/zaken/{soon}" in links


def test_the_comments_hide_who_wrote_them_unless_allowed(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    shared, hidden = closed_cases(db_engine, 2)
    with Session(db_engine) as db:
        ids = {}
        for reference in (shared, hidden):
            zaak = zaken_service.get_zaak_by_reference(db, reference=reference)
            assert zaak is not None
            ids[reference] = zaak.id
        now = datetime.now(UTC)
        comment(db, subject_id=ids[hidden], text="Anoniem bedoeld", at=now - timedelta(hours=2))
        comment(db, subject_id=ids[shared], text="Mag u weten", share=True, score=2, at=now)
        comment(db, subject_id=999_999, text="", kind="afspraak")  # a score without comment
        db.commit()
    login("staff:beheerder")
    page = client.get("/backoffice/prestaties/reacties")
    items = soup_of(page).select("main .haren-thread > li")
    assert len(items) == 2
    first, second = (item.get_text(" ", strip=True) for item in items)
    assert "Mag u weten" in first
    assert "cijfer 2 van 5" in first
    assert "Suzanne Moulin" in first
    assert SUZANNE_BSN in first
    assert items[0].select_one(f'a[href="/backoffice/zaken/{shared}"]') is not None
    assert "Anoniem bedoeld" in second
    assert "Anoniem" in second
    assert "Suzanne" not in second
    assert SUZANNE_BSN not in second
    assert hidden not in second
    assert "oktober 2026" in second


def test_the_comments_are_paged_newest_first(
    client: TestClient, login: Login, db_engine: Any
) -> None:
    start = datetime(2026, 10, 1, 9, tzinfo=UTC)
    with Session(db_engine) as db:
        for number in range(26):
            comment(
                db, subject_id=number, text=f"Reactie {number}", at=start + timedelta(hours=number)
            )
        db.commit()
    login("staff:behandelaar")
    first = soup_of(client.get("/backoffice/prestaties/reacties"))
    texts = [li.get_text(" ", strip=True) for li in first.select("main .haren-thread > li")]
    assert len(texts) == 25
    assert "Reactie 25" in texts[0]
    assert "Reactie 1 " in texts[-1] + " "
    assert first.select_one('a[rel="next"][href="/backoffice/prestaties/reacties?pagina=2"]')
    second = soup_of(client.get("/backoffice/prestaties/reacties?pagina=2"))
    (last,) = second.select("main .haren-thread > li")
    assert "Reactie 0" in last.get_text()
    assert client.get("/backoffice/prestaties/reacties?pagina=0").status_code == 400


def test_the_home_page_links_to_the_figures(client: TestClient, login: Login) -> None:
    login("staff:behandelaar")
    assert 'href="/backoffice/prestaties"' in client.get("/backoffice").text
    login("staff:kcc")
    assert 'href="/backoffice/prestaties"' not in client.get("/backoffice").text
