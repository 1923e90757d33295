"""A summary index per folder, so that a listing reads one small file instead of every file it lists.

    index = SummaryIndex(folder / INDEX_NAME, classes=(DraftInfo,), base=folder)
    for path in sidecars:
        item = index.get(path.name, [path], lambda: read(path), keep=is_good)
    index.save()

`get(key, files, read)` returns the value cached under `key` only when every one of `files` still
has the size, inode, modification and change times (nanoseconds) it had when the value was read;
otherwise it calls `read()` and caches what it returns. The files always win: the index is never
trusted over them, only used while they are provably the files it was made from.

- A file changed in the last two seconds (`RACY_NS`) is read again each time: a change within the
  same tick of a coarse file-system clock could otherwise keep the same times.
- A key not asked for drops out; `save()` rewrites the index (atomically, 0600, in its folder)
  when anything changed, and leaves it alone when nothing did.
- An index that cannot be read or parsed, of another format or another program version, is
  ignored and rebuilt; one that cannot be written (read-only folder, full disk) only costs the
  reading next time. Nothing here ever stops a listing.

Values are dataclasses (of the `classes` given), dicts, lists, tuples, strings, numbers, booleans,
None, dates, times, date-times and paths (kept relative to `base` when inside it, so the index
stays right when the data folder moves). A value holding anything else is simply not cached.
JSON, not pickle or marshal: a damaged or hand-made index can give wrong data at worst for files
it fingerprints exactly, never run code or crash the interpreter.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

from supportcli import __version__

FORMAT = 1
RACY_NS = 2_000_000_000
INDEX_NAME = ".summary-index.json"

T = TypeVar("T")
Fingerprint = list[list[Any]]  # [[name, size, inode, mtime_ns, ctime_ns], ...]


class Unencodable(TypeError):
    """A value the index cannot keep (it is read from its files every time)."""


def fingerprint(files: Sequence[Path], now_ns: int) -> Fingerprint | None:
    """What identifies the current contents of `files`; None when one is missing or racy."""
    out: Fingerprint = []
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            return None
        if max(st.st_mtime_ns, st.st_ctime_ns) > now_ns - RACY_NS:
            return None
        out.append([path.name, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns])
    return out


class _Codec:
    """Values to JSON and back: tagged objects for what JSON has no type of (see the module docstring)."""

    def __init__(self, classes: Sequence[type[Any]], base: Path) -> None:
        self.classes = {cls.__name__: cls for cls in classes}
        self.base = base

    def encode(self, value: Any) -> Any:
        if value is None or isinstance(value, str | bool | int | float):
            return value
        if isinstance(value, list):
            return [self.encode(v) for v in value]
        if isinstance(value, tuple):
            return {"$t": [self.encode(v) for v in value]}
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                raise Unencodable("a key that is not text")
            return {"$m": [[k, self.encode(v)] for k, v in value.items()]}
        if isinstance(value, dt.datetime):
            return {"$dt": value.isoformat()}
        if isinstance(value, dt.date):
            return {"$d": value.isoformat()}
        if isinstance(value, dt.time):
            return {"$tm": value.isoformat()}
        if isinstance(value, Path):
            inside = value.parent == self.base
            return {"$p": value.name if inside else str(value), "in": inside}
        cls = type(value)
        if dataclasses.is_dataclass(value) and self.classes.get(cls.__name__) is cls:
            fields = [[f.name, self.encode(getattr(value, f.name))] for f in dataclasses.fields(value) if f.init]
            return {"$c": cls.__name__, "v": fields}
        raise Unencodable(cls.__name__)

    def decode_object(self, obj: dict[str, Any]) -> Any:
        """The `object_hook` of `json.loads`: a tagged value, or one of the index's own objects (no
        key of the data can pass for a tag: mappings and fields are lists of pairs)."""
        if "$m" in obj:
            return dict(obj["$m"])
        if "$dt" in obj:
            return dt.datetime.fromisoformat(obj["$dt"])
        if "$p" in obj:
            return self.base / obj["$p"] if obj.get("in") else Path(obj["$p"])
        if "$c" in obj:
            return self.classes[obj["$c"]](**dict(obj["v"]))
        if "$d" in obj:
            return dt.date.fromisoformat(obj["$d"])
        if "$t" in obj:
            return tuple(obj["$t"])
        if "$tm" in obj:
            return dt.time.fromisoformat(obj["$tm"])
        return obj


def _schema(classes: Sequence[type[Any]]) -> str:
    """The program version and the shape of every class: a change to either rebuilds the index."""
    shapes = [f"{cls.__name__}({','.join(f.name for f in dataclasses.fields(cls))})" for cls in classes]
    return f"{FORMAT}:{__version__}:{';'.join(shapes)}"


class SummaryIndex:
    """One index file: `get` each key of a listing, then `save`."""

    def __init__(self, path: Path, *, classes: Sequence[type[Any]], base: Path) -> None:
        self.path = path
        self.codec = _Codec(classes, base)
        self.schema = _schema(classes)
        self.now_ns = time.time_ns()
        self._old: dict[str, tuple[Fingerprint, Any]] = {}
        self._new: dict[str, tuple[Fingerprint, Any]] = {}
        self._changed = False
        self._load()

    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
        except OSError:
            return
        try:  # one parse, every value decoded on the way
            data = json.loads(raw, object_hook=self.codec.decode_object)
            if not isinstance(data, dict) or data.get("schema") != self.schema:
                return  # another version, or not ours: rebuilt
            self._old = {key: (entry["files"], entry["value"]) for key, entry in data["entries"].items()}
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return  # damaged: rebuilt

    def get(self, key: str, files: Sequence[Path], read: Callable[[], T], *,
            keep: Callable[[T], bool] = lambda _: True) -> T:
        """The value of `key`: from the index while `files` are unchanged, else `read()` (and cached
        when `keep` says it may be: a damaged file is read, and reported, every time)."""
        prints = fingerprint(files, self.now_ns)
        old = self._old.get(key)
        if prints is not None and old is not None and old[0] == prints and keep(old[1]):
            self._new[key] = old
            return cast(T, old[1])
        value = read()
        if prints is not None and keep(value):
            self._new[key] = (prints, value)
            self._changed = True
        return value

    def save(self) -> None:
        """Write the index with the keys asked for since it was opened, if anything changed."""
        from supportcli.core.errors import StorageError
        from supportcli.core.storage import atomic_write

        if not self._changed and self._new.keys() == self._old.keys():
            return
        if not self._new and not self.path.exists():
            return  # nothing to list: never create a folder or a file for it
        entries = {}
        for key, (prints, value) in self._new.items():
            try:
                entries[key] = {"files": prints, "value": self.codec.encode(value)}
            except Unencodable:
                continue  # read from its files every time
        try:
            body = json.dumps({"schema": self.schema, "entries": entries}, ensure_ascii=False, separators=(",", ":"))
        except (ValueError, RecursionError):
            return
        with contextlib.suppress(StorageError, OSError):  # read-only or full: read the files next time
            atomic_write(self.path, body)
