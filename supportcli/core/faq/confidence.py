"""When is a search result a confident answer, and when should search say it does not know?

The signal (`signal`) is the top result's *coverage* (rank.py): the weighted share of what the
user said that the entry is about, a concept found only in its body counting a fifth, a synonym as
the word itself, a coin, amount or time little. The weights say how much each word tells about
the question (rank.resolve): a word of the pack's domain (its titles, keywords and synonyms) at
least DOMAIN_FLOOR, however many entries hold it; an everyday word outside it ("reason", "turn")
at most EVERYDAY_CAP, however few; a word no entry holds by what it is (rank.unknown_share): a
subject of its own ("passport", 信用卡, a name) nearly as much as a rare word, a word that only says
how or what happened ("permanently", "disappeared") little. So a question about something else
that shares one word with an entry ("my car was stolen", 手机屏幕碎了) leaves its own subject
uncovered, as another exchange or a crypto topic of scope.toml does. A query that only says
generic words (held by GENERIC_SHARE of the entries or more: "account", 账户, bitfinex) is covered
by many entries alike: its top result counts only as far as it stands out from the next one (the
margin: 1 - runner-up score / top score, against GENERIC_MARGIN). A question that asks what
something is ("what is a blockchain fork", "助记词是什么意思", tokens.asks_definition) is general
knowledge unless an entry is about that very thing: its signal is at most the share of the question
that the top entry's title holds (an entry that mentions seed phrases is not a lesson on them).
A query of coins, amounts and times only ("how much is 1 btc in usd") says which, not what is
wrong: its signal counts CONTEXT_ONLY.

The threshold is not picked by hand. `calibrate` takes, for every query of the labelled sets the
search was developed on (every tests/data/faq_eval_*.toml but the held-out one the figures are
reported on), the top result's signal and whether the query is answerable, and returns the threshold
that meets issue 13's two targets, in every language, with the most room: for each language group
(zh, en, mixed: MIN_GROUP queries or more of a kind) the share of answerable queries it leaves
unanswered, over what the target allows (KEEP: 95% answered, so 5%), and the share of out-of-scope
ones it answers, over what that target allows (DECLINE: 90% declined, so 10%); the threshold whose
worst ratio is the smallest wins. Among the equally good thresholds it takes the one farthest from
any query's signal (the widest margin), so it does not sit on a query and moves little with a
different sample. `cross_validate` repeats this on five folds (calibrate on four, measure the fifth)
to show how much it moves. `python bench/faq_quality.py --calibrate` prints both; THRESHOLD below is
the calibrated value, and tests/test_faq_eval.py checks that recalibrating gives it again.

A result is confident when the top result is and its own signal reaches the threshold: a
confident answer is always the best one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from supportcli.core.faq.rank import Features

THRESHOLD = 0.358
CONTEXT_ONLY = 0.3  # the share of the signal of a query of coins, amounts and times only
GENERIC_MARGIN = 0.3  # a generic-only query's top result counts fully once it leads the next by this share
KEEP = 0.95  # issue 13's targets: the share of answerable queries answered confidently ...
DECLINE = 0.90  # ... and of out-of-scope ones declined
NEAR_BEST = 1e-9  # thresholds this close to the best score are equally good (rounding)
MIN_GROUP = 10  # a language group counts in calibration with this many answerable (or out-of-scope) queries
FOLDS = 5


def signal(features: Features, score: float, runner_up: float, defining: bool = False,
           named: bool = True) -> float:
    """How sure a result with these features and score is an answer (`runner_up`: the next entry's score;
    `defining`: the query asks what something is, tokens.asks_definition; `named`: it names something
    besides coins, amounts and times)."""
    value = features.coverage
    if not named:  # "how much is 1 btc in usd", "ethereum": which coin, but no problem with it
        value *= CONTEXT_ONLY
    if defining:  # "what is a blockchain fork": answered by the entry about that thing, whose title says it
        value = min(value, features.title)
    if features.specific <= 0.0:  # only generic words of the query matched
        margin = 1 - runner_up / score if score > 0 else 0.0
        value *= min(1.0, margin / GENERIC_MARGIN)
    return value


def is_confident(value: float) -> bool:
    return value >= THRESHOLD


class Point(NamedTuple):
    """One labelled query, for calibration: its top result's signal, whether it is answerable, its language."""

    value: float
    answerable: bool
    group: str = "all"


def calibrate(points: Iterable[Point], keep: float = KEEP, decline: float = DECLINE) -> float:
    """The threshold over `points` whose worst error, as a share of what its target allows (answerable
    queries left unanswered: 1 - keep; out-of-scope ones answered: 1 - decline), in any language group
    with at least MIN_GROUP queries of that kind (the targets hold per language), is the smallest; with
    the widest margin among the near-best ones. Rounded to 3 decimals."""
    data = list(points)
    kinds: dict[tuple[str, bool], list[float]] = {}
    for p in data:
        kinds.setdefault((p.group, p.answerable), []).append(p.value)
    counted = {kind: values for kind, values in kinds.items() if len(values) >= MIN_GROUP}
    if not any(good for _, good in counted) or not any(not good for _, good in counted):
        return THRESHOLD
    values: list[float] = sorted({p.value for p in data})
    cuts = [(a + b) / 2 for a, b in pairwise(values)] or [values[0]]

    def worst(cut: float) -> float:
        out = 0.0
        for (_, good), signals in counted.items():
            if good:
                out = max(out, sum(v < cut for v in signals) / len(signals) / (1 - keep))
            else:
                out = max(out, sum(v >= cut for v in signals) / len(signals) / (1 - decline))
        return out

    scored = [(worst(cut), cut) for cut in cuts]
    best = min(score for score, _ in scored)
    near = [cut for score, cut in scored if score <= best + NEAR_BEST]

    def room(cut: float) -> tuple[float, float]:  # the widest margin; among equals, the lower cut
        return min(abs(v - cut) for v in values), -cut

    chosen: float = max(near, key=room)
    return round(chosen, 3)


class Fold(NamedTuple):
    threshold: float
    kept: float  # share of the fold's answerable queries at or over it
    declined: float  # share of the fold's out-of-scope queries under it


def cross_validate(points: Sequence[Point], folds: int = FOLDS) -> list[Fold]:
    """Calibrate on all folds but one and measure on that one, for each fold (query i is in fold i % folds)."""
    out = []
    for k in range(folds):
        train = [p for i, p in enumerate(points) if i % folds != k]
        test = [p for i, p in enumerate(points) if i % folds == k]
        cut = calibrate(train)
        answerable = [p.value >= cut for p in test if p.answerable]
        outside = [p.value < cut for p in test if not p.answerable]
        out.append(Fold(cut, sum(answerable) / max(1, len(answerable)), sum(outside) / max(1, len(outside))))
    return out


def spread(values: Iterable[float]) -> tuple[float, float]:
    """Mean and standard deviation."""
    import statistics  # for the benchmark's report only: about 5 ms to import

    items = list(values)
    return statistics.mean(items), statistics.pstdev(items)
