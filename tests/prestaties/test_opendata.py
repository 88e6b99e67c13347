"""The open data: CSV and JSON per dataset, one row per product and month, suppressed cells
empty (CSV) or null (JSON), and the page that documents every column."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from portal.prestaties import opendata, routes
from tests.prestaties.browser_pages import HAND_TODAY, closed_case, seed_hand_computed, settings_for
from tests.prestaties.test_figures import seed_appointments_and_forms


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routes, "today", lambda: HAND_TODAY)


def _csv(client: TestClient, name: str) -> list[dict[str, str]]:
    response = client.get(f"/prestaties/{name}.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="prestaties-{name}.csv"'
    )
    text = response.content.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _json(client: TestClient, name: str) -> dict[str, Any]:
    response = client.get(f"/prestaties/{name}.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith("attachment;")
    document: dict[str, Any] = json.loads(response.content.decode("utf-8"))
    return document


def _by_month(rows: list[Any], month: str) -> Any:
    (row,) = [r for r in rows if r["maand"] == month]
    return row


def test_case_figures_as_csv_and_json(client: TestClient, db_engine: Any) -> None:
    seed_hand_computed(db_engine)
    rows = _csv(client, "zaken")
    assert list(rows[0]) == [c.name for c in opendata.zaak_columns()]
    assert len(rows) == 12  # one product, twelve months
    assert [r["maand"] for r in rows] == [f"2025-{m:02d}" for m in range(2, 13)] + ["2026-01"]
    assert _by_month(rows, "2025-12") == {
        "product": "parkeervergunning",
        "product_naam": "Parkeervergunning",
        "maand": "2025-12",
        "norm_werkdagen": "5",
        "wettelijke_termijn_dagen": "56",
        "zaken_afgesloten": "10",
        "binnen_norm_procent": "80.0",
        "binnen_wettelijke_termijn_procent": "100.0",
        "doorlooptijd_mediaan_werkdagen": "4",
        "doorlooptijd_p90_werkdagen": "7",
        "eerste_keer_goed_procent": "80.0",
        "tevredenheid_antwoorden": "10",
        "tevredenheid_gemiddeld": "4.1",
    }
    january = _by_month(rows, "2026-01")
    assert january["zaken_afgesloten"] == ""
    assert january["binnen_norm_procent"] == ""
    assert january["doorlooptijd_mediaan_werkdagen"] == ""
    assert january["tevredenheid_gemiddeld"] == ""

    document = _json(client, "zaken")
    assert [c["naam"] for c in document["kolommen"]] == list(rows[0])
    assert all(c["betekenis"] and c["eenheid"] for c in document["kolommen"])
    assert document["periode"] == {"van": "2025-02", "tot_en_met": "2026-01"}
    december = _by_month(document["rijen"], "2025-12")
    assert december["binnen_norm_procent"] == 80.0
    assert december["zaken_afgesloten"] == 10
    assert december["doorlooptijd_p90_werkdagen"] == 7
    assert december["tevredenheid_gemiddeld"] == 4.1
    january_json = _by_month(document["rijen"], "2026-01")
    assert january_json["zaken_afgesloten"] is None
    assert january_json["binnen_norm_procent"] is None
    assert january_json["eerste_keer_goed_procent"] is None


def test_nine_cases_are_suppressed_and_ten_are_shown(client: TestClient, db_engine: Any) -> None:
    settings = settings_for(db_engine)
    with Session(db_engine) as db:
        for _ in range(9):
            closed_case(db, settings, received=date(2026, 1, 5), closed=date(2026, 1, 7))
        for _ in range(10):
            closed_case(
                db,
                settings,
                zaaktype="verhuizing-doorgeven",
                received=date(2026, 1, 5),
                closed=date(2026, 1, 12),
            )
        db.commit()
    rows = _csv(client, "zaken")
    nine = [r for r in rows if r["product"] == "parkeervergunning" and r["maand"] == "2026-01"]
    ten = [r for r in rows if r["product"] == "verhuizing-doorgeven" and r["maand"] == "2026-01"]
    assert nine[0]["zaken_afgesloten"] == ""
    assert nine[0]["binnen_norm_procent"] == ""
    assert ten[0]["zaken_afgesloten"] == "10"
    assert ten[0]["binnen_norm_procent"] == "100.0"
    assert ten[0]["doorlooptijd_mediaan_werkdagen"] == "5"
    assert ten[0]["wettelijke_termijn_dagen"] == ""
    document = _json(client, "zaken")
    (nine_json,) = [
        r
        for r in document["rijen"]
        if r["product"] == "parkeervergunning" and r["maand"] == "2026-01"
    ]
    assert nine_json["zaken_afgesloten"] is None
    assert nine_json["binnen_norm_procent"] is None


def test_appointment_and_form_downloads(client: TestClient, db_engine: Any) -> None:
    seed_appointments_and_forms(db_engine)
    december = _by_month(_csv(client, "afspraken"), "2025-12")
    assert december == {
        "product": "paspoort",
        "product_naam": "Paspoort aanvragen",
        "maand": "2025-12",
        "norm_werkdagen": "5",
        "dagen_gemeten": "3",
        "wachttijd_mediaan_werkdagen": "4",
        "dagen_binnen_norm_procent": "66.7",
        "afspraken": "10",
        "niet_verschenen_procent": "30.0",
    }
    forms = _csv(client, "formulieren")
    assert _by_month(forms, "2025-12") == {
        "formulier": "parkeervergunning",
        "formulier_naam": "Parkeervergunning aanvragen",
        "maand": "2025-12",
        "gestart": "12",
        "ingediend": "9",
        "ingediend_procent": "75.0",
    }
    assert _by_month(forms, "2026-01")["gestart"] == ""
    assert _by_month(forms, "2026-01")["ingediend"] == ""
    document = _json(client, "formulieren")
    assert _by_month(document["rijen"], "2026-01")["ingediend_procent"] is None
    appointments = _json(client, "afspraken")
    assert _by_month(appointments["rijen"], "2025-12")["niet_verschenen_procent"] == 30.0


def test_unknown_dataset_is_404(client: TestClient) -> None:
    assert client.get("/prestaties/geheim.csv").status_code == 404
    assert client.get("/prestaties/geheim.json").status_code == 404


def test_empty_downloads_still_have_a_header(client: TestClient) -> None:
    response = client.get("/prestaties/zaken.csv")
    assert response.text.splitlines() == [",".join(c.name for c in opendata.zaak_columns())]
    assert _json(client, "zaken")["rijen"] == []


def test_the_open_data_page_documents_every_column(client: TestClient) -> None:
    html = client.get("/prestaties/open-data").text
    for dataset in opendata.datasets():
        assert f'href="/prestaties/{dataset.name}.csv"' in html
        assert f'href="/prestaties/{dataset.name}.json"' in html
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in html
    assert "in CSV is de cel leeg, in JSON staat null" in html
    assert 'href="/prestaties/open-data"' in client.get("/prestaties").text
