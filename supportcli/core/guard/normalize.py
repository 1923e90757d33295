"""One normalisation that every detector runs on, with a map back to the text the user wrote.

`normalize(text)` returns the text in NFKC form (full-width letters and digits, circled numbers
`①`, ligatures and compatibility characters folded to plain ones), without format characters (zero-
width spaces and joiners, soft hyphens, bidi marks, variation selectors), with a Turkish `İ` read as
`I` (so that `lower()` keeps every length) and with Chinese ordinal numbering (`第1个`, `第 2 位`)
blanked to spaces. `Normalized.source_span(start, end)` turns a span of the normalised text back
into the span of the original, so a finding keeps its exact line:column in what the user wrote.

Speed: ASCII text is returned as it is. Otherwise only the lines that are not ASCII are looked at:
one regex pass over them finds the few characters whose normalisation is not one character for one
character (the class `_UNSTABLE`: everything outside a list of ranges that map 1:1;
`tests/test_guard_normalize.py` checks every character of that list against the running Python's
Unicode tables); between them each such line is normalised in one call, unless it already is NFKC
(`unicodedata.is_normalized`), and only the characters around them are mapped one by one.

`SEPARATORS` is the one definition of what may stand between a label and its value or between
the words of a phrase besides spaces: punctuation, arrows, dashes, bullets, CJK brackets, emoji.
Detectors that need "anything that is not a letter or digit" use it.
"""

from __future__ import annotations

import bisect
import codecs
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

# Characters whose NFKC form is exactly one character that composes with nothing around it (letters
# of Latin, Greek and Cyrillic, CJK, kana, Hangul syllables, full-width forms, common punctuation,
# arrows, box drawing and dingbats). Anything else takes the careful path.
_STABLE_CLASS = (
    "\\x00-\\x7f\\xa0-\\xa7\\xa9-\\xac\\xae\\xb0-\\xb3\\xb5-\\xb7\\xb9-\\xbb\\xbf-\\u012f\\u0131\\u0134-\\u013e"
    "\\u0141-\\u0148\\u014a-\\u01c3\\u01cd-\\u01f0\\u01f4-\\u024f\\u0370-\\u0377\\u037b-\\u037f\\u0386-\\u038a"
    "\\u038c\\u038e-\\u03a1\\u03a3-\\u0482\\u048a-\\u052f\\u2010-\\u2016\\u2018-\\u2024\\u2027-\\u2029"
    "\\u202f-\\u2032\\u2035\\u2038-\\u203b\\u203d\\u203f-\\u2046\\u204a-\\u2056\\u2058-\\u205e\\u2190-\\u21ff"
    "\\u2500-\\u27bf\\u3000-\\u3029\\u3030-\\u303f\\u3041-\\u3096\\u309d\\u309e\\u30a0-\\u30fe\\u3400-\\u4dbf"
    "\\u4e00-\\u9fff\\uac00-\\ud7a3\\uf900-\\ufa6d\\ufa70-\\ufad9\\uff01-\\uff9d\\uffa0-\\uffbe\\uffc2-\\uffc7"
    "\\uffca-\\uffcf\\uffd2-\\uffd7\\uffda-\\uffdc\\uffe0-\\uffe2\\uffe4-\\uffe6\\uffe8-\\uffee"
)
_UNSTABLE = functools.cache(lambda: re.compile(f"[^{_STABLE_CLASS}]+"))
_VARIATION_SELECTORS = frozenset(range(0xFE00, 0xFE10)) | frozenset(range(0xE0100, 0xE01F0))
# "第1个", "第 12 位", "第3號": ordinal numbering in Chinese, read as a gap between words.
_ORDINAL = functools.cache(lambda: re.compile(r"第[ \t]*\d{1,2}[ \t]*[个個位号號]"))

# The guard's reader writes an escaped line break (JSON's `\n`) and a block tag (`<li>`, `<br>`) as
# this character, which ends a sentence but keeps the file's line numbers; for a phrase's shape it is
# a line break.
RECORD_SEPARATOR = "\x1e"

# What may stand between words or between a label and its value, besides white space: ASCII and
# CJK punctuation, dashes, bullets, arrows, brackets, box drawing, dingbats, emoji (after NFKC).
SEPARATORS = (
    r"!-/:-@\[-`{-~"  # ASCII punctuation, & and ` included
    r"\u00a1-\u00bf\u00d7\u00f7\u2010-\u205e\u2190-\u23ff\u2500-\u27bf\u2900-\u2bff"
    r"\u3000-\u3003\u3008-\u3020\u3030\u30fb\ufe30-\ufe4f\ufe50-\ufe6b\uff01-\uff0f\uff1a-\uff20"
    r"\uff3b-\uff40\uff5b-\uff65\U0001f000-\U0001faff"
)


def _dropped(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" or ord(ch) in _VARIATION_SELECTORS


def _boundary(ch: str) -> bool:
    """A character before which normalisation never reaches back (a starter that composes with nothing)."""
    if unicodedata.combining(ch) or unicodedata.category(ch)[0] == "M":
        return False
    cp = ord(ch)
    return not (0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F or 0xA960 <= cp <= 0xA97F
                or 0xD7B0 <= cp <= 0xD7FF)


@dataclass(frozen=True)
class Normalized:
    """Normalised text and where each of its stretches came from.

    `_pieces` holds (start in the normalised text, start in the original, length in the normalised
    text, length in the original) for every stretch whose two lengths differ; between them the texts
    line up character for character, and with no pieces they line up everywhere.
    """

    text: str
    source: str
    _starts: list[int] = field(default_factory=list, repr=False)
    _pieces: list[tuple[int, int, int, int]] = field(default_factory=list, repr=False)

    @property
    def identity(self) -> bool:
        return not self._pieces

    def source_offset(self, pos: int) -> int:
        """Where the character at `pos` of the normalised text starts in the original."""
        if not self._pieces:
            return pos
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return pos
        out, src, out_len, src_len = self._pieces[i]
        if pos >= out + out_len:  # past the piece: the text after it lines up again
            return src + src_len + (pos - out - out_len)
        if out_len == src_len:
            return src + (pos - out)
        return src

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that [start, end) of the normalised text came from."""
        if not self._pieces:
            return start, end
        src_start = self.source_offset(start)
        if end <= start:
            return src_start, src_start
        last = end - 1
        i = bisect.bisect_right(self._starts, last) - 1
        if i >= 0:
            out, src, out_len, src_len = self._pieces[i]
            if out <= last < out + out_len and out_len != src_len:
                return src_start, src + src_len
        return src_start, self.source_offset(last) + 1


def _careful(chunk: str) -> tuple[str, list[tuple[int, int]]]:
    """Normalise a short stretch one composable segment at a time: (text, [(out len, source len)])."""
    pieces: list[tuple[str, int]] = []
    segment_start = 0
    for i in range(1, len(chunk) + 1):
        if i < len(chunk) and not _boundary(chunk[i]):
            continue
        segment = chunk[segment_start:i]
        kept = "".join(ch for ch in segment if not _dropped(ch))
        out = unicodedata.normalize("NFKC", kept).replace("\u0130", "I") if kept else ""
        pieces.append((out, len(segment)))
        segment_start = i
    return "".join(p for p, _ in pieces), [(len(p), n) for p, n in pieces]


def _non_ascii_lines(text: str) -> list[tuple[int, int]]:
    """Where the lines (up to each "\n") that hold anything but ASCII stand, neighbours joined into
    one stretch: only those need work."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if not line.isascii():
            if spans and spans[-1][1] == pos - 1:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((pos, end))
        pos = end + 1
    return spans


def _fold_stable(text: str, start: int, end: int, lines: list[tuple[int, int]], out: list[str]) -> None:
    """Append NFKC of `text[start:end]`, a stretch of the stable class only (each character folds on
    its own, to one character, so any part may be folded alone): ASCII lines as they are, the others
    only when not already in NFKC form."""
    pos = start
    at = max(0, bisect.bisect_right(lines, (start, end)) - 1)
    for line_start, line_end in itertools.islice(lines, at, None):
        if line_start >= end:
            break
        a, b = max(line_start, start), min(line_end, end)
        if a >= b:
            continue
        if a > pos:
            out.append(text[pos:a])
        part = text[a:b]
        out.append(part if unicodedata.is_normalized("NFKC", part) else unicodedata.normalize("NFKC", part))
        pos = b
    if pos < end:
        out.append(text[pos:end])


def class_ranges(chars: str) -> tuple[list[int], list[int]]:
    """A regex character class's body (`a-z0-9_`, escapes already decoded) as sorted (first, last)
    code points, for telling a few characters apart without compiling the class."""
    firsts: list[int] = []
    lasts: list[int] = []
    i = 0
    while i < len(chars):
        if i + 2 < len(chars) and chars[i + 1] == "-":
            firsts.append(ord(chars[i]))
            lasts.append(ord(chars[i + 2]))
            i += 3
        else:
            firsts.append(ord(chars[i]))
            lasts.append(ord(chars[i]))
            i += 1
    return firsts, lasts


@functools.cache
def _stable_ranges() -> tuple[list[int], list[int]]:
    """The stable class as sorted (first, last) code points (compiling the class takes 1 ms)."""
    return class_ranges(codecs.decode(_STABLE_CLASS, "unicode_escape"))


def is_stable(ch: str) -> bool:
    """`ch` is in the stable class (see `_STABLE_CLASS`)."""
    firsts, lasts = _stable_ranges()
    at = bisect.bisect_right(firsts, ord(ch)) - 1
    return at >= 0 and ord(ch) <= lasts[at]


SMALL_TEXT = 20_000  # up to this, the characters are told apart one by one instead of by the pattern


def normalize(text: str) -> Normalized:
    """`text` folded for the detectors (see the module docstring), with the map back."""
    if text.isascii():
        return Normalized(text, text)
    lines = _non_ascii_lines(text)
    if len(text) <= SMALL_TEXT and all(is_stable(ch) for ch in set(text) if ch > "\x7f"):
        out: list[str] = []
        _fold_stable(text, 0, len(text), lines, out)  # every character folds alone, to one
        return _without_ordinals(Normalized("".join(out), text))
    unstable = _UNSTABLE()
    out = []
    starts: list[int] = []
    pieces: list[tuple[int, int, int, int]] = []
    out_pos = 0
    src_pos = 0
    # A run of unstable characters never holds a "\n", nor anything in an ASCII line.
    for m in (m for line_start, line_end in lines for m in unstable.finditer(text, line_start, line_end)):
        # Normalisation may reach back one character (a base letter before a combining mark).
        start = m.start() - 1 if m.start() > src_pos else m.start()
        if start > src_pos:
            _fold_stable(text, src_pos, start, lines, out)
            out_pos += start - src_pos
            src_pos = start
        folded, lengths = _careful(text[start:m.end()])
        out.append(folded)
        for out_len, src_len in lengths:
            if out_len != src_len:
                starts.append(out_pos)
                pieces.append((out_pos, src_pos, out_len, src_len))
            out_pos += out_len
            src_pos += src_len
    if src_pos < len(text):
        _fold_stable(text, src_pos, len(text), lines, out)
    return _without_ordinals(Normalized("".join(out), text, starts, pieces))


def _without_ordinals(norm: Normalized) -> Normalized:
    """Chinese ordinal numbering blanked to spaces (the same length: the map back is unchanged)."""
    if "第" not in norm.text:
        return norm
    folded = _ORDINAL().sub(lambda m: " " * len(m.group()), norm.text)
    return Normalized(folded, norm.source, norm._starts, norm._pieces)
