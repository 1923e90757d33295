"""`faq search` and `faq list` served from the parsed-pack cache never read or validate the pack, nor load
what only that needs (issue 13's speed budget); a pack broken after it was cached is still reported exactly
as before, and the cache is never trusted over the files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Runner

CODE = (
    "import sys\n"
    "from supportcli.cli import main\n"
    "rc = main(sys.argv[1:])\n"
    "print('LOADED=' + ','.join(sorted(sys.modules)), file=sys.stderr)\n"
)
# What reading and validating a pack takes, and what only other settings need (the zone).
PACK_READING = ("supportcli.core.pack", "supportcli.core.sources", "supportcli.core.assets", "supportcli.core.checks",
                "supportcli.core.tomlfile", "supportcli.core.net", "supportcli.core.net.policy", "zoneinfo", "tomllib")


def _loaded(args: list[str], home: Path) -> set[str]:
    """The modules a second run loads (the first one builds the parsed-pack cache)."""
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "cfg"),
           "XDG_CACHE_HOME": str(home / "cache"), "LANG": "en_US.UTF-8"}
    env.pop("SUPPORTCLI_CONFIG", None)
    for _ in range(2):
        r = subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, text=True, timeout=60, env=env,
                           cwd=home)
    line = next(x for x in r.stderr.splitlines() if x.startswith("LOADED="))
    return set(line.removeprefix("LOADED=").split(","))


@pytest.mark.parametrize("args", [
    ["faq", "search", "提现", "--json"], ["faq", "search", "withdrawal", "pending"], ["faq", "list", "--json"],
])
def test_a_cached_search_or_listing_reads_no_pack(args: list[str], tmp_path: Path) -> None:
    assert _loaded(args, tmp_path) & set(PACK_READING) == set()


def test_faq_show_still_reads_the_packs_sources(tmp_path: Path) -> None:
    assert "supportcli.core.sources" in _loaded(["faq", "show", "withdraw", "--json"], tmp_path)


@pytest.fixture
def copy(tmp_path: Path, pack_root: Path) -> Path:
    folder = tmp_path / "bitfinex"
    shutil.copytree(pack_root, folder)
    return folder


def _broken_twice(cli: Runner, copy: Path, index: Path, *args: str) -> tuple[int, str]:
    """The same command on the broken pack with its (stale) cache, then with none: both must say the same."""
    cached = cli("--pack", str(copy), *args)
    shutil.rmtree(index, ignore_errors=True)
    fresh = cli("--pack", str(copy), *args)
    assert (cached.exit_code, cached.stderr, cached.stdout) == (fresh.exit_code, fresh.stderr, fresh.stdout)
    return cached.exit_code, cached.stderr


def test_a_manifest_broken_after_it_was_cached_is_reported_with_file_line_and_key(
    cli: Runner, copy: Path, isolated_home: Path
) -> None:
    assert cli("--pack", str(copy), "faq", "search", "deposit", "--json").exit_code == 0
    manifest = copy / "pack.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('version = "1.0.0"', 'version = "one"'), encoding="utf-8")
    line = next(n for n, x in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1) if "version =" in x)
    index = isolated_home / ".local" / "share" / "supportcli" / "index"
    code, said = _broken_twice(cli, copy, index, "faq", "search", "deposit", "--json")
    assert code == 1
    assert f"bitfinex/pack.toml:{line}: version: a version such as 1.0.0" in said


def test_a_faq_file_broken_after_it_was_cached_is_reported_with_file_line_and_key(
    cli: Runner, copy: Path, isolated_home: Path
) -> None:
    assert cli("--pack", str(copy), "faq", "list", "--json").exit_code == 0
    entry = copy / "faq" / "deposit.toml"
    entry.write_text(entry.read_text(encoding="utf-8").replace('category = "funding"', 'category = "money"'),
                     encoding="utf-8")
    index = isolated_home / ".local" / "share" / "supportcli" / "index"
    code, said = _broken_twice(cli, copy, index, "faq", "list", "--json")
    assert code == 1
    assert "bitfinex/faq/deposit.toml:2: category: one of" in said


def test_a_pack_folder_named_otherwise_than_its_id_searches_from_its_cache(
    cli: Runner, pack_root: Path, tmp_path: Path, isolated_home: Path
) -> None:
    folder = tmp_path / "my-copy"
    shutil.copytree(pack_root, folder)
    first = cli("--pack", str(folder), "faq", "search", "deposit", "--json")
    index = isolated_home / ".local" / "share" / "supportcli" / "index"
    (cache,) = index.glob("pack-bitfinex-*.json")  # named after the pack's id, as always
    written = cache.stat().st_mtime_ns
    again = cli("--pack", str(folder), "faq", "search", "deposit", "--json")
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    assert cache.stat().st_mtime_ns == written  # read, not rebuilt
    assert json.loads(cli("--pack", str(folder), "faq", "list", "--json").stdout)["pack"] == "bitfinex"


def test_a_content_path_still_overrides_the_shipped_pack_of_that_name(cli: Runner, copy: Path) -> None:
    assert cli("faq", "search", "deposit", "--json").exit_code == 0  # the shipped pack, cached
    entry = copy / "faq" / "deposit.toml"
    text = entry.read_text(encoding="utf-8")
    title = next(x for x in text.splitlines() if x.startswith("en = ") and "eposit" in x)
    entry.write_text(text.replace(title, 'en = "Deposits of the overriding copy"', 1), encoding="utf-8")
    assert cli("config", "set", "content_paths", str(copy.parent)).exit_code == 0
    for _ in range(2):  # built, then from its own cache
        r = cli("faq", "search", "deposits", "overriding", "copy", "--json")
        assert json.loads(r.stdout)[0]["title"] == "Deposits of the overriding copy", r.output


def test_the_cache_follows_the_code_that_reads_a_pack(pack_root: Path) -> None:
    """A cached search skips reading the pack: a new version of that code must rebuild the cache."""
    from supportcli.core.faq.search import _code_signature

    names = {part.split(":")[0] for part in _code_signature()}
    assert {"pack.py", "assets.py", "sources.py", "checks.py", "tomlfile.py", "policy.py", "tokens.py"} <= names


def test_a_count_is_told_as_before_and_its_pattern_compiled_only_for_a_word_that_can_be_one() -> None:
    """tokens.is_context compiles the count pattern (a CJK class costs most of a ms) only for a word ending
    like a count: what it says of every word is what the pattern says."""
    import itertools

    from supportcli.core.faq import tokens

    tokens._count_zh.cache_clear()
    assert not tokens.is_context("提现") and not tokens.is_context("账户")
    assert tokens._count_zh.cache_info().currsize == 0
    chars = "三两几半每好个天日小时钟头分秒周星期礼拜月年次笔块刀万千百封张份条提现币"
    for size in (1, 2, 3):
        for letters in itertools.product(chars, repeat=size):
            word = "".join(letters)
            expected = word in tokens._TIME_ZH or bool(tokens._count_zh().match(word))
            assert tokens.is_context(word) is expected, word
    assert tokens.is_context("三天") and tokens.is_context("一个月") and tokens.is_context("几笔")
