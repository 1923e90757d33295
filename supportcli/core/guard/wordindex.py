"""The BIP39 word index, derived once from the `mnemonic` package's wordlists and kept in the cache.

Deriving it (12 wordlists, 24,576 words, each folded and indexed) took 35 ms on every start. Now the
first use builds it and writes it to `<user cache dir>/supportcli/guard/bip39-index.bin`; later runs
read that file (about 2 ms). The file is keyed by the index format, the `mnemonic` version, the Unicode
version and a CRC-32 of the wordlist files, and carries a CRC-32 of its own body: a file from another
version, a changed wordlist or a damaged file is rebuilt, never trusted. A cache that cannot be
written (read-only folder) only costs the rebuild on the next run.

Telling a token from a word needs less: `sorted_words()` loads the index's keys alone, sorted, from
`bip39-words.bin` (a quarter of the time), for texts of a few thousand tokens.

Keys are words as they can appear in normalised text (`normalize.normalize`, then `lower()`): the
wordlist's own form in NFKC (`cajón`, `캠퍼스`, `ぎじゅつ`) and the form with accents and marks dropped
(`cajon`, `きしゆつ`). A value packs each (language, index) as `language number * 2048 + index`: an int
when the word is in one wordlist, a tuple of ints when it is in several.
"""

from __future__ import annotations

import functools
import os
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

from supportcli.core.cache_files import read_blob, write_blob

FORMAT = 2
RADIX = 2048
_MAGIC = b"SUPPORTCLI-BIP39\n"
CACHE_NAME = "bip39-index.bin"
WORDS_NAME = "bip39-words.bin"

Packed = int | tuple[int, ...]


def fold_word(word: str) -> str:
    """Case folded and accents dropped, the way a user might type a word from a written-down phrase."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@dataclass(frozen=True)
class WordIndex:
    words: dict[str, Packed]
    languages: tuple[str, ...]

    def lookup(self, word: str) -> dict[str, int] | None:
        """{language: index} of a word as found in normalised, lower-cased text."""
        packed = self.words.get(word)
        if packed is None:
            folded = fold_word(word)
            packed = self.words.get(folded) if folded != word else None
            if packed is None:
                return None
        codes = (packed,) if isinstance(packed, int) else packed
        return {self.languages[code // RADIX]: code % RADIX for code in codes}


def wordlist_dir() -> Path:
    """The `mnemonic` package's wordlist folder, found without importing the package."""
    import importlib.util

    spec = importlib.util.find_spec("mnemonic")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("mnemonic")
    return Path(next(iter(spec.submodule_search_locations))) / "wordlist"


def _mnemonic_version(folder: Path) -> str:
    site = folder.parent.parent
    try:
        names = os.listdir(site)
    except OSError:
        return "unknown"
    for name in names:
        if name.startswith("mnemonic-") and name.endswith(".dist-info"):
            return name[len("mnemonic-"):-len(".dist-info")]
    return "unknown"


def _read_wordlists(folder: Path) -> tuple[dict[str, bytes], str]:
    """The raw wordlist files by language, and the cache key they give."""
    files = {p.stem: p.read_bytes() for p in sorted(folder.glob("*.txt"))}
    crc = 0
    for language, data in files.items():
        crc = zlib.crc32(language.encode() + b"\0" + data, crc)
    key = f"{FORMAT}:{_mnemonic_version(folder)}:{unicodedata.unidata_version}:{crc:08x}"
    return files, key


def build(files: dict[str, bytes]) -> WordIndex:
    """The index of the given wordlist files (language -> file content)."""
    languages = tuple(sorted(files))
    collected: dict[str, list[int]] = {}
    for number, language in enumerate(languages):
        words = [w.strip() for w in files[language].decode("utf-8").splitlines() if w.strip()]
        if len(words) != RADIX:
            raise ValueError(f"{language}: {len(words)} words")
        for i, word in enumerate(words):
            code = number * RADIX + i
            for form in {unicodedata.normalize("NFKC", word).lower(), fold_word(word)}:
                codes = collected.setdefault(form, [])
                if code not in codes:
                    codes.append(code)
    return WordIndex({w: c[0] if len(c) == 1 else tuple(c) for w, c in collected.items()}, languages)


def cache_dir() -> Path:
    from supportcli.core.paths import cache_root

    return cache_root() / "guard"


def _load_cached(path: Path, key: str) -> WordIndex | None:
    value = read_blob(path, _MAGIC + key.encode())
    if (not isinstance(value, tuple) or len(value) != 2 or not isinstance(value[0], tuple)
            or not isinstance(value[1], dict) or not all(isinstance(x, str) for x in value[0])):
        return None
    return WordIndex(value[1], value[0])


def _store(path: Path, key: str, index: WordIndex) -> None:
    write_blob(path, _MAGIC + key.encode(), (index.languages, index.words))


def _wordlists(folder: Path | None) -> tuple[dict[str, bytes], str]:
    return _installed() if folder is None else _read_wordlists(folder)


@functools.cache
def _installed() -> tuple[dict[str, bytes], str]:
    return _read_wordlists(wordlist_dir())


def load(folder: Path | None = None, cache: Path | None = None) -> WordIndex:
    """The index: from the cache when it matches the installed wordlists, else built (and cached)."""
    files, key = _wordlists(folder)
    path = (cache or cache_dir()) / CACHE_NAME
    cached = _load_cached(path, key)
    if cached is not None:
        return cached
    index = build(files)
    _store(path, key, index)
    return index


@functools.cache
def index() -> WordIndex:
    """The process-wide index, loaded on first use."""
    return load()


def load_words(folder: Path | None = None, cache: Path | None = None) -> list[str]:
    """Every key of the index, sorted: enough to tell whether a token is a word (bisect), and a
    quarter of the index's loading time (a text of a few thousand tokens needs no more)."""
    _, key = _wordlists(folder)
    path = (cache or cache_dir()) / WORDS_NAME
    value = read_blob(path, _MAGIC + key.encode())
    if isinstance(value, str):
        return value.split("\n")
    words = sorted(load(folder, cache).words)
    write_blob(path, _MAGIC + key.encode(), "\n".join(words))
    return words


@functools.cache
def sorted_words() -> list[str]:
    """The process-wide sorted keys, loaded on first use."""
    return load_words()
