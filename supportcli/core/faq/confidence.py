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
wrong: its signal counts CONTEXT_ONLY. A query much like a question the pack is known not to answer
(an asked question with no entry, asked.py: "how do i change my apple id email") loses
OUT_OF_SCOPE_WEIGHT times that likeness (a cosine, 0-1).

The threshold is not picked by hand: calibration.py calibrates it on the labelled query sets, and
THRESHOLD below is the calibrated value (tests/test_faq_eval.py checks that recalibrating gives it again).

A result is confident when the top result is and its own signal reaches the threshold: a
confident answer is always the best one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from supportcli.core.faq.rank import Features

THRESHOLD = 0.219
CONTEXT_ONLY = 0.3  # the share of the signal of a query of coins, amounts and times only
OUT_OF_SCOPE_WEIGHT = 0.75  # taken off per unit of likeness to a question the pack cannot answer
GENERIC_MARGIN = 0.5  # a generic-only query's top result counts fully once it leads the next by this share


def signal(features: Features, score: float, runner_up: float, defining: bool = False,
           named: bool = True, out_of_scope: float = 0.0) -> float:
    """How sure a result with these features and score is an answer (`runner_up`: the next entry's score;
    `defining`: the query asks what something is, tokens.asks_definition; `named`: it names something
    besides coins, amounts and times; `out_of_scope`: how close it is to an asked question that the
    pack cannot answer, asked.py)."""
    value = features.coverage
    if not named:  # "how much is 1 btc in usd", "ethereum": which coin, but no problem with it
        value *= CONTEXT_ONLY
    if defining:  # "what is a blockchain fork": answered by the entry about that thing, whose title says it
        value = min(value, features.title)
    if features.specific <= 0.0:  # only generic words of the query matched
        margin = 1 - runner_up / score if score > 0 else 0.0
        value *= min(1.0, margin / GENERIC_MARGIN)
    return max(0.0, value - OUT_OF_SCOPE_WEIGHT * out_of_scope)


def is_confident(value: float) -> bool:
    return value >= THRESHOLD
