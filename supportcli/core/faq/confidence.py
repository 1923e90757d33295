"""When is a search result a confident answer, and when should search say it does not know?

The signal is the top result's *coverage* (rank.py): the idf-weighted share of what the user said
that the entry holds, a synonym counting as the word itself. A question about something the pack
does not cover ("binance 提现要多久", "netflix password reset") leaves a rare, unknown word
uncovered in every entry, and a question from another field matches only a word or two by chance.

The threshold is not picked by hand. `calibrate` takes, for every query of the labelled TUNE set
(tests/data/faq_eval_tune.toml), the top result's coverage and whether that result should be a
confident answer (an answerable query whose top result is right), and returns the threshold that
maximises balanced accuracy (the mean of the share of right answers kept and the share of the
rest declined), halfway between the two neighbouring coverages, so it does not sit on any one
query. `python bench/faq_quality.py --calibrate` prints it; THRESHOLD below is that value, and
tests/test_faq_eval.py checks that recalibrating on the tune set gives it again.

A result is confident when the top result is and its own coverage reaches the threshold: a
confident answer is always the best one.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

THRESHOLD = 0.847


def is_confident(coverage: float) -> bool:
    return coverage >= THRESHOLD


def calibrate(points: Iterable[tuple[float, bool]]) -> float:
    """The threshold maximising balanced accuracy over `points` = (coverage, should be confident).

    Candidates are the midpoints between consecutive distinct coverages; among equally good ones
    the middle one is taken. Rounded to 3 decimals.
    """
    data = sorted(points)
    positives = sum(1 for _, good in data if good)
    negatives = len(data) - positives
    if not positives or not negatives:
        return THRESHOLD
    values = sorted({value for value, _ in data})
    cuts = [(a + b) / 2 for a, b in pairwise(values)] or [values[0]]
    best: list[float] = []
    best_score = -1.0
    for cut in cuts:
        kept = sum(1 for value, good in data if good and value >= cut)
        declined = sum(1 for value, good in data if not good and value < cut)
        score = round(kept / positives / 2 + declined / negatives / 2, 9)
        if score > best_score:
            best, best_score = [cut], score
        elif score == best_score:
            best.append(cut)
    return round(best[len(best) // 2], 3)
