"""Ranking: field-weighted BM25, computed exactly as SQLite FTS5's `bm25()` computes it.

The shipped pack is small, so it is ranked here in memory (`MemoryIndex`); imported articles are
ranked by FTS5 (`store.py`). Both resolve a query into the same phrases (`resolve`) and use the
same weights, so an entry scores the same in either engine over the same corpus.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from supportcli.core.faq.tokens import QueryTerm, terms, typo_candidates

# Column weights: (title, keywords, body). Keywords are what people actually type.
WEIGHTS = (6.0, 4.0, 1.0)
K1 = 1.2  # FTS5's bm25() constants
B = 0.75
COVERAGE_FLOOR = 0.25
# Extra weight for the share of the query found in an entry's title or keywords. A word held by
# half the entries gets no BM25 weight ("withdrawal" in a small pack), yet an entry whose headline
# holds it answers "withdrawal pending" better than one that only mentions "pending" somewhere.
HEADLINE_BONUS = 0.5
# Typo repair looks up a few hundred neighbours per unknown word: a pasted page of text would
# take seconds, so only the first few unknown words are repaired.
MAX_REPAIRS = 8
INDEX_VERSION = 6  # bump when tokens.py or the weights change: cached and stored indexes are rebuilt


class Phrase(NamedTuple):
    term: str
    word: str  # what the user typed
    prefix: bool = False
    corrected: bool = False  # a typo repaired to a known term
    # In half the rows or more: BM25 gives it no weight (idf <= 0), so it finds no candidates;
    # it still counts for coverage.
    weightless: bool = False
    rows: int = 0  # how many rows hold it (0 when unknown, as for a prefix)


DocFreq = Callable[[list[str]], dict[str, int]]


def resolve(query: list[QueryTerm], doc_freq: DocFreq, rows: int) -> list[Phrase]:
    """The phrases to search for: known terms as they are, unknown Latin words repaired when one edit away.

    A term found in half of the `rows` or more is marked weightless, unless every term is.
    """
    exact = [q.term for q in query if not q.prefix]
    known = doc_freq(exact) if exact else {}
    found: dict[str, int] = {}
    phrases: list[Phrase] = []
    seen: set[str] = set()
    repairs = 0
    for q in query:
        phrase: Phrase | None = None
        if q.prefix or known.get(q.term):
            phrase = Phrase(q.term, q.word, prefix=q.prefix)
        elif repairs < MAX_REPAIRS:
            candidates = sorted(typo_candidates(q.word))
            repairs += bool(candidates)
            found = {k: v for k, v in doc_freq(candidates).items() if v} if candidates else {}
            if found:
                best = max(found, key=lambda term: (found[term], term))
                phrase = Phrase(best, q.word, corrected=True)
        if phrase is None:
            continue
        key = phrase.term + ("*" if phrase.prefix else "")
        if key not in seen:
            seen.add(key)
            frequency = known.get(phrase.term) or (found.get(phrase.term, 0) if phrase.corrected else 0)
            phrases.append(phrase._replace(weightless=frequency * 2 >= rows > 0, rows=frequency))
    if all(p.weightless for p in phrases):
        phrases = [p._replace(weightless=False) for p in phrases]
    return phrases


class Scored(NamedTuple):
    id: str
    bm25: float
    matched: int  # how many of the query's phrases the document contains
    headline: int = 0  # how many of them stand in its title or keywords
    score: float = 0.0


def rerank(candidates: list[Scored], phrases: int) -> list[Scored]:
    """BM25 scaled by the share of the query a document covers (and covers in its headline),
    best first (ties: by id).

    BM25 alone lets one rare word outweigh a document that matches the whole question.
    """
    n = max(phrases, 1)
    out = [
        c._replace(score=c.bm25 * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * c.matched / n)
                   * (1 + HEADLINE_BONUS * c.headline / n))
        for c in candidates
    ]
    out.sort(key=lambda c: (-c.score, c.id))
    return out


def bm25_idf(rows: int, hits: int) -> float:
    idf = math.log((rows - hits + 0.5) / (hits + 0.5))
    return idf if idf > 0 else 1e-6


class MemoryIndex:
    """An inverted index over a few hundred documents, cheap to store as JSON and to load."""

    def __init__(self, ids: list[str], lengths: list[int], postings: dict[str, str]) -> None:
        self.ids = ids
        self.lengths = lengths  # tokens per document, all columns
        # term -> "doc,tf_title,tf_keywords,tf_body;…": a string, because a search reads only the
        # query's few terms and a JSON string loads far faster than nested lists.
        self.postings = postings

    @classmethod
    def build(cls, docs: Iterable[tuple[str, tuple[str, str, str]]]) -> MemoryIndex:
        ids: list[str] = []
        lengths: list[int] = []
        postings: dict[str, list[str]] = {}
        for n, (doc_id, fields) in enumerate(docs):
            ids.append(doc_id)
            counts: dict[str, list[int]] = {}
            total = 0
            for col, text in enumerate(fields):
                words = terms(text)
                total += len(words)
                for word in words:
                    counts.setdefault(word, [n, 0, 0, 0])[col + 1] += 1
            lengths.append(total)
            for word, row in counts.items():
                postings.setdefault(word, []).append(",".join(map(str, row)))
        return cls(ids, lengths, {word: ";".join(rows) for word, rows in postings.items()})

    def to_json(self) -> dict[str, Any]:
        return {"ids": self.ids, "lengths": self.lengths, "postings": self.postings}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MemoryIndex:
        return cls(list(data["ids"]), list(data["lengths"]), dict(data["postings"]))

    def doc_freq(self, words: list[str]) -> dict[str, int]:
        return {w: self.postings[w].count(";") + 1 for w in words if w in self.postings}

    def _decode(self, term: str) -> list[list[int]]:
        encoded = self.postings.get(term)
        return [[int(x) for x in row.split(",")] for row in encoded.split(";")] if encoded else []

    def _rows(self, phrase: Phrase) -> dict[int, list[int]]:
        if not phrase.prefix:
            return {row[0]: row for row in self._decode(phrase.term)}
        merged: dict[int, list[int]] = {}
        for term in self.postings:
            if term.startswith(phrase.term):
                for row in self._decode(term):
                    into = merged.setdefault(row[0], [row[0], 0, 0, 0])
                    for col in (1, 2, 3):
                        into[col] += row[col]
        return merged

    def search(self, phrases: list[Phrase]) -> list[Scored]:
        """Best first; only documents that match at least one phrase."""
        rows = len(self.ids)
        if not rows or not phrases:
            return []
        avg = sum(self.lengths) / rows or 1.0
        scores: dict[int, float] = {}
        matched: dict[int, int] = {}
        headline: dict[int, int] = {}
        for phrase in phrases:
            hits = self._rows(phrase)
            if not hits:
                continue
            idf = bm25_idf(rows, len(hits))
            for doc, row in hits.items():
                matched[doc] = matched.get(doc, 0) + 1
                if row[1] or row[2]:
                    headline[doc] = headline.get(doc, 0) + 1
                if phrase.weightless:
                    continue
                freq = WEIGHTS[0] * row[1] + WEIGHTS[1] * row[2] + WEIGHTS[2] * row[3]
                norm = K1 * (1 - B + B * self.lengths[doc] / avg)
                scores[doc] = scores.get(doc, 0.0) + idf * freq * (K1 + 1) / (freq + norm)
        return rerank(
            [Scored(self.ids[doc], score, matched[doc], headline.get(doc, 0)) for doc, score in scores.items()],
            len(phrases),
        )
