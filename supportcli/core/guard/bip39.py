"""BIP39 recovery phrases in any of the wordlists the `mnemonic` package ships.

Words are compared after normalisation (NFKD, accents removed, case folded), so `ÁBACO`, `abaco`
and `ábaco` are the same word. The wordlists are loaded once, on first use, into one dictionary
from normalised word to its index in each language.

A phrase is a run of twelve or more consecutive full words of one language, separated only by
whitespace (including U+3000), punctuation or numbering (`1. word`, `(2) word`). Words are matched
whole: a four-letter prefix inside prose is never a match. Chinese wordlists hold single
characters, and ordinary Chinese prose is mostly made of them, so a Chinese run counts only when
each character stands alone between separators; a field that is nothing but such characters with
no separators at all is reported separately (`whole_field_chinese`), for confirmation, and so is
such a run right after a label that names it ("助记词是…", "seed: …").
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass

MIN_WORDS = 12
VALID_LENGTHS = (12, 15, 18, 21, 24)
CHINESE = ("chinese_simplified", "chinese_traditional")

# A token is a maximal run of letters (any script) and combining marks (a decomposed `á` or `ぶ`);
# digits and punctuation separate tokens.
_TOKEN = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u3099\u309a])+")
# What may stand between two words of a phrase: spaces, line breaks, commas, numbering, bullets.
# "助记词是<12 characters>": a label, then a run of Han characters with nothing between them.
_CHINESE_LABELLED = re.compile(
    r"(?:助记词|助记码|恢复短语|种子短语|钱包短语|seed(?:[ \t]+(?:phrase|words))?|mnemonic|recovery[ \t]+phrase)"
    r"(?:[^\n：:=]{0,6}?[：:=]|[ \t\u3000]*(?:是|为|為)?)[ \t\u3000]*[\"'“「]?"
    r"(?P<run>[\u3400-\u4dbf\u4e00-\u9fff]{12,24})"
    r"(?![\u3400-\u4dbf\u4e00-\u9fff])",
    re.IGNORECASE,
)
_GAP = re.compile(r"[\s\d.,;:、，。；：)(\]\[（）|/\\\-–—•·*#\"'“”‘’_%+~]*")


def normalize_word(word: str) -> str:
    """Fold case and drop accents, the way a user might type a word from a written-down phrase."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@dataclass(frozen=True)
class Wordlists:
    index: dict[str, dict[str, int]]  # normalised word -> {language: index in that wordlist}
    languages: tuple[str, ...]


@functools.cache
def wordlists() -> Wordlists:
    """Every shipped wordlist, indexed once (the first call takes a few milliseconds)."""
    from mnemonic import Mnemonic

    index: dict[str, dict[str, int]] = {}
    languages = tuple(sorted(Mnemonic.list_languages()))
    for language in languages:
        for i, word in enumerate(Mnemonic(language).wordlist):
            index.setdefault(normalize_word(word), {})[language] = i
    return Wordlists(index=index, languages=languages)


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
            if checksum_ok(indexes[start:start + size]):
                return True
    return False


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@functools.lru_cache(maxsize=1 << 16)
def _lookup(word: str) -> dict[str, int] | None:
    key = word.lower() if word.isascii() else normalize_word(word)
    return wordlists().index.get(key)


def find_phrases(text: str) -> list[PhraseMatch]:
    """Runs of at least twelve consecutive wordlist words of one language in `text`."""
    found: list[PhraseMatch] = []
    # language -> (start offset of the run, end offset of its last word, word indexes)
    runs: dict[str, tuple[int, int, list[int]]] = {}

    def close(language: str) -> None:
        start, end, idx = runs.pop(language)
        if len(idx) >= MIN_WORDS:
            found.append(PhraseMatch(
                start=start, end=end, language=language, words=len(idx), checksum_ok=_any_window_valid(idx),
            ))

    previous_end = 0
    for m in _TOKEN.finditer(text):
        langs = _lookup(m.group())
        if runs and (not langs or _GAP.fullmatch(text, previous_end, m.start()) is None):
            for language in list(runs):
                close(language)
        previous_end = m.end()
        if not langs:
            continue
        for language in list(runs):
            if language not in langs:
                close(language)
        for language, i in langs.items():
            run = runs.get(language)
            if run is None:
                runs[language] = (m.start(), m.end(), [i])
            else:
                run[2].append(i)
                runs[language] = (run[0], m.end(), run[2])
    for language in list(runs):
        close(language)
    found.extend(_whole_field_chinese(text))
    found.extend(_labelled_chinese(text))
    return _dedupe(found)


def _chinese_phrase_at(chars: str, offset: int) -> PhraseMatch | None:
    """`chars` (found at `offset`) are 12–24 Chinese wordlist characters whose checksum matches."""
    if len(chars) not in VALID_LENGTHS or not all(_is_han(ch) for ch in chars):
        return None
    index = wordlists().index
    for language in CHINESE:
        idx = [index.get(ch, {}).get(language) for ch in chars]
        if all(i is not None for i in idx) and checksum_ok([i for i in idx if i is not None]):
            return PhraseMatch(
                start=offset, end=offset + len(chars), language=language, words=len(chars),
                checksum_ok=True, whole_field_chinese=True,
            )
    return None


def _whole_field_chinese(text: str) -> list[PhraseMatch]:
    """The whole text is 12–24 Chinese wordlist characters with nothing between them."""
    stripped = text.strip()
    found = _chinese_phrase_at(stripped, text.find(stripped)) if stripped else None
    return [found] if found else []


def _labelled_chinese(text: str) -> list[PhraseMatch]:
    """A label naming a recovery phrase, then exactly such a run of characters."""
    found = []
    for m in _CHINESE_LABELLED.finditer(text):
        match = _chinese_phrase_at(m.group("run"), m.start("run"))
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
