"""The FAQ of the pack in use: its shipped entries, imported articles, and search over both.

The shipped entries are validated and indexed once, then kept in the index folder (parsed_pack.py),
keyed by the pack files' names, sizes and modification times and by the code that reads them, so a
search neither re-parses TOML nor reads the pack's manifest. When the pack has imported articles,
the SQLite FTS5 index ranks everything together; otherwise the in-memory index does, with the same
formula (see rank.py).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from supportcli.core.errors import StorageError
from supportcli.core.faq.asked import NOTHING, Asked
from supportcli.core.faq.confidence import is_confident, signal
from supportcli.core.faq.model import FaqEntry
from supportcli.core.faq.parsed_pack import ParsedPack, decode, encode
from supportcli.core.faq.rank import INDEX_VERSION, Features, MemoryIndex, Phrase, Query, resolve
from supportcli.core.faq.snippet import Snippet, make_snippet
from supportcli.core.faq.synonyms import SYNONYMS_FILE, SynonymTable
from supportcli.core.faq.tokens import FRAMES, analyze, asks_definition, normalize
from supportcli.core.i18n import LANGUAGES, Lang
from supportcli.core.pack_dirs import PackFolder

if TYPE_CHECKING:
    from supportcli.core.faq.store import FaqStore
    from supportcli.core.pack import Pack

SNIPPET_WIDTH = 110  # columns; the terminal output asks for less on a narrow terminal
LARGE_INDEX = 20000  # = store.LARGE_INDEX (rows), without importing sqlite3
RELATIVE_CUTOFF = 0.15  # drop hits scoring under this share of the best one
POOL = 5  # the ranking's best candidates that the asked questions reorder
ASKED_WEIGHT = 1.5  # a close asked question's similarity (0-1), against a candidate's share of the top score
STARTING_POINTS = ("contact-channels", "help-docs", "submit-ticket")  # suggested when nothing is close


def _pairs(text: str) -> set[str]:
    """Adjacent character pairs within words: a crude similarity that survives typos."""
    out: set[str] = set()
    for word in normalize(text).split():
        chars = [c for c in word if c.isalnum()]
        out.update(a + b for a, b in pairwise(chars))
    return out


def _reorder(scored: list[tuple[str, float, Features]], runner_up: float,
             asked: Asked) -> tuple[list[tuple[str, float, Features]], float]:
    """(id, score, features) best first: the POOL best that keep at least RELATIVE_CUTOFF of the top score,
    reordered by that share plus ASKED_WEIGHT times how close the query is to a question each answered
    (asked.py), then the rest; and the runner-up score for the top one."""
    if not scored:
        return scored, runner_up
    top = scored[0][1]
    scored = [item for item in scored if item[1] >= top * RELATIVE_CUTOFF]
    if not asked.by_entry or len(scored) < 2:
        return scored, runner_up
    head = scored[:POOL]
    order = sorted(range(len(head)), key=lambda i: (
        -(head[i][1] / top + ASKED_WEIGHT * asked.by_entry.get(head[i][0], 0.0)), i))
    if order[0] != 0:  # the entry it passed is now its runner-up
        runner_up = top
    return [head[i] for i in order] + scored[POOL:], runner_up


def _example_questions(entries: Iterable[FaqEntry]) -> list[tuple[str, str]]:
    """Each entry's example questions, as questions it answered: with the asked questions (asked.py), they are
    the search's memory of how people ask ("btc withdrawal" is close to the withdrawal entry's own examples)."""
    return [(q, e.id) for e in entries for items in e.questions.values() for q in items]


class Notice:
    """A message key and its parameters, for the terminal layer to print."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params: dict[str, Any] = params


class SearchResult(NamedTuple):
    entry: FaqEntry
    score: float
    snippet: Snippet
    snippet_lang: Lang
    confident: bool = False  # a confident answer (confidence.py)
    signal: float = 0.0  # its coverage of the query, which confidence is judged on


class SearchOutcome(NamedTuple):
    results: list[SearchResult]
    query: Query

    @property
    def phrases(self) -> list[Phrase]:
        return self.query.phrases

    @property
    def corrected(self) -> list[Phrase]:
        return self.query.corrected

    @property
    def confident(self) -> bool:
        return bool(self.results) and self.results[0].confident


# The code that builds the cached index (tokens, synonyms, ranking) and its word lists, and the code
# that reads and validates a pack (a search served from the cache never loads the pack): a new version
# of supportcli with an unchanged pack still rebuilds the cache.
_CORE = Path(__file__).resolve().parent.parent
_CODE_DIRS = (_CORE / "faq", _CORE / "faq" / "words", _CORE, _CORE / "net")
CACHE_FILES_KEPT = 4  # one per installed copy or pack copy, so two copies never rebuild each other's


def _code_signature() -> list[str]:
    parts = []
    for folder in _CODE_DIRS:
        try:
            with os.scandir(folder) as it:
                for item in sorted(it, key=lambda e: e.name):
                    if item.name.endswith((".py", ".txt")):
                        st = item.stat()
                        parts.append(f"{item.name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{folder.name}:-")
    return parts


def pack_signature(pack: Pack | PackFolder) -> str:
    """Changes whenever a FAQ or flow file of the pack changes (names, sizes, times), or its pack.toml,
    or the code that indexes it or reads a pack, or the index format does."""
    root = pack.root
    parts = [f"v{INDEX_VERSION}", str(root.resolve()), *_code_signature()]
    # asked.toml: asked_file.ASKED_FILE (not imported for a search); pack.toml: its id, languages and asset codes
    for name in (SYNONYMS_FILE, "scope.toml", "asked.toml", "pack.toml"):
        try:
            st = (root / name).stat()
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:-")
    for section in ("faq", "flows"):
        folder = root / section  # Pack.section_dir
        try:
            with os.scandir(folder) as it:
                for item in sorted(it, key=lambda e: e.name):
                    if item.name.endswith(".toml"):
                        st = item.stat()
                        parts.append(f"{section}/{item.name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{section}:-")
    return "|".join(parts)


class Faq:
    """The FAQ of a pack: given the pack, or only its folder (pack_dirs.PackFolder, found by the pack's
    name). With the folder, a search served from the parsed-pack cache never reads or validates the pack:
    it is loaded (and a broken one reported, as always) only when the cache is missing or stale, or when
    something needs it (`faq show` reads its sources)."""

    def __init__(self, pack: Pack | PackFolder, index_dir: Path) -> None:
        self._pack = None if isinstance(pack, PackFolder) else pack
        self.folder = pack if isinstance(pack, PackFolder) else PackFolder(pack.root, pack.builtin)
        # A folder is named after its pack's id (as `resolve_pack` finds it): the cache it wrote is named so.
        self.pack_id = self.folder.root.name if self._pack is None else self._pack.id
        self.index_dir = index_dir
        self.signature = pack_signature(self.folder)
        self.by_id, self.memory, self.synonyms = self._load()
        self._store: FaqStore | None = None
        self._store_checked = False
        self.notices: list[Notice] = []  # what the terminal layer should tell the user (an unusable index)

    @property
    def entries(self) -> list[FaqEntry]:
        """The pack's entries, in the order of its files."""
        return list(self.by_id.values())

    @property
    def pack(self) -> Pack:
        """The pack, loaded and validated when first asked for (a ContentError names what is wrong)."""
        if self._pack is None:
            from supportcli.core.pack import load_pack

            self._pack = load_pack(self.folder.root, builtin=self.folder.builtin)
            self.pack_id = self._pack.id
        return self._pack

    # ------------------------------------------------------------------ loading

    @property
    def cache_path(self) -> Path:
        """The parsed pack, one file per signature: two installed copies (or a copy of the pack given
        with --pack) each keep theirs instead of rebuilding the other's on every run."""
        import zlib  # hashlib would cost 3 ms of start-up; the file's signature is checked anyway

        data = self.signature.encode("utf-8")
        return self.index_dir / f"pack-{self.pack_id}-{zlib.crc32(data):08x}{zlib.adler32(data):08x}.json"

    def _prune_caches(self) -> None:
        """Keep the CACHE_FILES_KEPT newest parsed-pack files of this pack (the one just written among them)."""
        prefix = f"pack-{self.pack_id}"

        def ours(name: str) -> bool:  # pack-ID.json (before 0.2) or pack-ID-<16 hex>.json, not pack-ID-eu-…
            rest = name.removeprefix(prefix).removesuffix(".json")
            return rest == "" or (len(rest) == 17 and rest[0] == "-" and all(c in "0123456789abcdef" for c in rest[1:]))

        try:
            olds = sorted((p for p in self.index_dir.glob(f"{prefix}*.json") if ours(p.name)),
                          key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for old in olds[CACHE_FILES_KEPT:]:
                old.unlink(missing_ok=True)
        except OSError:
            pass

    def _cached(self) -> ParsedPack | None:
        """The parsed pack written for exactly this signature and pack, if there is one."""
        try:
            raw = self.cache_path.read_bytes()
        except OSError:
            return None
        return decode(raw, self.signature, self.pack_id)

    def _load(self) -> ParsedPack:
        found = self._cached()
        if found is not None:
            return found
        guessed = self.pack_id
        pack = self.pack  # loaded now: a broken pack.toml stops here, as it always did
        if pack.id != guessed:  # a folder named otherwise than its pack: its cache is named after the id
            found = self._cached()
            if found is not None:
                return found
        from supportcli.core.errors import ContentError
        from supportcli.core.faq.asked_file import ASKED_FILE, read_asked
        from supportcli.core.faq.content import load_entries
        from supportcli.core.faq.scope import SCOPE_FILE, read_scope
        from supportcli.core.faq.synonyms import read_groups
        from supportcli.core.storage import atomic_write

        entries = load_entries(pack)
        groups, problems = read_groups(pack.root, pack.display(pack.root / SYNONYMS_FILE), pack.languages)
        scope, scope_problems = read_scope(pack.root, pack.display(pack.root / SCOPE_FILE), pack.languages)
        asked, asked_problems = read_asked(pack.root, pack.display(pack.root / ASKED_FILE), (e.id for e in entries))
        if problems or scope_problems or asked_problems:
            raise ContentError([str(p) for p in problems + scope_problems + asked_problems])
        synonyms = SynonymTable.build(groups, (k for e in entries for ks in e.keywords.values() for k in ks),
                                      pack.manifest.assets.known, scope,
                                      (t for e in entries for t in e.title.values()))
        memory = MemoryIndex.build(((e.id, e.search_fields()) for e in entries),
                                   [*((q.text, q.answer) for q in asked), *_example_questions(entries)])
        with contextlib.suppress(StorageError):  # a read-only home still searches, just without the cache
            atomic_write(self.cache_path, encode(self.signature, pack.id, entries, memory, synonyms))
            self._prune_caches()
        return {e.id: e for e in entries}, memory, synonyms

    @property
    def store(self) -> FaqStore | None:
        """The pack's imported-article index, if anything was ever imported and it can be read.

        An index that cannot be used never stops a search of the shipped entries: a damaged one is
        moved aside (the next import builds a new one), any other problem is noted, and `notices`
        says what happened.
        """
        if not self._store_checked:
            self._store_checked = True
            path = self.index_dir / f"{self.pack_id}.sqlite3"  # store.index_path, without importing sqlite
            try:
                present = path.is_file() and path.stat().st_size > 0
            except OSError as exc:
                self.notices.append(Notice("faq.index_unusable", path=str(path), reason=exc.strerror or str(exc)))
                present = False
            if present:
                from supportcli.core.faq.store import FaqStore

                try:
                    self._store = FaqStore(path)
                except StorageError as exc:
                    self._drop_store(exc)
        return self._store

    def _drop_store(self, exc: StorageError) -> None:
        """Search without the index from now on, and say why (a damaged one is moved aside)."""
        from supportcli.core.faq.store import DamagedIndexError, index_path, set_aside

        path = index_path(self.index_dir, self.pack_id)
        if self._store is not None:
            with contextlib.suppress(Exception):
                self._store.close()
            self._store = None
        if isinstance(exc, DamagedIndexError):
            aside = set_aside(path)
            self.notices.append(Notice("faq.index_damaged", path=str(path), aside=str(aside or path)))
        else:
            self.notices.append(Notice("faq.index_unusable", path=str(path), reason=str(exc.params.get("reason", ""))))

    def open_store(self) -> FaqStore:
        """The index, created if needed (for importing); a damaged one is moved aside and built anew."""
        from supportcli.core.faq.store import DamagedIndexError, FaqStore, index_path

        if self.store is None:
            path = index_path(self.index_dir, self.pack_id)
            try:
                self._store = FaqStore(path)
            except DamagedIndexError as exc:
                self._drop_store(exc)
                self._store = FaqStore(path)
        assert self._store is not None
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
            self._store_checked = False

    def forget_asked(self, origin: str) -> None:
        """Search on without the asked questions that came from `origin` (to measure the search on a
        labelled part whose questions the pack holds, evaluation.run)."""
        from supportcli.core.faq.asked import AskedIndex
        from supportcli.core.faq.asked_file import ASKED_FILE, read_asked

        pack = self.pack
        asked, _ = read_asked(pack.root, pack.display(pack.root / ASKED_FILE))
        self.memory.asked = AskedIndex.build([*((q.text, q.answer) for q in asked if q.origin != origin),
                                              *_example_questions(self.entries)])

    # ------------------------------------------------------------------ lookup

    def get(self, entry_id: str) -> FaqEntry | None:
        """A shipped entry, or else an imported article with all its locales."""
        return self.by_id.get(entry_id) or self.get_imported(entry_id)

    def get_imported(self, entry_id: str) -> FaqEntry | None:
        store = self.store
        try:
            articles = store.articles(entry_id) if store is not None else []
        except StorageError as exc:
            self._drop_store(exc)
            return None
        if not articles:
            return None
        first = articles[0].to_entry()
        title, body, keywords, url = dict(first.title), dict(first.body), dict(first.keywords), dict(first.url)
        for a in articles[1:]:
            title[a.locale], body[a.locale], keywords[a.locale] = a.title, a.body, list(a.tags)
            if a.url:
                url[a.locale] = a.url
        return first._replace(title=title, body=body, keywords=keywords, url=url)

    def imported_count(self) -> int:
        store = self.store
        try:
            return store.article_count() if store is not None else 0
        except StorageError as exc:
            self._drop_store(exc)
            return 0

    # ------------------------------------------------------------------ search

    def search(self, query: str, lang: Lang, limit: int = 5, snippet_width: int = SNIPPET_WIDTH) -> SearchOutcome:
        """The best `limit` entries for `query`; snippets are about `snippet_width` columns wide."""
        store = self.store
        depth = max(limit, POOL)
        scored: list[tuple[FaqEntry, float, Features]] | None = None
        runner_up = 0.0  # the next entry's score sets the top one's margin, even when it is not shown
        if store is not None:
            try:
                scored, runner_up, resolved = self._search_store(store, query, depth)
            except StorageError as exc:  # damaged, locked, unreadable: the shipped entries still answer
                self._drop_store(exc)
        if scored is None:
            concepts = analyze(query, self.synonyms, self.memory.known_pairs)
            resolved = resolve(concepts, self.memory.doc_freq, len(self.memory.ids), self.synonyms)
            ranked = self.memory.search(resolved)
            runner_up = ranked[1].score if len(ranked) > 1 else 0.0
            candidates = [(c.id, c.score, c.features) for c in ranked[:depth]]
        else:
            candidates = [(e.id, s, f) for e, s, f in scored]
        asked = self.memory.asked.similar(query) if candidates else NOTHING
        top = candidates[0][1] if candidates else 0.0
        ordered, runner_up = _reorder(candidates, runner_up, asked)
        if scored is None:
            scored = [(self.by_id[i], s, f) for i, s, f in ordered[:limit]]  # only the entries shown are decoded
        else:
            entries = {e.id: e for e, _, _ in scored}
            scored = [(entries[i], s, f) for i, s, f in ordered[:limit]]
        defining = asks_definition(query)
        named = any(not n.context and n.word not in FRAMES for n in resolved.needs)  # 'difference between btc and eth'
        signals = [signal(f, s, runner_up if i == 0 else 0.0, defining, named, asked.out_of_scope)
                   for i, (_, s, f) in enumerate(scored)]
        sure = bool(scored) and is_confident(signals[0])
        # the score shown is what orders the results: the POOL reordered ones count their asked questions
        shown = [s + ASKED_WEIGHT * asked.by_entry.get(e.id, 0.0) * top if i < POOL else s
                 for i, (e, s, _) in enumerate(scored)]
        results = [self._result(e, shown[i], resolved, lang, snippet_width)._replace(
            confident=sure and (i == 0 or is_confident(signals[i])), signal=round(signals[i], 4))
            for i, (e, _, _) in enumerate(scored)]
        return SearchOutcome(results, resolved)

    def _search_store(self, store: FaqStore, query: str,
                      limit: int) -> tuple[list[tuple[FaqEntry, float, Features]], float, Query]:
        # A read-only index (a shared or locked-down data folder) still answers, with the pack
        # entries it last saw: the entries themselves are read fresh from `by_id` below.
        with contextlib.suppress(StorageError):
            store.sync_pack(self.by_id.values(), self.signature)  # read only when the index lacks them
        if store.pack_signature() is None:  # it never took the pack's entries (a first import that failed)
            from supportcli.core.i18n import t

            raise StorageError("errors.storage", path=str(store.path), reason=t("faq.index_no_pack"))
        concepts = analyze(query, self.synonyms, store.known_pairs)
        rows = store.rows()
        if rows >= LARGE_INDEX:
            # Each term costs a pass over its rows in FTS5: in a large index only the words typed
            # are scored (phrasings still cut the query; their synonyms are not looked up), and a
            # typo is repaired only to a word with the same first two letters (pasword, not apssword).
            concepts = [c._replace(synonyms=()) for c in concepts]
        resolved = resolve(concepts, store.doc_freq, rows, self.synonyms, typo_head=2 if rows >= LARGE_INDEX else 0)
        hits = store.search(resolved, limit + 1)
        scored: list[tuple[FaqEntry, float, Features]] = []
        for hit in hits[:limit]:
            entry = self.by_id.get(hit.id) if hit.origin == "pack" else self.get_imported(hit.id)
            if entry is not None:
                scored.append((entry, hit.score, hit.features))
        return scored, hits[1].score if len(hits) > 1 else 0.0, resolved

    @staticmethod
    def _result(entry: FaqEntry, score: float, query: Query, lang: Lang, width: int) -> SearchResult:
        """Show the entry in the interface language, unless only the other language's text holds the
        words as typed (a Chinese query on an English interface shows the Chinese text it matched)."""
        langs = [lang, *(x for x in LANGUAGES if x != lang)]
        present = [x for x in langs if x in entry.body] or [lang]
        chosen = present[0]
        texts = {x: normalize(entry.body.get(x, "") + " " + entry.title.get(x, "")) for x in present}
        for phrases in (query.typed, query.phrases):
            # a term is (nearly always) a substring of the text that holds it: stems are word starts
            found = next((x for x in present if any(p.term in texts[x] for p in phrases)), None)
            if found is not None:
                chosen = found
                break
        snippet = make_snippet(entry.body.get(chosen, ""), query.phrases, width)
        return SearchResult(entry, float(f"{score:.4g}"), snippet, chosen)

    def closest(self, query: str, n: int = 3) -> list[FaqEntry]:
        """For 'no match': entries sharing the most character pairs with `query`, else the starting points
        (always for a query of filler words only: "怎么办" shares pairs with many titles, none to the point)."""
        wanted = _pairs(query) if analyze(query, self.synonyms) else set()
        scored: list[tuple[float, str]] = []
        for e in self.entries:
            have = _pairs(" ".join([*e.title.values(), *(k for ks in e.keywords.values() for k in ks)]))
            overlap = len(wanted & have) / len(wanted) if wanted else 0.0
            if overlap >= 0.2:
                scored.append((overlap, e.id))
        scored.sort(key=lambda item: (-item[0], item[1]))
        ids = [i for _, i in scored[:n]] or [i for i in STARTING_POINTS if i in self.by_id][:n]
        return [self.by_id[i] for i in ids]

    def did_you_mean(self, entry_id: str, n: int = 3) -> list[str]:
        from difflib import get_close_matches

        names = get_close_matches(entry_id.lower(), list(self.by_id), n=n, cutoff=0.5)
        if not names:  # perhaps words were typed instead of an id ("提现", "password")
            outcome = self.search(entry_id, "en", n)
            if any(not p.corrected for p in outcome.phrases):
                names = [r.entry.id for r in outcome.results]
        return names
