"""The FAQ's doors under attack (issue 10): huge bodies and words, hostile front matter and JSON,
damaged or unwritable indexes, concurrent first imports. Each ends in a result or a typed error,
in bounded time and memory, and the shipped pack stays searchable."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supportcli.core.errors import StorageError
from supportcli.core.faq.importer import MAX_DEPTH, MalformedFile, parse_json, parse_markdown
from supportcli.core.faq.search import Faq
from supportcli.core.faq.tokens import typo_candidates
from supportcli.core.pack import load_pack
from tests.conftest import Runner


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_950_kb_body_is_imported_and_searched_quickly(cli: Runner, tmp_path: Path) -> None:
    body = ("Lorem ipsum dolor sit amet, withdrawal consectetur adipiscing elit. " * 14000)[:950_000]
    _write(tmp_path / "big" / "big.md", f"+++\ntitle = \"A very long article\"\nlocale = \"en\"\n+++\n{body}\n")
    assert cli("faq", "import", str(tmp_path / "big")).exit_code == 0
    started = time.monotonic()
    r = cli("faq", "search", "lorem", "withdrawal", "--json")
    assert time.monotonic() - started < 10  # it took 74 s when snippets were built quadratically
    assert r.exit_code in (0, 1) and "big" in r.stdout


def test_a_body_over_the_limit_is_skipped_with_its_size(cli: Runner, tmp_path: Path) -> None:
    _write(tmp_path / "huge" / "huge.md", "+++\ntitle = \"Huge\"\n+++\n" + "word " * 250_001)
    r = cli("faq", "import", str(tmp_path / "huge"))
    assert r.exit_code == 1 and "huge.md: skipped" in r.stderr and "1000000" in r.stderr


def test_a_10000_letter_word_is_searched_in_bounded_memory(cli: Runner) -> None:
    word = "a" * 10_000
    assert typo_candidates(word) == set()
    tracemalloc.start()
    for argv in (("faq", "search", word), ("faq", "show", word), ("faq", "search", "pasword", word)):
        r = cli(*argv)
        assert r.exit_code in (0, 1, 2) and "Traceback" not in r.output
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 200 * 2**20  # 9.9 GB before typo candidates were bounded


BILLION_LAUGHS = """---
title: Laughs
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
tags: *i
---
body
"""


@pytest.mark.parametrize(("text", "reason"), [
    (BILLION_LAUGHS, "anchors and aliases"),
    ("---\ntitle: Deep\ntags: " + "[" * 5000 + "]" * 5000 + "\n---\nbody\n", "nested more than|invalid YAML"),
    ("+++\ntitle = \"Deep\"\ntags = " + "[" * 5000 + "]" * 5000 + "\n+++\nbody\n", "nested more than"),
])
def test_hostile_front_matter_is_a_typed_error_per_file(text: str, reason: str) -> None:
    started = time.monotonic()
    with pytest.raises(MalformedFile, match=reason):
        parse_markdown(text, "x", "x.md")
    assert time.monotonic() - started < 2


def test_deeply_nested_json_is_a_typed_error(cli: Runner, tmp_path: Path) -> None:
    _write(tmp_path / "deep" / "deep.json", "[" * 5000 + "]" * 5000)
    _write(tmp_path / "deep" / "ok.json", json.dumps([{"id": "ok1", "title": "Fine", "body": "a kiwiword body"}]))
    r = cli("faq", "import", str(tmp_path / "deep"))
    assert r.exit_code == 1 and f"nested more than {MAX_DEPTH}" in r.stderr and "Traceback" not in r.output
    assert json.loads(cli("faq", "search", "kiwiword", "--json").stdout)[0]["id"] == "ok1"


def test_after_a_first_import_that_failed_the_shipped_pack_is_still_searched(
    pack_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from supportcli.core.faq import store as store_module

    faq = Faq(load_pack(pack_root), tmp_path / "index")
    faq.open_store()  # created, but the pack's entries never went in (the disk filled up)
    faq.close()

    def disk_full(self: object, *args: object) -> None:
        raise StorageError("errors.storage", path="x", reason="No space left on device")

    monkeypatch.setattr(store_module.FaqStore, "sync_pack", disk_full)
    faq = Faq(load_pack(pack_root), tmp_path / "index")
    outcome = faq.search("withdraw", "en")
    assert outcome.results and outcome.results[0].entry.id == "withdraw"
    assert faq.notices and faq.notices[0].key == "faq.index_unusable"


def test_an_index_in_an_unreadable_or_read_only_folder_never_stops_a_search(
    pack_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from supportcli.core.faq import store as store_module

    faq = Faq(load_pack(pack_root), tmp_path / "index")
    faq.open_store().sync_pack(faq.entries, faq.signature)
    faq.close()

    def read_only(path: Path) -> Path:
        raise StorageError("errors.storage_dir", path=str(path), reason="Read-only file system")

    monkeypatch.setattr(store_module, "ensure_private_dir", read_only)
    faq = Faq(load_pack(pack_root), tmp_path / "index")  # an existing index is read without touching its folder
    assert faq.search("withdraw", "en").results[0].entry.id == "withdraw" and faq.store is not None
    faq.close()

    real_is_file = Path.is_file

    def denied(self: Path) -> bool:
        if self.suffix == ".sqlite3":
            raise PermissionError(13, "Permission denied")
        return real_is_file(self)

    monkeypatch.setattr(Path, "is_file", denied)
    faq = Faq(load_pack(pack_root), tmp_path / "index")
    assert faq.search("withdraw", "en").results[0].entry.id == "withdraw"
    assert faq.notices[0].key == "faq.index_unusable"


def test_four_concurrent_first_imports_all_succeed(tmp_path: Path) -> None:
    export = tmp_path / "export"
    for n in range(40):
        _write(export / f"a{n}.md", f"+++\ntitle = \"Article {n}\"\nlocale = \"en\"\n+++\nbody number {n} plumword\n")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    procs = [subprocess.Popen([sys.executable, "-m", "supportcli", "faq", "import", str(export), "--json"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "UNIQUE constraint" not in err and "Traceback" not in err
    r = subprocess.run([sys.executable, "-m", "supportcli", "faq", "search", "plumword", "--json"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert len(json.loads(r.stdout)) >= 1


# ------------------------------------------------------------------ fuzzing the parsers

_front = st.one_of(
    st.text(max_size=300),
    st.builds(lambda head, body: f"---\n{head}\n---\n{body}", st.text(max_size=200), st.text(max_size=50)),
    st.builds(lambda head, body: f"+++\n{head}\n+++\n{body}", st.text(max_size=200), st.text(max_size=50)),
    st.builds(lambda n, c: f"---\ntitle: t\ntags: {c * n}\n---\nbody", st.integers(0, 3000),
              st.sampled_from("[{&*!|>")),
)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(_front)
def test_front_matter_parsing_gives_an_article_or_a_typed_error(text: str) -> None:
    with contextlib.suppress(MalformedFile):  # anything else (a RecursionError, a hang) fails the test
        parse_markdown(text, "fuzz", "fuzz.md")


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(
        ["id", "title", "body", "locale", "tags", "label_names", "url", "articles", "x"]), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_json_values.map(json.dumps), st.text(max_size=200),
                 st.integers(0, 6000).map(lambda n: "[" * n + "]" * n)))
def test_json_import_parsing_gives_articles_skips_or_a_typed_error(text: str) -> None:
    with contextlib.suppress(MalformedFile):
        list(parse_json(text, "fuzz.json"))
