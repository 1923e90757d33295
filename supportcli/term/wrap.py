"""Word-wrapping by display width: CJK characters take two columns and may break anywhere,
other text breaks at spaces; continuation lines keep the first line's indent."""

from __future__ import annotations

import functools
import re
import unicodedata

_WIDE = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"  # CJK, kana, hangul, full-width forms
# Chinese line-breaking rules: closing punctuation never starts a line and opening punctuation never
# ends one, so each travels with the character next to it.
_CLOSE = "。，、；：！？）】』」》〉…”’％"
_OPEN = "（【『「《〈“‘"
# Compiled on first use: the home screen measures widths but wraps nothing (2 ms at import).
_TOKENS = functools.cache(lambda: re.compile(rf"\s+|[{_OPEN}]*[{_WIDE}][{_CLOSE}]*|[^\s{_WIDE}]+[{_CLOSE}]*"))


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
    for token in _TOKENS().findall(body):
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
