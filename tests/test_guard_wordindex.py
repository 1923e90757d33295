"""The derived BIP39 index: built once into the cache, checked against the wordlists, rebuilt when stale."""

from __future__ import annotations

from pathlib import Path

from supportcli.core.guard import wordindex


def test_the_index_matches_every_wordlist_of_the_mnemonic_package(tmp_path: Path) -> None:
    from mnemonic import Mnemonic

    index = wordindex.load(cache=tmp_path)
    assert index.languages == tuple(sorted(Mnemonic.list_languages()))
    for language in index.languages:
        for i, word in enumerate(Mnemonic(language).wordlist):
            assert index.lookup(wordindex.fold_word(word))[language] == i  # type: ignore[index]
    cajon = index.lookup("cajón")
    assert cajon is not None and cajon == index.lookup("cajon") and "spanish" in cajon
    assert index.lookup("notaword") is None


def test_built_once_then_read_from_the_cache(tmp_path: Path) -> None:
    first = wordindex.load(cache=tmp_path)
    cached = tmp_path / wordindex.CACHE_NAME
    assert cached.is_file() and cached.stat().st_mode & 0o077 == 0

    def no_build(files: dict[str, bytes]) -> wordindex.WordIndex:
        raise AssertionError("built again")

    import pytest

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(wordindex, "build", no_build)
        again = wordindex.load(cache=tmp_path)
    assert again.words == first.words and again.languages == first.languages


def test_a_corrupt_or_stale_cache_is_rebuilt(tmp_path: Path) -> None:
    good = wordindex.load(cache=tmp_path)
    cached = tmp_path / wordindex.CACHE_NAME
    data = cached.read_bytes()
    for damaged in (data[: len(data) // 2], data[:-10] + b"\x00" * 10, b"garbage",
                    data.replace(b"SUPPORTCLI-BIP39\n2:", b"SUPPORTCLI-BIP39\n1:", 1)):
        cached.write_bytes(damaged)
        assert wordindex.load(cache=tmp_path).words == good.words
        assert cached.read_bytes() == data  # rewritten whole


def test_a_changed_wordlist_gives_a_new_key(tmp_path: Path) -> None:
    source = wordindex.wordlist_dir()
    copy = tmp_path / "mnemonic" / "wordlist"
    copy.mkdir(parents=True)
    for path in source.glob("*.txt"):
        (copy / path.name).write_bytes(path.read_bytes())
    cache = tmp_path / "cache"
    wordindex.load(copy, cache)
    english = (copy / "english.txt").read_text(encoding="utf-8").replace("abandon\n", "abandun\n", 1)
    (copy / "english.txt").write_text(english, encoding="utf-8")
    index = wordindex.load(copy, cache)
    assert index.lookup("abandun") == {"english": 0} and "english" not in (index.lookup("abandon") or {})


def test_a_read_only_cache_still_gives_the_index(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert (wordindex.load(cache=blocked / "guard").lookup("abandon") or {})["english"] == 0


def test_the_sorted_words_are_the_index_keys_and_follow_it(tmp_path: Path) -> None:
    """A short text is told word from non-word with the sorted keys alone (cheaper to load)."""
    index = wordindex.load(cache=tmp_path)
    words = wordindex.load_words(cache=tmp_path)
    assert words == sorted(index.words)
    cached = tmp_path / wordindex.WORDS_NAME
    assert cached.is_file()
    assert cached.stat().st_mode & 0o077 == 0
    cached.write_bytes(cached.read_bytes()[:1000])  # damaged: derived again from the index
    assert wordindex.load_words(cache=tmp_path) == words
    assert wordindex.load_words(cache=tmp_path / "elsewhere") == words  # no cache yet


def test_a_short_and_a_long_text_find_the_same_phrase() -> None:
    """The sorted keys (few tokens) and the index (many) give the same flags."""
    from supportcli.core.guard import bip39

    phrase = "bid physical draft gold trouble enrich measure kingdom orient stadium cradle behave"
    filler = " ".join(["xyzzy", "plugh", "qwrt"] * (bip39.FEW_TOKENS // 3 + 1))
    bip39.wordlists.cache_clear()
    assert bip39.find_phrases("my withdrawal of 0.5 btc is pending since yesterday, can you check it please") == []
    assert bip39.wordlists.cache_info().currsize == 0  # told apart with the sorted keys alone
    short = bip39.find_phrases(phrase)
    long = bip39.find_phrases(f"{filler} {phrase}")
    assert [m.words for m in short] == [12]
    assert [m.words for m in long] == [12]
    assert long[0].end - long[0].start == short[0].end - short[0].start
