"""TOML files that remember where each key stands, so problems can name file, line and key.

Content packs are read through the same safe loader as every other file (`supportcli.core.safeload`:
a size cap, strict UTF-8, nesting checked before and after parsing).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supportcli.core.safeload import MAX_CONTENT_BYTES, TooLarge, Unparsable, read_capped

KeyPath = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*(\]\]?)\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _split_dotted(key: str) -> list[str]:
    parts: list[str] = []
    for raw in re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", key):
        parts.append(raw[1:-1] if raw[:1] in "\"'" else raw)
    return parts


def _index_lines(text: str) -> dict[KeyPath, int]:
    """Map each table header and key (as a key path with array indexes) to its 1-based line."""
    positions: dict[KeyPath, int] = {}
    array_counts: dict[KeyPath, int] = {}
    current: list[str | int] = []
    in_multiline: str | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if in_multiline is not None:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            names = _split_dotted(header.group(2))
            if header.group(1) == "[[":
                base = [*_resolve(names[:-1], array_counts), names[-1]]
                base_key = tuple(base)
                idx = array_counts.get(base_key, -1) + 1
                array_counts[base_key] = idx
                current = [*base, idx]
            else:
                current = _resolve(names, array_counts)
            positions.setdefault(tuple(current), lineno)
            continue
        key = _KEY.match(line)
        if key:
            path = (*current, *_split_dotted(key.group(1)))
            positions.setdefault(path, lineno)
            rest = line[key.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_multiline = quote
                    break
    return positions


def _resolve(names: Sequence[str], array_counts: dict[KeyPath, int]) -> list[str | int]:
    """Turn `a.b.c` into a key path, inserting the current index of any array of tables on the way."""
    path: list[str | int] = []
    for name in names:
        path.append(name)
        key = tuple(path)
        if key in array_counts:
            path.append(array_counts[key])
    return path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file: `file:line: key: expected`."""

    file: str
    line: int
    key: str
    expected: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.key}: {self.expected}"


@dataclass
class TomlFile:
    path: Path
    display: str  # the name used in messages (relative to the pack folder where possible)
    data: dict[str, Any]
    text: str
    _lines: dict[KeyPath, int] | None = field(default=None, repr=False)

    def line_of(self, keypath: KeyPath) -> int:
        if self._lines is None:
            self._lines = _index_lines(self.text)
        path = tuple(keypath)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return 1

    def problem(self, keypath: KeyPath, expected: str) -> Problem:
        return Problem(self.display, self.line_of(keypath), format_key(keypath), expected)


def format_key(keypath: KeyPath) -> str:
    out = ""
    for part in keypath:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(file)"


def read_optional_toml(path: Path, display: str) -> TomlFile | Problem | None:
    """As read_toml, for a file a pack may leave out: None when there is no such file."""
    return read_toml(path, display) if path.is_file() else None


def read_toml(path: Path, display: str) -> TomlFile | Problem:
    """Parse `path`; on failure return a Problem naming the line TOML reported."""
    try:
        raw = read_capped(path, MAX_CONTENT_BYTES)
    except TooLarge:
        return Problem(display, 1, "(file)", f"a file of at most {MAX_CONTENT_BYTES // (1 << 20)} MiB")
    except OSError as exc:
        return Problem(display, 1, "(file)", f"a readable file ({exc.strerror or exc})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(display, line, "(file)", "UTF-8 text")
    from supportcli.core.parsed_cache import parse_toml  # parsed once, kept in the user cache

    try:
        data = parse_toml(path, raw, text)
    except Unparsable as exc:
        return Problem(display, exc.line or 1, "(syntax)", f"valid TOML ({exc.detail})")
    return TomlFile(path=path, display=display, data=data, text=text)
