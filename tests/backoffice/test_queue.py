"""The work queue: who may see it, each filter, search, the overdue label, and keyset paging
that visits every case exactly once in both directions."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, select

from auth.identity import Identity
from portal.backoffice import queue
from portal.backoffice.web import today
from portal.zaken.models import Zaak
from tests.backoffice.helpers import REFERENCE_IN_PAGE, new_zaak

QUEUE = "/backoffice/zaken"


def references(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    table = soup.find("table")
    return REFERENCE_IN_PAGE.findall(table.get_text(" ")) if table else []


def paging_link(html: str, rel: str) -> str | None:
    link = BeautifulSoup(html, "html.parser").find("a", rel=rel)
    return str(link["href"]) if link else None


def test_kcc_and_behandelaar_see_the_queue(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    reference = new_zaak(db_engine)
    for role in ("staff:kcc", "staff:behandelaar"):
        login(role)
        response = client.get(QUEUE)
        assert response.status_code == 200
        assert references(response.text) == [reference]


def test_others_may_not_see_the_queue(client: TestClient, login: Callable[[str], Identity]) -> None:
    response = client.get(QUEUE)
    assert response.status_code in (302, 303, 307)
    assert "/inloggen" in response.headers["location"] or "/auth/" in response.headers["location"]
    login("staff:beheerder")
    assert client.get(QUEUE).status_code == 403
    login("suzanne")
    assert client.get(QUEUE).status_code == 403


def test_filters_each_narrow_the_queue(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    identity = login("staff:behandelaar")
    now = today()
    relocation = new_zaak(db_engine, due=now + timedelta(days=20))
    passport = new_zaak(db_engine, product="paspoort", due=now + timedelta(days=30))
    late = new_zaak(db_engine, product="paspoort", due=now - timedelta(days=3))
    this_week = new_zaak(db_engine, due=now)
    with Session(db_engine) as db:
        db.execute(
            update(Zaak)
            .where(Zaak.reference == passport)  # type: ignore[arg-type]
            .values(status="in_behandeling", assigned_to=identity.subject, assigned_name="Ik")
        )
        db.commit()

    def shown(**params: str) -> set[str]:
        response = client.get(QUEUE, params=params)
        assert response.status_code == 200
        return set(references(response.text))

    assert shown() == {relocation, passport, late, this_week}
    assert shown(product="paspoort") == {passport, late}
    assert shown(status="in_behandeling") == {passport}
    assert shown(toegewezen="mij") == {passport}
    assert shown(toegewezen="niemand") == {relocation, late, this_week}
    assert shown(termijn="te_laat") == {late}
    assert shown(termijn="deze_week") == {this_week}
    assert shown(product="paspoort", toegewezen="niemand", termijn="te_laat") == {late}
    assert shown(status="wacht_op_u") == set()


def test_closed_cases_are_not_in_the_queue(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:kcc")
    open_case = new_zaak(db_engine)
    closed = new_zaak(db_engine)
    with Session(db_engine) as db:
        db.execute(
            update(Zaak)
            .where(Zaak.reference == closed)  # type: ignore[arg-type]
            .values(closed_at=Zaak.received_at, status="afgehandeld")
        )
        db.commit()
    assert references(client.get(QUEUE).text) == [open_case]
    # An exact case number finds the case whatever its state.
    assert references(client.get(QUEUE, params={"q": closed.lower()}).text) == [closed]


def test_search_by_reference_and_by_the_start_of_name_words(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:kcc")
    moulin = new_zaak(db_engine, name="Suzanne Moulin")
    smit = new_zaak(db_engine, name="Lance Smit")
    odd = new_zaak(db_engine, name="50%_korting")
    assert references(client.get(QUEUE, params={"q": moulin}).text) == [moulin]
    assert references(client.get(QUEUE, params={"q": "SUZ"}).text) == [moulin]
    assert references(client.get(QUEUE, params={"q": "lance s"}).text) == [smit]
    assert references(client.get(QUEUE, params={"q": "moulin"}).text) == [moulin]
    assert references(client.get(QUEUE, params={"q": "Moulin Suz"}).text) == [moulin]
    assert references(client.get(QUEUE, params={"q": "oulin"}).text) == []
    assert references(client.get(QUEUE, params={"q": "suzanne smit"}).text) == []
    # % and _ are taken literally, not as wildcards.
    assert references(client.get(QUEUE, params={"q": "50%_"}).text) == [odd]
    assert references(client.get(QUEUE, params={"q": "5_"}).text) == []
    assert references(client.get(QUEUE, params={"q": "%"}).text) == []
    empty = client.get(QUEUE, params={"q": "niemand-heet-zo"})
    assert "Er zijn geen zaken die bij deze filters passen." in empty.text


def test_overdue_cases_say_so_in_text(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:kcc")
    new_zaak(db_engine, due=today() - timedelta(days=4))
    new_zaak(db_engine, due=today() + timedelta(days=4))
    rows = BeautifulSoup(client.get(QUEUE).text, "html.parser").select("tbody tr")
    assert len(rows) == 2
    assert "Te laat" in rows[0].get_text()
    assert "(4 dagen)" in rows[0].get_text()
    assert "Te laat" not in rows[1].get_text()


def test_keyset_paging_visits_every_case_once_in_both_directions(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:kcc")
    base = today()
    # 60 cases on only four due dates: the id breaks the ties.
    created = [new_zaak(db_engine, due=base + timedelta(days=i % 4)) for i in range(60)]
    forwards: list[list[str]] = []
    response = client.get(QUEUE)
    while True:
        forwards.append(references(response.text))
        link = paging_link(response.text, "next")
        if link is None:
            break
        assert "na=" in link
        assert "offset" not in link
        response = client.get(link)
    assert [len(page) for page in forwards] == [25, 25, 10]
    seen = [reference for page in forwards for reference in page]
    assert sorted(seen) == sorted(created)
    assert len(set(seen)) == 60
    backwards: list[list[str]] = []
    while (link := paging_link(response.text, "prev")) is not None:
        assert "voor=" in link
        response = client.get(link)
        backwards.append(references(response.text))
    assert backwards == [forwards[1], forwards[0]]
    # Sorted by due date, then by number.
    with Session(db_engine) as db:
        due = {z.reference: (z.due_by_norm, z.id) for z in db.exec(select(Zaak)).all()}
    assert seen == sorted(seen, key=lambda reference: due[reference])


def test_paging_keeps_the_filters(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:kcc")
    for _ in range(27):
        new_zaak(db_engine, product="paspoort")
    new_zaak(db_engine)
    first = client.get(QUEUE, params={"product": "paspoort"})
    link = paging_link(first.text, "next")
    assert link is not None
    assert "product=paspoort" in link
    assert len(references(client.get(link).text)) == 2


def test_htmx_gets_only_the_results(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    login("staff:kcc")
    reference = new_zaak(db_engine)
    response = client.get(QUEUE, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert reference in response.text
    assert re.search(r'id="zaken-resultaten"', response.text)


def test_start_page_counts(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    identity = login("staff:behandelaar")
    new_zaak(db_engine, due=today() - timedelta(days=1))
    mine = new_zaak(db_engine)
    with Session(db_engine) as db:
        db.execute(
            update(Zaak)
            .where(Zaak.reference == mine)  # type: ignore[arg-type]
            .values(assigned_to=identity.subject)
        )
        db.commit()
    text = BeautifulSoup(client.get("/backoffice").text, "html.parser").get_text(" ")
    assert "Open zaken: 2" in text
    assert "Mijn zaken: 1" in text
    assert "Te laat: 1" in text


@pytest.mark.parametrize("candidates", [queue.NAME_CANDIDATES, 0])
def test_name_search_pages_alike_by_name_index_and_by_queue_walk(
    client: TestClient,
    login: Callable[[str], Identity],
    db_engine: Any,
    monkeypatch: pytest.MonkeyPatch,
    candidates: int,
) -> None:
    # 0 candidates allowed: every name search walks the queue instead of the name index.
    monkeypatch.setattr(queue, "NAME_CANDIDATES", candidates)
    login("staff:kcc")
    base = today()
    jansen = [
        new_zaak(db_engine, name="Jan Jansen", due=base + timedelta(days=i % 3)) for i in range(30)
    ]
    new_zaak(db_engine, name="Piet Pieters")
    closed = new_zaak(db_engine, name="Jan Gesloten")
    with Session(db_engine) as db:
        db.execute(
            update(Zaak).where(Zaak.reference == closed).values(closed_at=Zaak.received_at)  # type: ignore[arg-type]
        )
        db.commit()
    first = client.get(QUEUE, params={"q": "jan", "termijn": "alle"})
    second_link = paging_link(first.text, "next")
    assert second_link is not None
    second = client.get(second_link)
    assert paging_link(second.text, "next") is None
    seen = references(first.text) + references(second.text)
    assert sorted(seen) == sorted(jansen)
    back_link = paging_link(second.text, "prev")
    assert back_link is not None
    assert references(client.get(back_link).text) == references(first.text)


def test_a_rare_name_of_common_words_is_found_through_the_word_index(
    client: TestClient,
    login: Callable[[str], Identity],
    db_engine: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(queue, "NAME_CANDIDATES", 3)
    for number in range(5):
        new_zaak(db_engine, name=f"Jan Pieters{number}")
        new_zaak(db_engine, name=f"Kees{number} Bakker")
    wanted = new_zaak(db_engine, name="Jan Bakker")
    with Session(db_engine) as db:
        assert queue.name_candidates(db, ["jan"]) is None  # too common alone
        candidates = queue.name_candidates(db, ["jan", "bak"])
        assert candidates is not None
        found = db.exec(select(Zaak.reference).where(Zaak.id.in_(candidates))).all()  # type: ignore[union-attr]
    assert list(found) == [wanted]
    login("staff:kcc")
    assert references(client.get(QUEUE, params={"q": "Jan Bak"}).text) == [wanted]


def test_every_searched_word_must_start_a_name_word(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any
) -> None:
    without = new_zaak(db_engine, name="Jan Bakker")
    with_de = new_zaak(db_engine, name="Jan de Bakker")
    login("staff:kcc")
    assert references(client.get(QUEUE, params={"q": "jan de bak"}).text) == [with_de]
    assert sorted(references(client.get(QUEUE, params={"q": "bak jan"}).text)) == sorted(
        [without, with_de]
    )
    assert queue.has_name_words("jan de bakker", ["ba", "d", "j"])
    assert not queue.has_name_words("jan bakker", ["ba", "d", "j"])
