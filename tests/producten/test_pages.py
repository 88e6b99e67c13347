"""The product list (search, filters, htmx partial, empty state) and the product pages."""

from __future__ import annotations

import itertools
from typing import Any

from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient

HTMX = {"HX-Request": "true"}


def page(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def one(soup: BeautifulSoup | Tag, selector: str) -> Tag:
    found = soup.select_one(selector)
    assert found is not None, f"nothing matches {selector!r}"
    return found


def text(soup: BeautifulSoup | Tag, selector: str) -> str:
    return one(soup, selector).get_text(" ", strip=True)


def result_names(soup: BeautifulSoup | Tag) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select("#producten-results li h3 a")]


def test_the_list_shows_every_product_grouped_by_theme(client: TestClient) -> None:
    response = client.get("/producten")
    assert response.status_code == 200
    soup = page(response)
    assert len(soup.select("main h1")) == 1
    assert text(soup, "main h1") == "Producten en diensten"
    results = one(soup, "#producten-results")
    assert results["aria-live"] == "polite"
    count = len(results.select("ul > li"))
    assert count >= 22
    assert text(soup, "#producten-count") == f"{count} producten gevonden"
    themes = [h2.get_text(strip=True) for h2 in results.select("h2")]
    assert themes[0] == "Burgerzaken"
    assert {"Afval", "Vergunningen", "Zorg en inkomen"} <= set(themes)


def test_the_search_form_works_without_javascript(client: TestClient) -> None:
    soup = page(client.get("/producten"))
    form = one(soup, "form[role=search]")
    assert form["method"] == "get"
    assert form["action"] == "/producten"
    search_box = one(form, "input[name=q]")
    assert one(form, f"label[for={search_box['id']}]")
    legends = [legend.get_text(strip=True) for legend in form.select("fieldset > legend")]
    assert legends == ["Voor wie is het?", "Hoe wilt u het regelen?"]
    for field in form.select("input[type=radio], input[type=checkbox]"):
        assert one(form, f"label[for={field['id']}]")
    assert one(form, "input[type=checkbox][name=online]")["value"] == "1"
    assert form.select("button[type=submit]")


def test_a_search_shows_ranked_results_with_their_tag(client: TestClient) -> None:
    soup = page(client.get("/producten", params={"q": "paspoort"}))
    assert result_names(soup) == ["Paspoort"]
    assert text(soup, "#producten-count") == "1 product gevonden"
    assert text(soup, "#producten-results li .utrecht-status-badge") == "Alleen op afspraak"
    assert one(soup, "input[name=q]")["value"] == "paspoort"
    assert one(soup, "#producten-results li h3 a")["href"] == "/producten/paspoort"


def test_online_products_are_tagged_online(client: TestClient) -> None:
    soup = page(client.get("/producten", params={"q": "verhuizing"}))
    first = one(soup, "#producten-results li")
    assert text(first, "h3") == "Verhuizing doorgeven"
    assert text(first, ".utrecht-status-badge") == "Online te regelen"


def test_filters_narrow_the_list_and_stay_chosen(client: TestClient) -> None:
    soup = page(client.get("/producten", params={"doelgroep": "ondernemers", "online": "1"}))
    names = result_names(soup)
    assert "Terrasvergunning" in names
    assert "Paspoort" not in names
    assert "Verhuizing doorgeven" not in names
    assert one(soup, "input[name=doelgroep][value=ondernemers]").has_attr("checked")
    assert one(soup, "input[name=online]").has_attr("checked")
    badges = {
        b.get_text(strip=True) for b in soup.select("#producten-results .utrecht-status-badge")
    }
    assert badges == {"Online te regelen"}


def test_an_unknown_filter_value_is_ignored(client: TestClient) -> None:
    soup = page(client.get("/producten", params={"doelgroep": "<script>", "online": "ja"}))
    assert one(soup, "input[name=doelgroep][value='']").has_attr("checked")
    assert len(result_names(soup)) >= 22


def test_nothing_found_explains_what_to_do(client: TestClient) -> None:
    response = client.get("/producten", params={"q": "xyzzy", "online": "1"})
    assert response.status_code == 200
    soup = page(response)
    assert result_names(soup) == []
    assert text(soup, "#producten-count") == "0 producten gevonden"
    assert text(soup, "#producten-results h2") == "We vinden niets voor ‘xyzzy’"
    links = {a["href"] for a in soup.select("#producten-results a")}
    assert "/producten?q=xyzzy" in links  # the same search without filters
    assert "/producten/vraag" in links


def test_htmx_gets_only_the_results(client: TestClient) -> None:
    response = client.get("/producten", params={"q": "paspoort"}, headers=HTMX)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["vary"]
    soup = page(response)
    assert soup.select("html, body, header, h1, form") == []
    roots = [child for child in soup.children if isinstance(child, Tag)]
    assert [root.get("id") for root in roots] == ["producten-results"]
    assert result_names(soup) == ["Paspoort"]


def test_htmx_history_restore_gets_the_whole_page(client: TestClient) -> None:
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    soup = page(client.get("/producten", params={"q": "paspoort"}, headers=headers))
    assert one(soup, "main h1")


def test_the_form_asks_htmx_for_the_results(client: TestClient) -> None:
    form = one(page(client.get("/producten")), "form[role=search]")
    assert form["hx-get"] == "/producten"
    assert form["hx-target"] == "#producten-results"


def test_a_product_page_tells_everything(client: TestClient) -> None:
    response = client.get("/producten/paspoort")
    assert response.status_code == 200
    soup = page(response)
    assert len(soup.select("main h1")) == 1
    assert text(soup, "main h1") == "Paspoort"
    levels = [int(h.name[1]) for h in soup.select("main h1, main h2, main h3")]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    headings = [h.get_text(strip=True) for h in soup.select("main h2")]
    for expected in ["Wat is het?", "Voor wie?", "Wat kost het?", "Hoe lang duurt het?", "Vragen?"]:
        assert expected in headings
    assert len(soup.select("main .haren-prose p")) >= 3
    assert "Nederlandse nationaliteit" in text(soup, "main .haren-prose ul")
    assert text(soup, "#product-contact") == "Bel 14 050"
    related = {a["href"] for a in soup.select("#product-gerelateerd a")}
    assert related == {"/producten/identiteitskaart", "/producten/rijbewijs"}


def test_costs_are_shown_with_their_year(client: TestClient) -> None:
    soup = page(client.get("/producten/paspoort"))
    table = one(soup, "#product-kosten")
    assert "2026" in text(table, "caption")
    rows = [
        [c.get_text(" ", strip=True) for c in tr.select("th, td")]
        for tr in table.select("tbody tr")
    ]
    assert ["Paspoort, 18 jaar en ouder", "€\u00a084,95", "2026"] in rows


def test_a_free_product_says_so(client: TestClient) -> None:
    soup = page(client.get("/producten/verhuizing-doorgeven"))
    assert soup.select("#product-kosten") == []
    assert "Dit is gratis." in [p.get_text(strip=True) for p in soup.select("main p")]


def test_terms_show_the_legal_term_and_our_norm(client: TestClient) -> None:
    soup = page(client.get("/producten/terrasvergunning"))
    terms = {
        text(row, "dt"): text(row, "dd")
        for row in one(soup, "#product-doorlooptijd").select(".haren-summary-list__row")
    }
    assert terms == {"Wettelijke termijn": "8 weken", "Onze servicenorm": "Binnen 4 weken"}
    soup = page(client.get("/producten/melding-openbare-ruimte"))
    terms = {text(r, "dt"): text(r, "dd") for r in soup.select("#product-doorlooptijd div")}
    assert terms["Onze servicenorm"] == "Binnen 5 werkdagen"
    assert terms["Wettelijke termijn"] == "Hiervoor geldt geen wettelijke termijn."


def test_an_online_product_starts_its_form_and_names_the_login(client: TestClient) -> None:
    soup = page(client.get("/producten/verhuizing-doorgeven"))
    start = one(soup, "#product-aanvragen a.utrecht-button-link--primary-action")
    assert start.get_text(strip=True) == "Aanvragen"
    assert start["href"] == "/formulieren/verhuizing"
    assert text(soup, "#product-login") == "U logt in met DigiD (niveau Midden)."


def test_a_product_without_login_says_so(client: TestClient) -> None:
    soup = page(client.get("/producten/melding-openbare-ruimte"))
    assert one(soup, "#product-aanvragen a")["href"] == "/formulieren/melding-openbare-ruimte"
    assert text(soup, "#product-login") == "U hoeft hiervoor niet in te loggen."


def test_a_product_for_residents_and_companies_names_both_logins(client: TestClient) -> None:
    soup = page(client.get("/producten/bezwaar"))
    login_text = text(soup, "#product-login")
    assert "DigiD (niveau Midden)" in login_text
    assert "eHerkenning (niveau EH3)" in login_text


def test_an_appointment_product_links_to_appointments(client: TestClient) -> None:
    soup = page(client.get("/producten/paspoort"))
    buttons = soup.select("#product-aanvragen a.utrecht-button-link")
    assert [b.get_text(strip=True) for b in buttons] == ["Maak een afspraak"]
    assert buttons[0]["href"].startswith("/afspraken")
    assert soup.select("a[href^='/formulieren/']") == []


def test_an_unknown_product_is_not_found(client: TestClient) -> None:
    response = client.get("/producten/bestaat-niet")
    assert response.status_code == 404
    assert text(page(response), "main h1") == "Deze pagina bestaat niet"


def test_pages_in_english_use_the_english_texts(client: TestClient) -> None:
    client.cookies.set("mh_taal", "en")
    soup = page(client.get("/producten/paspoort"))
    assert text(soup, "main h1") == "Passport"
    assert "€84.95" in text(soup, "#product-kosten")
    soup = page(client.get("/producten", params={"q": "passport"}))
    assert result_names(soup) == ["Passport"]
