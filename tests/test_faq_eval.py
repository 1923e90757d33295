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
    assert not set(FINAL) & set(CALIBRATION) and len(CALIBRATION) == 18 and all(p.is_file() for p in FINAL)
    points = [p for path in CALIBRATION for p in calibration_points(_outcomes(path, "memory", pack_root, tmp_path))]
    assert calibrate(points) == THRESHOLD


def _groups(path: Path, answerable: bool) -> list[str]:
    """The language groups a file's figures are asserted on: each language with enough queries, and all."""
    queries = [q for q in load_queries(path) if q.answerable == answerable]
    return [lang for lang in ("zh", "en") if sum(q.lang == lang for q in queries) >= MIN_PER_LANGUAGE] + ["all"]


# What the final pass could not reach, as measured (bench/faq_quality.py); strict: the day it is
# reached the test says so, and the mark goes.
KNOWN_GAPS = {
    # The final held-out parts, written blind and never read. v9 and v10 (heldout, heldout2) were measured
    # after the asked questions came in and again at the end; v11 and v12 (heldout3, heldout4) after the
    # Cantonese reading, the pinyin repair and four more memory parts, and again at the end; v13 and v14
    # (heldout5, heldout6) once, at the end. Pooled, the six parts meet every target in both languages.
    ("faq_eval_heldout2", "zh", "p_at_1"): "held-out v10, Chinese: P@1 0.9296 (132 of 142, just under); target 0.93",
    ("faq_eval_heldout2", "zh", "mrr"): "held-out v10, Chinese: MRR 0.938; target 0.95",
    ("faq_eval_heldout3", "zh", "p_at_1"): "held-out v11, Chinese: P@1 0.911 (144 of 158); target 0.93",
    ("faq_eval_heldout3", "zh", "mrr"): "held-out v11, Chinese: MRR 0.938; target 0.95",
    ("faq_eval_heldout3", "zh", "confident"): "held-out v11, Chinese: 0.943 confident (149 of 158); target 0.95",
    ("faq_eval_heldout6", "zh", "declined"): "held-out v14, Chinese: 0.857 declined (24 of 28); target 0.90",
    # The calibration parts, each measured without its own asked questions (evaluation.run's hold_out). The
    # train parts were written for the memory, to be hard: neighbouring entries, slang, dialects, typos.
    ("faq_eval_check8", "en", "confident"): "check8, English: 0.942 confident (146 of 155); target 0.95",
    ("faq_eval_check8", "all", "confident"): "check8, all: 0.948 confident (308 of 325); target 0.95",
    ("faq_eval_train1", "zh", "p_at_1"): "train1, Chinese: P@1 0.921 (220 of 239); target 0.93",
    ("faq_eval_train1", "zh", "mrr"): "train1, Chinese: MRR 0.946; target 0.95",
    ("faq_eval_train1", "zh", "declined"): "train1, Chinese: 0.812 declined (26 of 32); target 0.90",
    ("faq_eval_train1", "all", "declined"): "train1, all: 0.880 declined (44 of 50); target 0.90",
    ("faq_eval_train2", "zh", "p_at_1"): "train2, Chinese: P@1 0.906 (193 of 213); target 0.93",
    ("faq_eval_train2", "zh", "mrr"): "train2, Chinese: MRR 0.935; target 0.95",
    ("faq_eval_train2", "zh", "confident"): "train2, Chinese: 0.944 confident (201 of 213); target 0.95",
    ("faq_eval_train2", "zh", "declined"): "train2, Chinese: 0.781 declined (25 of 32); target 0.90",
    ("faq_eval_train2", "en", "declined"): "train2, English: 0.846 declined (11 of 13); target 0.90",
    ("faq_eval_train2", "all", "declined"): "train2, all: 0.820 declined (41 of 50); target 0.90",
    ("faq_eval_train4", "en", "confident"): "train4, English: 0.943 confident (132 of 140); target 0.95",
    ("faq_eval_train4", "en", "declined"): "train4, English: 0.833 declined (20 of 24); target 0.90",
    ("faq_eval_train5", "zh", "p_at_1"): "train5, Chinese: P@1 0.912 (196 of 215); target 0.93",
    ("faq_eval_train5", "zh", "mrr"): "train5, Chinese: MRR 0.937; target 0.95",
    ("faq_eval_train5", "zh", "confident"): "train5, Chinese: 0.888 confident (191 of 215); target 0.95",
    ("faq_eval_train5", "en", "declined"): "train5, English: 0.846 declined (11 of 13); target 0.90",
    ("faq_eval_train5", "all", "confident"): "train5, all: 0.927 confident (307 of 331); target 0.95",
    ("faq_eval_train6", "en", "p_at_1"): "train6, English: P@1 0.899 (186 of 207); target 0.93",
    ("faq_eval_train6", "en", "mrr"): "train6, English: MRR 0.925; target 0.95",
    ("faq_eval_train6", "en", "confident"): "train6, English: 0.947 confident (196 of 207); target 0.95",
    ("faq_eval_train6", "all", "p_at_1"): "train6, all: P@1 0.927 (293 of 316); target 0.93",
    ("faq_eval_train6", "all", "mrr"): "train6, all: MRR 0.945; target 0.95",
    ("faq_eval_train7", "zh", "mrr"): "train7, Chinese: MRR 0.949; target 0.95",
    ("faq_eval_train8", "zh", "p_at_1"): "train8, Chinese: P@1 0.908 (177 of 195); target 0.93",
    ("faq_eval_train8", "zh", "mrr"): "train8, Chinese: MRR 0.943; target 0.95",
    ("faq_eval_train8", "en", "p_at_1"): "train8, English: P@1 0.889 (160 of 180); target 0.93",
    ("faq_eval_train8", "en", "mrr"): "train8, English: MRR 0.922; target 0.95",
    ("faq_eval_train8", "en", "confident"): "train8, English: 0.944 confident (170 of 180); target 0.95",
    ("faq_eval_train8", "all", "p_at_1"): "train8, all: P@1 0.908 (383 of 422); target 0.93",
    ("faq_eval_train8", "all", "mrr"): "train8, all: MRR 0.939; target 0.95",
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
