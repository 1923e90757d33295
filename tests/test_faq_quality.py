"""Answer quality on the labelled query set (tests/data/faq_queries.toml), in both search engines."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from supportcli.core.faq.search import Faq
from supportcli.core.pack import load_pack

QUERIES = Path(__file__).parent / "data" / "faq_queries.toml"


def _queries() -> list[dict[str, Any]]:
    with QUERIES.open("rb") as fh:
        return list(tomllib.load(fh)["query"])


def _measure(faq: Faq) -> tuple[float, float, list[str]]:
    queries = _queries()
    hits, reciprocal, misses = 0, 0.0, []
    for q in queries:
        ranked = [r.entry.id for r in faq.search(q["q"], q.get("ui", "en"), 10).results]
        rank = next((i for i, entry_id in enumerate(ranked, start=1) if entry_id in q["ids"]), None)
        hits += rank == 1
        reciprocal += 1 / rank if rank else 0.0
        if rank != 1:
            misses.append(f"{q['q']!r}: wanted {q['ids']}, got {ranked[:3]}")
    return hits / len(queries), reciprocal / len(queries), misses


def test_the_query_set_is_big_and_varied(pack_root: Path) -> None:
    queries = _queries()
    assert len(queries) >= 60
    kinds = Counter(q["kind"] for q in queries)
    assert {"zh", "en", "typo", "mixed", "cross"} <= set(kinds)
    assert all(kinds[k] >= 4 for k in ("typo", "mixed", "cross"))
    known = {p.stem for p in (pack_root / "faq").glob("*.toml")}
    for q in queries:
        assert set(q["ids"]) <= known, q
        assert q.get("ui", "en") in ("zh", "en")


@pytest.mark.parametrize("engine", ["memory", "sqlite"])
def test_precision_at_1_and_mrr(engine: str, pack_root: Path, tmp_path: Path) -> None:
    faq = Faq(load_pack(pack_root), tmp_path)
    if engine == "sqlite":
        store = faq.open_store()
        store.sync_pack(faq.entries, faq.signature)
    precision, mrr, misses = _measure(faq)
    faq.close()
    assert precision >= 0.90, misses
    assert mrr >= 0.93, misses


def test_both_engines_rank_the_shipped_pack_identically(pack_root: Path, tmp_path: Path) -> None:
    memory = Faq(load_pack(pack_root), tmp_path / "a")
    sqlite = Faq(load_pack(pack_root), tmp_path / "b")
    sqlite.open_store().sync_pack(sqlite.entries, sqlite.signature)
    for q in _queries():
        a = [(r.entry.id, round(r.score, 3)) for r in memory.search(q["q"], "en", 10).results]
        b = [(r.entry.id, round(r.score, 3)) for r in sqlite.search(q["q"], "en", 10).results]
        assert a == b, q["q"]
    sqlite.close()
