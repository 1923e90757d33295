"""A short excerpt of an entry around the words the query matched, with their positions.

The terminal layer turns the spans into styles; the text itself is never interpreted as markup.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from supportcli.core.faq.rank import Phrase
from supportcli.core.faq.tokens import PIECE, normalize, simplified, stem
from supportcli.core.text import clean

_SPACE = re.compile(r"\s+")
SCAN_CHARS = 200_000  # a snippet comes from the first this many characters of a (very long) body


class Snippet(NamedTuple):
    text: str
    spans: tuple[tuple[int, int], ...]  # [start, end) offsets of matched words in `text`


def match_spans(text: str, phrases: list[Phrase]) -> list[tuple[int, int]]:
    """Where the phrases occur in `text` (Latin words by stem, Chinese by character pair)."""
    exact = {p.term for p in phrases}
    spans: list[tuple[int, int]] = []
    for match in PIECE.finditer(text):
        piece = match.group()
        start = match.start()
        if piece[0].isascii():
            if stem(normalize(piece)) in exact:
                spans.append((start, match.end()))
            continue
        piece = simplified(piece)  # one character for one: offsets stay right
        for i in range(len(piece)):
            pair = piece[i: i + 2]
            if (len(pair) == 2 or len(piece) == 1) and pair in exact:
                spans.append((start + i, start + i + len(pair)))
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _word_char(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c in "-'")


def _inside_word(text: str, i: int) -> bool:
    """Whether a cut at `i` splits a Latin word (Chinese may be cut between any two characters)."""
    return 0 < i < len(text) and _word_char(text[i - 1]) and _word_char(text[i])


def _word_bounds(text: str, start: int, end: int, spans: list[tuple[int, int]], reach: int = 15) -> tuple[int, int]:
    """Move a cut that splits a word inward to the word's edge, never past a match."""
    first = spans[0][0] if spans else end
    last = spans[-1][1] if spans else start
    new = start
    while new < min(first, start + reach) and _inside_word(text, new):
        new += 1
    if not _inside_word(text, new):
        start = new
    new = end
    while new > max(last, end - reach) and _inside_word(text, new):
        new -= 1
    if not _inside_word(text, new):
        end = new
    while start < end and text[start] in " ,;:，；：、。":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return start, end


def make_snippet(text: str, phrases: list[Phrase], width: int = 110) -> Snippet:
    """About `width` characters of `text` where most matches fall, with ellipses where it was cut."""
    flat = _SPACE.sub(" ", clean(text[:SCAN_CHARS], multiline=False)).strip()
    wide = sum(1 for c in flat[:SCAN_CHARS // 10] if c >= "\u2e80")
    if wide * 2 > min(len(flat), SCAN_CHARS // 10):
        width //= 2  # Chinese characters take two columns each
    spans = match_spans(flat, phrases)
    if len(flat) <= width:
        return Snippet(flat, tuple(spans))
    # The window of `width` characters holding the most matches: one pass with two pointers.
    best_start, best_count = 0, 0
    last = 0
    for first, (s, _) in enumerate(spans):
        last = max(last, first)
        while last + 1 < len(spans) and spans[last + 1][1] <= s + width:
            last += 1
        count = last - first + 1 if spans[first][1] <= s + width else 0
        if count > best_count:
            best_start, best_count = s, count
    start = max(0, best_start - width // 5)
    end = min(len(flat), start + width)
    start = max(0, end - width)
    start, end = _word_bounds(flat, start, end, [(a, b) for a, b in spans if a >= start and b <= end])
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    shift = len(prefix) - start
    inside = tuple((a + shift, b + shift) for a, b in spans if a >= start and b <= end)
    return Snippet(prefix + flat[start:end] + suffix, inside)
