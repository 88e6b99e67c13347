"""Search forgives case, diacritics, spaces, plurals and typos, and ranks name matches first."""

from __future__ import annotations

import pytest

from portal.producten import service
from portal.producten.search import SearchIndex, normalize, similarity, within_one_edit


def slugs(query: str, doelgroep: str | None = None, online: bool = False) -> list[str]:
    return [p.slug for p in service.search_products(query, doelgroep, online)]


@pytest.mark.parametrize(
    "query",
    ["paspoort", "Paspoort", "PASPOORT", "pas poort", "paspoorten", "páspoort", "  paspoort  "],
)
def test_the_passport_is_found_however_it_is_typed(query: str) -> None:
    assert slugs(query)[0] == "paspoort"


@pytest.mark.parametrize("query", ["paspoirt", "papsoort", "paspoot", "parkeervergunnig"])
def test_one_typo_in_a_long_word_is_forgiven(query: str) -> None:
    expected = "parkeervergunning" if query.startswith("park") else "paspoort"
    assert slugs(query)[0] == expected


@pytest.mark.parametrize(
    "query", ["id kaart", "ID-kaart", "idkaart", "Identiteitskaart", "ID card"]
)
def test_the_identity_card_is_found(query: str) -> None:
    assert slugs(query)[0] == "identiteitskaart"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("passport", "paspoort"),
        ("driving licence", "rijbewijs"),
        ("moving", "verhuizing-doorgeven"),
        ("verhuizen", "verhuizing-doorgeven"),
        ("grof vuil", "grofvuil"),
        ("kliko", "afvalcontainer"),
        ("hond", "hondenbelasting"),
        ("lantaarnpaal kapot", "melding-openbare-ruimte"),
        ("trouwen", "huwelijk-partnerschap"),
        ("boom kappen", "kapvergunning"),
    ],
)
def test_synonyms_and_english_words_find_the_product(query: str, expected: str) -> None:
    assert slugs(query)[0] == expected


def test_a_word_inside_a_compound_finds_all_of_them() -> None:
    found = slugs("vergunning")
    assert {"parkeervergunning", "terrasvergunning", "kapvergunning"} <= set(found)


def test_name_matches_rank_before_keyword_and_theme_matches() -> None:
    # "afval" is in the name of the container product, but only a keyword and theme of grofvuil.
    assert slugs("afval")[:2] == ["afvalcontainer", "grofvuil"]
    # "belasting" is in two names and is the theme of both: the closer name match wins.
    assert slugs("hondenbelasting")[0] == "hondenbelasting"


def test_nothing_matches_nonsense() -> None:
    assert slugs("xyzzy") == []
    assert slugs("!!!") == []


def test_words_that_match_nothing_do_not_hide_the_ones_that_do() -> None:
    assert slugs("paspoort xyzzy")[0] == "paspoort"


def test_no_query_lists_everything_by_theme() -> None:
    everything = slugs("")
    assert len(everything) == len(service.list_products())
    themes = [service.get_product(s).thema for s in everything]  # type: ignore[union-attr]
    assert themes[0] == "Burgerzaken"
    assert themes == sorted(themes, key=list(dict.fromkeys(themes)).index)


def test_filter_by_group() -> None:
    for_companies = slugs("", "ondernemers")
    assert "terrasvergunning" in for_companies
    assert "bezwaar" in for_companies  # for both
    assert "paspoort" not in for_companies
    for_residents = slugs("", "inwoners")
    assert "paspoort" in for_residents
    assert "terrasvergunning" not in for_residents
    assert slugs("", "onzin") == slugs("")


def test_filter_online() -> None:
    online = slugs("", online=True)
    assert "paspoort" not in online
    assert "verhuizing-doorgeven" in online
    assert all(service.get_product(s).online for s in online)  # type: ignore[union-attr]
    assert slugs("paspoort", online=True) == []


def test_filters_combine_with_a_query() -> None:
    assert slugs("vergunning", "ondernemers", online=True)[0].endswith("vergunning")
    assert "kapvergunning" in slugs("vergunning", "inwoners")
    assert "terrasvergunning" not in slugs("vergunning", "inwoners")


def test_normalize_removes_diacritics_and_case() -> None:
    assert normalize("Páspoort Ĳsselmeer Café") == "paspoort ijsselmeer cafe"


def test_edit_distance_and_similarity() -> None:
    assert within_one_edit("paspoort", "paspoirt")
    assert within_one_edit("paspoort", "papsoort")
    assert within_one_edit("paspoort", "paspoor")
    assert within_one_edit("paspoort", "paspooort")
    assert not within_one_edit("paspoort", "pasport_x")
    assert not within_one_edit("kaart", "paard_")
    assert similarity("paspoort", "paspoort") == 1.0
    assert similarity("paspoorten", "paspoort") > 0.5


def test_short_words_need_to_be_exact_or_a_prefix() -> None:
    index = SearchIndex([[("Kat", 1.0)], [("Kar", 1.0)]])
    assert index.search("kat") == [0]
    assert index.search("kot") == []


def test_the_index_ranks_by_field_weight() -> None:
    index = SearchIndex([[("fiets", 1.0)], [("fiets", 10.0)]])
    assert index.search("fiets") == [1, 0]
