"""The persistent index of imported help-center articles: one SQLite database per pack.

`<index_dir>/<pack>.sqlite3` holds

- `article`: every imported article (one row per id and locale) with its body zlib-compressed,
  plus the shipped pack's entries (origin `pack`, with their example questions) so both are ranked
  together, and each row's length in terms per field;
- `article_fts`: a contentless FTS5 table over (title, keywords, questions, body). The text is split
  into terms by `tokens.py` first (Chinese into character pairs), so the `unicode61` tokenizer only
  splits on spaces and a two-character Chinese query matches;
- `meta`: the index version, the signature of the pack files last synced, the rows and each field's
  total length (for BM25F's averages), and the zlib preset dictionary (taken from the first articles
  imported) that makes short bodies compress well.
- `synced`: for each article copied from the pack's help center by `faq sync` (origin `synced`),
  the help-center locale it came from (en-us, zh-cn …), its `updated_at` there and when it was
  last synced. A sync writes a copy of the database beside it (`building_copy`) and renames it
  over the old one when done, so an interrupted sync leaves the previous index as it was.

Contentless means the terms are indexed but the text is not stored twice; to delete a row the
same terms are recomputed from the stored article.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import time
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from supportcli.core.errors import StorageError
from supportcli.core.faq.model import Article, FaqEntry
from supportcli.core.faq.rank import (
    INDEX_VERSION,
    WEIGHTS,
    Features,
    Phrase,
    Query,
    Stats,
    field_counts,
    rerank,
    score_document,
    strong_text,
)
from supportcli.core.faq.tokens import index_text
from supportcli.core.storage import FILE_MODE, _fsync_dir, ensure_private_dir

_SCHEMA = """
PRAGMA auto_vacuum = INCREMENTAL;
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
    questions TEXT NOT NULL DEFAULT '',
    lengths TEXT NOT NULL DEFAULT '',
    UNIQUE(origin, id, locale)
);
CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5(
    title, keywords, questions, body, content='', tokenize='unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE IF NOT EXISTS article_vocab USING fts5vocab(article_fts, 'row');
"""
# Created when first needed: an index made before `faq sync` existed has no such table.
_SYNCED_SCHEMA = """
CREATE TABLE IF NOT EXISTS synced(
    rowid INTEGER PRIMARY KEY,
    hc_locale TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    synced_at TEXT NOT NULL
)"""
LARGE_INDEX = 20000
COMMON_SHARE = 0.05
VERY_COMMON_SHARE = 0.15
CANDIDATES = 40  # rows re-scored after FTS5's bm25() picked them, in an index over SMALL_INDEX rows
SMALL_INDEX = 200  # up to this many rows, every row that matches is re-scored (as in memory)
SCORED_BODY = 20000  # characters of a body whose term frequencies are counted when re-scoring
_FTS_WEIGHTS = ", ".join(str(w) for w in WEIGHTS)
PACK_LOCALE = "*"
ZDICT_SIZE = 32768  # the pack's entries are indexed with every language in one row


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
    features: Features


def index_path(index_dir: Path, pack_id: str) -> Path:
    return index_dir / f"{pack_id}.sqlite3"


def _digest(*parts: str) -> str:
    import hashlib

    h = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def _fts_values(title: str, keywords: str, questions: str, body: str) -> tuple[str, str, str, str]:
    return index_text(title), index_text(keywords), index_text(questions), index_text(body)


def _lengths(values: tuple[str, ...]) -> list[int]:
    """Terms per field of FTS values (space-separated terms)."""
    return [value.count(" ") + 1 if value else 0 for value in values]


def fts_query(phrases: list[Phrase], rows: int = 0) -> str:
    """An FTS5 MATCH expression: any phrase may match (terms are [a-z0-9]+ or CJK, so quoting is safe).

    In a large index (`rows` >= LARGE_INDEX) a phrase held by more than COMMON_SHARE of the rows
    finds candidates only through the strong fields, and one held by more than VERY_COMMON_SHARE
    only through titles and example questions: FTS5 scores every row a phrase matches before it
    keeps the best, tens of thousands of rows that merely mention a common word cost more than a
    search may take, and such a row rarely ranks (the formula weighs a title most).
    """
    parts = []
    for p in phrases:
        expr = f'"{p.term}"'
        if rows >= LARGE_INDEX and p.rows > rows * VERY_COMMON_SHARE:
            expr = "{title questions} : " + expr
        elif rows >= LARGE_INDEX and p.rows > rows * COMMON_SHARE:
            expr = "{title keywords questions} : " + expr
        parts.append(expr)
    return " OR ".join(parts)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _guarded(method: Callable[Concatenate[FaqStore, _P], _R]) -> Callable[Concatenate[FaqStore, _P], _R]:
    """A database error (locked, read-only, disk full, corrupt) becomes one StorageError line."""

    @functools.wraps(method)
    def wrapper(self: FaqStore, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            if any(marker in str(exc) for marker in _DAMAGED):
                raise DamagedIndexError(path=str(self.path), reason=str(exc)) from exc
            raise StorageError("errors.storage", path=str(self.path), reason=str(exc)) from exc

    return wrapper


class DamagedIndexError(StorageError):
    """The file is not an SQLite database, or a damaged one ("file is not a database")."""

    key = "faq.index_damaged_here"


_DAMAGED = ("file is not a database", "database disk image is malformed", "malformed database schema")


def set_aside(path: Path) -> Path | None:
    """Move a damaged index out of the way (`<name>.damaged-<time>`); None when it cannot be moved."""
    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        os.replace(path, aside)
    except OSError:
        return None
    for extra in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            os.replace(path.with_name(path.name + extra), aside.with_name(aside.name + extra))
    return aside


class FaqStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            exists = path.is_file()
        except OSError as exc:
            raise StorageError("errors.storage", path=str(path), reason=exc.strerror or str(exc)) from exc
        if not exists:  # an existing index in a read-only folder is still read
            ensure_private_dir(path.parent)
        try:
            if not exists:
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
            self._dictionary: bytes | None = None
            self._totals: list[int] | None = None  # terms per field over all rows (meta `totals`)
            self.db = sqlite3.connect(path, timeout=30)
            if self._meta_or_none("index_version") != str(INDEX_VERSION):
                self.db.executescript(_SCHEMA)
                self._check_version()
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(Exception):
                self.db.close()
            if any(marker in str(exc) for marker in _DAMAGED):
                raise DamagedIndexError(path=str(path), reason=str(exc)) from exc
            raise StorageError("errors.storage", path=str(path), reason=str(exc)) from exc
        except OSError as exc:
            raise StorageError("errors.storage", path=str(path), reason=exc.strerror or str(exc)) from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> FaqStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ meta

    def _meta_or_none(self, key: str) -> str | None:
        """A meta value, or None when the database is new (no tables yet)."""
        try:
            return self._meta(key)
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise

    @_guarded
    def pack_signature(self) -> str | None:
        """The signature of the pack files whose entries the index holds (None: it holds none)."""
        return self._meta_or_none("pack_signature")

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def _check_version(self) -> None:
        """A database built with other tokens, fields or weights is re-indexed from its stored articles
        (an index made before example questions existed gains their column)."""
        if self._meta("index_version") == str(INDEX_VERSION):
            return
        with self.db:
            columns = {str(r[1]) for r in self.db.execute("PRAGMA table_info(article)")}
            for column in ("questions", "lengths"):
                if column not in columns:
                    self.db.execute(f"ALTER TABLE article ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
            self.db.execute("DROP TABLE IF EXISTS article_vocab")
            self.db.execute("DROP TABLE IF EXISTS article_fts")
            for statement in _SCHEMA.split(";"):
                if "VIRTUAL TABLE" in statement:
                    self.db.execute(statement)
            self._totals = [0, 0, 0, 0]
            for rowid, title, keywords, questions, body in self.db.execute(
                    "SELECT rowid, title, keywords, questions, body FROM article").fetchall():
                values = _fts_values(title, keywords, questions, self._unpack(body))
                self.db.execute("INSERT INTO article_fts(rowid, title, keywords, questions, body) "
                                "VALUES (?, ?, ?, ?, ?)", (rowid, *values))
                self._count_lengths(rowid, values)
            self._count_rows()
            self._set_meta("index_version", str(INDEX_VERSION))

    # ------------------------------------------------------------------ compression

    def _zdict(self, sample: Iterable[str] = ()) -> bytes:
        """The preset dictionary; created once, from `sample`, the first time a body is stored."""
        if self._dictionary is None:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'zdict'").fetchone()
            if row is not None:
                self._dictionary = bytes(row[0])
            else:  # two first imports at once: the one that writes first sets it, the other reads it
                text = "\n".join(sample).encode("utf-8")[-ZDICT_SIZE:]
                self.db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('zdict', ?)", (text or b"\n",))
                row = self.db.execute("SELECT value FROM meta WHERE key = 'zdict'").fetchone()
                self._dictionary = bytes(row[0])
        return self._dictionary

    def _pack(self, body: str) -> bytes:
        packer = zlib.compressobj(9, zdict=self._zdict([body]))
        return packer.compress(body.encode("utf-8")) + packer.flush()

    def _unpack(self, data: bytes) -> str:
        unpacker = zlib.decompressobj(zdict=self._zdict())
        return (unpacker.decompress(data) + unpacker.flush()).decode("utf-8")

    # ------------------------------------------------------------------ writing

    def _put(self, origin: str, item_id: str, locale: str, fields: tuple[str, str, str, str],
             source: str) -> tuple[str, int]:
        """Insert or replace one row (`fields`: title, keywords, questions, body); returns ('added',
        'updated' or 'unchanged', its rowid)."""
        title, keywords, questions, body = fields
        digest = _digest(title, keywords, questions, body, source)
        old = self.db.execute(
            "SELECT rowid, digest, title, keywords, questions, body FROM article "
            "WHERE origin = ? AND id = ? AND locale = ?",
            (origin, item_id, locale),
        ).fetchone()
        if old is not None and old[1] == digest:
            return "unchanged", int(old[0])
        packed = self._pack(body)
        if old is not None:
            old_values = _fts_values(old[2], old[3], old[4], self._unpack(old[5]))
            self.db.execute(
                "INSERT INTO article_fts(article_fts, rowid, title, keywords, questions, body) "
                "VALUES ('delete', ?, ?, ?, ?, ?)",
                (old[0], *old_values),
            )
            self._count_lengths(int(old[0]), old_values, -1)
            self.db.execute(
                "UPDATE article SET title = ?, keywords = ?, questions = ?, body = ?, source = ?, digest = ? "
                "WHERE rowid = ?",
                (title, keywords, questions, packed, source, digest, old[0]),
            )
            rowid = int(old[0])
        else:
            cur = self.db.execute(
                "INSERT INTO article(origin, id, locale, title, keywords, questions, body, source, digest) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (origin, item_id, locale, title, keywords, questions, packed, source, digest),
            )
            rowid = int(cur.lastrowid or 0)
        values = _fts_values(title, keywords, questions, body)
        self.db.execute(
            "INSERT INTO article_fts(rowid, title, keywords, questions, body) VALUES (?, ?, ?, ?, ?)",
            (rowid, *values),
        )
        self._count_lengths(rowid, values)
        return ("updated" if old is not None else "added"), rowid

    def _count_lengths(self, rowid: int, values: tuple[str, ...], sign: int = 1) -> None:
        """Keep the row's field lengths and the index's totals (written to meta by _count_rows)."""
        lengths = _lengths(values)
        if sign > 0:
            self.db.execute("UPDATE article SET lengths = ? WHERE rowid = ?", (" ".join(map(str, lengths)), rowid))
        totals = self._load_totals()
        for col, n in enumerate(lengths):
            totals[col] += sign * n

    def _load_totals(self) -> list[int]:
        if self._totals is None:
            stored = (self._meta("totals") or "").split()
            self._totals = [int(x) for x in stored] if len(stored) == 4 else [0, 0, 0, 0]
        return self._totals

    def _delete_row(self, rowid: int, title: str, keywords: str, questions: str, body: bytes) -> None:
        values = _fts_values(title, keywords, questions, self._unpack(body))
        self.db.execute(
            "INSERT INTO article_fts(article_fts, rowid, title, keywords, questions, body) "
            "VALUES ('delete', ?, ?, ?, ?, ?)",
            (rowid, *values),
        )
        self._count_lengths(rowid, values, -1)
        self.db.execute("DELETE FROM article WHERE rowid = ?", (rowid,))

    @_guarded
    def add_articles(self, articles: Iterable[Article]) -> ImportCounts:
        """Add or update articles in one transaction. Importing the same article again changes nothing."""
        counts = ImportCounts()
        batch = list(articles)
        with self.db:
            self._zdict(a.body for a in batch[:200])
            for a in batch:
                outcome, _ = self._put("imported", a.id, a.locale, (a.title, "\n".join(a.tags), "", a.body), a.source)
                setattr(counts, outcome, getattr(counts, outcome) + 1)
            self._count_rows()
        return counts

    @_guarded
    def put_synced(
        self, items: Iterable[tuple[Article, str]], hc_locale: str, synced_at: str
    ) -> tuple[ImportCounts, list[int]]:
        """Add or update synced articles (each with its `updated_at` upstream) in one transaction;
        returns the counts and the rows written, which a later `remove_synced` keeps."""
        counts = ImportCounts()
        rowids: list[int] = []
        batch = list(items)
        with self.db:
            self.db.execute(_SYNCED_SCHEMA)
            self._zdict(a.body for a, _ in batch[:200])
            for a, updated_at in batch:
                outcome, rowid = self._put("synced", a.id, a.locale, (a.title, "\n".join(a.tags), "", a.body),
                                           a.source)
                setattr(counts, outcome, getattr(counts, outcome) + 1)
                rowids.append(rowid)
                self.db.execute(
                    "INSERT OR REPLACE INTO synced(rowid, hc_locale, updated_at, synced_at) VALUES (?, ?, ?, ?)",
                    (rowid, hc_locale, updated_at, synced_at),
                )
            self._count_rows()
        return counts, rowids

    @_guarded
    def remove_synced(self, keep: Collection[int], listed: Collection[str], offered: Collection[str] | None) -> int:
        """Remove synced articles no longer published: those of a fully `listed` help-center locale
        that are not in `keep`, and (when `offered` is given) every one of a locale not offered."""
        removed = 0
        with self.db:
            self.db.execute(_SYNCED_SCHEMA)
            rows = self.db.execute(
                "SELECT a.rowid, a.title, a.keywords, a.questions, a.body, s.hc_locale FROM article a "
                "LEFT JOIN synced s ON s.rowid = a.rowid WHERE a.origin = 'synced'"
            ).fetchall()
            for rowid, title, keywords, questions, body, hc_locale in rows:
                if rowid in keep:
                    continue
                if hc_locale in listed or (offered is not None and hc_locale not in offered):
                    self._delete_row(rowid, title, keywords, questions, body)
                    self.db.execute("DELETE FROM synced WHERE rowid = ?", (rowid,))
                    removed += 1
            self._count_rows()
        return removed

    @_guarded
    def compact(self) -> None:
        """Merge the index into one segment and give freed pages back (after a large import)."""
        with self.db:
            self.db.execute("INSERT INTO article_fts(article_fts) VALUES ('optimize')")
        self.db.executescript("PRAGMA incremental_vacuum;")  # execute() would free only one page

    @_guarded
    def sync_pack(self, entries: Collection[FaqEntry], signature: str) -> None:
        """Make the pack's rows match `entries` (cheap when the pack files have not changed: `entries` is
        then not read)."""
        if self._meta("pack_signature") == signature:
            return
        with self.db:
            wanted = {e.id for e in entries}
            for row in self.db.execute(
                "SELECT rowid, id, title, keywords, questions, body FROM article WHERE origin = 'pack'"
            ).fetchall():
                if row[1] not in wanted:
                    self._delete_row(row[0], row[2], row[3], row[4], row[5])
            self._zdict(e.search_fields()[3] for e in entries)
            for entry in entries:
                self._put("pack", entry.id, PACK_LOCALE, entry.search_fields(), entry.source)
            self._set_meta("pack_signature", signature)
            self._count_rows()

    # ------------------------------------------------------------------ reading

    @_guarded
    def article_count(self) -> int:
        row = self.db.execute("SELECT count(DISTINCT id) FROM article WHERE origin = 'imported'").fetchone()
        return int(row[0]) if row else 0

    @_guarded
    def synced_count(self) -> int:
        """Synced articles, one per id and language."""
        row = self.db.execute("SELECT count(*) FROM article WHERE origin = 'synced'").fetchone()
        return int(row[0]) if row else 0

    def _has_synced_table(self) -> bool:
        row = self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'synced'").fetchone()
        return row is not None

    @_guarded
    def doc_freq(self, words: list[str]) -> dict[str, int]:
        """How many rows hold each word. Words sharing their first two characters are looked up with
        one range scan of the vocabulary (fast), not with `IN (...)` (a scan of all of it)."""
        groups: dict[str, set[str]] = {}
        for word in words:
            groups.setdefault(word[:2], set()).add(word)
        out: dict[str, int] = {}
        for prefix, wanted in groups.items():
            if len(wanted) == 1:
                (word,) = wanted
                row = self.db.execute("SELECT doc FROM article_vocab WHERE term = ?", (word,)).fetchone()
                if row is not None:
                    out[word] = int(row[0])
                continue
            upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            for term, docs in self.db.execute(
                "SELECT term, doc FROM article_vocab WHERE term >= ? AND term < ?", (prefix, upper)
            ):
                if term in wanted:
                    out[str(term)] = int(docs)
        return out

    @_guarded
    def rows(self) -> int:
        """Rows in the index (articles per locale, plus the pack's entries), kept in meta."""
        value = self._meta("rows")
        return int(value) if value else 0

    def _count_rows(self) -> None:
        row = self.db.execute("SELECT count(*) FROM article").fetchone()
        self._set_meta("rows", str(int(row[0]) if row else 0))
        self._set_meta("totals", " ".join(map(str, self._load_totals())))

    @_guarded
    def stats(self) -> Stats:
        """Rows and each field's average length, for BM25F."""
        return Stats.of(self.rows(), self._load_totals())

    @_guarded
    def known_pairs(self, pairs: list[str]) -> set[str]:
        return set(self.doc_freq(pairs))

    @_guarded
    def search(self, query: Query, limit: int) -> list[StoredHit]:
        """Best first, one hit per (origin, id): the best-scoring locale of an article.

        One FTS5 query picks the candidates, ordered by its own bm25() with the field weights: every
        row that matches in a small index, the best CANDIDATES in a large one. Each candidate is then
        scored by rank.score_document from its own stored text (a body's first SCORED_BODY characters)
        with the index's statistics: the formula and the numbers the in-memory index uses.
        """
        if not query.phrases:
            return []
        stats = self.stats()
        wanted = {p.term for p in query.phrases}
        phrased = query.phrased
        found = self.db.execute(
            f"SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY bm25(article_fts, {_FTS_WEIGHTS}) "
            f"LIMIT ?",
            (fts_query(query.phrases, query.rows), stats.rows if stats.rows <= SMALL_INDEX else max(CANDIDATES,
                                                                                                   limit * 4)),
        ).fetchall()
        if not found:
            return []
        rowids = [int(r[0]) for r in found]
        candidates = []
        for origin, item_id, title, keywords, questions, body, lengths in self.db.execute(
            f"SELECT origin, id, title, keywords, questions, body, lengths FROM article "
            f"WHERE rowid IN ({','.join('?' * len(rowids))})", rowids,
        ):
            fields = (title, keywords, questions, self._unpack(body)[:SCORED_BODY])
            stored = tuple(int(x) for x in str(lengths).split())
            features = score_document(query, field_counts(fields, wanted),
                                      stored if len(stored) == 4 else tuple(_lengths(_fts_values(*fields))), stats,
                                      strong_text(fields) if phrased else "")
            candidates.append((f"{origin}\x00{item_id}", features))
        hits_out: list[StoredHit] = []
        seen: set[str] = set()
        for c in rerank(candidates):
            if c.id in seen:
                continue
            seen.add(c.id)
            origin, _, item_id = c.id.partition("\x00")
            hits_out.append(StoredHit(origin, item_id, c.score, c.features))
            if len(hits_out) >= limit:
                break
        return hits_out

    @_guarded
    def articles(self, article_id: str) -> list[Article]:
        """Every locale of one imported or synced article (a synced one with its URL and sync time)."""
        synced = "s.synced_at" if self._has_synced_table() else "''"
        join = "LEFT JOIN synced s ON s.rowid = a.rowid " if self._has_synced_table() else ""
        rows = self.db.execute(
            f"SELECT a.id, a.locale, a.title, a.keywords, a.body, a.source, a.origin, {synced} FROM article a "
            # `origin IN (…)`, not `!= 'pack'`: the (origin, id, locale) index finds the rows at once,
            # where `!=` scans every row (5 ms per article at 100,000 rows)
            f"{join}WHERE a.origin IN ('imported', 'synced') AND a.id = ? ORDER BY a.origin, a.locale", (article_id,),
        ).fetchall()
        return [
            Article(id=r[0], locale=r[1], title=r[2], body=self._unpack(r[4]),
                    tags=tuple(t for t in str(r[3]).split("\n") if t), source=r[5], origin=r[6],
                    url=r[5] if r[6] == "synced" else "", synced_at=str(r[7] or ""))
            for r in rows
        ]


STALE_COPY = 3600.0  # seconds: a sync's copy older than this was left by a process that died


@contextlib.contextmanager
def building_copy(path: Path) -> Iterator[FaqStore]:
    """A copy of the index at `path` to change; it replaces `path` atomically when the block ends
    without an error. On any error or Ctrl-C the copy is deleted and `path` is left as it was."""
    folder = ensure_private_dir(path.parent)
    copy = path.with_name(f".{path.name}.{os.getpid()}.sync")
    for stale in folder.glob(f".{path.name}.*.sync"):
        with contextlib.suppress(OSError):
            if stale == copy or time.time() - stale.stat().st_mtime > STALE_COPY:
                stale.unlink()
    try:
        os.close(os.open(copy, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE))
        if path.is_file() and path.stat().st_size > 0:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
            target = sqlite3.connect(copy)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        store = FaqStore(copy)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            copy.unlink()
        raise StorageError("errors.storage", path=str(path), reason=str(exc)) from exc
    try:
        yield store
        store.close()
        try:
            os.replace(copy, path)
        except OSError as exc:
            raise StorageError("errors.storage_write", path=str(path), reason=exc.strerror or str(exc)) from exc
    except BaseException:
        store.close()
        with contextlib.suppress(OSError):
            copy.unlink()
        raise
    _fsync_dir(folder)  # the rename survives a crash
