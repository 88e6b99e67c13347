"""Full-text search for the product catalogue, built once in memory when the catalogue loads.

Residents type what they call a thing, not what we call it, so the index forgives:

- case and diacritics (Unicode NFKD, combining marks dropped): "Páspoort" finds "paspoort";
- word boundaries: "pas poort" is tried as "paspoort", and "ID-kaart" is indexed as "idkaart" too;
- inflection and compounds: "paspoorten" finds "paspoort" (a known word that starts the query
  word), "vergunning" finds "parkeervergunning" (a query word inside a longer word);
- typos: words within one edit (words of six letters or more) or with a trigram similarity of at
  least one half, found through a trigram index over the vocabulary, as PostgreSQL's pg_trgm does.

Every document is a list of (text, weight) fields; a product's name weighs most, so name matches
rank first. A document must match every query word; if none does, the documents matching the
most words are returned. The index holds only the vocabulary of the short fields (names,
keywords, themes, summaries), so a query costs a few dictionary look-ups and set intersections
instead of a scan over every product.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

Field = tuple[str, float]
Match = tuple[tuple[int, float], ...]

EXACT = 1.0
PREFIX = 0.9  # "verhuiz" → "verhuizing"
INFLECTION = 0.85  # "paspoorten" → "paspoort"
INFIX = 0.7  # "kaart" → "identiteitskaart"
FUZZY = 0.8  # times the trigram similarity (at least MIN_SIMILARITY) for a typo
MIN_SIMILARITY = 0.5
MIN_TYPO_LENGTH = 6
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8

_WORD = re.compile(r"[^\W_]+")

# Words that say nothing about which product is meant; dropped unless they are all there is.
_STOPWORDS_NL = "de het een en of ik wil mijn van voor aan in op met bij hoe wat waar is er te"
_STOPWORDS_EN = "the a an and or i my to for of in on with how what where"
STOPWORDS = frozenset(_STOPWORDS_NL.split() + _STOPWORDS_EN.split())


def normalize(text: str) -> str:
    """Lower case without diacritics: "Páspoort" → "paspoort", "ĳ" → "ij"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def query_words(text: str) -> list[str]:
    """The normalized words of a query."""
    return _WORD.findall(normalize(text[:MAX_QUERY_LENGTH]))


def index_terms(text: str) -> list[str]:
    """The normalized words of `text`, plus hyphenated words joined: "ID-kaart" → "idkaart"."""
    terms: list[str] = []
    for chunk in normalize(text).split():
        parts = _WORD.findall(chunk)
        terms.extend(parts)
        if len(parts) > 1:
            terms.append("".join(parts))
    return terms


def trigrams(word: str) -> set[str]:
    """The trigrams of a word padded as pg_trgm pads it: "kap" → "  k", " ka", "kap", "ap "."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """Trigram similarity (shared trigrams over all trigrams), 1.0 for equal words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb)


def within_one_edit(a: str, b: str) -> bool:
    """Whether one insertion, deletion, substitution or swap of neighbours turns a into b."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 2:
            i, j = diffs
            return j == i + 1 and a[i] == b[j] and a[j] == b[i]
        return len(diffs) <= 1
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(shorter) and shorter[i] == longer[i]:
        i += 1
    return shorter[i:] == longer[i + 1 :]


class SearchIndex:
    """An inverted index with trigram look-up over the words of a fixed set of documents."""

    def __init__(self, documents: Sequence[Sequence[Field]], *, cache_size: int = 4096) -> None:
        self._vocabulary: dict[str, int] = {}
        self._words: list[str] = []
        self._postings: list[dict[int, float]] = []
        for doc, fields in enumerate(documents):
            for text, weight in fields:
                for term in index_terms(text):
                    self._add(term, doc, weight)
        self._sorted = sorted(self._vocabulary)
        self._trigram_counts = [len(trigrams(word)) for word in self._words]
        by_trigram: dict[str, list[int]] = {}
        for word_id, word in enumerate(self._words):
            for gram in trigrams(word):
                by_trigram.setdefault(gram, []).append(word_id)
        self._by_trigram = {gram: tuple(ids) for gram, ids in by_trigram.items()}
        self._match: Callable[[str], Match] = lru_cache(maxsize=cache_size)(self._match_word)

    def _add(self, term: str, doc: int, weight: float) -> None:
        word_id = self._vocabulary.get(term)
        if word_id is None:
            word_id = self._vocabulary[term] = len(self._words)
            self._words.append(term)
            self._postings.append({})
        postings = self._postings[word_id]
        if weight > postings.get(doc, 0.0):
            postings[doc] = weight

    @property
    def vocabulary_size(self) -> int:
        return len(self._words)

    def search(self, query: str) -> list[int]:
        """Document numbers matching `query`, best first (ties in document order)."""
        units = self._units(query)
        totals: dict[int, float] = {}
        coverage: dict[int, int] = {}
        for unit in units:
            best: dict[int, float] = {}
            for word_id, score in self._match(unit):
                for doc, weight in self._postings[word_id].items():
                    if score * weight > best.get(doc, 0.0):
                        best[doc] = score * weight
            for doc, value in best.items():
                totals[doc] = totals.get(doc, 0.0) + value
                coverage[doc] = coverage.get(doc, 0) + 1
        if not totals:
            return []
        most = max(coverage.values())
        return sorted((d for d in totals if coverage[d] == most), key=lambda d: (-totals[d], d))

    def _units(self, query: str) -> list[str]:
        """The query's words, with two neighbours joined where we know the joined word."""
        found = query_words(query)[:MAX_QUERY_WORDS]
        meaningful = [w for w in found if w not in STOPWORDS] or found
        units: list[str] = []
        i = 0
        while i < len(meaningful):
            if i + 1 < len(meaningful):
                joined = meaningful[i] + meaningful[i + 1]
                if self._strong_matches(joined):
                    units.append(joined)
                    i += 2
                    continue
            units.append(meaningful[i])
            i += 1
        return units

    def _strong_matches(self, word: str) -> dict[int, float]:
        """Exact, prefix and inflection matches: cheap look-ups, no trigrams."""
        found: dict[int, float] = {}
        exact = self._vocabulary.get(word)
        if exact is not None:
            found[exact] = EXACT
        if len(word) >= 3:
            position = bisect_left(self._sorted, word)
            while position < len(self._sorted) and self._sorted[position].startswith(word):
                found.setdefault(self._vocabulary[self._sorted[position]], PREFIX)
                position += 1
        for length in range(max(4, len(word) - 3), len(word)):
            stem = self._vocabulary.get(word[:length])
            if stem is not None:
                found.setdefault(stem, INFLECTION)
        return found

    def _match_word(self, word: str) -> Match:
        """Every vocabulary word that `word` may mean, with how sure we are (0..1)."""
        found = self._strong_matches(word)
        if len(word) >= 4:
            for word_id in self._containing(word):
                found.setdefault(word_id, INFIX)
        if not found and len(word) >= 4:
            found = self._typos(word)
        return tuple(found.items())

    def _containing(self, word: str) -> set[int]:
        """Vocabulary words that contain `word` (all its inner trigrams, then checked)."""
        lists = sorted(
            (self._by_trigram.get(word[i : i + 3], ()) for i in range(len(word) - 2)), key=len
        )
        candidates = set(lists[0])
        for ids in lists[1:]:
            if not candidates:
                break
            candidates.intersection_update(ids)
        return {c for c in candidates if word in self._words[c]}

    def _typos(self, word: str) -> dict[int, float]:
        """Words close to `word`: within one edit (long words) or trigram-similar."""
        grams = trigrams(word)
        shared_counts: Counter[int] = Counter()
        for gram in grams:
            shared_counts.update(self._by_trigram.get(gram, ()))
        # One edit removes at most four trigrams; a similarity of 1/2 needs half of them.
        needed = max(2, min(len(grams) - 4, math.ceil(len(grams) / 2)))
        found: dict[int, float] = {}
        for word_id, shared in shared_counts.items():
            if shared < needed:
                continue
            score = shared / (len(grams) + self._trigram_counts[word_id] - shared)
            candidate = self._words[word_id]
            if score >= MIN_SIMILARITY or (
                len(word) >= MIN_TYPO_LENGTH
                and len(candidate) >= MIN_TYPO_LENGTH
                and within_one_edit(word, candidate)
            ):
                found[word_id] = FUZZY * max(score, MIN_SIMILARITY)
        return found
