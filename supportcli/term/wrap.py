"""Word-wrapping by display width, in both languages.

Widths come from `wcwidth` (a dependency of prompt_toolkit, imported only for text that is not plain
ASCII): a Chinese character or an emoji takes two columns, a combining accent, a zero-width space or
a joiner none, and a ZWJ emoji sequence or a flag is one two-column picture. Lines break at spaces,
at zero-width spaces and between CJK characters, never inside a word, a number, an id or a URL (one
wider than the line stands alone on its line, whole, so it can still be copied). Chinese line-breaking
rules hold: closing punctuation never starts a line and opening punctuation never ends one.
Continuation lines keep the first line's indent, and hang under the text after a bullet or marker.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

_PLAIN = re.compile(r"[ -~]*")  # printable ASCII: one column a character, no import needed
# Characters whose width needs no table (tests check each against wcwidth): Latin letters and signs,
# punctuation, arrows, box drawing, ticks and the warning sign take one column; CJK ideographs, kana,
# Hangul syllables, CJK punctuation and full-width forms two. None of them joins its neighbour into one
# picture, so each is its own grapheme. Anything else (combining marks, emoji, joiners, zero-width
# characters) goes to wcwidth, whose tables take 40 ms to import.
_NARROW_CHARS = (
    "\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u257f\u26a0\u2713\u2717"
)
_WIDE_CHARS = (
    "\u3001-\u3029\u3030-\u303e\u3041-\u3096\u30a1-\u30fa\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3"
    "\uff01-\uff60\uffe0-\uffe6"
)
# Compiled on first use: they cost a few milliseconds, and --help in English needs neither.
_SIMPLE = functools.cache(lambda: re.compile(f"[ -~{_NARROW_CHARS}{_WIDE_CHARS}]*"))
_WIDE = functools.cache(lambda: re.compile(f"[{_WIDE_CHARS}]"))
# Chinese line-breaking rules: closing punctuation never starts a line and opening punctuation never
# ends one, so each travels with the character next to it.
_CLOSE = frozenset("。，、；：！？）】』」》〉…”’％〕〗｝］")
_OPEN = frozenset("（【『「《〈“‘〔〖｛［")
_MARKER = re.compile(r"(?:- \[[ x]\]|[-*•⚠✗✓?»›│|>]|\d+[.)])\s+")
_ZERO_WIDTH_BREAK = "\u200b"
_NO_BREAK = frozenset("\xa0\u2007\u202f")  # spaces that hold their neighbours together
MIN_WIDTH = 12  # narrower than this, lines are left as they are


def display_width(text: str) -> int:
    """The columns `text` takes on a terminal (escape sequences take none)."""
    if _PLAIN.fullmatch(text):
        return len(text)
    if _SIMPLE().fullmatch(text):
        return len(text) + len(_WIDE().findall(text))
    from wcwidth import width

    return int(width(text))


def _graphemes(text: str) -> list[str]:
    if _SIMPLE().fullmatch(text):
        return list(text)
    from wcwidth import iter_graphemes

    return list(iter_graphemes(text))


class _Piece(NamedTuple):
    text: str
    width: int
    kind: str  # "word", "space" or "break" (a zero-width space)


def _pieces(body: str) -> list[_Piece]:
    """`body` cut where a line may break: words (with their punctuation), spaces, CJK characters."""
    pieces: list[_Piece] = []
    pending = ""  # opening punctuation, waiting for what it opens
    narrow_open = False  # the last piece is a word of narrow characters still being read
    for g in _graphemes(body):
        if g == _ZERO_WIDTH_BREAK:
            pieces.append(_Piece(g, 0, "break"))
            narrow_open = False
            continue
        if g.isspace() and g not in _NO_BREAK:
            if pending:
                pieces.append(_Piece(pending, display_width(pending), "word"))
                pending = ""
            if pieces and pieces[-1].kind == "space":
                last = pieces[-1]
                pieces[-1] = _Piece(last.text + g, last.width + display_width(g), "space")
            else:
                pieces.append(_Piece(g, display_width(g), "space"))
            narrow_open = False
            continue
        w = display_width(g)
        if g in _CLOSE and pieces and pieces[-1].kind == "word" and not pending:
            last = pieces[-1]
            pieces[-1] = _Piece(last.text + g, last.width + w, "word")
            narrow_open = False
            continue
        if g in _OPEN:
            pending += g
            narrow_open = False
            continue
        if w < 2 and narrow_open and not pending:
            last = pieces[-1]
            pieces[-1] = _Piece(last.text + g, last.width + w, "word")
            continue
        text = pending + g
        pieces.append(_Piece(text, display_width(text), "word"))
        pending = ""
        narrow_open = w < 2
    if pending:
        pieces.append(_Piece(pending, display_width(pending), "word"))
    return pieces


def wrap_line(line: str, width: int) -> list[str]:
    """One line as lines at most `width` columns wide (a word wider than that stands alone)."""
    if width < MIN_WIDTH or display_width(line) <= width:
        return [line]
    indent = line[: len(line) - len(line.lstrip(" "))]
    body = line[len(indent):]
    marker = _MARKER.match(body)
    hang = indent + " " * (display_width(marker.group(0)) if marker else 0)
    if display_width(hang) > width // 2:
        hang = indent if display_width(indent) <= width // 2 else ""
    return _filled(body, width, indent, hang)


def fill(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """`text` (one paragraph) filled into lines of at most `width` columns, the first starting with
    `initial_indent`, the others with `subsequent_indent` (as textwrap.fill, by display width)."""
    return "\n".join(_filled(text, max(width, 1), initial_indent, subsequent_indent))


def fill_fields(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """Like `fill`, for a line of fields set apart by two spaces ("sent 2026-12-01  reply due …"): a
    line breaks only between fields, so a label stays with its value."""
    glued = "  ".join(field.replace(" ", "\xa0") for field in text.split("  "))
    return fill(glued, width, initial_indent, subsequent_indent).replace("\xa0", " ")


def _filled(body: str, width: int, first: str, rest: str) -> list[str]:
    lines: list[str] = []
    current, used = first, display_width(first)
    start = used  # where the text of the current line begins
    gap: list[_Piece] = []  # spaces seen since the last word: kept only inside a line
    for piece in _pieces(body):
        if piece.kind != "word":
            gap.append(piece)
            continue
        gap_width = sum(p.width for p in gap)
        if used > start and used + gap_width + piece.width > width:
            lines.append(current.rstrip())
            current, used = rest, display_width(rest)
            start = used
        elif used > start:
            current += "".join(p.text for p in gap)
            used += gap_width
        gap = []
        current += piece.text
        used += piece.width
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def wrap(text: str, width: int) -> str:
    """Every line of `text` wrapped to `width` columns (its line breaks are kept)."""
    return "\n".join(out for line in text.split("\n") for out in wrap_line(line, width))


def shorten(text: str, width: int) -> str:
    """`text` on one line of at most `width` columns: cut at a word (or a CJK character) with "…"."""
    if "\n" not in text and display_width(text) <= width:
        return text
    text = " ".join(text.split())
    if display_width(text) <= width:
        return text
    room = max(1, width - 1)
    kept, used = "", 0
    for piece in _pieces(text):
        if used + piece.width > room:
            break
        kept += piece.text
        used += piece.width
    kept = kept.rstrip()
    if not kept:  # a first word wider than the room: cut it (there is no other way to fit it)
        for g in _graphemes(text):
            w = display_width(g)
            if used + w > room:
                break
            kept += g
            used += w
    return kept + "…"


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` columns (by display width: a CJK character takes two)."""
    return text + " " * max(0, width - display_width(text))
