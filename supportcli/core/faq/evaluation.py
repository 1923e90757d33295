"""Measuring search quality on a labelled query file (tests/data/faq_eval_*.toml).

A query file holds `[[query]]` tables: `q` (what the user typed), `ids` (entries that count as a
right answer; empty for a question the pack cannot answer), `lang` (zh | en | mixed), `style`,
and optionally `ui` (the interface language; default: the query's own, Chinese for mixed).

For each language and overall this gives P@1 and MRR over the answerable queries (rank within the
top 10), the share of answerable queries whose top result is confident, and the share of
out-of-scope queries where no result is confident. bench/faq_quality.py prints it and
tests/test_faq_eval.py asserts the targets; confidence.py is calibrated on the same measurements.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from supportcli.core.i18n import Lang

if TYPE_CHECKING:
    from supportcli.core.faq.calibration import Point
    from supportcli.core.faq.search import Faq

LANG_GROUPS = ("zh", "en", "mixed")
DEPTH = 10  # results looked at for the MRR
# The labelled parts, tests/data/faq_eval_<name>.toml. The calibration parts were read while the search was
# developed; their questions are the pack's asked questions (asked.py), so each is measured without its own.
# The final held-out parts were written blind and never read: only their figures are looked at.
CALIBRATION_SETS = ("tune", "dev", "check", "check2", "check3", "check4", "check5", "check6", "check7", "check8",
                    "train1", "train2", "train3", "train4", "train5", "train6", "train7", "train8")
FINAL_SETS = ("heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6")


def set_file(folder: Path, name: str) -> Path:
    return folder / f"faq_eval_{name}.toml"


def set_name(path: Path) -> str:
    """The part a query file holds (what asked.toml's `from` calls it)."""
    return path.stem.removeprefix("faq_eval_")


@dataclass(frozen=True)
class Query:
    text: str
    ids: tuple[str, ...]
    lang: str
    style: str
    ui: Lang

    @property
    def answerable(self) -> bool:
        return bool(self.ids)


def load_queries(path: Path) -> list[Query]:
    with path.open("rb") as fh:
        data: dict[str, Any] = tomllib.load(fh)
    out = []
    for item in data.get("query", []):
        lang = str(item["lang"])
        ui: Lang = "en" if (item.get("ui") or ("en" if lang == "en" else "zh")) == "en" else "zh"
        out.append(Query(str(item["q"]), tuple(item.get("ids", ())), lang, str(item.get("style", "")), ui))
    return out


@dataclass(frozen=True)
class Outcome:
    query: Query
    ranked: tuple[str, ...]  # entry ids, best first
    confident: bool  # the top result is a confident answer
    signal: float  # the confidence signal of the top result (0 when nothing was found)

    @property
    def rank(self) -> int | None:
        return next((i for i, e in enumerate(self.ranked, start=1) if e in self.query.ids), None)


def run(faq: Faq, queries: Iterable[Query], hold_out: str | None = None) -> list[Outcome]:
    """Each query searched as a user would; with `hold_out`, the pack's asked questions that came from that
    part are forgotten first (a part is never measured with its own questions as the search's memory)."""
    if hold_out is not None:
        faq.forget_asked(hold_out)
    out = []
    for q in queries:
        outcome = faq.search(q.text, q.ui, DEPTH)
        top = outcome.results[0] if outcome.results else None
        out.append(Outcome(
            q, tuple(r.entry.id for r in outcome.results),
            confident=bool(top is not None and getattr(top, "confident", True)),
            signal=float(getattr(top, "signal", 1.0)) if top is not None else 0.0,
        ))
    return out


@dataclass
class Figures:
    answerable: int = 0
    out_of_scope: int = 0
    p_at_1: float = 0.0
    mrr: float = 0.0
    confident: float = 0.0  # share of answerable queries answered confidently
    declined: float = 0.0  # share of out-of-scope queries with no confident answer
    misses: list[str] = field(default_factory=list)


def figures(outcomes: list[Outcome]) -> Figures:
    f = Figures()
    hits = reciprocal = confident = declined = 0.0
    for o in outcomes:
        if o.query.answerable:
            f.answerable += 1
            rank = o.rank
            hits += rank == 1
            reciprocal += 1 / rank if rank else 0.0
            confident += o.confident
            if rank != 1:
                f.misses.append(f"[{o.query.lang}] {o.query.text!r}: wanted {list(o.query.ids)}, "
                                f"got {list(o.ranked[:3])}")
            elif not o.confident:
                f.misses.append(f"[{o.query.lang}] {o.query.text!r}: right ({o.ranked[0]}) but not confident "
                                f"(signal {o.signal:.3f})")
        else:
            f.out_of_scope += 1
            declined += not o.confident
            if o.confident:
                f.misses.append(f"[{o.query.lang}] {o.query.text!r}: out of scope, yet answered {o.ranked[0]} "
                                f"(signal {o.signal:.3f})")
    if f.answerable:
        f.p_at_1, f.mrr, f.confident = hits / f.answerable, reciprocal / f.answerable, confident / f.answerable
    if f.out_of_scope:
        f.declined = declined / f.out_of_scope
    return f


def by_language(outcomes: list[Outcome]) -> dict[str, Figures]:
    """Figures for each language group present, then "all"."""
    table = {lang: figures([o for o in outcomes if o.query.lang == lang]) for lang in LANG_GROUPS
             if any(o.query.lang == lang for o in outcomes)}
    table["all"] = figures(outcomes)
    return table


def calibration_points(outcomes: list[Outcome]) -> list[Point]:
    """(top result's signal, is the query answerable, its language) per query, for calibration.calibrate:
    the targets are that answerable queries are answered confidently and out-of-scope ones are not, in
    each language (whether the answer is the right one is what P@1 measures)."""
    from supportcli.core.faq.calibration import Point

    return [Point(o.signal, o.query.answerable, o.query.lang) for o in outcomes]


def format_table(table: dict[str, Figures]) -> str:
    lines = [f"{'lang':6} {'answerable':>10} {'P@1':>6} {'MRR':>6} {'confident':>9} {'out':>4} {'declined':>8}"]
    for lang, f in table.items():
        lines.append(f"{lang:6} {f.answerable:>10} {f.p_at_1:>6.3f} {f.mrr:>6.3f} {f.confident:>9.3f} "
                     f"{f.out_of_scope:>4} {f.declined:>8.3f}")
    return "\n".join(lines)
