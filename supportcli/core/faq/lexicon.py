"""General word lists: is this a real English word, a known Chinese word, and how common is it?

`words/en-common.txt` + `words/en.txt` (80,000 frequent English words) tell a real word ("close",
"create") from a typo ("pasword"), so typo repair leaves real words alone. `words/zh-common.txt`
+ `words/zh.txt` (100,000 frequent Chinese words of two to four characters) let a Chinese query
be cut into words. Each is split into everyday words (the -common file) and the rest: an unknown
everyday word in a query ("night", "进来") says less about what is asked than a rare one
("sourdough") or a name no list holds ("binance"). Both come from well-kept MIT-licensed
packages (pyspellchecker, jieba): scripts/faq_wordlists.py makes them.

Each file holds one line per group of words sharing their first letters (two for English, one
for Chinese). A lookup finds that one line with a byte search and keeps it: nothing is parsed
up front, so a search that never asks costs nothing and one that asks costs well under a millisecond.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_FOLDER = Path(__file__).with_name("words")


class WordList:
    def __init__(self, path: Path, key: int) -> None:
        self.path = path
        self.key = key  # how many leading characters group the words into one line
        self._data: bytes | None = None
        self._lines: dict[str, frozenset[str]] = {}

    def _line(self, head: str) -> frozenset[str]:
        found = self._lines.get(head)
        if found is None:
            if self._data is None:
                try:
                    self._data = b"\n" + self.path.read_bytes()
                except OSError:  # an incomplete install: every word is unknown, search still works
                    self._data = b"\n"
            needle = b"\n" + head.encode("utf-8")
            start = self._data.find(needle)
            if start < 0:
                found = frozenset()
            else:
                end = self._data.find(b"\n", start + 1)
                found = frozenset(self._data[start + 1: end if end >= 0 else None].decode("utf-8").split())
            self._lines[head] = found
        return found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and len(word) >= self.key and word in self._line(word[: self.key])


class Lexicon:
    """A language's general words in two tiers: everyday words, and the rest."""

    def __init__(self, name: str, key: int) -> None:
        self.common = WordList(_FOLDER / f"{name}-common.txt", key)
        self.rare = WordList(_FOLDER / f"{name}.txt", key)

    def __contains__(self, word: object) -> bool:
        return word in self.common or word in self.rare

    def tier(self, word: str) -> int:
        """0: an everyday word, 1: a rarer real word, 2: not a word of the list (a name, a typo)."""
        return 0 if word in self.common else 1 if word in self.rare else 2


@lru_cache(maxsize=1)
def english() -> Lexicon:
    return Lexicon("en", 2)


@lru_cache(maxsize=1)
def chinese() -> Lexicon:
    return Lexicon("zh", 1)
