"""The parsed pack as a file in the index folder: what a search reads instead of the pack's TOML.

Parsing the whole of it as one JSON document took a third of a `faq search` beyond start-up (540 KB,
some 30,000 strings and lists, nearly all of them never looked at). So the file holds JSON texts one
after another, found by the byte offsets its header gives, and a search decodes only what it uses:

    supportcli parsed pack 3            (a line naming the format)
    {"signature": …, "pack": …, …}      (the header, one line of JSON: what is where, and a checksum)
    {…}{…}[…]…                          (the parts)

The index's statistics and the synonym table's word sets are decoded at once; the postings (term ->
its rows; and feature -> the asked questions that hold it, asked.py), the synonym expressions (by
first word or character), the synonym groups and the entries part by part when first looked up:
the postings and expressions in buckets by the CRC-32 of their key (`LazyTable`), the groups
sixteen to a part (`LazyList`), the entries one by one. The parts are
checked against the header's Adler-32 when the file is read, so what is decoded later cannot fail.
Nothing in the file is ever executed (no pickle, no marshal): a file of another format, signature or
pack, or a damaged one, is a miss and is written again.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

from supportcli.core.faq.model import FaqEntry
from supportcli.core.faq.rank import MemoryIndex
from supportcli.core.faq.synonyms import SynonymTable

if TYPE_CHECKING:
    from collections.abc import Iterable

MAGIC = b"supportcli parsed pack 3\n"
# Keys of MemoryIndex.to_json() and SynonymTable.to_json() stored in buckets (and read when looked up);
# everything else they hold is decoded at once.
LAZY_INDEX = ("postings", "asked_postings")
LAZY_SYNONYMS = ("latin", "chinese", "sounds")
BUCKETS = {"postings": 256, "asked_postings": 128, "latin": 32, "chinese": 32, "sounds": 16}
GROUPS = "groups"  # SynonymTable.to_json()'s list of groups, read LIST_PART at a time
LIST_PART = 16

V = TypeVar("V")
_MISSING: Any = object()


def _bucket(key: str, buckets: int) -> int:
    return zlib.crc32(key.encode("utf-8")) % buckets


class LazyTable(Mapping[str, V]):
    """A read-only mapping whose items are decoded from the file's parts when first looked up: each part a
    JSON object of some of its items (`convert` makes each value what the table holds). `where` says
    which part may hold a key (None: none). Whatever reads the table whole (iterating it, its length,
    items, values, comparing it) decodes every part first, and sees the items in `order` when given
    (the order they were written in), else part by part."""

    def __init__(self, body: bytes, spans: list[list[int]], where: Callable[[str], int | None],
                 convert: Callable[[Any], V] | None = None, order: list[str] | None = None) -> None:
        self._body = body
        self._spans = spans
        self._where = where
        self._convert = convert
        self._order = order
        self._items: dict[str, V] = {}
        self._read: set[int] = set()

    def _part(self, i: int) -> None:
        if i in self._read:
            return
        self._read.add(i)
        start, end = self._spans[i]
        items: dict[str, Any] = json.loads(self._body[start:end])
        convert = self._convert
        self._items.update(items if convert is None else {k: convert(v) for k, v in items.items()})

    def _find(self, key: object) -> bool:
        """Whether `key` is in the table, decoding the part that may hold it."""
        if isinstance(key, str) and len(self._read) < len(self._spans):
            i = self._where(key)
            if i is not None:
                self._part(i)
        return key in self._items

    def _whole(self) -> dict[str, V]:
        if len(self._read) < len(self._spans):
            for i in range(len(self._spans)):
                self._part(i)
            if self._order is not None:
                self._items = {k: self._items[k] for k in self._order}
        return self._items

    def __getitem__(self, key: str) -> V:
        found = self._items.get(key, _MISSING)
        if found is _MISSING:
            self._find(key)
            return self._items[key]  # KeyError when it is not there
        return cast(V, found)

    def get(self, key: str, default: Any = None) -> Any:
        found = self._items.get(key, _MISSING)
        if found is _MISSING:
            return self._items.get(key, default) if self._find(key) else default
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._items or self._find(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def __repr__(self) -> str:
        return f"LazyTable({self._whole()!r})"


class LazyList(Sequence[V]):
    """A read-only list decoded from the file's parts when an item is first asked for: each part a JSON list
    of `per_part` consecutive items (the last one maybe fewer)."""

    def __init__(self, body: bytes, spans: list[list[int]], length: int, per_part: int) -> None:
        self._body = body
        self._spans = spans
        self._length = length
        self._per_part = per_part
        self._parts: dict[int, list[V]] = {}

    def _part(self, n: int) -> list[V]:
        found = self._parts.get(n)
        if found is None:
            start, end = self._spans[n]
            found = self._parts[n] = json.loads(self._body[start:end])
        return found

    @overload
    def __getitem__(self, index: int) -> V: ...

    @overload
    def __getitem__(self, index: slice) -> list[V]: ...

    def __getitem__(self, index: int | slice) -> V | list[V]:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        return self._part(index // self._per_part)[index % self._per_part]

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[V]:
        for n in range(len(self._spans)):
            yield from self._part(n)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # a list is not hashable

    def __repr__(self) -> str:
        return f"LazyList({list(self)!r})"


# The pack's entries (in the order they were loaded), its index and its synonym table.
ParsedPack = tuple[Mapping[str, FaqEntry], MemoryIndex, SynonymTable]


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encode(signature: str, pack_id: str, entries: Iterable[FaqEntry], memory: MemoryIndex,
           synonyms: SynonymTable) -> bytes:
    """The file for these entries, their index and synonym table, written for `signature` and `pack_id`."""
    body = bytearray()

    def put(value: Any) -> list[int]:
        data = _dumps(value)
        body.extend(data)
        return [len(body) - len(data), len(body)]

    def bucketed(name: str, table: Mapping[str, Any]) -> list[list[int]]:
        parts: list[dict[str, Any]] = [{} for _ in range(BUCKETS[name])]
        for key, value in table.items():
            parts[_bucket(key, len(parts))][key] = value
        return [put(part) for part in parts]

    index, table = memory.to_json(), synonyms.to_json()
    # What is read lazily, of what the two tables hold (a table that one day holds it otherwise is simply
    # stored whole, and read at once).
    lazy_index = [k for k in LAZY_INDEX if isinstance(index.get(k), dict) and getattr(memory, k, None) is index[k]]
    lazy_table = [k for k in LAZY_SYNONYMS if isinstance(table.get(k), dict)]
    groups = table[GROUPS] if isinstance(table.get(GROUPS), list) else None
    kept = {*lazy_table, *([GROUPS] if groups is not None else [])}
    header = {
        "signature": signature, "pack": pack_id,
        "index": put({k: v for k, v in index.items() if k not in lazy_index}),
        "synonyms": put({k: v for k, v in table.items() if k not in kept}),
        "lazy": [lazy_index, lazy_table],
        "buckets": {**{k: bucketed(k, index[k]) for k in lazy_index}, **{k: bucketed(k, table[k]) for k in lazy_table}},
        "groups": None if groups is None else [
            len(groups), [put(groups[i: i + LIST_PART]) for i in range(0, len(groups), LIST_PART)]],
        "entries": [[e.id, *put({e.id: e.to_dict()})] for e in entries],
        "size": len(body), "adler": zlib.adler32(body),
    }
    return MAGIC + _dumps(header) + b"\n" + bytes(body)


def decode(raw: bytes, signature: str, pack_id: str) -> ParsedPack | None:
    """The parsed pack in `raw` (a file's bytes) when it was written for `signature` and `pack_id` and is
    whole, else None."""
    if not raw.startswith(MAGIC):
        return None
    try:
        end = raw.index(b"\n", len(MAGIC))
        header = json.loads(raw[len(MAGIC):end])
        if header["signature"] != signature or header["pack"] != pack_id:
            return None
        body = raw[end + 1:]
        if len(body) != header["size"] or zlib.adler32(body) != header["adler"]:
            return None

        def part(span: list[int]) -> Any:
            return json.loads(body[span[0]:span[1]])

        def buckets(name: str) -> LazyTable[Any]:
            spans = header["buckets"][name]
            return LazyTable(body, spans, lambda key: _bucket(key, len(spans)))

        ids = [str(i) for i, _, _ in header["entries"]]
        position = {entry_id: n for n, entry_id in enumerate(ids)}
        by_id: LazyTable[FaqEntry] = LazyTable(body, [[s, e] for _, s, e in header["entries"]], position.get,
                                               FaqEntry.from_dict, ids)
        lazy_index, lazy_table = header["lazy"]
        memory = MemoryIndex.from_json({**part(header["index"]), **{k: {} for k in lazy_index}})
        for name in lazy_index:  # from_json copies its tables: the lazy ones are put in place after it
            setattr(memory, name, buckets(name))
        lazy: dict[str, Any] = {k: buckets(k) for k in lazy_table}
        if header["groups"] is not None:
            count, spans = header["groups"]
            lazy[GROUPS] = LazyList(body, spans, int(count), LIST_PART)
        synonyms = SynonymTable.from_json({**part(header["synonyms"]), **lazy})
        return by_id, memory, synonyms
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
