"""The one safe way to load any TOML or JSON file supportcli reads: settings, answers files, draft
sidecars, case files, sessions, content packs. Light on purpose: every command loads the settings.

    data = load_toml(path, limit=MAX_FILE_BYTES)    # or parse_toml(raw), parse_json(raw), load_json(path)

A file is read with a size cap (never more than `limit` bytes, so `/dev/zero` or a 2 GB file is one
clear line; a pipe nobody writes to reads as empty), decoded as strict UTF-8, checked for nesting
before it is parsed (5,000 `[` would make the stdlib parsers recurse until `RecursionError`, and
40,000 dotted keys take `tomllib` minutes), parsed, and its depth checked again. Every failure is
`Unparsable`, whose `render()` says why in the current language; callers wrap it in their own typed
error naming the file. `read_capped` and `read_stream_capped` are the bounded reads under it, for
any file or stream a user points at.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

_TOML_ERROR_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")

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


def parse_toml_text(text: str) -> dict[str, Any]:
    import tomllib  # only once a file is there to parse (2 ms: most runs have no settings file)

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
    return parse_toml_text(_decode(raw))


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


# --------------------------------------------------------------------------- bounded reading

class TooLarge(Exception):
    """More than `limit` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def read_capped(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of the file `path` (TooLarge when it holds more; OSError as `open` raises).

    Never hangs on a named pipe nobody writes to (it reads as empty), never reads `/dev/zero` or a
    2 GB file whole.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(info.st_mode):  # a pipe: wait for what its writer sends
            import fcntl

            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        return _read_fd(fd, limit)
    finally:
        os.close(fd)


def _read_fd(fd: int, limit: int) -> bytes:
    return b"".join(c for c in _chunks_capped(lambda n: os.read(fd, n), limit) if isinstance(c, bytes))


def _chunks_capped(read: Callable[[int], bytes | str], limit: int) -> list[bytes | str]:
    """The blocks `read` gives until it is exhausted; TooLarge as soon as they pass `limit`."""
    chunks: list[bytes | str] = []
    total = 0
    while total <= limit:
        block = read(min(1 << 20, limit + 1 - total))
        if not block:
            break
        chunks.append(block)
        total += len(block)
    if total > limit:
        raise TooLarge(limit)
    return chunks


def read_stream_capped(stream: object, limit: int) -> bytes | str:
    """At most `limit` bytes (or characters, from a text stream without a byte buffer) of `stream`."""
    binary = getattr(stream, "buffer", None)
    source = binary if binary is not None else stream
    chunks = _chunks_capped(getattr(source, "read"), limit)  # noqa: B009 - any object with read()
    if not chunks:
        return b"" if binary is not None else ""
    if isinstance(chunks[0], bytes):
        return b"".join(c for c in chunks if isinstance(c, bytes))
    return "".join(c for c in chunks if isinstance(c, str))
