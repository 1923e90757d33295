"""Ranking: field-weighted BM25 over the query's concepts, the same in both engines.

A query is a list of concepts (tokens.analyze): a word, a Chinese word (searched as its character
pairs) or a phrasing, each with the other expressions of its synonym group. `resolve` looks their
terms up in the index and repairs typos: only a Latin word that is neither in the index nor a real
English word (lexicon.py) is repaired, to the most common index term one edit away.

For each document:

- every term contributes BM25 with FTS5's column weights and length normalisation, but with a
  smooth idf, log(1 + (N - n + 0.5) / (n + 0.5)): a word held by most entries keeps a small,
  positive weight (FTS5's own idf drops to nothing at half the rows: the "common-word cliff");
- a concept scores the best of its expressions (a synonym at SYNONYM_WEIGHT), so saying the same
  thing twice does not count twice; a synonym of several words only counts in titles and keywords;
- coverage: the share of the query's concepts the document holds, each concept weighted by the
  idf of its rarest known term, an unknown one at the idf of a term no row holds (less for a
  real word of the general lists, and least for an everyday one): what the user asked and the index does not know lowers
  every document's coverage alike;
- score = BM25 x (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) x coverage) x (1 + HEADLINE_BONUS x the
  weighted share found in its title or keywords).

The shipped pack is ranked here in memory (`MemoryIndex`); imported articles by SQLite FTS5
(store.py), which picks candidates with its own bm25() and then scores them with this formula
from per-term bm25() values, so an entry scores the same in either engine over the same corpus.
Coverage is also what confidence.py judges.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from supportcli.core.faq.tokens import Concept, terms, typo_candidates

if TYPE_CHECKING:
    from supportcli.core.faq.synonyms import SynonymTable

# Column weights: (title, keywords, body). Keywords are what people actually type.
WEIGHTS = (6.0, 4.0, 1.0)
K1 = 1.2  # FTS5's bm25() constants
B = 0.75
COVERAGE_FLOOR = 0.5
HEADLINE_BONUS = 3.0
SYNONYM_WEIGHT = 0.8
# The share of an unknown concept's weight, by how common its word is in general language: an
# everyday word ("night", "进来"), a rarer real word ("sourdough"), a word of no list ("binance").
UNKNOWN_WEIGHT = (0.35, 0.7, 1.0)
# Typo repair looks up a few hundred neighbours per unknown word: a pasted page of text would
# take seconds, so only the first few unknown words are repaired.
MAX_REPAIRS = 8
INDEX_VERSION = 7  # bump when tokens.py or the weights change: cached and stored indexes are rebuilt


class Phrase(NamedTuple):
    """One index term searched for."""

    term: str
    word: str  # what the user typed
    corrected: bool = False  # a typo repaired to a known term
    rows: int = 0  # how many rows hold it


class Need(NamedTuple):
    """One concept of the query, resolved against the index."""

    word: str
    alternatives: tuple[tuple[str, ...], ...]  # its own terms first, then each synonym's
    weight: float  # its share in the coverage
    known: bool  # some row holds one of its expressions
    corrected: bool = False


class Query(NamedTuple):
    needs: list[Need]
    phrases: list[Phrase]  # every distinct known term
    rows: int

    @property
    def corrected(self) -> list[Phrase]:
        return [p for p in self.phrases if p.corrected]

    @property
    def typed(self) -> list[Phrase]:
        """The phrases of the words as typed (not those a synonym brought along)."""
        own = {t for n in self.needs for t in n.alternatives[0]}
        return [p for p in self.phrases if p.term in own]


DocFreq = Callable[[list[str]], dict[str, int]]
WordTier = Callable[[Concept], int]


def idf(rows: int, hits: int) -> float:
    return math.log(1 + (rows - hits + 0.5) / (hits + 0.5))


def fts_idf(rows: int, hits: int) -> float:
    """FTS5's own idf (bm25() in fts5_aux.c), to take it back out of a per-term bm25() value."""
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0 else 1e-6


def word_tier(concept: Concept) -> int:
    """How common the concept's word is in general language (lexicon.Lexicon.tier)."""
    from supportcli.core.faq.lexicon import chinese, english

    return (english() if concept.latin else chinese()).tier(concept.word)


def resolve(concepts: list[Concept], doc_freq: DocFreq, rows: int, table: SynonymTable | None = None,
            tier: WordTier = word_tier) -> Query:
    """Look the concepts' terms up; repair Latin words that are neither known nor real words."""
    wanted = sorted({t for c in concepts for alt in (c.terms, *c.synonyms) for t in alt})
    known = {k: v for k, v in doc_freq(wanted).items() if v} if wanted else {}
    needs: list[Need] = []
    corrected: set[str] = set()
    repairs = 0
    for c in concepts:
        alternatives = (c.terms, *c.synonyms)
        fixed = False
        if (c.latin and not any(t in known for alt in alternatives for t in alt) and repairs < MAX_REPAIRS
                and tier(c) == 2):
            candidates = sorted(typo_candidates(c.word))
            repairs += bool(candidates)
            found = {k: v for k, v in doc_freq(candidates).items() if v} if candidates else {}
            if found:
                best = max(found, key=lambda term: (found[term], term))
                known[best] = found[best]
                corrected.add(best)
                fixed = True
                group = table.group_of_stem(best) if table is not None else None
                synonyms = table.others(group, (best,)) if table is not None and group is not None else ()
                extra = sorted({t for alt in synonyms for t in alt} - set(known))
                if extra:
                    known.update({k: v for k, v in doc_freq(extra).items() if v})
                alternatives = ((best,), *synonyms)
        held = [known[t] for alt in alternatives for t in alt if t in known]
        own = [known[t] for t in alternatives[0] if t in known]
        # as informative as the word typed, else as its most common synonym; unknown: by its tier
        weight = idf(rows, min(own) if own else max(held)) if held else idf(rows, 0) * UNKNOWN_WEIGHT[tier(c)]
        needs.append(Need(c.word, alternatives, weight, bool(held), fixed))
    words = {t: n.word for n in needs for alt in n.alternatives for t in alt}
    phrases = [Phrase(t, words.get(t, t), t in corrected and t not in _own_terms(needs), known[t])
               for t in sorted(known)]
    return Query(needs, phrases, rows)


def _own_terms(needs: list[Need]) -> set[str]:
    """Terms typed as they are by some concept (a repaired word that is also typed right is not a repair)."""
    return {t for n in needs if not n.corrected for t in n.alternatives[0]}


class Scored(NamedTuple):
    id: str
    bm25: float
    coverage: float  # weighted share of the query's concepts the document holds
    headline: float = 0.0  # the same, counting only its title and keywords
    score: float = 0.0


TermHits = dict[str, tuple[float, bool]]  # term -> (BM25 term-frequency part, in title or keywords)


def score_document(query: Query, hits: TermHits) -> tuple[float, float, float]:
    """(BM25, coverage, headline coverage) of one document from its per-term hits."""
    rows = query.rows
    frequency = {p.term: p.rows for p in query.phrases}
    total = sum(n.weight for n in query.needs) or 1.0
    bm25 = covered = headline = 0.0
    for need in query.needs:
        best = share = top = 0.0
        for i, alt in enumerate(need.alternatives):
            if not alt:
                continue
            factor = 1.0 if i == 0 else SYNONYM_WEIGHT
            # A synonym of several words counts where words stand together, in a title or keywords:
            # in a long body "fund", "my" and "account" all turn up without meaning "fund my account".
            strict = i > 0 and len(alt) > 1
            found = [hits[t] for t in alt if t in hits and (hits[t][1] or not strict)]
            if not found:
                continue
            value = factor * sum(idf(rows, frequency[t]) * hits[t][0] for t in alt
                                 if t in hits and (hits[t][1] or not strict))
            best = max(best, value)
            share = max(share, len(found) / len(alt))
            top = max(top, sum(1 for h in found if h[1]) / len(alt))
        bm25 += best
        covered += need.weight * share
        headline += need.weight * top
    return bm25, covered / total, headline / total


def rerank(candidates: list[Scored]) -> list[Scored]:
    """BM25 scaled by coverage (and headline coverage), best first (ties: by id)."""
    out = [
        c._replace(score=c.bm25 * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * c.coverage)
                   * (1 + HEADLINE_BONUS * c.headline))
        for c in candidates
    ]
    out.sort(key=lambda c: (-c.score, c.id))
    return out


def tf_part(freq: float, length: int, average: float) -> float:
    """BM25's term-frequency part for a weighted frequency `freq` in a row of `length` terms."""
    return freq * (K1 + 1) / (freq + K1 * (1 - B + B * length / average))


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

    def known_pairs(self, pairs: list[str]) -> set[str]:
        return {p for p in pairs if p in self.postings}

    def _decode(self, term: str) -> list[list[int]]:
        encoded = self.postings.get(term)
        return [[int(x) for x in row.split(",")] for row in encoded.split(";")] if encoded else []

    def search(self, query: Query) -> list[Scored]:
        """Best first; only documents that hold at least one of the query's terms."""
        rows = len(self.ids)
        if not rows or not query.phrases:
            return []
        avg = sum(self.lengths) / rows or 1.0
        per_doc: dict[int, TermHits] = {}
        for phrase in query.phrases:
            for doc, tf_title, tf_keywords, tf_body in self._decode(phrase.term):
                freq = WEIGHTS[0] * tf_title + WEIGHTS[1] * tf_keywords + WEIGHTS[2] * tf_body
                per_doc.setdefault(doc, {})[phrase.term] = (
                    tf_part(freq, self.lengths[doc], avg), bool(tf_title or tf_keywords))
        out = []
        for doc, hits in per_doc.items():
            bm25, coverage, headline = score_document(query, hits)
            out.append(Scored(self.ids[doc], bm25, coverage, headline))
        return rerank(out)
