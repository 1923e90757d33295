"""Turning text into search terms, the same way for the shipped pack and the SQLite index.

- Text is NFKC-normalised (full-width letters and digits become ASCII) and case-folded, and
  traditional Chinese characters become simplified ones (`提現` -> `提现`, hant.py).
- Latin words are lightly stemmed (`withdrawals` -> `withdraw`, `verification` -> `verify`).
- Runs of Chinese characters become overlapping character pairs (`提现没到账` -> 提现 现没 没到 到账);
  a single character stands alone. No dictionary is loaded, so start-up stays cheap.

Every term is a run of `[a-z0-9]` or of CJK characters, so SQLite's `unicode61` tokenizer keeps
the space-joined terms exactly as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# One pattern for Latin words and runs of Chinese; compiling a CJK class costs about a millisecond.
PIECE = re.compile(rf"[A-Za-z0-9]+|[{_CJK}]+")

# Words that carry no meaning in a support question. Only used on the query side.
_STOP_EN_WORDS = """
a an and are at be been but by can cannot could did do does doing for from get got had has have help how i
if in into is it its me my no not of on or our please should so still that the their them then there this to
too up us was we were what when where which who why will with would you your yet just any some need want
hi hello thanks thank
"""
STOP_EN = frozenset(_STOP_EN_WORDS.split())
# Words that only ask a question ("怎么", "如何", "为什么") or point at oneself ("我的"). A query's
# Chinese is cut at them before it is split into pairs, so they do not produce pairs of their own.
STOP_ZH = (
    "怎么办", "为什么", "怎么样", "是不是", "能不能", "怎么", "怎样", "如何", "什么", "请问", "我的", "我们",
    "一下", "可以", "是否", "应该", "需要", "这个", "那个", "还是", "的话", "我", "的", "了", "吗", "呢",
    "吧", "啊", "呀", "么", "你", "们", "一直", "已经", "总是", "老是", "到底", "突然", "现在", "是", "要", "想",
    "都", "也", "就", "很", "又", "再",
)


@lru_cache(maxsize=1)
def _stop_zh() -> re.Pattern[str]:
    return re.compile("|".join(STOP_ZH))

# (suffix, replacement, minimum length of what is left)
_SUFFIXES: tuple[tuple[str, str, int], ...] = (
    ("ication", "y", 3),
    ("ational", "ate", 3),
    ("ization", "ize", 3),
    ("fulness", "ful", 3),
    ("iveness", "ive", 3),
    ("ements", "", 4),
    ("ement", "", 4),
    ("ments", "", 4),
    ("ment", "", 4),
    ("ation", "ate", 4),
    ("ings", "", 4),
    ("ing", "", 4),
    ("ies", "y", 2),
    ("ied", "y", 2),
    ("als", "", 5),
    ("al", "", 5),
    ("ed", "", 4),
    ("ers", "", 4),
    ("er", "", 4),
    ("es", "", 4),
    ("s", "", 3),
)
_KEEP = frozenset(("news", "address", "access", "process", "less", "loss", "status", "bonus", "bitfinex", "always"))
_IRREGULAR = {"withdrawn": "withdraw", "withdrew": "withdraw", "lost": "lose", "stolen": "steal", "sent": "send",
              "complaint": "complain", "complaints": "complain"}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stem: enough to match plurals and common endings, never a dictionary."""
    if len(word) <= 3 or not word.isalpha() or word in _KEEP or word.endswith("ss"):
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    base = word
    for suffix, replacement, keep in _SUFFIXES:
        if base.endswith(suffix) and len(base) - len(suffix) >= keep:
            if suffix == "s" and base.endswith(("us", "is")):
                break
            if suffix == "es" and not base.endswith(("ches", "shes", "sses", "xes", "zes")):
                base = base[:-1]
                break
            base = base[: len(base) - len(suffix)] + replacement
            break
    if base.endswith("e") and len(base) > 4:
        base = base[:-1]
    if len(base) > 4 and base[-1] == base[-2] and base[-1] not in "lsz":
        base = base[:-1]
    if base.endswith("y") and len(base) > 4:
        base = base[:-1] + "i"
    return base


@lru_cache(maxsize=1)
def _to_simplified() -> dict[int, int]:
    from supportcli.core.faq.hant import TO_SIMPLIFIED  # loaded only for text that is not ASCII

    return TO_SIMPLIFIED


def simplified(text: str) -> str:
    """`text` with traditional Chinese characters in their simplified form, one for one."""
    return text if text.isascii() else text.translate(_to_simplified())


def normalize(text: str) -> str:
    return simplified(unicodedata.normalize("NFKC", text).casefold())


def _cjk_terms(run: str) -> Iterator[str]:
    if len(run) == 1:
        yield run
        return
    for i in range(len(run) - 1):
        yield run[i: i + 2]


def terms(text: str) -> list[str]:
    """All index terms of `text`, in order (repeats kept: they count as term frequency)."""
    out: list[str] = []
    for match in PIECE.finditer(normalize(text)):
        piece = match.group()
        if "a" <= piece[0] <= "z" or "0" <= piece[0] <= "9":
            out.append(stem(piece))
        else:
            out.extend(_cjk_terms(piece))
    return out


def index_text(text: str) -> str:
    """`text` as space-separated terms, ready for the FTS5 `unicode61` tokenizer."""
    return " ".join(terms(text))


class QueryTerm(NamedTuple):
    term: str  # the index term searched for
    word: str  # what the user typed (before stemming), for typo repair and highlighting
    prefix: bool = False  # a lone Chinese character: match every pair that starts with it


def query_terms(text: str) -> list[QueryTerm]:
    """The distinct meaningful terms of a query, stop words removed.

    A query of stop words only ("how", "怎么办", "的") has no terms: it matches nothing, rather than
    every entry a little.
    """
    found: list[QueryTerm] = []
    seen: set[str] = set()
    for match in PIECE.finditer(normalize(text)):
        piece = match.group()
        if "a" <= piece[0] <= "z" or "0" <= piece[0] <= "9":
            if piece in STOP_EN:
                continue
            items = [QueryTerm(stem(piece), piece)]
        else:
            runs = [r for r in _stop_zh().split(piece) if r]
            items = [QueryTerm(p, p, prefix=len(r) == 1) for r in runs for p in _cjk_terms(r)]
        for item in items:
            if item.term not in seen:
                seen.add(item.term)
                found.append(item)
    return found


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | transposes | replaces | inserts) - {word}


def typo_candidates(word: str) -> set[str]:
    """Index terms a mistyped `word` may have meant (stems of its one-edit neighbours).

    A four-letter word is only tried with two letters swapped: every other edit of so short a
    word lands on some other word too often (`usdt` -> `usd`, `cant` -> `can`).
    """
    if len(word) < 4 or not word.isalpha():
        return set()
    if len(word) == 4:
        near = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(3)} - {word}
    else:
        near = edits1(word)
    return {stem(w) for w in near} - {stem(word)}
