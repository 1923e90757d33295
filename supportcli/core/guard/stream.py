"""Scanning files of any size: line by line, in bounded memory, with positions for the whole file.

Lines are gathered into chunks of about 64 KiB and each chunk is scanned with `scan_text`. The
last few lines of a chunk are scanned again with the next one, so a recovery phrase written one
word per line across a chunk boundary is still found; a finding seen twice is reported once.
`.eml` messages are decoded first (MIME parts, quoted-printable, base64) with the stdlib `email`
package; each text part is scanned on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from supportcli.core.guard.secrets import Finding, scan_text

CHUNK_CHARS = 1 << 16
MAX_LINE_CHARS = 1 << 16  # a longer line is read in pieces of this size
OVERLAP_CHARS = 4096  # re-scanned with the next chunk; more than any phrase or key needs
_TEXT_APPLICATION_TYPES = ("json", "xml", "csv", "x-yaml", "yaml", "x-ndjson")


@dataclass(frozen=True)
class PartFinding:
    """A finding in one MIME part of a message (`part` counts from 1; 0 is the subject line)."""

    part: int
    content_type: str
    finding: Finding


# JSON string escapes, replaced by text of the same length so columns stay exact: `\n` between the
# words of an exported phrase becomes two spaces, `\u9ec4` becomes the character and five spaces.
_JSON_ESCAPE = re.compile(r"\\(?:[nrtbf/\\\"]|u([0-9a-fA-F]{4}))")


def _json_unescape(piece: str) -> str:
    def replace(m: re.Match[str]) -> str:
        if m.group(1) is None:
            return "  "
        ch = chr(int(m.group(1), 16))
        return (ch if ch.isprintable() else " ") + " " * 5

    return _JSON_ESCAPE.sub(replace, piece)


# HTML tags and non-breaking-space entities, blanked out (same length) so that `bid<br>physical` and
# `<li>bid</li><li>physical</li>` read as words with spaces between them.
_HTML_BLANK = re.compile(r"<[^<>\n]*>|&(?:nbsp|#160|#x[aA]0|ensp|emsp|thinsp);")
# An inline picture (`data:image/png;base64,…`) holds no text to read; its base64 only looks like keys.
_DATA_URI = re.compile(r"data:[\w.+-]+/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,[A-Za-z0-9+/=]+")


def _html_blank(piece: str) -> str:
    piece = _DATA_URI.sub(lambda m: " " * len(m.group()), piece)
    return _HTML_BLANK.sub(lambda m: " " * len(m.group()), piece)


def scan_stream(stream: IO[str], *, json_escapes: bool = False, field_key: str | None = None,
                html: bool = False) -> Iterator[Finding]:
    """Findings in the text read from `stream`, with offsets, lines and columns for the whole stream.

    With `json_escapes`, string escapes (`\n`, `\u4e00`) are read as what they stand for; with
    `html`, tags are read as spaces. `field_key` is passed to `scan_text` (a CSV export whose header
    names a transaction hash passes "txid").
    """
    buf = ""
    buf_offset = 0  # absolute offset of buf[0]
    buf_line = 1  # line number of buf[0]
    buf_col = 0  # 0-based column of buf[0]
    fresh = 0  # characters in buf not scanned yet
    seen: dict[tuple[str, int], int] = {}

    def scan(text: str) -> Iterator[Finding]:
        for f in scan_text(text, field_key=field_key):
            start = buf_offset + f.start
            if (f.kind, start) in seen:
                continue
            seen[(f.kind, start)] = start
            newlines = text.count("\n", 0, f.start)
            column = f.start - text.rfind("\n", 0, f.start) if newlines else buf_col + f.start + 1
            yield Finding(f.kind, start, buf_offset + f.end, buf_line + newlines, column,
                          f.confidence, f.action)

    while True:
        piece = stream.readline(MAX_LINE_CHARS)
        if json_escapes:
            piece = _json_unescape(piece)
        if html:
            piece = _html_blank(piece)
        if piece:
            buf += piece
            fresh += len(piece)
            if len(buf) < CHUNK_CHARS:
                continue
        if fresh:
            yield from scan(buf)
        if not piece:
            return
        keep = buf[-OVERLAP_CHARS:]
        cut = keep.find("\n")
        if 0 <= cut < len(keep) - 1:
            keep = keep[cut + 1:]
        dropped = buf[: len(buf) - len(keep)]
        newlines = dropped.count("\n")
        if newlines:
            buf_line += newlines
            buf_col = len(dropped) - dropped.rfind("\n") - 1
        else:
            buf_col += len(dropped)
        buf_offset += len(dropped)
        buf = keep
        fresh = 0
        for key in [k for k, v in seen.items() if v < buf_offset]:
            del seen[key]


def csv_field_key(header: str) -> str | None:
    """"txid" when a CSV header names a transaction-hash column (TRANSACTION_ID, tx_hash, 交易哈希)."""
    return "txid" if re.search(r"tx|hash|transaction|哈希|交易\s*(?:id|号|编号)", header, re.IGNORECASE) else None


def scan_email(data: IO[bytes]) -> tuple[list[PartFinding], int]:
    """Findings in the subject and every text part of an e-mail message; and how many parts were skipped."""
    import io
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.default).parse(data)
    found: list[PartFinding] = []
    subject = str(message.get("Subject", "") or "")
    for f in scan_stream(io.StringIO(subject)):
        found.append(PartFinding(0, "subject", f))
    skipped = 0
    number = 0
    for part in message.walk():
        if part.is_multipart():
            continue
        number += 1
        content_type = part.get_content_type()
        maintype, subtype = content_type.split("/", 1)
        if maintype != "text" and subtype not in _TEXT_APPLICATION_TYPES:
            skipped += 1
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError, AssertionError):
            payload = part.get_payload(decode=True)
            content = payload if isinstance(payload, bytes) else b""
        if isinstance(content, bytes):
            charset = part.get_content_charset() or "utf-8"
            try:
                content = content.decode(charset, errors="replace")
            except LookupError:
                content = content.decode("utf-8", errors="replace")
        json_like = subtype in ("json", "x-ndjson")
        html = subtype in ("html", "xhtml+xml")
        for f in scan_stream(io.StringIO(str(content)), json_escapes=json_like, html=html):
            found.append(PartFinding(number, content_type, f))
    return found, skipped
