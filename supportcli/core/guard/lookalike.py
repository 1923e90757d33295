"""Does a name look like a brand? Skeletons of confusable characters and edit distance.

The skeleton folds what a reader cannot tell apart into one form: full-width letters, case,
accents, Cyrillic/Greek/Armenian letters that look Latin, dotless ı, the digits people use for
letters (`b1tf1nex`), `rn` for `m` and `vv` for `w`. `i`, `l`, `1` and `|` all become `l`.
The table covers the confusables that matter for Latin brand names; it is not the full Unicode
confusables list.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

_CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "l",
    "ї": "l", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ь": "b", "п": "n",
    "к": "k", "м": "m", "т": "t", "н": "h", "г": "r", "ɡ": "g", "ү": "y", "ѵ": "v",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "l", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w", "γ": "y",
    # Armenian
    "օ": "o", "ս": "u", "հ": "h", "ո": "n", "ց": "g", "զ": "q",
    # Latin look-alikes and digits
    "ı": "l", "ɪ": "l", "ɩ": "l", "ǀ": "l", "ɑ": "a", "ƅ": "b", "ɛ": "e", "ſ": "f", "ɴ": "n", "ʀ": "r",
    "ᴇ": "e", "ꜰ": "f", "ʙ": "b", "ɢ": "g", "ᴋ": "k", "ᴍ": "m", "ᴏ": "o", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v",
    "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ł": "l", "ø": "o", "đ": "d", "ħ": "h",
    "i": "l", "1": "l", "|": "l", "!": "l", "0": "o", "3": "e", "4": "a", "5": "s", "8": "b", "$": "s",
    "@": "a",
}
_SEQUENCES = (("rn", "m"), ("vv", "w"))


def skeleton(text: str) -> str:
    """The form of `text` a reader sees: equal skeletons mean the two are easy to mistake."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    mapped = "".join(_CONFUSABLES.get(ch, ch) for ch in stripped)
    for seq, repl in _SEQUENCES:
        mapped = mapped.replace(seq, repl)
    return mapped


def scripts(text: str) -> set[str]:
    """The scripts the letters of `text` belong to (LATIN, CYRILLIC, GREEK, …)."""
    found = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            found.add(name.split(" ")[0] if name else "UNKNOWN")
    return found


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Damerau–Levenshtein distance (adjacent swaps count once), capped at `limit`."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return min(previous[-1], limit)


class Likeness(StrEnum):
    SAME = "same"  # exactly the brand
    HOMOGLYPH = "homoglyph"  # looks the same, written with other characters
    TYPO = "typo"  # one or two characters off
    BRAND_PLUS_WORDS = "brand_plus_words"  # the brand (or a look-alike) with words added


def resemblance(name: str, brand: str) -> Likeness | None:
    """How `name` (one label or handle) resembles `brand`, or None when it does not."""
    plain = unicodedata.normalize("NFKC", name).casefold()
    if plain == brand:
        return Likeness.SAME
    skel, brand_skel = skeleton(name), skeleton(brand)
    if skel == brand_skel:
        return Likeness.TYPO if plain.isascii() else Likeness.HOMOGLYPH
    if brand_skel in skel:
        return Likeness.BRAND_PLUS_WORDS
    distance = edit_distance(skel, brand_skel)
    # One edit, or (for longer names) two added/dropped letters (`bitfilinex`); two changed letters
    # in a name of the same length is usually another brand (`bitflyer`).
    if distance <= 1 or (distance == 2 and len(brand_skel) >= 7 and abs(len(skel) - len(brand_skel)) == 2):
        return Likeness.TYPO
    # A look-alike of the brand inside a longer name: `bitflnex-help`, `supportbitfinnex`.
    width = len(brand_skel)
    for size in (width - 1, width, width + 1):
        for start in range(0, len(skel) - size + 1):
            if edit_distance(skel[start:start + size], brand_skel, 2) <= 1:
                return Likeness.BRAND_PLUS_WORDS
    return None

