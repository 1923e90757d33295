"""Finding the export files under the paths given, and reading their records with line numbers.

A path is a CSV file, a folder (its CSV and zip files, hidden ones left out), or the zip the web
Reports tool e-mails (its CSV members). Text is UTF-8, with or without the byte-order mark a
spreadsheet writes, or UTF-16 with its mark; lines end in LF, CRLF or CR; fields may be quoted and
hold line breaks. The delimiter is the comma, or the semicolon or tab a spreadsheet may have saved
with, whichever makes the header a Reports header.

Records come one at a time, in bounded memory: a physical line longer than MAX_LINE_CHARS is not
read into memory but reported as too long.
"""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from supportcli.core.paths import expand_user
from supportcli.core.records.kinds import AUTH_FAILURE, Layout, identify

MAX_LINE_CHARS = 1 << 20
DELIMITERS = (",", ";", "\t")
_SKIP_DIRS = ("__MACOSX",)


@dataclass(frozen=True)
class Source:
    """One CSV: a file, or a member of a zip. `name` is how it is shown (`export.zip:trades.csv`)."""

    name: str
    path: Path
    member: str | None = None
    named: bool = False  # the user named this very file (not a folder or zip holding it)

    @contextlib.contextmanager
    def open(self, hasher: Any = None) -> Iterator[IO[bytes]]:
        """The content as bytes, fed to `hasher` (a hashlib object) as it is read.

        A damaged zip member (bad CRC, truncated deflate stream) is an OSError like any read error.
        """
        try:
            if self.member is None:
                with self.path.open("rb") as fh:
                    yield io.BufferedReader(_Hashing(fh, hasher)) if hasher is not None else fh
                return
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as member:
                yield io.BufferedReader(_Hashing(member, hasher)) if hasher is not None else member
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise OSError(str(exc) or type(exc).__name__) from exc

    def digest(self) -> str:
        """SHA-256 of the content: the same export imported again is recognised by it."""
        import hashlib

        h = hashlib.sha256()
        with self.open() as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
        return h.hexdigest()


class _Hashing(io.RawIOBase):
    """Reads through to `stream`, feeding every byte to `hasher`."""

    def __init__(self, stream: IO[bytes], hasher: Any) -> None:
        self._stream = stream
        self._hasher = hasher

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._stream.read(len(buffer))
        self._hasher.update(data)
        buffer[: len(data)] = data
        return len(data)


class NotAnExport(Exception):
    """`reason` is a message key: the file is empty, binary, an auth-failure note, or other CSV."""

    def __init__(self, source: Source, reason: str) -> None:
        super().__init__(reason)
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class Unreadable:
    """A path that does not exist (`reason` empty), or a zip that could not be opened (the system's word why)."""

    name: str
    reason: str = ""


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") or part in _SKIP_DIRS for part in relative.parts)


def _zip_members(path: Path, shown: str) -> tuple[list[Source], list[Unreadable]]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return [], [Unreadable(shown, getattr(exc, "strerror", None) or str(exc) or type(exc).__name__)]
    members = sorted(n for n in names if n.lower().endswith(".csv") and not _hidden(Path(n)))
    return [Source(f"{shown}:{name}", path, name) for name in members], []


def expand(paths: list[Path]) -> tuple[list[Source], list[Unreadable]]:
    """Every CSV the paths hold, in a stable order, and the paths that could not be read."""
    sources: list[Source] = []
    unreadable: list[Unreadable] = []
    for given in paths:
        shown = str(given)
        path = expand_user(given)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                relative = found.relative_to(path)
                if _hidden(relative) or not found.is_file():
                    continue
                if found.suffix.lower() == ".csv":
                    sources.append(Source(str(found), found))
                elif found.suffix.lower() == ".zip":
                    members, bad = _zip_members(found, str(found))
                    sources.extend(members)
                    unreadable.extend(bad)
        elif path.is_file():
            if zipfile.is_zipfile(path):
                members, bad = _zip_members(path, shown)
                sources.extend(members)
                unreadable.extend(bad)
            else:
                sources.append(Source(shown, path, named=True))
        else:
            unreadable.append(Unreadable(shown))
    unique: dict[tuple[Path, str | None], Source] = {}
    for source in sources:  # a file named and also found in the folder named: once
        unique.setdefault((source.path.resolve(), source.member), source)
    return list(unique.values()), unreadable


# --------------------------------------------------------------------------- records

@dataclass
class Record:
    line: int  # the physical line the record starts on (1 = the header)
    cells: list[str]
    raw: str  # the record's text as in the file (for positions inside it)
    last: bool = False  # the file's last record, with no line break after it (a cut-off download?)
    problem: str = ""  # a message key when the record could not be split into cells at all


@dataclass
class _Lines:
    """The physical lines under a csv reader, counted, with each record's own text kept."""

    stream: IO[str]
    number: int = 0
    pending: list[str] = field(default_factory=list)
    too_long: set[int] = field(default_factory=set)
    ended_without_newline: bool = False

    def __iter__(self) -> Iterator[str]:
        while True:
            line = self.stream.readline(MAX_LINE_CHARS)
            if not line:
                return
            self.number += 1
            if len(line) >= MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
                while (rest := self.stream.readline(MAX_LINE_CHARS)) and not rest.endswith(("\n", "\r")):
                    pass
                self.too_long.add(self.number)
                line = "\n"
            self.ended_without_newline = not line.endswith(("\n", "\r"))
            self.pending.append(line)
            yield line

    def take(self) -> str:
        raw = "".join(self.pending)
        self.pending.clear()
        return raw


class _Prefixed(io.RawIOBase):
    """A stream that could not be rewound, with the bytes already read put back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _delimiter(header_line: str) -> tuple[str, Layout | None]:
    for delimiter in DELIMITERS:
        try:
            cells = next(csv.reader([header_line], delimiter=delimiter), [])
        except csv.Error:  # a "header" longer than any cell may be (found by bench/fuzz.py): not an export
            continue
        layout = identify(cells)
        if layout is not None:
            return delimiter, layout
    return ",", None


@dataclass
class Opened:
    layout: Layout
    delimiter: str
    records: Iterator[Record]


@contextlib.contextmanager
def open_export(source: Source, hasher: Any = None) -> Iterator[Opened]:
    """The file's layout and its records after the header; NotAnExport when it is no export we read.

    With `hasher`, every byte read is fed to it (to tell whether the file changed since it was seen).
    """
    with source.open(hasher) as binary:
        head = binary.read(8192)
        if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise NotAnExport(source, "records.import.reason.not_text")
        utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
        stream = io.TextIOWrapper(io.BufferedReader(_Prefixed(head, binary)), newline="", errors="replace",
                                  encoding="utf-16" if utf16 else "utf-8-sig")
        lines = _Lines(stream)
        iterator = iter(lines)
        header_line = next(iterator, "")
        lines.take()
        if not header_line.strip():
            raise NotAnExport(source, "records.import.reason.empty")
        delimiter, layout = _delimiter(header_line)
        if layout is None:
            second = next(iterator, "")
            if header_line.strip().strip('"').lower() == "message" or AUTH_FAILURE in second:
                raise NotAnExport(source, "records.import.reason.auth_failure")
            raise NotAnExport(source, "records.import.reason.other_csv")
        yield Opened(layout, delimiter, _records(lines, iterator, delimiter))


def _records(lines: _Lines, iterator: Iterator[str], delimiter: str) -> Iterator[Record]:
    reader = csv.reader(iterator, delimiter=delimiter)
    while True:
        start = lines.number + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            lines.take()
            yield Record(start, [], "", problem="records.row.csv")
            continue
        raw = lines.take()
        if lines.too_long and any(n in lines.too_long for n in range(start, lines.number + 1)):
            yield Record(start, [], "", problem="records.row.line_too_long")
            continue
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # a blank line
        yield Record(start, cells, raw, last=lines.ended_without_newline)
