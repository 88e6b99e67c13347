"""Benchmark: catalogue search on 2,000 synthetic products against a plain linear scan.

    .venv/bin/python bench/bench_catalogue_search.py [--products 2000] [--queries 1000]

Generates products in memory (nothing is written), builds the index as the portal does when the
catalogue loads, and times the same queries three ways in one run:

- index, no cache: every query word is matched against the vocabulary afresh;
- index, cached: the portal's default per-word cache, measured on a second pass;
- linear scan: `str in str` over each product's lower-cased text (the baseline; it finds
  less: no typos, no diacritics, no "pas poort").

Prints queries per second, median and p95 latency, and the speed-up over the baseline.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Sequence

from portal.producten.schemas import THEMAS, Product
from portal.producten.search import SearchIndex
from portal.producten.service import Catalogue, search_fields

PREFIXES = [
    "park",
    "kap",
    "bouw",
    "sloop",
    "water",
    "boot",
    "hond",
    "fiets",
    "markt",
    "terras",
    "afval",
    "groen",
    "speel",
    "school",
    "sport",
    "zorg",
    "woon",
    "reis",
    "geboorte",
    "huwelijk",
    "graf",
    "rij",
    "bedrijf",
    "winkel",
    "horeca",
    "evenement",
    "straat",
    "buurt",
    "tuin",
    "dak",
    "zonne",
    "energie",
    "vuurwerk",
    "alcohol",
    "taxi",
    "kermis",
    "circus",
    "standplaats",
    "ligplaats",
    "kinder",
]
SUFFIXES = [
    "vergunning",
    "ontheffing",
    "melding",
    "subsidie",
    "pas",
    "kaart",
    "belasting",
    "uittreksel",
    "toeslag",
    "regeling",
    "aanvraag",
    "heffing",
    "keuring",
    "verklaring",
    "registratie",
    "abonnement",
    "container",
    "plaats",
    "vrijstelling",
    "bijdrage",
]
QUALIFIERS = [
    "tijdelijk",
    "jaarlijks",
    "bewoners",
    "ondernemers",
    "jongeren",
    "ouderen",
    "extra",
    "digitaal",
    "spoed",
]
ENGLISH = [
    "permit",
    "exemption",
    "report",
    "grant",
    "pass",
    "card",
    "tax",
    "extract",
    "allowance",
    "scheme",
    "fee",
]


def pseudo_words(rng: random.Random, count: int) -> list[str]:
    """Pronounceable made-up words ("tavero", "blimsok") for summaries and keywords."""
    onsets = ["b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "st", "br"]
    vowels = ["a", "e", "i", "o", "u", "aa", "ee", "oo", "ie", "ui"]
    words: set[str] = set()
    while len(words) < count:
        syllables = rng.randint(2, 4)
        words.add("".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables)))
    return sorted(words)


def make_products(count: int, rng: random.Random) -> list[Product]:
    """`count` valid products with compound Dutch-like names, summaries and keywords."""
    pool = pseudo_words(rng, 3000)
    themas = list(THEMAS)
    products = []
    for i in range(count):
        prefix, suffix = rng.choice(PREFIXES), rng.choice(SUFFIXES)
        qualifier = rng.choice(QUALIFIERS)
        naam = f"{(prefix + suffix).capitalize()} {qualifier} {rng.choice(pool)}"
        summary = " ".join(rng.sample(pool, 8))
        online = rng.random() < 0.7
        products.append(
            Product.model_validate(
                {
                    "schema_version": 1,
                    "slug": f"product-{i}",
                    "naam": naam,
                    "naam_en": f"{prefix} {rng.choice(ENGLISH)} {qualifier}",
                    "samenvatting": f"{summary.capitalize()}.",
                    "samenvatting_en": f"{summary.capitalize()}.",
                    "beschrijving": summary,
                    "beschrijving_en": summary,
                    "doelgroep": rng.choice(["inwoners", "ondernemers", "beide"]),
                    "aanvragen": "online" if online else "afspraak",
                    "formulier": f"product-{i}" if online else None,
                    "login": "geen",
                    "zoekwoorden": rng.sample(pool, rng.randint(2, 6)),
                    "thema": rng.choice(themas),
                    "doorlooptijd": {"servicenorm_dagen": 5},
                }
            )
        )
    return products


def typo(word: str, rng: random.Random) -> str:
    position = rng.randrange(1, len(word) - 1)
    return word[:position] + rng.choice("aeiouklmnrst") + word[position + 1 :]


def make_queries(products: Sequence[Product], count: int, rng: random.Random) -> list[str]:
    """A mix like real searches: whole words, prefixes, plurals, typos, split words, misses."""
    queries = []
    for _ in range(count):
        product = rng.choice(products)
        name_word = product.naam.split()[0].lower()
        kind = rng.random()
        if kind < 0.3:
            queries.append(name_word)
        elif kind < 0.45:
            queries.append(f"{name_word} {product.naam.split()[1]}")
        elif kind < 0.6:
            queries.append(typo(name_word, rng))
        elif kind < 0.7:
            queries.append(name_word[: max(4, len(name_word) // 2)])
        elif kind < 0.8:
            queries.append(rng.choice(product.zoekwoorden) + "en")
        elif kind < 0.9:
            cut = len(name_word) // 2
            queries.append(f"{name_word[:cut]} {name_word[cut:]}")
        else:
            queries.append(f"xq{rng.randrange(10**6)}")
    return queries


def linear_scan(products: Sequence[Product]) -> Callable[[str], list[int]]:
    """The baseline: every query word must occur in the product's lower-cased text."""
    haystacks = [" ".join(text for text, _ in search_fields(p)).lower() for p in products]

    def search(query: str) -> list[int]:
        words = query.lower().split()
        return [i for i, text in enumerate(haystacks) if all(w in text for w in words)]

    return search


def measure(search: Callable[[str], list[int]], queries: Sequence[str]) -> dict[str, float]:
    latencies = []
    hits = 0
    started = time.perf_counter()
    for query in queries:
        begin = time.perf_counter_ns()
        found = search(query)
        latencies.append((time.perf_counter_ns() - begin) / 1e6)
        hits += bool(found)
    elapsed = time.perf_counter() - started
    return {
        "qps": len(queries) / elapsed,
        "p50": statistics.median(latencies),
        "p95": statistics.quantiles(latencies, n=20)[18],
        "found": hits / len(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    products = make_products(args.products, rng)
    started = time.perf_counter()
    catalogue = Catalogue.from_products(products)
    build_ms = (time.perf_counter() - started) * 1000
    queries = make_queries(catalogue.products, args.queries, rng)
    uncached = SearchIndex([search_fields(p) for p in catalogue.products], cache_size=0)

    print(f"{len(products)} products, vocabulary {catalogue.index.vocabulary_size} words")
    print(f"index built in {build_ms:.0f} ms; {len(queries)} queries\n")
    print(f"{'method':<22}{'queries/s':>12}{'p50 ms':>10}{'p95 ms':>10}{'found':>8}")
    measure(catalogue.index.search, queries)  # first pass fills the per-word cache
    rows = {
        "index, no cache": measure(uncached.search, queries),
        "index, cached": measure(catalogue.index.search, queries),
        "linear scan (str in)": measure(linear_scan(catalogue.products), queries),
    }
    for name, row in rows.items():
        print(
            f"{name:<22}{row['qps']:>12,.0f}{row['p50']:>10.3f}{row['p95']:>10.3f}"
            f"{row['found']:>8.0%}"
        )
    baseline = rows["linear scan (str in)"]["qps"]
    print()
    for name in ("index, no cache", "index, cached"):
        print(f"{name}: {rows[name]['qps'] / baseline:.1f}x the queries/s of the linear scan")


if __name__ == "__main__":
    main()
