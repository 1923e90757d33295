"""What a pinyin input method typed wrong: 工丹 for 工单, 手须费 for 手续费, 话转 for 划转.

A Chinese user types the sound and picks a character; a slip picks another character of the same
sound. In a query, characters that make no word (the segmenter leaves them single, tokens.py) and
sound, without tones, like one of the pack's own Chinese words (its lexicon: keywords, synonym
expressions) are read as that word. Only the pack's words are candidates, and only for characters
that are no word at all, so a real word is never rewritten (取笑 stays 取笑, though it sounds like 取消).

`words/pinyin.txt` gives each character's toneless pinyin (its first reading: pypinyin's
pinyin_dict.json, MIT licence; scripts/faq_wordlists.py makes it). The lexicon is indexed by sound
when the pack is (kept in the parsed pack, read by bucket); the characters' pinyin is read the first
time a query has characters that make no word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

_FILE = Path(__file__).with_name("words") / "pinyin.txt"
LONGEST = 4  # characters of a word looked for


@lru_cache(maxsize=1)
def _sounds() -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        text = _FILE.read_text(encoding="utf-8")
    except OSError:  # an incomplete install: nothing is repaired, search still works
        return out
    for line in text.splitlines():
        if line and not line.startswith("#"):
            sound, _, chars = line.partition(" ")
            for c in chars:
                out[c] = sound
    return out


def sound(word: str) -> str | None:
    """The toneless pinyin of `word`, syllables joined by spaces; None when a character has none."""
    sounds = _sounds()
    parts = [sounds.get(c) for c in word]
    return None if None in parts else " ".join(p for p in parts if p)


class Homophones:
    """The pack's Chinese words by their sound: `words` maps a toneless pinyin ("gong dan") to the word."""

    def __init__(self, words: Mapping[str, str]) -> None:
        self.words = words

    @staticmethod
    def index(lexicon: Iterable[str]) -> dict[str, str]:
        """The words of `lexicon` (two to LONGEST Chinese characters) by their sound; of two words of one
        sound, the first in order."""
        by_sound: dict[str, str] = {}
        for word in sorted(w for w in lexicon if 2 <= len(w) <= LONGEST and not w.isascii()):
            key = sound(word)
            if key is not None:
                by_sound.setdefault(key, word)
        return by_sound

    def repair(self, chars: str) -> list[str]:
        """`chars` (characters that make no word, in a row) as pieces: each stretch that sounds like a
        word of the pack is that word, the rest stays as it is, one piece per run."""
        out: list[str] = []
        rest = ""
        i = 0
        while i < len(chars):
            found = None
            for size in range(min(LONGEST, len(chars) - i), 1, -1):
                key = sound(chars[i: i + size])
                if key is not None:
                    found = self.words.get(key)
                    if found is not None:
                        break
            if found is None:
                rest += chars[i]
                i += 1
                continue
            if rest:
                out.append(rest)
                rest = ""
            out.append(found)
            i += len(found)
        if rest:
            out.append(rest)
        return out
