"""What a FAQ entry is, whether it comes from a content pack or from an imported help center."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from supportcli.core.i18n import Lang, pick

# The categories a pack's entries are grouped by, in the order `faq list` shows them.
CATEGORIES = ("contact", "account", "security", "funding", "trading", "disputes")
IMPORTED_CATEGORY = "imported"
Origin = Literal["pack", "imported", "synced"]  # synced: copied from the help center by `faq sync`


class FaqEntry(NamedTuple):
    """One entry (a tuple: created by the thousand on the search path, where dataclasses cost time)."""

    id: str
    category: str
    title: dict[str, str]  # per language
    body: dict[str, str]
    keywords: dict[str, list[str]]
    notes: dict[str, str]  # empty when the entry has none
    related: tuple[str, ...] = ()
    flow: str | None = None
    source: str = ""  # imported: the file or URL it came from; pack: the cited source ids, comma-separated
    verified: str | None = None  # ISO date
    origin: Origin = "pack"
    url: dict[str, str] = {}  # per language: the official page (synced articles only)  # noqa: RUF012
    synced_at: str | None = None  # ISO time of the sync that last confirmed this copy
    sources: tuple[str, ...] = ()  # pack entries: ids in the pack's sources.toml
    questions: dict[str, list[str]] = {}  # per language: how users ask (pack entries only)  # noqa: RUF012

    def title_in(self, lang: Lang) -> str:
        return pick(self.title, lang)

    def body_in(self, lang: Lang) -> str:
        return pick(self.body, lang)

    def notes_in(self, lang: Lang) -> str:
        return pick(self.notes, lang) if self.notes else ""

    def url_in(self, lang: Lang) -> str | None:
        return pick(self.url, lang) if self.url else None

    def search_fields(self) -> tuple[str, str, str, str]:
        """The text indexed as (title, keywords, questions, body), every language in each, so either
        language finds it. An imported article has no example questions."""
        title = "\n".join(self.title.values())
        keywords = "\n".join(k for words in self.keywords.values() for k in words)
        questions = "\n".join(q for items in self.questions.values() for q in items)
        body = "\n".join([*self.body.values(), *self.notes.values()])
        return title, keywords, questions, body

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "category": self.category, "title": self.title, "body": self.body,
            "keywords": self.keywords, "related": list(self.related), "flow": self.flow,
            "source": self.source, "verified": self.verified, "notes": self.notes, "origin": self.origin,
            "url": self.url, "synced_at": self.synced_at, "sources": list(self.sources),
            "questions": self.questions,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaqEntry:
        return cls(
            id=data["id"], category=data["category"], title=data["title"], body=data["body"],
            keywords=data.get("keywords", {}), notes=data.get("notes", {}), related=tuple(data.get("related", ())),
            flow=data.get("flow"), source=data.get("source", ""), verified=data.get("verified"),
            origin=data.get("origin", "pack"), url=data.get("url", {}), synced_at=data.get("synced_at"),
            sources=tuple(data.get("sources", ())), questions=data.get("questions", {}),
        )


class Article(NamedTuple):
    """One imported help-center article in one locale."""

    id: str
    locale: str  # "zh" or "en" (normalised from zh-CN, en-us, …)
    title: str
    body: str
    tags: tuple[str, ...] = ()
    source: str = ""  # the file it came from, or its URL when the export gives one
    origin: Origin = "imported"
    url: str = ""  # the official page of a synced article
    synced_at: str = ""

    def to_entry(self) -> FaqEntry:
        return FaqEntry(
            id=self.id, category=IMPORTED_CATEGORY, title={self.locale: self.title},
            body={self.locale: self.body}, keywords={self.locale: list(self.tags)}, notes={}, source=self.source,
            origin=self.origin, url={self.locale: self.url} if self.url else {}, synced_at=self.synced_at or None,
        )
