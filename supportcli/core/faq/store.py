"""The persistent index of imported help-center articles: one SQLite database per pack.

`<index_dir>/<pack>.sqlite3` holds

- `article`: every imported article (one row per id and locale) with its body zlib-compressed,
  plus the shipped pack's entries (origin `pack`) so both are ranked together;
- `article_fts`: a contentless FTS5 table over (title, keywords, body). The text is split into
  terms by `tokens.py` first (Chinese into character pairs), so the `unicode61` tokenizer only
  splits on spaces and a two-character Chinese query matches;
- `meta`: the index version and the signature of the pack files last synced.

Contentless means the terms are indexed but the text is not stored twice; to delete a row the
same terms are recomputed from the stored article.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from supportcli.core.errors import StorageError
from supportcli.core.faq.model import Article, FaqEntry
from supportcli.core.faq.rank import INDEX_VERSION, WEIGHTS, Phrase, Scored, rerank
from supportcli.core.faq.tokens import index_text, terms
from supportcli.core.storage import FILE_MODE, ensure_private_dir

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS article(
    rowid INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    id TEXT NOT NULL,
    locale TEXT NOT NULL,
    title TEXT NOT NULL,
    keywords TEXT NOT NULL,
    body BLOB NOT NULL,
    source TEXT NOT NULL,
    digest TEXT NOT NULL,
    UNIQUE(origin, id, locale)
);
CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5(
    title, keywords, body, content='', tokenize='unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE IF NOT EXISTS article_vocab USING fts5vocab(article_fts, 'row');
"""
CANDIDATES = 40  # rows re-ranked after BM25 (more than a shipped pack has entries)
PACK_LOCALE = "*"  # the pack's entries are indexed with every language in one row


@dataclass
class ImportCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


@dataclass(frozen=True)
class StoredHit:
    origin: str
    id: str
    score: float


def index_path(index_dir: Path, pack_id: str) -> Path:
    return index_dir / f"{pack_id}.sqlite3"


def _digest(*parts: str) -> str:
    import hashlib

    h = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def _fts_values(title: str, keywords: str, body: str) -> tuple[str, str, str]:
    return index_text(title), index_text(keywords), index_text(body)


def fts_query(phrases: list[Phrase]) -> str:
    """An FTS5 MATCH expression: any phrase may match (terms are [a-z0-9]+ or CJK, so quoting is safe)."""
    return " OR ".join(f'"{p.term}"*' if p.prefix else f'"{p.term}"' for p in phrases)


class FaqStore:
    def __init__(self, path: Path) -> None:
        import sqlite3

        self.path = path
        ensure_private_dir(path.parent)
        try:
            if not path.exists():
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
            self.db = sqlite3.connect(path, timeout=30)
            self.db.executescript(_SCHEMA)
            self._check_version()
        except (sqlite3.Error, OSError) as exc:
            raise StorageError("errors.storage", path=str(path), reason=str(exc)) from exc

    @classmethod
    def open_existing(cls, path: Path) -> FaqStore | None:
        return cls(path) if path.is_file() and path.stat().st_size > 0 else None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> FaqStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ meta

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def _check_version(self) -> None:
        """A database built with other tokens or weights is re-indexed from its stored articles."""
        if self._meta("index_version") == str(INDEX_VERSION):
            return
        with self.db:
            self.db.execute("INSERT INTO article_fts(article_fts) VALUES ('delete-all')")
            rows = self.db.execute("SELECT rowid, title, keywords, body FROM article")
            self.db.executemany(
                "INSERT INTO article_fts(rowid, title, keywords, body) VALUES (?, ?, ?, ?)",
                ((r[0], *_fts_values(r[1], r[2], zlib.decompress(r[3]).decode("utf-8"))) for r in rows.fetchall()),
            )
            self._set_meta("index_version", str(INDEX_VERSION))

    # ------------------------------------------------------------------ writing

    def _put(self, origin: str, item_id: str, locale: str, title: str, keywords: str, body: str,
             source: str) -> str:
        """Insert or replace one row; returns 'added', 'updated' or 'unchanged'."""
        digest = _digest(title, keywords, body, source)
        old = self.db.execute(
            "SELECT rowid, digest, title, keywords, body FROM article WHERE origin = ? AND id = ? AND locale = ?",
            (origin, item_id, locale),
        ).fetchone()
        if old is not None and old[1] == digest:
            return "unchanged"
        packed = zlib.compress(body.encode("utf-8"), 6)
        if old is not None:
            old_body = zlib.decompress(old[4]).decode("utf-8")
            self.db.execute(
                "INSERT INTO article_fts(article_fts, rowid, title, keywords, body) VALUES ('delete', ?, ?, ?, ?)",
                (old[0], *_fts_values(old[2], old[3], old_body)),
            )
            self.db.execute(
                "UPDATE article SET title = ?, keywords = ?, body = ?, source = ?, digest = ? WHERE rowid = ?",
                (title, keywords, packed, source, digest, old[0]),
            )
            rowid = int(old[0])
        else:
            cur = self.db.execute(
                "INSERT INTO article(origin, id, locale, title, keywords, body, source, digest) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (origin, item_id, locale, title, keywords, packed, source, digest),
            )
            rowid = int(cur.lastrowid or 0)
        self.db.execute(
            "INSERT INTO article_fts(rowid, title, keywords, body) VALUES (?, ?, ?, ?)",
            (rowid, *_fts_values(title, keywords, body)),
        )
        return "updated" if old is not None else "added"

    def _delete_row(self, rowid: int, title: str, keywords: str, body: bytes) -> None:
        self.db.execute(
            "INSERT INTO article_fts(article_fts, rowid, title, keywords, body) VALUES ('delete', ?, ?, ?, ?)",
            (rowid, *_fts_values(title, keywords, zlib.decompress(body).decode("utf-8"))),
        )
        self.db.execute("DELETE FROM article WHERE rowid = ?", (rowid,))

    def add_articles(self, articles: Iterable[Article]) -> ImportCounts:
        """Add or update articles in one transaction. Importing the same article again changes nothing."""
        counts = ImportCounts()
        with self.db:
            for a in articles:
                outcome = self._put("imported", a.id, a.locale, a.title, "\n".join(a.tags), a.body, a.source)
                setattr(counts, outcome, getattr(counts, outcome) + 1)
        return counts

    def sync_pack(self, entries: list[FaqEntry], signature: str) -> None:
        """Make the pack's rows match `entries` (cheap when the pack files have not changed)."""
        if self._meta("pack_signature") == signature:
            return
        with self.db:
            wanted = {e.id for e in entries}
            for row in self.db.execute(
                "SELECT rowid, id, title, keywords, body FROM article WHERE origin = 'pack'"
            ).fetchall():
                if row[1] not in wanted:
                    self._delete_row(row[0], row[2], row[3], row[4])
            for entry in entries:
                title, keywords, body = entry.search_fields()
                self._put("pack", entry.id, PACK_LOCALE, title, keywords, body, entry.source)
            self._set_meta("pack_signature", signature)

    # ------------------------------------------------------------------ reading

    def article_count(self) -> int:
        row = self.db.execute("SELECT count(DISTINCT id) FROM article WHERE origin = 'imported'").fetchone()
        return int(row[0]) if row else 0

    def doc_freq(self, words: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for start in range(0, len(words), 500):
            chunk = words[start: start + 500]
            marks = ",".join("?" * len(chunk))
            for term, docs in self.db.execute(f"SELECT term, doc FROM article_vocab WHERE term IN ({marks})", chunk):
                out[str(term)] = int(docs)
        return out

    def search(self, phrases: list[Phrase], limit: int) -> list[StoredHit]:
        """Best first, one hit per (origin, id): the best-scoring locale of an article.

        FTS5 ranks by BM25; the best `CANDIDATES` rows are then re-ranked by how much of the query
        each covers (rank.rerank), as the in-memory index does.
        """
        if not phrases:
            return []
        rows = self.db.execute(
            f"SELECT rowid, bm25(article_fts, {WEIGHTS[0]}, {WEIGHTS[1]}, {WEIGHTS[2]}) AS score "
            "FROM article_fts WHERE article_fts MATCH ? ORDER BY score LIMIT ?",
            (fts_query(phrases), max(CANDIDATES, limit * 4)),
        ).fetchall()
        if not rows:
            return []
        bm25 = {int(r[0]): -float(r[1]) for r in rows}
        marks = ",".join("?" * len(rows))
        candidates: list[Scored] = []
        for rowid, origin, item_id, title, keywords, body in self.db.execute(
            f"SELECT rowid, origin, id, title, keywords, body FROM article WHERE rowid IN ({marks})", list(bm25),
        ):
            have = set(terms(title)) | set(terms(keywords)) | set(terms(zlib.decompress(body).decode("utf-8")))
            matched = sum(
                1 for p in phrases
                if p.term in have or (p.prefix and any(term.startswith(p.term) for term in have))
            )
            candidates.append(Scored(f"{origin}\x00{item_id}", bm25[int(rowid)], matched))
        hits: list[StoredHit] = []
        seen: set[str] = set()
        for c in rerank(candidates, len(phrases)):
            if c.id in seen:
                continue
            seen.add(c.id)
            origin, _, item_id = c.id.partition("\x00")
            hits.append(StoredHit(origin, item_id, c.score))
            if len(hits) >= limit:
                break
        return hits

    def articles(self, article_id: str) -> list[Article]:
        """Every locale of one imported article."""
        rows = self.db.execute(
            "SELECT id, locale, title, keywords, body, source FROM article WHERE origin = 'imported' AND id = ? "
            "ORDER BY locale", (article_id,),
        ).fetchall()
        return [
            Article(id=r[0], locale=r[1], title=r[2], body=zlib.decompress(r[4]).decode("utf-8"),
                    tags=tuple(t for t in str(r[3]).split("\n") if t), source=r[5])
            for r in rows
        ]

    def iter_titles(self) -> Iterator[tuple[str, str, str]]:
        """(id, locale, title) of every imported article, for listing."""
        for row in self.db.execute(
            "SELECT id, locale, title FROM article WHERE origin = 'imported' ORDER BY id, locale"
        ):
            yield str(row[0]), str(row[1]), str(row[2])
