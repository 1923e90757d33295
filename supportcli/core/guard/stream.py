"""Scanning text of any size: block by block, in bounded memory, with positions for the whole text.

Blocks (from `reader`) are gathered into windows of about 256 Ki characters (smaller ones cost more
in what is scanned twice) and each window is scanned with `scan_text`. The last few lines of a
window are scanned again with the next one, so a recovery phrase written one word per line across a
boundary is still found; a finding seen twice is reported once. `scan_source` scans everything
`reader` read (every part of an e-mail).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from supportcli.core.guard.reader import Readable, _blocks, csv_field_key
from supportcli.core.guard.secrets import Finding, scan_text

CHUNK_CHARS = 1 << 18
MAX_LINE_CHARS = 1 << 16  # a longer line is read in pieces of this size
OVERLAP_CHARS = 4096  # re-scanned with the next window; more than any phrase or key needs

__all__ = ["CHUNK_CHARS", "MAX_LINE_CHARS", "FileScan", "PartFinding", "csv_field_key", "scan_blocks",
           "scan_source", "scan_stream"]


@dataclass(frozen=True)
class PartFinding:
    """A finding in one part of what was read (`part` counts from 1 in an e-mail, 0 is its subject;
    None for a plain file)."""

    part: int | None
    content_type: str | None
    finding: Finding


@dataclass(frozen=True)
class FileScan:
    findings: list[PartFinding]
    skipped: int  # e-mail parts that are not text


def scan_blocks(blocks: Iterable[str], *, field_key: str | None = None) -> Iterator[Finding]:
    """Findings in the concatenated blocks, with offsets, lines and columns for the whole text."""
    pending: list[str] = []
    pending_len = 0
    buf = ""
    buf_offset = 0  # absolute offset of buf[0]
    buf_line = 1  # line number of buf[0]
    buf_col = 0  # 0-based column of buf[0]
    seen: dict[tuple[str, int], int] = {}

    def scan(text: str) -> Iterator[Finding]:
        for f in scan_text(text, field_key=field_key):
            start = buf_offset + f.start
            if (f.kind, start) in seen:
                continue
            seen[(f.kind, start)] = start
            newlines = text.count("\n", 0, f.start)
            column = f.start - text.rfind("\n", 0, f.start) if newlines else buf_col + f.start + 1
            yield Finding(f.kind, start, buf_offset + f.end, buf_line + newlines, column, f.confidence, f.action)

    iterator = iter(blocks)
    while True:
        block = next(iterator, None)
        if block is not None:
            pending.append(block)
            pending_len += len(block)
            if pending_len < CHUNK_CHARS:
                continue
        if pending:
            buf += "".join(pending)
            pending, pending_len = [], 0
            yield from scan(buf)
        if block is None:
            return
        keep = buf[-OVERLAP_CHARS:]
        cut = keep.find("\n")
        if 0 <= cut < len(keep) - 1:
            keep = keep[cut + 1:]
        dropped_len = len(buf) - len(keep)
        newlines = buf.count("\n", 0, dropped_len)
        if newlines:
            buf_line += newlines
            buf_col = dropped_len - buf.rfind("\n", 0, dropped_len) - 1
        else:
            buf_col += dropped_len
        buf_offset += dropped_len
        buf = keep
        for key in [k for k, v in seen.items() if v < buf_offset]:
            del seen[key]


def scan_stream(stream: IO[str], *, json_escapes: bool = False, field_key: str | None = None,
                html: bool = False) -> Iterator[Finding]:
    """Findings in the text read from `stream` (`json_escapes`, `html`: read it as that format)."""
    kind = "json" if json_escapes else "markup" if html else "text"
    return scan_blocks(_blocks(stream, kind), field_key=field_key)


def scan_source(source: Readable) -> FileScan:
    """Every finding in every part `reader` read, and how many e-mail parts were not text."""
    found: list[PartFinding] = []
    for part in source.parts:
        for finding in scan_blocks(part.blocks(), field_key=part.field_key):
            found.append(PartFinding(part.number, part.content_type, finding))
    return FileScan(found, source.skipped)
