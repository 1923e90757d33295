"""BIP39 recovery phrases in any of the wordlists the `mnemonic` package ships.

`find_phrases(text)` expects normalised text (`normalize.normalize`): full-width forms, circled
numbers and the like already folded, zero-width characters and soft hyphens gone. Words are matched
through the cached word index (`wordindex`), accents optional, case ignored.

A phrase is a run of twelve or more consecutive full words of one language; between two words may
stand anything but a letter (spaces, line breaks, punctuation, numbering such as `1.`, `(2)`, `3)`,
`①`, `【4】`, arrows, ampersands, backticks, emoji). Words are matched whole: a four-letter prefix
inside prose is never a match. One word in twelve may be misspelt by a letter (`physcal`), as happens
when a phrase is copied from paper.

Twelve everyday words are not a phrase by themselves. A run counts when its shape says so (numbered,
one word per line, a list with separators, after a label such as "seed:" or "助记词", or alone on its
line with a phrase's length), or when it is 12, 15, 18, 21 or 24 words whose BIP39 checksum is valid
(give or take a word at one end: "note: abandon … about"). A sentence such as "Number help after
can any number page before make sure you copy the correct" is neither.

Chinese wordlists hold single characters, and ordinary Chinese prose is mostly made of them, so a
Chinese run counts only when each character stands apart; characters written together count only when
they are the whole field, or follow a label that names a phrase ("助记词是…", "seed: …"), and are a
valid phrase: such a match asks for confirmation (`whole_field_chinese`). Japanese words written
together after such a label are split into wordlist words and treated the same way.

Speed: one cheap pass marks each token as a word or not (one dictionary lookup per token, in C) and
looks for twelve tokens in a row of which eleven are words; only those stretches are examined
closely, and the word index is not even loaded for a text of fewer than twelve tokens.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from supportcli.core.guard import wordindex
from supportcli.core.guard.normalize import RECORD_SEPARATOR, SEPARATORS
from supportcli.core.guard.patterns import by_first_character


def _lazy(pattern: str | bytes, flags: int = 0) -> Callable[[], re.Pattern[Any]]:
    """A pattern compiled on first use (compiling every pattern at import cost a start-up each time)."""
    return functools.cache(lambda: re.compile(pattern, flags))


MIN_WORDS = 12
# A word copied from paper with one letter wrong (`physcal`) still continues a phrase, once per twelve
# words; only words this long are forgiven, so short glue words of prose never bridge two runs.
TYPO_MIN_CHARS = 5
VALID_LENGTHS = (12, 15, 18, 21, 24)
CHINESE = ("chinese_simplified", "chinese_traditional")
MAX_GAP_CHARS = 32

# A token is a maximal run of letters of the wordlists' scripts (Latin with accents, Greek, Cyrillic,
# kana, CJK, Hangul) in normalised lower-case text; anything else separates tokens. Explicit ranges
# are three times faster to match than "any letter".
_TOKEN_CLASS = (
    "[a-z\u00aa\u00b5\u00ba\u00df-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u3041-\u3096\u309d-\u309f"
    "\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3]"
)
_TOKEN = _lazy(f"{_TOKEN_CLASS}+")
# The same tokens, written `CC*`: a pattern that starts with a class lets the engine skip, in C, what
# cannot start it (7% faster), but the class is compiled twice (1.5 ms): for long texts only.
_TOKEN_LONG = _lazy(f"{_TOKEN_CLASS}{_TOKEN_CLASS}*")
LONG_TEXT = 100_000
# A letter that is in no wordlist (`secrets` reads a draft's template text as these, so its words
# never complete a phrase with the user's).
BARRIER = "ǂ"
# Up to this length, a text is cut into tokens character by character (the token class takes 1 ms
# to compile: more than reading a short answer or draft by hand).
SHORT_TEXT = 8000


@functools.cache
def _token_ranges() -> tuple[list[int], list[int]]:
    """The token class as sorted (first, last) code points."""
    from supportcli.core.guard.normalize import class_ranges

    return class_ranges(_TOKEN_CLASS[1:-1])


def _short_tokens(low: str) -> list[str]:
    """`_TOKEN().findall(low)`, read character by character."""
    firsts, lasts = _token_ranges()
    tokens: list[str] = []
    start = -1
    for i, ch in enumerate(low):
        if "a" <= ch <= "z":
            inside = True
        elif ch < "\x80":
            inside = False
        else:
            at = bisect.bisect_right(firsts, ord(ch)) - 1
            inside = at >= 0 and ord(ch) <= lasts[at]
        if inside and start < 0:
            start = i
        elif not inside and start >= 0:
            tokens.append(low[start:i])
            start = -1
    if start >= 0:
        tokens.append(low[start:])
    return tokens


# Every ASCII character that is not a-z, as a space (on lower-cased ASCII text, splitting then gives
# exactly the tokens `_TOKEN` finds).
_ASCII_GAPS = {code: " " for code in range(128) if not 0x61 <= code <= 0x7A}
_LABEL_HINT = functools.cache(lambda: re.compile(by_first_character({
    "": "助记|助記|短语|短語|恢复词|恢復詞|备份词|備份詞|ニーモニック|フレーズ|seed|mnemonic|phrase|words"
}).source))
_GAP = _lazy(rf"[\s\d{SEPARATORS}]{{0,{MAX_GAP_CHARS}}}")
# Twelve tokens in a row of which at least eleven are words (a flag byte per token: 1 word, 0 not).
_WINDOW = _lazy(
    b"(?=(?:" + b"\x01" * 12 + b"|" + b"|".join(b"\x01" * k + b"\x00" + b"\x01" * (11 - k) for k in range(12))
    + b"))"
)
_LABEL_WORDS = (
    "助记词|助記詞|助记码|助記碼|恢复短语|恢復短語|种子短语|種子短語|钱包短语|錢包短語|恢复词|恢復詞|备份词|備份詞"
    "|ニーモニック|シードフレーズ|リカバリーフレーズ|復元フレーズ|秘密のフレーズ"
    "|seed(?:[ \t]+(?:phrase|words))?|mnemonic|recovery[ \t]+(?:phrase|words)|secret[ \t]+(?:recovery[ \t]+)?phrase"
    "|(?:backup|wallet|my|our|the|these|secret|\\d{2}|twelve|twenty[- ]four)[ \t]+(?:phrase|words)"
)
_LABEL = _lazy(rf"(?:{_LABEL_WORDS})", re.IGNORECASE)
# A label, then characters written together: Han characters, or kana.
# Case is ignored in the label only (the rest has no case): compiling the CJK classes case-blind
# cost 7 ms on every draft.
_LABELLED_RUN = _lazy(
    rf"(?i:{_LABEL_WORDS})(?:[^\n:=]{{0,12}}?[:=]|[ \t]*(?:是|为|為|は|:)?)[ \t]*[\"'“「『]?"
    r"(?P<run>[\u3400-\u4dbf\u4e00-\u9fff]{12,24}(?![\u3400-\u4dbf\u4e00-\u9fff])"
    r"|[\u3041-\u3096\u30a1-\u30fa\u30fc]{24,200}(?![\u3041-\u3096\u30a1-\u30fa\u30fc]))"
)


@functools.cache
def wordlists() -> wordindex.WordIndex:
    """Every shipped wordlist, indexed (from the cache after the first run)."""
    return wordindex.index()


def normalize_word(word: str) -> str:
    """Fold case and drop accents, the way a user might type a word from a written-down phrase."""
    return wordindex.fold_word(word)


@dataclass(frozen=True)
class PhraseMatch:
    start: int
    end: int
    language: str
    words: int
    checksum_ok: bool
    whole_field_chinese: bool = False  # the whole field, or a labelled run: ask, never block silently


def checksum_ok(indexes: list[int]) -> bool:
    """True when the word indexes form a BIP39 mnemonic whose checksum bits match."""
    import hashlib

    n = len(indexes)
    if n not in VALID_LENGTHS:
        return False
    bits = 0
    for i in indexes:
        bits = (bits << 11) | i
    total = n * 11
    check_bits = total // 33
    entropy_bits = total - check_bits
    entropy = (bits >> check_bits).to_bytes(entropy_bits // 8, "big")
    expected = hashlib.sha256(entropy).digest()[0] >> (8 - check_bits)
    return (bits & ((1 << check_bits) - 1)) == expected


def _any_window_valid(indexes: list[int]) -> bool:
    for size in VALID_LENGTHS:
        for start in range(0, len(indexes) - size + 1):
            window = indexes[start:start + size]
            if min(window) >= 0 and checksum_ok(window):
                return True
    return False


@functools.lru_cache(maxsize=1 << 16)
def _lookup(word: str) -> dict[str, int] | None:
    return wordlists().lookup(word)


@functools.cache
def _near_index() -> dict[str, frozenset[str]]:
    """Each Latin-script word, and the word with one letter dropped -> the languages it comes from."""
    index = wordlists()
    near: dict[str, set[str]] = {}
    for word, packed in index.words.items():
        if len(word) >= TYPO_MIN_CHARS - 1 and word.isascii():
            codes = (packed,) if isinstance(packed, int) else packed
            langs = {index.languages[code // wordindex.RADIX] for code in codes}
            for variant in {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}:
                near.setdefault(variant, set()).update(langs)
    return {variant: frozenset(langs) for variant, langs in near.items()}


@functools.lru_cache(maxsize=1 << 16)
def _near_languages(token: str) -> frozenset[str]:
    """Languages with a word one edit (a letter wrong, missing, extra or swapped) from `token`."""
    word = normalize_word(token)
    if len(word) < TYPO_MIN_CHARS or not word.isascii():
        return frozenset()
    near = _near_index()
    found: set[str] = set(near.get(word, ()))
    for i in range(len(word)):
        found.update(near.get(word[:i] + word[i + 1:], ()))
    return frozenset(found)


@dataclass
class _Run:
    spans: list[tuple[int, int]]  # where each word of the run stands in the text
    indexes: list[int]  # its index in the wordlist; -1 for a possible typo, checked when the run ends
    typos: dict[int, str]  # position in the run -> the word as written


def _could_be_typo(token: str) -> bool:
    return len(token) >= TYPO_MIN_CHARS and normalize_word(token).isascii()


def _breaks_line(gap: str) -> bool:
    return "\n" in gap or RECORD_SEPARATOR in gap


def _line_bounds(text: str, start: int, end: int) -> tuple[str, str]:
    """The text before `start` on its line, and after `end` on its line."""
    line_start = max(text.rfind("\n", 0, start), text.rfind(RECORD_SEPARATOR, 0, start)) + 1
    ends = [i for i in (text.find("\n", end), text.find(RECORD_SEPARATOR, end)) if i >= 0]
    return text[line_start:start], text[end:min(ends) if ends else len(text)]


def _has_letters(piece: str) -> bool:
    return any(ch.isalpha() for ch in piece)


def _shaped(text: str, spans: list[tuple[int, int]]) -> bool:
    """The words stand as a phrase is written down, not as a sentence is.

    Numbered, one per line, separated by list punctuation (in at least half the gaps), after a
    label naming a phrase, or filling the rest of a line (after a colon, or alone) in a phrase's
    length and not in sentence case.
    """
    gaps = [text[a[1]:b[0]] for a, b in itertools.pairwise(spans)]
    half = max(1, len(gaps) // 2)
    if sum(1 for g in gaps if any(ch.isdigit() for ch in g)) >= half:
        return True
    if sum(1 for g in gaps if _breaks_line(g)) >= half:
        return True
    if sum(1 for g in gaps if g.strip()) >= half:
        return True
    start, end = spans[0][0], spans[-1][1]
    if _LABEL().search(text, max(0, start - 80), start):
        return True
    before, after = _line_bounds(text, start, end)
    # A value in quotes after its label ("note": "abandon …) is introduced by the label all the same.
    introduced = not _has_letters(before) or before.rstrip().rstrip("\"'“‘「『").rstrip().endswith((":", "=", "-"))
    if len(spans) in VALID_LENGTHS and introduced and not _has_letters(after):
        words = [text[a:b] for a, b in spans]
        sentence_case = words[0][:1].isupper() and all(w.islower() for w in words[1:])
        return not sentence_case
    return False


def _edge_valid(indexes: list[int]) -> bool:
    """The run, or the run less a word or two at one end, is a phrase whose checksum is valid."""
    for n in VALID_LENGTHS:
        if n > len(indexes):
            break
        for window in (indexes[:n], indexes[-n:]):
            if min(window) >= 0 and checksum_ok(window):
                return True
    return False


def _phrases_in_run(text: str, run: _Run, language: str) -> list[PhraseMatch]:
    """The phrases a finished run holds: it is cut wherever a possible typo is no near-word after all.

    The near-word index is only built here, for runs long enough to matter (rare in prose).
    """
    if len(run.indexes) < MIN_WORDS:
        return []
    cuts = [k for k, token in run.typos.items() if language not in _near_languages(token)]
    found = []
    lo = 0
    for hi in [*sorted(cuts), len(run.indexes)]:
        part = list(range(lo, hi))
        while part and run.indexes[part[-1]] < 0:
            part.pop()
        # A label that is itself a word ("words: abandon …") is read both ways.
        options = [part]
        for j in range(min(3, len(part) - 1)):
            gap = text[run.spans[part[j]][1]:run.spans[part[j + 1]][0]]
            if ":" in gap or "=" in gap:
                options.append(part[j + 1:])
                break
        # Words on one line that a word on the next line (a heading) would complete: each line alone.
        breaks = [j for j in range(len(part) - 1)
                  if _breaks_line(text[run.spans[part[j]][1]:run.spans[part[j + 1]][0]])]
        if breaks and len(breaks) * 2 < len(part) - 1:
            for a, b in itertools.pairwise([-1, *breaks, len(part) - 1]):
                options.append(part[a + 1:b + 1])
        for option in options:
            typos = sum(1 for k in option if run.indexes[k] < 0)
            if len(option) < MIN_WORDS or typos > len(option) // MIN_WORDS:
                continue
            indexes = [run.indexes[k] for k in option]
            spans = [run.spans[k] for k in option]
            if _edge_valid(indexes) or _shaped(text, spans):
                found.append(PhraseMatch(
                    start=spans[0][0], end=spans[-1][1], language=language, words=len(option),
                    checksum_ok=_any_window_valid(indexes),
                ))
                break
        lo = hi + 1
    return found


def _runs(text: str, low: str, start: int, end: int) -> list[PhraseMatch]:
    """Runs of wordlist words of one language among the tokens of text[start:end]."""
    found: list[PhraseMatch] = []
    runs: dict[str, _Run] = {}

    def close(language: str) -> None:
        found.extend(_phrases_in_run(text, runs.pop(language), language))

    previous_end = start
    for m in _TOKEN().finditer(low, start, end):
        token = m.group()
        langs = _lookup(token)
        joined = not runs or _GAP().fullmatch(low, previous_end, m.start()) is not None
        previous_end = m.end()
        if runs and joined and not langs:
            # Not a word; inside an open run it may be one copied with a letter wrong.
            typo = _could_be_typo(token)
            for language in list(runs):
                run = runs[language]
                if typo and len(run.typos) < 1 + len(run.indexes) // MIN_WORDS:
                    run.typos[len(run.indexes)] = token
                    run.indexes.append(-1)
                    run.spans.append((m.start(), m.end()))
                else:
                    close(language)
            continue
        if runs and not joined:
            for language in list(runs):
                close(language)
        if not langs:
            continue
        for language in list(runs):
            if language not in langs:
                close(language)
        for language, i in langs.items():
            run = runs.setdefault(language, _Run([], [], {}))
            run.indexes.append(i)
            run.spans.append((m.start(), m.end()))
    for language in list(runs):
        close(language)
    return found


# Up to this many tokens, the sorted keys (1 ms to load) and a bisect per token beat loading the
# index (4 ms) for one lookup per token.
FEW_TOKENS = 4000


def _word_flags(tokens: list[str]) -> bytes:
    """One byte per token: 1 for a word of some wordlist, 0 for anything else."""
    if len(tokens) > FEW_TOKENS or wordlists.cache_info().currsize:
        words = wordlists().words
        return bytes(map(words.__contains__, tokens))
    keys = wordindex.sorted_words()
    size = len(keys)
    flags = bytearray(len(tokens))
    for i, token in enumerate(tokens):
        at = bisect.bisect_left(keys, token)
        flags[i] = at < size and keys[at] == token
    return bytes(flags)


_SIX_WORDS = b"\x01" * 6


def _windows(flags: bytes) -> Iterator[re.Match[bytes]]:
    """`_WINDOW` over `flags`, tried only near runs of six words: twelve tokens with at most one that
    is no word hold six words in a row, so every window starts at most six tokens before such a run
    and ends at most six after it (substring searches in C find the runs)."""
    spans: list[list[int]] = []
    at = flags.find(_SIX_WORDS)
    while at >= 0:
        end = flags.find(b"\x00", at)
        end = len(flags) if end < 0 else end
        lo, hi = max(0, at - 6), min(len(flags), end + 6)
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = hi
        else:
            spans.append([lo, hi])
        at = flags.find(_SIX_WORDS, end)
    for lo, hi in spans:
        yield from _WINDOW().finditer(flags, lo, hi)


def _candidates(low: str) -> list[tuple[int, int]]:
    """Stretches of `low` holding twelve tokens in a row of which eleven are words (the cheap pass)."""
    if low.isascii() or (BARRIER in low and low.replace(BARRIER, "").isascii()):
        # The tokens are the runs of a-z (and of the barrier, a letter): no pattern to compile, and
        # twice as fast.
        tokens = low.translate(_ASCII_GAPS).split()
    elif len(low) <= SHORT_TEXT:
        tokens = _short_tokens(low)
    else:
        tokens = (_TOKEN_LONG() if len(low) > LONG_TEXT else _TOKEN()).findall(low)
    if len(tokens) < MIN_WORDS:
        return []
    flags = _word_flags(tokens)
    ranges: list[list[int]] = []
    for m in _windows(flags):
        lo, hi = max(0, m.start() - 1), min(len(tokens), m.start() + MIN_WORDS + 1)
        if ranges and lo <= ranges[-1][1]:
            ranges[-1][1] = hi
        else:
            ranges.append([lo, hi])
    if not ranges:
        return []
    spans = []
    it = _TOKEN().finditer(low)
    consumed = 0
    for lo, hi in ranges:
        matches = list(islice(it, lo - consumed, hi - consumed))
        consumed = hi
        spans.append((matches[0].start(), matches[-1].end()))
    return spans


def find_phrases(text: str, low: str | None = None) -> list[PhraseMatch]:
    """Phrases in normalised `text` (see the module docstring), one match per stretch of text.

    `low` is `text.lower()` when the caller has it already."""
    low = text.lower() if low is None else low
    found: list[PhraseMatch] = []
    for start, end in _candidates(low):
        found.extend(_runs(text, low, start, end))
    found.extend(_whole_field_chinese(text))
    if _LABEL_HINT().search(low):
        found.extend(_labelled(text))
    return _dedupe(found)


def _chinese_phrase_at(chars: str, offset: int) -> PhraseMatch | None:
    """`chars` (found at `offset`) are 12–24 Chinese wordlist characters whose checksum matches."""
    if len(chars) not in VALID_LENGTHS or not all("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
                                                  for ch in chars):
        return None
    index = wordlists()
    for language in CHINESE:
        idx = [(index.lookup(ch) or {}).get(language) for ch in chars]
        if all(i is not None for i in idx) and checksum_ok([i for i in idx if i is not None]):
            return PhraseMatch(
                start=offset, end=offset + len(chars), language=language, words=len(chars),
                checksum_ok=True, whole_field_chinese=True,
            )
    return None


def _kana_phrase_at(chars: str, offset: int) -> PhraseMatch | None:
    """Kana written together that split into 12–24 Japanese wordlist words with a valid checksum."""
    index = wordlists()
    n = len(chars)
    budget = [2000]  # ways tried, so a long run of kana cannot take long

    def split(pos: int, indexes: list[int]) -> list[int] | None:
        if pos == n:
            return indexes if len(indexes) in VALID_LENGTHS and checksum_ok(indexes) else None
        if len(indexes) >= VALID_LENGTHS[-1] or budget[0] <= 0:
            return None
        budget[0] -= 1
        for size in range(min(8, n - pos), 1, -1):
            found = index.lookup(chars[pos:pos + size])
            if found and "japanese" in found:
                result = split(pos + size, [*indexes, found["japanese"]])
                if result is not None:
                    return result
        return None

    indexes = split(0, [])
    if indexes is None:
        return None
    return PhraseMatch(start=offset, end=offset + n, language="japanese", words=len(indexes),
                       checksum_ok=True, whole_field_chinese=True)


def _whole_field_chinese(text: str) -> list[PhraseMatch]:
    """The whole text is 12–24 Chinese wordlist characters with nothing between them."""
    stripped = text.strip()
    if not 12 <= len(stripped) <= 24:
        return []
    found = _chinese_phrase_at(stripped, text.find(stripped))
    return [found] if found else []


def _labelled(text: str) -> list[PhraseMatch]:
    """A label naming a recovery phrase, then exactly such a run of characters written together."""
    found = []
    for m in _LABELLED_RUN().finditer(text):
        run = m.group("run")
        if "\u3040" <= run[0] <= "\u30ff":
            match = _kana_phrase_at(run, m.start("run"))
        else:
            match = _chinese_phrase_at(run, m.start("run"))
        if match:
            found.append(match)
    return found


def _dedupe(matches: list[PhraseMatch]) -> list[PhraseMatch]:
    """One match per stretch of text: the best language (valid checksum, then most words)."""
    matches.sort(key=lambda m: (m.start, not m.checksum_ok, -m.words))
    kept: list[PhraseMatch] = []
    for match in matches:
        if kept and match.start < kept[-1].end:
            continue
        kept.append(match)
    return kept
