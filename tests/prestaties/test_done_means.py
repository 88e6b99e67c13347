"""Issue 7's 'Done means', walked through on the demo data: /prestaties shows per product the
norm and the share met, a chart and its table, and the CSV download; a resident whose case was
closed gives feedback once, and it shows in the figures."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.demo import load_demo_data
from portal.settings import Settings
from portal.zaken.models import Zaak
from tests.conftest import SUZANNE_BSN, csrf_token_for


def _section(client: TestClient, product: str) -> BeautifulSoup:
    overview = client.get("/prestaties")
    assert overview.status_code == 200
    assert f'href="/prestaties?product={product}#{product}"' in overview.text
    page = client.get(f"/prestaties?product={product}")
    assert page.status_code == 200
    section = BeautifulSoup(page.text, "html.parser").select_one(f"section#{product}")
    assert section is not None, product
    return section


def _answers(section: BeautifulSoup) -> int:
    found = re.search(r"\((\d+) antwoorden\)", section.get_text(" ", strip=True))
    assert found is not None
    return int(found.group(1))


def test_done_means(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any, settings: Settings
) -> None:
    list(load_demo_data(settings))

    section = _section(client, "kapvergunning")
    text = section.get_text(" ", strip=True)
    assert "Norm" in text
    assert re.search(r"Binnen de norm \d+(,\d)?%", text), text
    assert section.select_one("svg[role=img] title") is not None
    assert len(section.select("svg rect.haren-chart__bar")) >= 6
    table = section.select_one("table")
    assert table is not None
    assert len(table.select("tbody tr")) == 12
    before = _answers(section)

    download = client.get("/prestaties/zaken.csv")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    mine = [row for row in rows if row["product"] == "kapvergunning"]
    assert len(mine) == 12
    assert any(row["binnen_norm_procent"] for row in mine)

    with Session(db_engine) as db:
        closed = db.exec(
            select(Zaak).where(
                Zaak.initiator_bsn == SUZANNE_BSN,
                Zaak.zaaktype == "kapvergunning",
                col(Zaak.closed_at).is_not(None),
            )
        ).one()
    login("suzanne")
    form = {"csrf_token": csrf_token_for(client), "tevredenheid": "5", "toelichting": "Prima"}
    sent = client.post(f"/mijn/zaken/{closed.reference}/reactie", data=form)
    assert sent.status_code == 303
    again = client.post(f"/mijn/zaken/{closed.reference}/reactie", data=form)
    assert again.status_code == 409
    assert "U heeft al gereageerd" in again.text

    assert _answers(_section(client, "kapvergunning")) == before + 1
