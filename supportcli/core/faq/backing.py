"""Does an entry back its example questions?

An entry's `questions` say how users ask for it ("提币好慢啊", "withdrawal taking forever"). They are
indexed as a strong field, so a word in them counts nearly as much as a word of the title: an
example question must not bring a word the entry says nothing about (keyword stuffing). Each
concept of each example question (tokens.analyze: a word, a Chinese word, a phrasing of
synonyms.toml) must be *backed*: its own terms, or those of one of its synonyms, all occur in the
entry's title, keywords, body or notes, in either language. Function words, numbers and amounts
say nothing and need no backing.

`content check` reports each unbacked concept as file:line: questions.<lang>[i]: expected ….
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from supportcli.core.faq.model import FaqEntry
from supportcli.core.faq.synonyms import SynonymTable
from supportcli.core.faq.tokens import KnownPairs, analyze, terms


class Unbacked(NamedTuple):
    lang: str
    position: int  # in questions[lang]
    word: str  # the concept as typed


def entry_terms(entry: FaqEntry) -> frozenset[str]:
    """The index terms of what the entry says (not of its example questions)."""
    title, keywords, _, body = entry.search_fields()
    return frozenset(terms("\n".join((title, keywords, body))))


def unbacked(entry: FaqEntry, table: SynonymTable | None, known: KnownPairs | None = None) -> Iterator[Unbacked]:
    """Each concept of the entry's example questions that the entry does not back."""
    have = entry_terms(entry)
    for lang, items in entry.questions.items():
        for i, question in enumerate(items):
            for concept in analyze(question, table, known):
                if concept.context:
                    continue
                alternatives = (concept.terms, *concept.synonyms)
                if not any(alt and all(t in have for t in alt) for alt in alternatives):
                    yield Unbacked(lang, i, concept.word)
