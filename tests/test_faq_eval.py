"""Search quality on the labelled query files (tests/data/faq_eval_*.toml), per language.

Targets (issue 13): P@1 >= 0.93 and MRR >= 0.95, >= 95% of answerable queries answered confidently and
>= 90% of out-of-scope queries declined. They are asserted on the calibration parts (evaluation.CALIBRATION_SETS:
TUNE and DEV, on which the ranking was developed, and CHECK to CHECK8, each held out until one pass had been
measured on it, then read to learn which classes of problem remained) and on the final HELD-OUT parts
(evaluation.FINAL_SETS), which nobody working on the search has read: per language where a language has at
least MIN_PER_LANGUAGE answerable (or out-of-scope) queries, and overall (which is how the small mixed group
counts). The calibration parts' questions are the pack's asked questions (content/bitfinex/asked.toml): each
part is measured without its own (evaluation.run's hold_out), so every figure is of questions the search has
not seen. A target a part misses is a strict xfail that names its figure. Both engines agree on every query,
and the threshold in use is the one calibration.calibrate gives on the calibration parts (not picked by hand).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from supportcli.core.faq.calibration import Point, calibrate
from supportcli.core.faq.confidence import THRESHOLD
from supportcli.core.faq.evaluation import (
    CALIBRATION_SETS,
    FINAL_SETS,
    Figures,
    Outcome,
    by_language,
    calibration_points,
    load_queries,
    run,
    set_file,
    set_name,
)
from supportcli.core.faq.search import Faq
from supportcli.core.pack import load_pack

DATA = Path(__file__).parent / "data"
TUNE = set_file(DATA, "tune")
DEV = set_file(DATA, "dev")
FILES = [p for p in (set_file(DATA, name) for name in (*CALIBRATION_SETS, *FINAL_SETS)) if p.is_file()]
CALIBRATION = [set_file(DATA, name) for name in CALIBRATION_SETS]  # what calibration.calibrate is run on
FINAL = [set_file(DATA, name) for name in FINAL_SETS]
TARGETED = FILES
LANGS = ("zh", "en", "mixed")
MIN_PER_LANGUAGE = 10
_cache: dict[tuple[Path, str], list[Outcome]] = {}


def _outcomes(path: Path, engine: str, pack_root: Path, tmp: Path) -> list[Outcome]:
    if (path, engine) not in _cache:
        faq = Faq(load_pack(pack_root), tmp)
        if engine == "sqlite":
            faq.open_store().sync_pack(faq.entries, faq.signature)
        _cache[(path, engine)] = run(faq, load_queries(path), hold_out=set_name(path))
        faq.close()
    return _cache[(path, engine)]


def _table(path: Path, pack_root: Path, tmp_path: Path) -> dict[str, Figures]:
    return by_language(_outcomes(path, "memory", pack_root, tmp_path))


def test_the_tune_set_is_labelled_with_known_entries(pack_root: Path) -> None:
    known = {p.stem for p in (pack_root / "faq").glob("*.toml")}
    queries = load_queries(TUNE)
    assert sum(q.answerable for q in queries) >= 100 and sum(not q.answerable for q in queries) >= 20
    assert {q.lang for q in queries} == set(LANGS)
    for q in queries:
        assert set(q.ids) <= known, q


def test_the_dev_set_is_our_own_held_out_check(pack_root: Path) -> None:
    known = {p.stem for p in (pack_root / "faq").glob("*.toml")}
    dev = load_queries(DEV)
    assert sum(q.answerable for q in dev) == 20 and sum(not q.answerable for q in dev) == 10
    assert {q.lang for q in dev} == set(LANGS)
    assert all(set(q.ids) <= known for q in dev)
    tune = {q.text for q in load_queries(TUNE)}
    assert not tune & {q.text for q in dev}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_both_engines_give_the_same_answers(path: Path, pack_root: Path, tmp_path: Path) -> None:
    memory = _outcomes(path, "memory", pack_root, tmp_path / "m")
    sqlite = _outcomes(path, "sqlite", pack_root, tmp_path / "s")
    for a, b in zip(memory, sqlite, strict=True):
        assert (a.ranked, a.confident, a.signal) == (b.ranked, b.confident, b.signal), a.query.text


def test_the_threshold_in_use_is_the_one_calibrated_on_every_part_but_the_held_out_one(pack_root: Path,
                                                                                         tmp_path: Path) -> None:
    assert not set(FINAL) & set(CALIBRATION) and len(CALIBRATION) == 10 and all(p.is_file() for p in FINAL)
    points = [p for path in CALIBRATION for p in calibration_points(_outcomes(path, "memory", pack_root, tmp_path))]
    assert calibrate(points) == THRESHOLD


def _groups(path: Path, answerable: bool) -> list[str]:
    """The language groups a file's figures are asserted on: each language with enough queries, and all."""
    queries = [q for q in load_queries(path) if q.answerable == answerable]
    return [lang for lang in ("zh", "en") if sum(q.lang == lang for q in queries) >= MIN_PER_LANGUAGE] + ["all"]


# What the final pass could not reach, as measured (bench/faq_quality.py); strict: the day it is
# reached the test says so, and the mark goes.
KNOWN_GAPS = {
    # The final held-out parts v9 (237 + 44) and v10 (283 + 46), written blind and never read, measured once the
    # asked questions (asked.py) were in place.
    ("faq_eval_heldout2", "zh", "p_at_1"): "held-out v10, Chinese: P@1 0.908 (129 of 142); target 0.93",
    ("faq_eval_heldout2", "zh", "mrr"): "held-out v10, Chinese: MRR 0.928; target 0.95",
    ("faq_eval_heldout2", "all", "mrr"): "held-out v10, all: MRR 0.9496 (just under); target 0.95",
    # The calibration parts, each measured without its own asked questions (evaluation.run's hold_out).
    ("faq_eval_check2", "en", "declined"): "check2, English: 0.867 declined (13 of 15); target 0.90",
    ("faq_eval_check6", "en", "confident"): "check6, English: 0.927 confident (102 of 110); target 0.95",
    ("faq_eval_check6", "all", "confident"): "check6, all: 0.944 confident (236 of 250); target 0.95",
    ("faq_eval_check7", "zh", "p_at_1"): "check7, Chinese: P@1 0.919 (102 of 111); target 0.93",
    ("faq_eval_check7", "zh", "mrr"): "check7, Chinese: MRR 0.940; target 0.95",
    ("faq_eval_check7", "en", "confident"): "check7, English: 0.938 confident (106 of 113); target 0.95",
    ("faq_eval_check7", "en", "declined"): "check7, English: 0.867 declined (26 of 30); target 0.90",
}


def _cases(answerable: bool, measure: str) -> list[Any]:
    out = []
    for path in TARGETED:
        for group in _groups(path, answerable):
            gap = KNOWN_GAPS.get((path.stem, group, measure))
            marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
            out.append(pytest.param(path, group, marks=marks, id=f"{path.stem}-{group}"))
    return out


@pytest.mark.parametrize(("path", "group"), _cases(True, "p_at_1"))
def test_precision_at_1(path: Path, group: str, pack_root: Path, tmp_path: Path) -> None:
    figures = _table(path, pack_root, tmp_path)[group]
    assert figures.p_at_1 >= 0.93, figures.misses


@pytest.mark.parametrize(("path", "group"), _cases(True, "mrr"))
def test_mean_reciprocal_rank(path: Path, group: str, pack_root: Path, tmp_path: Path) -> None:
    figures = _table(path, pack_root, tmp_path)[group]
    assert figures.mrr >= 0.95, figures.misses


@pytest.mark.parametrize(("path", "group"), _cases(True, "confident"))
def test_answerable_queries_are_answered_confidently(path: Path, group: str, pack_root: Path, tmp_path: Path) -> None:
    figures = _table(path, pack_root, tmp_path)[group]
    assert figures.confident >= 0.95, figures.misses


@pytest.mark.parametrize(("path", "group"), _cases(False, "declined"))
def test_out_of_scope_queries_are_declined(path: Path, group: str, pack_root: Path, tmp_path: Path) -> None:
    figures = _table(path, pack_root, tmp_path)[group]
    assert figures.out_of_scope and figures.declined >= 0.90, figures.misses


def test_the_threshold_meets_both_targets_with_the_most_room() -> None:
    # 20 answerable, 10 out of scope. A cut at 0.75 has the best balanced accuracy (0.925), yet leaves
    # 15% of the answerable queries unanswered: three times what the 95% target allows. A cut at 0.4
    # leaves 5% (the whole allowance) and answers 20% of the out-of-scope ones (twice the 10% allowed):
    # the worst of the two is the smallest there.
    points = [Point(v, good) for v, good in [(0.9, True)] * 17 + [(0.3, True), (0.45, True), (0.45, True)]
              + [(0.1, False)] * 7 + [(0.35, False), (0.6, False), (0.6, False)]]
    assert calibrate(points) == 0.4
    assert calibrate(points, keep=0.5) == 0.75  # when missing answers matters less, the cut goes up


def test_the_threshold_meets_the_targets_in_every_language() -> None:
    # Pooled, 80 easy English out-of-scope queries hide that 2 of the 10 Chinese ones (20%: twice what is
    # allowed) are answered under 0.5, and the cut goes to 0.2. Per language, the cut moves up to 0.7,
    # where the worse language is best off (one English answer of 20 missed: 5%, the whole allowance).
    zh = ([Point(0.9, True, "zh")] * 20 + [Point(0.1, False, "zh")] * 8 + [Point(0.5, False, "zh")] * 2)
    en = ([Point(0.9, True, "en")] * 19 + [Point(0.3, True, "en")] + [Point(0.1, False, "en")] * 80)
    assert calibrate(zh + en) == 0.7
    assert calibrate([Point(p.value, p.answerable) for p in zh + en]) == 0.2  # one pool
    few = [Point(0.9, True, "mixed"), Point(0.2, False, "mixed")]  # under MIN_GROUP: no say of their own
    assert calibrate(zh + en + few) == 0.7
