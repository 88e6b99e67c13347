"""The public page /prestaties: the norms, per product the result next to the norm, the chart
with its data table, suppression below 10 cases, the product filter, appointments and forms."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from portal.prestaties import charts, routes
from tests.prestaties.browser_pages import (
    HAND_TODAY,
    closed_case,
    load_norms,
    seed_hand_computed,
    settings_for,
)
from tests.prestaties.test_figures import seed_appointments_and_forms

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The twelve months run from February 2025 to January 2026."""
    monkeypatch.setattr(routes, "today", lambda: HAND_TODAY)


def _parse(svg: str) -> ET.Element:
    """The SVG as XML: it must be well-formed (the portal's own output, so no defusing)."""
    return ET.fromstring(svg)  # noqa: S314


def _section(html: str, slug: str) -> str:
    match = re.search(rf'<section class="haren-prestatie" id="{slug}".*?</section>', html, re.S)
    assert match, f"no section for {slug}"
    return match.group(0)


def _row(section: str, month: str) -> list[str]:
    """The cells of one month's row in the data table, as text."""
    match = re.search(rf"<th scope=\"row\"[^>]*>{month}</th>(.*?)</tr>", section, re.S)
    assert match, f"no row for {month}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def test_the_page_shows_norm_result_chart_and_table(client: TestClient, db_engine: Any) -> None:
    seed_hand_computed(db_engine)
    with Session(db_engine) as db:
        load_norms(db)
        db.commit()
    response = client.get("/prestaties?product=parkeervergunning")
    assert response.status_code == 200
    html = response.text
    # The norms: the case type's decision norm and the channel norms, the phone marked.
    assert "Binnen hoeveel tijd u een besluit krijgt" in html
    assert "binnen 5 werkdagen" in html
    assert "Wij nemen de telefoon (14 050) binnen 30 seconden op." in html
    assert "gemeten door het klantcontactcentrum, niet in Mijn Haren" in html
    section = _section(html, "parkeervergunning")
    # Twelve months together: 81.8% within norm, median 4 and p90 7, 83.3% right first time,
    # satisfaction 42 / 11 = 3.8.
    assert "81,8%" in section
    assert "De helft binnen 4 werkdagen, 90% binnen 7 werkdagen" in section
    assert "83,3%" in section
    assert "3,8 uit 5 (11 antwoorden)" in section
    # December: published; January: fewer than 10 cases.
    assert _row(section, "dec 2025") == ["10", "80%", "100%", "4", "7", "80%", "4,1"]
    assert _row(section, "jan 2026") == ["minder dan 10 zaken"]
    assert _row(section, "nov 2025") == ["minder dan 10 zaken"]
    caption = (
        '<caption class="utrecht-table__caption" id="tabel-parkeervergunning-titel">'
        "Parkeervergunning per maand</caption>"
    )
    assert caption in section
    assert section.count('scope="col"') == 8
    assert "Geen staaf voor" in section
    assert "jan 2026" in section
    # The chart: well-formed SVG, one bar for the one published month.
    svg = _parse(re.search(r"<svg.*?</svg>", section, re.S).group(0))  # type: ignore[union-attr]
    assert svg.get("role") == "img"
    labelled = (svg.get("aria-labelledby") or "").split()
    assert [svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")] == labelled  # type: ignore[union-attr]
    bars = svg.findall(f"{SVG}rect")
    assert [bar.get("data-maand") for bar in bars] == ["dec 2025"]
    desc = svg.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "Hoogste 80% (dec 2025)" in desc
    assert "11 maanden zonder staaf" in desc


def test_suppression_below_ten_cases_on_the_page(client: TestClient, db_engine: Any) -> None:
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
                closed=date(2026, 1, 7),
            )
        db.commit()
    html = client.get("/prestaties").text
    nine = _section(client.get("/prestaties?product=parkeervergunning").text, "parkeervergunning")
    ten = _section(
        client.get("/prestaties?product=verhuizing-doorgeven").text, "verhuizing-doorgeven"
    )
    assert _row(nine, "jan 2026") == ["minder dan 10 zaken"]
    assert "<rect" not in nine
    assert "9" not in _row(nine, "jan 2026")[0]
    assert _row(ten, "jan 2026") == [
        "10",
        "100%",
        "geen termijn",
        "2",
        "2",
        "100%",
        "minder dan 10 antwoorden",
    ]
    assert ten.count("<rect") == 1
    # The overview: one row per product, sorted by the number of closed cases: ten before nine.
    overview = re.search(r'id="tabel-producten".*?</table>', html, re.S).group(0)  # type: ignore[union-attr]
    assert overview.index("?product=verhuizing-doorgeven") < overview.index(
        "?product=parkeervergunning"
    )
    assert _row(overview, "<a [^>]*>Verhuizing doorgeven</a>") == _row(ten, "jan 2026")
    assert _row(overview, "<a [^>]*>Parkeervergunning</a>") == ["minder dan 10 zaken"]


def test_the_filter_shows_one_product(client: TestClient, db_engine: Any) -> None:
    settings = settings_for(db_engine)
    with Session(db_engine) as db:
        for zaaktype in ("parkeervergunning", "verhuizing-doorgeven"):
            closed_case(
                db, settings, zaaktype=zaaktype, received=date(2026, 1, 5), closed=date(2026, 1, 7)
            )
        db.commit()
    html = client.get("/prestaties?product=verhuizing-doorgeven").text
    assert 'id="verhuizing-doorgeven"' in html
    assert 'id="parkeervergunning"' not in html
    assert '<option value="verhuizing-doorgeven" selected>' in html
    assert '<form method="get" action="/prestaties"' in html
    everything = client.get("/prestaties?product=bestaat-niet").text
    assert 'id="tabel-producten"' in everything
    assert "?product=verhuizing-doorgeven#verhuizing-doorgeven" in everything
    assert "?product=parkeervergunning#parkeervergunning" in everything
    assert "<svg" not in everything


def test_appointments_and_forms_sections(client: TestClient, db_engine: Any) -> None:
    seed_appointments_and_forms(db_engine)
    html = client.get("/prestaties").text
    appointments = re.search(r'id="tabel-afspraken".*?</table>', html, re.S).group(0)  # type: ignore[union-attr]
    assert _row(appointments, "Paspoort aanvragen") == ["4", "66,7%", "30%"]
    assert "binnen 5 werkdagen terecht" in html
    forms = re.search(r'id="tabel-formulieren".*?</table>', html, re.S).group(0)  # type: ignore[union-attr]
    assert _row(forms, "Parkeervergunning aanvragen") == ["20", "17", "85%"]


def test_an_empty_period_says_so(client: TestClient) -> None:
    html = client.get("/prestaties").text
    assert "Er zijn in deze periode nog geen zaken afgesloten." in html
    assert "Over deze periode hebben wij nog geen metingen." in html


def test_the_page_is_in_english_too(client: TestClient, db_engine: Any) -> None:
    seed_hand_computed(db_engine)
    client.get("/taal/en?next=/")
    html = client.get("/prestaties").text
    assert "Parking permit" in html or "parking permit" in html.lower()
    assert "fewer than 10 cases" in html


def test_a_chart_without_published_months_has_no_bars() -> None:
    svg = charts.bar_chart(
        chart_id="x",
        title="T <&>",
        description="D",
        bars=[charts.Bar("a", None), charts.Bar("b", 50.0)],
        target=80,
    )
    tree = _parse(str(svg))
    assert len(tree.findall(f"{SVG}rect")) == 1
    assert tree.find(f"{SVG}title").text == "T <&>"  # type: ignore[union-attr]
    (target,) = [
        line for line in tree.findall(f"{SVG}line") if "target" in (line.get("class") or "")
    ]
    plot_top, plot_height = charts.PAD, charts.HEIGHT - charts.PAD - charts.BOTTOM
    assert float(target.get("y1") or 0) == pytest.approx(plot_top + plot_height * 0.2)
    # The marks and month names are drawn for the eye; one name per month, bar or not.
    texts = [t.text for t in tree.findall(f"{SVG}text")]
    assert texts == ["0%", "50%", "100%", "a", "b"]


def test_the_footer_links_to_the_figures(client: TestClient) -> None:
    assert 'href="/prestaties"' in client.get("/").text


def test_the_case_page_shows_the_norm_and_last_month(
    client: TestClient, db_engine: Any, login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal.zaken import web

    cases = seed_hand_computed(db_engine)
    monkeypatch.setattr(web, "now", lambda: datetime(2026, 1, 15, 12, tzinfo=UTC))
    login("suzanne")
    html = client.get(f"/mijn/zaken/{cases[0].reference}").text
    assert "Onze norm: een besluit binnen 5 werkdagen." in html
    assert "Vorige maand lukte dat bij 80% van de aanvragen." in html
    assert 'href="/prestaties?product=parkeervergunning#parkeervergunning"' in html
    monkeypatch.setattr(web, "now", lambda: datetime(2026, 2, 15, 12, tzinfo=UTC))
    html = client.get(f"/mijn/zaken/{cases[0].reference}").text
    assert "te weinig zaken om te laten zien hoe vaak dat lukte" in html


def test_the_page_runs_the_same_queries_for_more_cases(client: TestClient, db_engine: Any) -> None:
    """Grouped queries only: more cases, products' months or answers add no statements."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    def queries() -> int:
        statements.clear()
        event.listen(Engine, "before_cursor_execute", count)
        try:
            assert client.get("/prestaties").status_code == 200
        finally:
            event.remove(Engine, "before_cursor_execute", count)
        return len(statements)

    seed_hand_computed(db_engine)
    few = queries()
    settings = settings_for(db_engine)
    with Session(db_engine) as db:
        for day in range(5, 30):
            closed_case(db, settings, received=date(2025, 11, 3), closed=date(2025, 11, day))
        db.commit()
    assert queries() == few
