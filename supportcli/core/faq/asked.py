"""Questions users asked, with the entry that answered each (`<pack>/asked.toml`): the pack's memory.

    [[asked]]
    q = "昨晚提了500u到币安 现在还没到"   # the question as it was typed
    id = "withdraw"                      # the entry that answers it; "" when the pack cannot
    from = "check4"                      # where it was collected (a labelled set, a support log)

Words shared with an entry say what a question is about; a question asked before, in other words,
says which entry answered it. So the search also looks for the questions most like the one typed
(`AskedIndex.similar`): each question is a bag of features (Chinese character pairs and Latin
words, traditional characters as simplified, case folded), weighted by how rare they are among
the asked questions (tf-idf) and compared by cosine. Among the ranking's top candidates, an entry
whose asked questions are close to the query moves up (search.py), and a query close to one the
pack cannot answer is less confident (confidence.py). Pairs survive what word matching does not:
Cantonese and Taiwanese wording, run-together Chinese, unusual ways to say a common problem.

The index is kept with the parsed pack (parsed_pack.py): the postings are strings of question
numbers, one character each (chr(BASE + n); a repeat is a feature said twice), read only for the
query's features.
asked_file.py reads and checks the file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

NEIGHBOURS = 5  # the closest questions that vote
MAX_QUESTION = 400  # characters of an asked question
MAX_FEATURES = 200  # of one query: a pasted page is judged on its start


def features(text: str) -> list[str]:
    """The features of `text`, in order, repeats kept: character pairs of each Chinese run (a run of one
    character is itself), and Latin words; written Cantonese is read as standard Chinese (cantonese.py)."""
    from supportcli.core.faq.tokens import PIECE, normalize  # one compiled pattern: a CJK class costs ~1 ms

    plain = normalize(text[: MAX_QUESTION * 4])
    if not plain.isascii():
        from supportcli.core.faq.cantonese import standard_chinese

        plain = standard_chinese(plain)
    out: list[str] = []
    for piece in PIECE.finditer(plain):
        run = piece.group()
        if run[0].isascii() or len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i: i + 2] for i in range(len(run) - 1))
        if len(out) >= MAX_FEATURES:
            break
    return out[:MAX_FEATURES]


class Asked:
    """What the asked questions closest to a query say: per entry, the closest of its questions
    (cosine, 0–1), and the closest question the pack cannot answer (0 when none is among them).
    A plain class: a NamedTuple costs a tenth of a millisecond to define, at every search's start."""

    __slots__ = ("by_entry", "out_of_scope")

    def __init__(self, by_entry: dict[str, float], out_of_scope: float) -> None:
        self.by_entry = by_entry
        self.out_of_scope = out_of_scope

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Asked) and (self.by_entry, self.out_of_scope) == (other.by_entry, other.out_of_scope)

    __hash__ = None  # type: ignore[assignment]  # it holds a dict

    def __repr__(self) -> str:
        return f"Asked(by_entry={self.by_entry!r}, out_of_scope={self.out_of_scope!r})"


NOTHING = Asked({}, 0.0)


# How the index keeps each question's answer and vector length: one character per answer (an index into
# the distinct answers) and two per length (in 1/SCALE), from code point BASE, so JSON reads each as one
# short string instead of thousands of list items (a third of a millisecond of every search).
BASE = 0x100  # no JSON escapes below, no surrogates before BASE + SPAN
SPAN = 0xD800 - BASE
SCALE = 10_000


def _encode_lengths(lengths: Iterable[float]) -> str:
    out = []
    for value in lengths:
        high, low = divmod(min(round(value * SCALE), SPAN * SPAN - 1), SPAN)
        out.append(chr(BASE + high) + chr(BASE + low))
    return "".join(out)


class AskedIndex:
    """The asked questions as an inverted index: feature -> the numbers of the questions that hold it."""

    def __init__(self, ids: list[str], codes: str, lengths: str, postings: Mapping[str, str]) -> None:
        self.ids = ids  # the distinct answers: entry ids, "" for a question the pack cannot answer
        self.codes = codes  # per question, its answer: chr(BASE + index in ids)
        self.lengths = lengths  # per question, two characters: its vector length (see _encode_lengths)
        self.postings = postings  # feature -> its questions' numbers, chr(BASE + n), once for each time it is said

    @classmethod
    def build(cls, questions: Iterable[tuple[str, str]]) -> AskedIndex:
        """From (question, entry id or "") pairs."""
        answers: list[str] = []
        bags: list[dict[str, int]] = []
        for text, answer in questions:
            bag: dict[str, int] = {}
            for f in features(text):
                bag[f] = bag.get(f, 0) + 1
            if bag:
                answers.append(answer)
                bags.append(bag)
        answers, bags = answers[:SPAN], bags[:SPAN]  # a question's number is one character
        postings: dict[str, list[str]] = {}
        for n, bag in enumerate(bags):
            for f, count in bag.items():
                postings.setdefault(f, []).extend([chr(BASE + n)] * count)
        ids = sorted(set(answers))
        where = {a: i for i, a in enumerate(ids)}
        index = cls(ids, "".join(chr(BASE + where[a]) for a in answers), "",
                    {f: "".join(ns) for f, ns in postings.items()})
        index.lengths = _encode_lengths(math.sqrt(sum((c * index._idf(len(set(postings[f])))) ** 2
                                                      for f, c in bag.items())) for bag in bags)
        return index

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def answers(self) -> list[str]:
        """Each question's answer, in order."""
        return [self._answer(n) for n in range(len(self))]

    def _answer(self, n: int) -> str:
        return self.ids[ord(self.codes[n]) - BASE]

    def _length(self, n: int) -> float:
        high, low = ord(self.lengths[2 * n]) - BASE, ord(self.lengths[2 * n + 1]) - BASE
        return (high * SPAN + low) / SCALE

    def _idf(self, df: int) -> float:
        return math.log((len(self) + 1) / (df + 0.5))

    def to_json(self) -> dict[str, Any]:
        return {"asked_ids": self.ids, "asked_codes": self.codes, "asked_lengths": self.lengths,
                "asked_postings": self.postings}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AskedIndex:
        return cls(list(data.get("asked_ids", ())), str(data.get("asked_codes", "")),
                   str(data.get("asked_lengths", "")), dict(data.get("asked_postings", {})))

    def similar(self, text: str, neighbours: int = NEIGHBOURS) -> Asked:
        """The `neighbours` asked questions closest to `text`, as what they say (see Asked)."""
        if not self.codes:
            return NOTHING
        bag: dict[str, int] = {}
        for f in features(text):
            bag[f] = bag.get(f, 0) + 1
        unseen = math.log(len(self) + 1)  # a feature no question holds still lengthens the query
        idfs: dict[str, float] = {}
        found: dict[str, list[int]] = {}
        for f in bag:
            encoded = self.postings.get(f)
            if encoded:
                found[f] = [ord(c) - BASE for c in encoded]
                idfs[f] = self._idf(len(set(found[f])))
            else:
                idfs[f] = unseen
        length = math.sqrt(sum((bag[f] * idf) ** 2 for f, idf in idfs.items()))
        if not found or length <= 0:
            return NOTHING
        dots: dict[int, float] = {}
        for f, numbers in found.items():
            w = bag[f] * idfs[f] * idfs[f]  # the query's weight times the question's, per time it says f
            for n in numbers:
                dots[n] = dots.get(n, 0.0) + w
        scored = ((d, n, self._length(n)) for n, d in dots.items())
        closest = sorted(((d / (length * size), n) for d, n, size in scored if size > 0),
                         key=lambda item: (-item[0], item[1]))[:neighbours]
        by_entry: dict[str, float] = {}
        out = 0.0
        for similarity, n in closest:
            answer = self._answer(n)
            if answer:
                by_entry[answer] = max(by_entry.get(answer, 0.0), similarity)
            else:
                out = max(out, similarity)
        return Asked(by_entry, out)
