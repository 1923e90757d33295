"""Ranking: BM25F over four fields and the query's concepts, the same in both engines.

A document has four fields: its title, its keywords, its example questions (how users ask for it)
and its body. The first three are its *strong* fields: what the entry is about. An imported article
has no example questions, and its tags are its keywords: its title is what it is about.

A query is a list of concepts (tokens.analyze): a word, a Chinese word (searched as its character
pairs) or a phrasing, each with the other expressions of its synonym group. `resolve` looks their
terms up and repairs typos (only a Latin word that is neither in the index nor a real English word,
lexicon.py, to the most common index term one edit away), and gives each concept a weight: the idf
of its rarest known term (smooth, log(1 + (N - n + 0.5) / (n + 0.5)): a word held by most rows keeps
a small, positive weight), at least DOMAIN_FLOOR for a word of the pack's domain (its titles,
keywords and synonyms: "客服" is what a question about support is about, however many entries say
it) and at most EVERYDAY_CAP for an everyday word outside it ("reason", "turn": rare in the pack,
yet no topic); an unknown word the idf of a term no row holds, by what it is (unknown_share): a
name or a subject of its own ("passport", 信用卡) nearly all of it, a word that says how or what
happened ("permanently", "disappeared") or a cut-off fragment little; and a coin, amount or time
(tokens.is_context) a small share of it; a question frame ("how long", 多久: tokens.FRAMES) at most
EVERYDAY_CAP, so "提现冻结要多久" is about the hold, not the entry titled "how long". What the user
suffers, said after its cause (tokens.analyze: "重置2FA后不能提现"), weighs STRESS times as much. A
concept held by GENERIC_SHARE of the rows or more ("account", 账户, bitfinex) is *generic*.

For each document (`score_document`):

- BM25F: each field's term frequency is normalised by that field's length (against its average
  over the index), the fields are summed with WEIGHTS, and the sum saturates once, with K1; times
  the term's idf. A concept scores the best of its expressions (a synonym at SYNONYM_WEIGHT; a coin,
  amount or time at CONTEXT_WEIGHT: "三天" must not pick the entry whose example says 三天), so
  saying the same thing twice does not count twice; a synonym of several words counts only in the
  strong fields (in a long body "fund", "my" and "account" turn up without meaning "fund my account");
- coverage: the weighted share of the query's concepts the document holds, a concept found only in
  the body counting BODY_SHARE of one found in a strong field ("about" beats "mentions");
- specific: the same share counting only concepts that are not generic: a document that holds only
  the query's generic words is scored down (GENERIC_PENALTY);
- title: the same share counting only the title (coins, amounts and times aside): of two entries
  that hold the same words, the one whose title says them is about them ("withdrawal fee for btc":
  the entry titled with the fees, not the one about withdrawing that mentions a fee);
- complete: whether every concept but a coin, amount or time stands in a strong field;
- score = BM25F x (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) x coverage) x the generic penalty, times
  (1 + COMPLETE_BONUS + TITLE_BONUS x title) for a complete document ("5 day withdrawal lock after
  changing 2fa": the entry about the hold holds it all, the 2FA entry more of its words), and
  (1 + PARTIAL_TITLE x TITLE_BONUS x title) for one that is not.

The shipped pack is ranked here in memory (`MemoryIndex`); imported articles by SQLite FTS5
(store.py), which picks candidates with one query ordered by its own bm25() and then scores them
here, from their own text, with the same formula and the same statistics (rows, each term's rows,
each field's average length): over the same rows both engines rank alike. confidence.py judges the
top result's coverage and its margin over the next one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from supportcli.core.faq.asked import AskedIndex
from supportcli.core.faq.tokens import FRAMES, STOP_EN, Concept, modifier_form, term_counts, terms, typo_candidates

if TYPE_CHECKING:
    from supportcli.core.faq.synonyms import SynonymTable

FIELDS = ("title", "keywords", "questions", "body")
STRONG = 3  # the first STRONG fields are what a document is about
WEIGHTS = (3.0, 2.0, 1.5, 0.5)  # BM25F field weights
LENGTH_NORM = (0.3, 0.3, 0.6, 0.75)  # BM25F's b per field: a long body says less per word than a title
K1 = 1.2
SYNONYM_WEIGHT = 0.7
BODY_SHARE = 0.2  # a concept found only in the body counts this share in coverage
COVERAGE_FLOOR = 0.0
COMPLETE_BONUS = 0.2  # an entry that holds every word of the question in its strong fields
TITLE_BONUS = 1.5  # how much more an entry whose title holds the whole query scores
PARTIAL_TITLE = 1.0  # the share of it for an entry that does not hold every word of the query
GENERIC_SHARE = 0.4  # a concept held by this share of the rows or more is generic
GENERIC_PENALTY = 0.5  # a document that holds only generic concepts of the query
CONTEXT_WEIGHT = 0.15  # a coin, amount or time: its share of a concept's weight
# The share of an unknown concept's weight, by how common its word is in general language: a cut-off
# fragment or a word that says how ("permanently"), a rarer real word ("sourdough"), a word of no list
# ("binance"). An everyday word no entry holds ("car", 屏幕) weighs UNKNOWN_EVERYDAY, a little more than
# a name: it is the question's own subject more often than a name, which is often where funds went
# (measured on the check parts: with a smaller share "my car was stolen" was answered by the
# hacked-account entry, and the threshold calibrated lower).
UNKNOWN_WEIGHT = (0.2, 0.7, 1.0)
UNKNOWN_EVERYDAY = 1.2
DOMAIN_FLOOR = 1.5
FOREIGN_WEIGHT = 3.0  # another exchange or a crypto topic (scope.py): the question is about it, not about us
EVERYDAY_CAP = 1.0
REPORTED = 0.3  # what a message claims (tokens.analyze): its share of the query's weight and score
FRAME_SHARE = 0.5  # a question frame's share of its BM25F score (tokens.FRAMES)
STRESS = 1.5  # what the user suffers, said after its cause: its share of the query's weight and score
# Typo repair looks up a few hundred neighbours per unknown word: a pasted page of text would
# take seconds, so only the first few unknown words are repaired.
MAX_REPAIRS = 8
INDEX_VERSION = 10  # bump when tokens.py, the fields or the weights change: stored indexes are rebuilt


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
    generic: bool = False  # held by GENERIC_SHARE of the rows or more
    context: bool = False  # a coin, amount or time
    foreign: bool = False  # what the pack does not answer (scope.py): found only whole, in a strong field
    stress: float = 1.0  # what the user suffers, said after its cause (tokens.analyze), weighs STRESS


class Query(NamedTuple):
    needs: list[Need]
    phrases: list[Phrase]  # every distinct known term
    rows: int

    @property
    def corrected(self) -> list[Phrase]:
        return [p for p in self.phrases if p.corrected]

    @property
    def phrased(self) -> bool:
        """Whether some expression counts only where its words stand together (score_document)."""
        return any((len(alt) > 1 and (i > 0 or alt[0].isascii())) or n.foreign
                   for n in self.needs for i, alt in enumerate(n.alternatives))

    @property
    def typed(self) -> list[Phrase]:
        """The phrases of the words as typed (not those a synonym brought along)."""
        own = {t for n in self.needs for t in n.alternatives[0]}
        return [p for p in self.phrases if p.term in own]


DocFreq = Callable[[list[str]], dict[str, int]]
WordTier = Callable[[Concept], int]


def idf(rows: int, hits: int) -> float:
    return math.log(1 + (rows - hits + 0.5) / (hits + 0.5))


def unknown_share(concept: Concept, tier: WordTier) -> float:
    """The share of a word no row holds in the query's weight: a subject of its own ("passport", 信用卡,
    "sourdough", a name) says the question is about something else; a word that only says how or
    when ("permanently", "disappeared", 醒来 is not: it is a verb the pack may lack) says little."""
    if concept.fragment:
        return UNKNOWN_WEIGHT[0]
    level = tier(concept)
    if level == 0 and concept.latin and modifier_form(concept.word):
        return UNKNOWN_WEIGHT[0]
    return (UNKNOWN_EVERYDAY, UNKNOWN_WEIGHT[1], UNKNOWN_WEIGHT[2])[level]


def word_tier(concept: Concept) -> int:
    """How common the concept's word is in general language (lexicon.Lexicon.tier)."""
    from supportcli.core.faq.lexicon import chinese, english

    return (english() if concept.latin else chinese()).tier(concept.word)


def resolve(concepts: list[Concept], doc_freq: DocFreq, rows: int, table: SynonymTable | None = None,
            tier: WordTier = word_tier, typo_head: int = 0) -> Query:
    """Look the concepts' terms up; repair Latin words that are neither known nor real words (with
    `typo_head`, only to a term that starts with the word's first `typo_head` letters: in a large
    index each group of neighbours with other first letters costs a lookup of its own)."""
    wanted = sorted({t for c in concepts for alt in (c.terms, *c.synonyms) for t in alt})
    known = {k: v for k, v in doc_freq(wanted).items() if v} if wanted else {}
    needs: list[Need] = []
    corrected: set[str] = set()
    repairs = 0
    for c in concepts:
        if c.foreign:  # what the pack does not answer: it weighs like a word no row holds, and counts
            # only as a whole in a strong field (an imported article about it; never a pack entry)
            whole = all(t in known for t in c.terms) and bool(c.terms)
            needs.append(Need(c.word, (c.terms,), idf(rows, 0) * FOREIGN_WEIGHT, whole, foreign=True))
            continue
        alternatives = (c.terms, *c.synonyms)
        fixed = False
        if (c.latin and not c.context and not any(t in known for alt in alternatives for t in alt)
                and repairs < MAX_REPAIRS and tier(c) == 2):
            candidates = sorted(w for w in typo_candidates(c.word) if w[:typo_head] == c.word[:typo_head])
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
        # as informative as the word typed, else as its synonyms are (the middle one); unknown: by its tier
        hits = min(own) if own else sorted(held)[len(held) // 2] if held else 0
        weight = idf(rows, hits) if held else idf(rows, 0) * unknown_share(c, tier)
        if held and table is not None:
            # What the user says about the pack's domain (a word of its titles, keywords or synonyms)
            # weighs at least DOMAIN_FLOOR, however many entries hold it ("客服" of "找客服有哪些途径");
            # an everyday word outside it at most EVERYDAY_CAP, however few ("reason", "turn", "high").
            if any(alt and all(t in table.domain for t in alt) for alt in alternatives):
                weight = max(weight, DOMAIN_FLOOR)
            elif tier(c) == 0 or c.fragment:
                weight = min(weight, EVERYDAY_CAP)
        if c.word in FRAMES:  # "how long" asks about the thing named, whichever entry says "how long"
            weight = min(weight, EVERYDAY_CAP)
            frame = FRAME_SHARE
        else:
            frame = 1.0
        if c.context:
            weight *= CONTEXT_WEIGHT
        stress = (STRESS if c.stressed else 1.0) * frame * (REPORTED if c.reported else 1.0)
        generic = bool(held) and hits >= GENERIC_SHARE * rows
        needs.append(Need(c.word, alternatives, weight * stress, bool(held), fixed, generic, c.context,
                          stress=stress))
    words = {t: n.word for n in needs for alt in n.alternatives for t in alt}
    phrases = [Phrase(t, words.get(t, t), t in corrected and t not in _own_terms(needs), known[t])
               for t in sorted(known)]
    return Query(needs, phrases, rows)


def _own_terms(needs: list[Need]) -> set[str]:
    """Terms typed as they are by some concept (a repaired word that is also typed right is not a repair)."""
    return {t for n in needs if not n.corrected for t in n.alternatives[0]}


# ---------------------------------------------------------------------------- scoring

FieldFreq = tuple[int, ...]  # a term's frequency in each field
TermHits = dict[str, FieldFreq]  # term -> its frequency per field, for the terms a document holds
Lengths = tuple[int, ...]  # terms per field


class Stats(NamedTuple):
    """What BM25F needs of the whole index: its rows and each field's average length."""

    rows: int
    average: tuple[float, ...]

    @classmethod
    def of(cls, rows: int, totals: Sequence[int]) -> Stats:
        return cls(rows, tuple((total / rows if rows else 0.0) or 1.0 for total in totals))


class Features(NamedTuple):
    bm25: float
    coverage: float  # weighted share of the query's concepts held (body-only at BODY_SHARE)
    strong: float  # the same, counting only the strong fields
    specific: float  # the coverage of the concepts that are not generic
    title: float = 0.0  # the same share, counting only the title (coins, amounts and times aside)
    complete: bool = False  # every concept but a coin, amount or time stands in a strong field


class Scored(NamedTuple):
    id: str
    features: Features
    score: float = 0.0

    @property
    def coverage(self) -> float:
        return self.features.coverage


def strong_text(fields: Sequence[str]) -> str:
    """The terms of a document's strong fields, a line at a time (" a b | c d "), to find an
    expression of several words where its words stand together."""
    lines = (" ".join(terms(line)) for text in fields[:STRONG] for line in text.splitlines())
    return " " + " | ".join(line for line in lines if line) + " "


def field_counts(fields: Sequence[str], wanted: Iterable[str]) -> TermHits:
    """Per-field frequencies of the `wanted` terms in a document's field texts (as its postings say)."""
    want = sorted(set(wanted))
    hits: dict[str, list[int]] = {}
    for col, text in enumerate(fields):
        if text:
            for term, n in term_counts(text, want).items():
                hits.setdefault(term, [0] * len(fields))[col] = n
    return {t: tuple(v) for t, v in hits.items()}


def _saturated(freq: FieldFreq, lengths: Lengths, stats: Stats) -> float:
    """BM25F's term-frequency part: field frequencies normalised per field, weighted, saturated once."""
    total = 0.0
    for col, f in enumerate(freq):
        if f:
            norm = 1 - LENGTH_NORM[col] + LENGTH_NORM[col] * lengths[col] / stats.average[col]
            total += WEIGHTS[col] * f / norm
    return total * (K1 + 1) / (total + K1)


def score_document(query: Query, hits: TermHits, lengths: Lengths, stats: Stats, strong_line: str = "") -> Features:
    """BM25F, coverage, strong-field coverage and specific coverage of one document (`strong_line`:
    its strong_text, where a synonym of several words must stand together to count)."""
    frequency = {p.term: p.rows for p in query.phrases}
    total = sum(n.weight for n in query.needs) or 1.0
    bm25 = covered = strong = specific = titled = 0.0
    complete = True  # every concept but a coin, amount or time stands in a strong field
    for need in query.needs:
        best = any_share = strong_share = title_share = 0.0
        for i, alt in enumerate(need.alternatives):
            if not alt:
                continue
            # A synonym of several words, or what the pack does not answer, counts only as a whole where
            # its words stand together in a strong field: in a long body, or spread over the example
            # questions, "fund", "my" and "account" turn up without meaning "fund my account".
            if (len(alt) > 1 and (i > 0 or alt[0].isascii())) or need.foreign:
                if f" {' '.join(alt)} " not in strong_line:
                    continue
                found = list(alt)
            else:
                found = [t for t in alt if t in hits]
            if not found:
                continue
            factor = (1.0 if i == 0 else SYNONYM_WEIGHT) * (CONTEXT_WEIGHT if need.context else 1.0)
            weights = {t: idf(stats.rows, frequency.get(t, 0)) for t in alt}
            # a phrase scores by its words that say something ("did not place": "place")
            scored = [t for t in found if t not in STOP_EN] or found
            value = factor * need.stress * sum(weights[t] * _saturated(hits[t], lengths, stats) for t in scored)
            best = max(best, value)
            # a part of an expression counts by how informative that part is ("account" of "sub account": little)
            whole = sum(weights.values())
            any_share = max(any_share, sum(weights[t] for t in found) / whole)
            strong_share = max(strong_share, sum(weights[t] for t in found if any(hits[t][:STRONG])) / whole)
            title_share = max(title_share, sum(weights[t] for t in found if hits[t][0]) / whole)
        share = strong_share + BODY_SHARE * (any_share - strong_share)
        bm25 += best
        covered += need.weight * share
        strong += need.weight * strong_share
        if not need.context:
            titled += need.weight * title_share
            complete = complete and strong_share >= 1.0 - 1e-9
        if not need.generic and not need.context:
            specific += need.weight * share
    return Features(bm25, covered / total, strong / total, specific / total, titled / total, complete)


def rerank(candidates: Iterable[tuple[str, Features]]) -> list[Scored]:
    """The final score of each candidate that matches at all, best first (ties: by id)."""
    out = []
    for doc_id, f in candidates:
        score = f.bm25 * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * f.coverage)
        if f.complete:
            score *= 1 + COMPLETE_BONUS + TITLE_BONUS * f.title
        else:
            score *= 1 + PARTIAL_TITLE * TITLE_BONUS * f.title
        if f.specific <= 0.0:
            score *= GENERIC_PENALTY
        if score > 0.0:
            out.append(Scored(doc_id, f, score))
    out.sort(key=lambda c: (-c.score, c.id))
    return out


class MemoryIndex:
    """An inverted index over a few hundred documents, cheap to store as JSON and to load."""

    def __init__(self, ids: list[str], lengths: list[list[int]], postings: dict[str, str],
                 strong: list[str], asked: AskedIndex | None = None) -> None:
        self.ids = ids
        self.lengths = lengths  # terms per field, per document
        self.strong = strong  # strong_text, per document
        # term -> "doc,tf_title,tf_keywords,tf_questions,tf_body;…": a string, because a search reads
        # only the query's few terms and a JSON string loads far faster than nested lists.
        self.postings = postings
        self.stats = Stats.of(len(ids), [sum(d[col] for d in lengths) for col in range(len(FIELDS))])
        self.asked = asked if asked is not None else AskedIndex([], "", "", {})  # the pack's asked questions

    @property
    def asked_postings(self) -> Mapping[str, str]:
        """The asked questions' postings (parsed_pack.py reads them lazily, as the entries' own)."""
        return self.asked.postings

    @asked_postings.setter
    def asked_postings(self, value: Mapping[str, str]) -> None:
        self.asked.postings = value

    @classmethod
    def build(cls, docs: Iterable[tuple[str, Sequence[str]]],
              asked: Iterable[tuple[str, str]] = ()) -> MemoryIndex:
        """From (id, search fields) per entry, and (question, entry id or "") per asked question."""
        ids: list[str] = []
        lengths: list[list[int]] = []
        strong: list[str] = []
        postings: dict[str, list[str]] = {}
        for n, (doc_id, fields) in enumerate(docs):
            ids.append(doc_id)
            strong.append(strong_text(fields))
            counts: dict[str, list[int]] = {}
            sizes = []
            for col, text in enumerate(fields):
                words = terms(text)
                sizes.append(len(words))
                for word in words:
                    counts.setdefault(word, [n] + [0] * len(FIELDS))[col + 1] += 1
            lengths.append(sizes)
            for word, row in counts.items():
                postings.setdefault(word, []).append(",".join(map(str, row)))
        return cls(ids, lengths, {word: ";".join(rows) for word, rows in postings.items()}, strong,
                   AskedIndex.build(asked))

    def to_json(self) -> dict[str, Any]:
        return {"ids": self.ids, "lengths": self.lengths, "postings": self.postings, "strong": self.strong,
                **self.asked.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MemoryIndex:
        return cls(list(data["ids"]), [list(x) for x in data["lengths"]], dict(data["postings"]), list(data["strong"]),
                   AskedIndex.from_json(data))

    def doc_freq(self, words: list[str]) -> dict[str, int]:
        return {w: self.postings[w].count(";") + 1 for w in words if w in self.postings}

    def known_pairs(self, pairs: list[str]) -> set[str]:
        return {p for p in pairs if p in self.postings}

    def _decode(self, term: str) -> list[list[int]]:
        encoded = self.postings.get(term)
        return [[int(x) for x in row.split(",")] for row in encoded.split(";")] if encoded else []

    def search(self, query: Query) -> list[Scored]:
        """Best first; only documents that hold at least one of the query's terms."""
        if not self.ids or not query.phrases:
            return []
        per_doc: dict[int, TermHits] = {}
        for phrase in query.phrases:
            for doc, *freq in self._decode(phrase.term):
                per_doc.setdefault(doc, {})[phrase.term] = tuple(freq)
        return rerank((self.ids[doc], score_document(query, hits, tuple(self.lengths[doc]), self.stats,
                                                     self.strong[doc]))
                      for doc, hits in per_doc.items())
