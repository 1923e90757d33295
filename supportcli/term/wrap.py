"""Word-wrapping by display width: CJK characters take two columns and may break anywhere,
other text breaks at spaces; continuation lines keep the first line's indent."""

from __future__ import annotations

import re
import unicodedata

_WIDE = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"  # CJK, kana, hangul, full-width forms
# Chinese line-breaking rules: closing punctuation never starts a line and opening punctuation never
# ends one, so each travels with the character next to it.
_CLOSE = "。，、；：！？）】』」》〉…”’％"
_OPEN = "（【『「《〈“‘"
# What a line breaks into: runs of spaces, a wide character with the opening punctuation before it
# and the closing punctuation after it, or a run of other characters with the closing punctuation
# after it. As a pattern, `\s+|[OPEN]*[WIDE][CLOSE]*|[^\s WIDE]+[CLOSE]*`: `tokens` reads the same
# without one (compiling the CJK classes took 2 ms before the first question was drawn).
_WIDE_RANGES = ((0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))


def _wide(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _WIDE_RANGES)


def tokens(body: str) -> list[str]:
    """`body` cut where a line may break (see above)."""
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        start = i
        if body[i].isspace():
            while i < n and body[i].isspace():
                i += 1
            out.append(body[start:i])
            continue
        opening = i
        while opening < n and body[opening] in _OPEN:
            opening += 1
        # The opening run gives back characters until a wide one follows it (it may be one of them).
        at = next((j for j in range(opening, i - 1, -1) if j < n and _wide(body[j])), None)
        if at is not None:
            i = at + 1
        else:
            while i < n and not body[i].isspace() and not _wide(body[i]):
                i += 1
        while i < n and body[i] in _CLOSE:
            i += 1
        out.append(body[start:i])
    return out


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def wrap_line(line: str, width: int) -> list[str]:
    if width < 20 or display_width(line) <= width:
        return [line]
    indent = line[: len(line) - len(line.lstrip(" "))]
    body = line[len(indent):]
    # Hang continuation lines under the text after a bullet or marker ("  - ", "⚠ ", "? ").
    marker = re.match(r"(?:[-*•⚠✗✓?»]|\d+[.)])\s+", body)
    hang = indent + " " * (display_width(marker.group(0)) if marker else 0)
    lines: list[str] = []
    current, used = indent, display_width(indent)
    for token in tokens(body):
        if token.isspace():
            if used > display_width(hang if lines else indent):
                current += " "
                used += 1
            continue
        w = display_width(token)
        if used + w > width and current.strip():
            lines.append(current.rstrip())
            current, used = hang, display_width(hang)
        while w > width - used and len(token) > 1:  # a single token longer than a line (a URL)
            room = max(1, width - used)
            head = token[:room]
            lines.append(current + head)
            token = token[room:]
            current, used = hang, display_width(hang)
            w = display_width(token)
        current += token
        used += w
    if current.strip():
        lines.append(current.rstrip())
    return lines


def wrap(text: str, width: int) -> str:
    return "\n".join(out for line in text.split("\n") for out in wrap_line(line, width))
