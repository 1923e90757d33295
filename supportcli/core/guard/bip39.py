"""BIP39 recovery phrases in any of the wordlists the `mnemonic` package ships.

Words are compared after normalisation (NFKD, accents removed, case folded), so `ÁBACO`, `abaco`
and `ábaco` are the same word. The wordlists are loaded once, on first use, into one dictionary
from normalised word to its index in each language.

A phrase is a run of twelve or more consecutive full words of one language, separated only by
whitespace (including U+3000), punctuation or numbering (`1. word`, `(2) word`). Words are matched
whole: a four-letter prefix inside prose is never a match. One word in twelve may be misspelt by a
letter (`physcal`), as happens when a phrase is copied from paper. Chinese wordlists hold single
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
# A word copied from paper with one letter wrong (`physcal`) still continues a phrase, once per twelve
# words; only words this long are forgiven, so short glue words of prose never bridge two runs.
TYPO_MIN_CHARS = 5
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
            window = indexes[start:start + size]
            if min(window) >= 0 and checksum_ok(window):
                return True
    return False


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@functools.lru_cache(maxsize=1 << 16)
def _lookup(word: str) -> dict[str, int] | None:
    key = word.lower() if word.isascii() else normalize_word(word)
    return wordlists().index.get(key)


@functools.cache
def _near_index() -> dict[str, frozenset[str]]:
    """Each Latin-script word, and the word with one letter dropped -> the languages it comes from."""
    near: dict[str, set[str]] = {}
    for word, langs in wordlists().index.items():
        if len(word) >= TYPO_MIN_CHARS - 1 and word.isascii():
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


def _phrases_in_run(run: _Run, language: str) -> list[PhraseMatch]:
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
        typos = sum(1 for k in part if run.indexes[k] < 0)
        if len(part) >= MIN_WORDS and typos <= len(part) // MIN_WORDS:
            indexes = [run.indexes[k] for k in part]
            found.append(PhraseMatch(
                start=run.spans[part[0]][0], end=run.spans[part[-1]][1], language=language, words=len(part),
                checksum_ok=_any_window_valid(indexes),
            ))
        lo = hi + 1
    return found


def find_phrases(text: str) -> list[PhraseMatch]:
    """Runs of at least twelve consecutive wordlist words of one language in `text`."""
    found: list[PhraseMatch] = []
    runs: dict[str, _Run] = {}

    def close(language: str) -> None:
        found.extend(_phrases_in_run(runs.pop(language), language))

    previous_end = 0
    for m in _TOKEN.finditer(text):
        token = m.group()
        langs = _lookup(token)
        joined = not runs or _GAP.fullmatch(text, previous_end, m.start()) is not None
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
