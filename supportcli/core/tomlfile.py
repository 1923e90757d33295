"""TOML files that remember where each key stands, so problems can name file, line and key; and the one
safe way to load any TOML or JSON file the program reads (settings, answers files, sidecars, case
files, sessions, content packs).

    data = load_toml(path, limit=MAX_FILE_BYTES)    # or parse_toml(raw), parse_json(raw)

A file is read with a size cap (never more than `limit` bytes, so `/dev/zero` or a 2 GB file is one
clear line), decoded as strict UTF-8, checked for nesting before it is parsed (5,000 `[` would make
the stdlib parsers recurse until `RecursionError`, and 40,000 dotted keys take `tomllib` minutes),
parsed, and its depth checked again. Every failure is `Unparsable`, whose `render()` says why in
the current language; callers wrap it in their own typed error naming the file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supportcli.core.storage import TooLarge, read_capped

KeyPath = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*(\]\]?)\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
_TOML_ERROR_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


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
    try:
        data = _parse_toml_text(text)
    except Unparsable as exc:
        return Problem(display, exc.line or 1, "(syntax)", f"valid TOML ({exc.detail})")
    return TomlFile(path=path, display=display, data=data, text=text)


# --------------------------------------------------------------------------- safe loading

MAX_FILE_BYTES = 4 << 20  # settings, answers files, case files, sessions: far more than any needs
MAX_CONTENT_BYTES = 16 << 20  # a content pack's file, a draft's sidecar (it holds the whole draft)
MAX_DEPTH = 48  # tables and arrays nested deeper than this are refused (ours nest 4 at most)

_STRINGS_AND_COMMENTS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*'
)
_SEGMENT = re.compile(r"[{,\n]")  # where a key may start: a line, an inline table, after a comma


class Unparsable(Exception):
    """A TOML or JSON file that cannot be loaded. `key` is a message key (`errors.file.*`) with
    `params`; `line` is where, when known; `detail` the parser's own words (may be English)."""

    def __init__(self, key: str, *, line: int | None = None, detail: str = "", **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.line = line
        self.detail = detail
        self.params = params

    def render(self) -> str:
        from supportcli.core.i18n import t

        text = t(self.key, **self.params, detail=self.detail)
        return t("errors.file.at_line", line=self.line, reason=text) if self.line else text


def _too_deep() -> Unparsable:
    return Unparsable("errors.file.too_deep", limit=MAX_DEPTH)


def depth_of(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply tables and arrays nest in `value` (a scalar is 0), counted without recursion; stops
    counting past `limit`."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth) for child in children)
    return deepest


def _structure_depth(text: str) -> int:
    """An upper bound on the nesting a TOML or JSON text can build: brackets and braces open at once,
    plus the dots of the longest dotted key (strings and comments left out)."""
    bare = _STRINGS_AND_COMMENTS.sub('""', text) if ("\"" in text or "'" in text or "#" in text) else text
    depth = deepest = 0
    for m in re.finditer(r"[\[\]{}]", bare):
        depth = depth + 1 if m.group() in "[{" else max(0, depth - 1)
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest
    # Keys, where dots nest tables: before an `=` (also inside inline tables), or in a `[table]` header.
    dots = 0
    for segment in _SEGMENT.split(bare):
        key, equals, _ = segment.partition("=")
        if equals:
            dots = max(dots, key.count("."))
        elif segment.lstrip().startswith("[") and "]" in segment:
            dots = max(dots, segment.count("."))
        if dots > MAX_DEPTH:
            break
    return deepest + dots


def _parse_toml_text(text: str) -> dict[str, Any]:
    if _structure_depth(text) > MAX_DEPTH:
        raise _too_deep()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_ERROR_LINE.search(str(exc))
        detail = _TOML_ERROR_LINE.sub("", str(exc)).strip()
        raise Unparsable("errors.file.not_toml", line=int(match.group(1)) if match else None, detail=detail) from None
    except RecursionError:
        raise _too_deep() from None
    if depth_of(data) > MAX_DEPTH:
        raise _too_deep()
    return data


def _decode(raw: bytes | str) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unparsable("errors.file.not_utf8", line=raw[: exc.start].count(b"\n") + 1) from None


def parse_toml(raw: bytes | str) -> dict[str, Any]:
    """TOML bytes (strict UTF-8) or text as a table; Unparsable when it is not TOML or nests too deeply."""
    return _parse_toml_text(_decode(raw))


def parse_json(raw: bytes | str) -> Any:
    """JSON bytes (strict UTF-8) or text; Unparsable when it is not JSON or nests too deeply."""
    import json

    text = _decode(raw)
    if _structure_depth(text) > MAX_DEPTH:
        raise _too_deep()
    try:
        data = json.loads(text)
    except RecursionError:
        raise _too_deep() from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise Unparsable("errors.file.not_json", line=line, detail=getattr(exc, "msg", str(exc))) from None
    if depth_of(data) > MAX_DEPTH:
        raise _too_deep()
    return data


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path`, at most `limit` of them: OSError as `open` raises it, Unparsable when larger."""
    try:
        return read_capped(path, limit)
    except TooLarge:
        raise Unparsable("errors.file.too_big", limit=_mib(limit)) from None


def load_toml(path: Path, *, limit: int = MAX_FILE_BYTES) -> dict[str, Any]:
    """`path` read with a size cap and parsed as TOML (OSError when it cannot be read, else Unparsable)."""
    return parse_toml(read_limited(path, limit))


def load_json(path: Path, *, limit: int = MAX_FILE_BYTES) -> Any:
    return parse_json(read_limited(path, limit))


def _mib(limit: int) -> str:
    return f"{limit / (1 << 20):g}"
