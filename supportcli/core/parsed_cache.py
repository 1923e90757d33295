"""Content files parsed once: the data of a TOML file kept in the user cache, under its content.

Every run parsed the message tables (`content/messages/*.toml`) and the pack files it needs
(`pack.toml`, `sources.toml`, a flow, a template) with `tomllib`: 2–6 ms of each command.
`parse_toml(path, raw)` gets the file's bytes every time (so the file always wins) and returns the
data cached for exactly those bytes (their length and CRC-32) when there is one (`cache_files`:
loading it is about ten times faster than parsing). Dates and times are kept as tagged tuples and
given back as they were parsed (TOML arrays are lists, so a tuple is always such a tag). A missing,
damaged or foreign entry is written again. A file that is no TOML (or nests too deeply) raises
`safeload.Unparsable`, as every other loader does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import zlib
from pathlib import Path
from typing import Any

from supportcli.core.cache_files import read_blob, write_blob

FORMAT = 1
_DATETIME, _DATE, _TIME = "\0datetime", "\0date", "\0time"


def _entry(path: Path) -> Path:
    from supportcli.core.paths import cache_root

    where = zlib.crc32(os.fsencode(path))
    return cache_root() / "parsed" / f"{path.stem}-{where:08x}.bin"


def _frozen(value: Any) -> tuple[Any, bool]:
    """`value` with every date or time as a tagged tuple, and whether there was any."""
    if isinstance(value, dict):
        out, dated = {}, False
        for key, item in value.items():
            out[key], found = _frozen(item)
            dated |= found
        return (out, True) if dated else (value, False)
    if isinstance(value, list):
        items = [_frozen(item) for item in value]
        return ([v for v, _ in items], True) if any(d for _, d in items) else (value, False)
    if isinstance(value, dt.datetime):
        return (_DATETIME, value.isoformat()), True
    if isinstance(value, dt.date):
        return (_DATE, value.isoformat()), True
    if isinstance(value, dt.time):
        return (_TIME, value.isoformat()), True
    return value, False


def _thawed(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _thawed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_thawed(item) for item in value]
    if isinstance(value, tuple):
        kind, text = value
        if kind == _DATETIME:
            return dt.datetime.fromisoformat(text)
        if kind == _DATE:
            return dt.date.fromisoformat(text)
        return dt.time.fromisoformat(text)
    return value


def parse_toml(path: Path, raw: bytes, text: str | None = None) -> dict[str, Any]:
    """The data of `raw`, the bytes of the TOML file at `path` (`text`: the same decoded, when the
    caller has it), from the cache when these are the bytes cached."""
    key = f"SUPPORTCLI-TOML {FORMAT} {len(raw)} {zlib.crc32(raw):08x}".encode()
    entry = _entry(path)
    cached = read_blob(entry, key)
    if isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[1], dict):
        dated, data = cached
        with contextlib.suppress(ValueError, TypeError):
            return _thawed(data) if dated else data  # type: ignore[no-any-return]
    from supportcli.core.safeload import parse_toml_text  # bounded depth, typed errors (Unparsable)

    parsed = parse_toml_text(raw.decode("utf-8") if text is None else text)
    frozen, dated = _frozen(parsed)
    with contextlib.suppress(ValueError):  # a value marshal cannot hold: parsed every time
        write_blob(entry, key, (dated, frozen))
    return parsed


def toml_data(path: Path) -> dict[str, Any]:
    """The data of the TOML file at `path` (OSError when it cannot be read, Unparsable when it is no
    TOML)."""
    return parse_toml(path, path.read_bytes())
