"""Search quality on the labelled query files (tests/data/faq_eval_*.toml), per language.

Targets (issue 13): P@1 >= 0.93 and MRR >= 0.95, >= 95% of answerable queries answered confidently and
>= 90% of out-of-scope queries declined. They are asserted on the TUNE and DEV parts (the ranking was
developed on them), on the lead's CHECK to CHECK6 parts (each was held out until one pass had been
measured on it, then read to learn which classes of problem remained, never fitted: no query of them or
close paraphrase is an example question, keyword or synonym of the pack) and on the two final HELD-OUT
parts (v7 and v8), which nobody working on the search has read: per language where a language has at least
MIN_PER_LANGUAGE answerable (or out-of-scope) queries, and overall (which is how the small mixed group
counts). A target the held-out part misses is a strict xfail that names its figure. Both engines agree on
every query, and the threshold in use is the one calibration.calibrate gives on every part but the
held-out ones (not picked by hand).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from supportcli.core.faq.calibration import Point, calibrate
from supportcli.core.faq.confidence import THRESHOLD
from supportcli.core.faq.evaluation import Figures, Outcome, by_language, calibration_points, load_queries, run
from supportcli.core.faq.search import Faq
from supportcli.core.pack import load_pack

DATA = Path(__file__).parent / "data"
TUNE = DATA / "faq_eval_tune.toml"
DEV = DATA / "faq_eval_dev.toml"
CHECK = DATA / "faq_eval_check.toml"
CHECK2 = DATA / "faq_eval_check2.toml"
CHECK3 = DATA / "faq_eval_check3.toml"
CHECK4 = DATA / "faq_eval_check4.toml"
CHECK5 = DATA / "faq_eval_check5.toml"
CHECK6 = DATA / "faq_eval_check6.toml"
HELDOUT = DATA / "faq_eval_heldout.toml"
HELDOUT2 = DATA / "faq_eval_heldout2.toml"
FILES = [p for p in (TUNE, DEV, CHECK, CHECK2, CHECK3, CHECK4, CHECK5, CHECK6, HELDOUT, HELDOUT2) if p.is_file()]
CALIBRATION = [p for p in FILES if p not in (HELDOUT, HELDOUT2)]  # what calibration.calibrate is run on
TARGETED = FILES
LANGS = ("zh", "en", "mixed")
MIN_PER_LANGUAGE = 10
_cache: dict[tuple[Path, str], list[Outcome]] = {}


def _outcomes(path: Path, engine: str, pack_root: Path, tmp: Path) -> list[Outcome]:
    if (path, engine) not in _cache:
        faq = Faq(load_pack(pack_root), tmp)
        if engine == "sqlite":
            faq.open_store().sync_pack(faq.entries, faq.signature)
        _cache[(path, engine)] = run(faq, load_queries(path))
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
    assert HELDOUT not in CALIBRATION and HELDOUT2 not in CALIBRATION and len(CALIBRATION) == 8
    points = [p for path in CALIBRATION for p in calibration_points(_outcomes(path, "memory", pack_root, tmp_path))]
    assert calibrate(points) == THRESHOLD


def _groups(path: Path, answerable: bool) -> list[str]:
    """The language groups a file's figures are asserted on: each language with enough queries, and all."""
    queries = [q for q in load_queries(path) if q.answerable == answerable]
    return [lang for lang in ("zh", "en") if sum(q.lang == lang for q in queries) >= MIN_PER_LANGUAGE] + ["all"]


# What the final pass could not reach, as measured (bench/faq_quality.py); strict: the day it is
# reached the test says so, and the mark goes.
KNOWN_GAPS = {
    # The final held-out parts, written blind and never read (figures only). v7 (276 + 60) was measured after
    # the seventh pass and again after the eighth (which tuned on nothing but check4-6); v8 (325 + 60) once,
    # after the eighth. The session's starting code (18f2cfc) scores: v7 all P@1 0.884, MRR 0.923, 0.819
    # answered confidently, 0.917 declined; v8 0.889, 0.930, 0.818, 0.933.
    ("faq_eval_heldout", "zh", "p_at_1"): "held-out v7, Chinese: P@1 0.865 (96 of 111); target 0.93",
    ("faq_eval_heldout", "en", "p_at_1"): "held-out v7, English: P@1 0.912 (103 of 113); target 0.93",
    ("faq_eval_heldout", "all", "p_at_1"): "held-out v7, all: P@1 0.899 (248 of 276); target 0.93",
    ("faq_eval_heldout", "zh", "mrr"): "held-out v7, Chinese: MRR 0.911; target 0.95",
    ("faq_eval_heldout", "en", "mrr"): "held-out v7, English: MRR 0.948; target 0.95",
    ("faq_eval_heldout", "all", "mrr"): "held-out v7, all: MRR 0.937; target 0.95",
    ("faq_eval_heldout", "zh", "confident"): "held-out v7, Chinese: 0.937 confident (104 of 111); target 0.95",
    ("faq_eval_heldout", "en", "confident"): "held-out v7, English: 0.947 confident (107 of 113); target 0.95",
    ("faq_eval_heldout", "all", "confident"): "held-out v7, all: 0.949 confident (262 of 276); target 0.95",
    ("faq_eval_heldout", "en", "declined"): "held-out v7, English: 0.867 declined (26 of 30); target 0.90",
    ("faq_eval_heldout", "all", "declined"): "held-out v7, all: 0.883 declined (53 of 60); target 0.90",
    ("faq_eval_heldout2", "zh", "p_at_1"): "held-out v8, Chinese: P@1 0.928 (129 of 139); target 0.93",
    ("faq_eval_heldout2", "en", "p_at_1"): "held-out v8, English: P@1 0.890 (138 of 155); target 0.93",
    ("faq_eval_heldout2", "all", "p_at_1"): "held-out v8, all: P@1 0.911 (296 of 325); target 0.93",
    ("faq_eval_heldout2", "zh", "mrr"): "held-out v8, Chinese: MRR 0.9499 (just under); target 0.95",
    ("faq_eval_heldout2", "en", "mrr"): "held-out v8, English: MRR 0.939; target 0.95",
    ("faq_eval_heldout2", "all", "mrr"): "held-out v8, all: MRR 0.945; target 0.95",
    ("faq_eval_heldout2", "zh", "confident"): "held-out v8, Chinese: 0.942 confident (131 of 139); target 0.95",
    ("faq_eval_heldout2", "all", "confident"): "held-out v8, all: 0.945 confident (307 of 325); target 0.95",
    # The fifth and sixth check parts (v5, v6): blind held-out parts of the sixth pass, read by the seventh.
    ("faq_eval_check5", "zh", "p_at_1"): "check5, Chinese: P@1 0.917 (111 of 121); target 0.93",
    ("faq_eval_check5", "en", "p_at_1"): "check5, English: P@1 0.912 (104 of 114); target 0.93",
    ("faq_eval_check5", "all", "p_at_1"): "check5, all: P@1 0.918 (245 of 267); target 0.93",
    ("faq_eval_check6", "en", "p_at_1"): "check6, English: P@1 0.927 (102 of 110); target 0.93",
    ("faq_eval_check6", "zh", "mrr"): "check6, Chinese: MRR 0.948; target 0.95",
    ("faq_eval_check6", "en", "confident"): "check6, English: 0.927 confident (102 of 110); target 0.95",
    ("faq_eval_check6", "all", "confident"): "check6, all: 0.936 confident (234 of 250); target 0.95",
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
