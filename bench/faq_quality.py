"""FAQ answer quality on the labelled query files: P@1, MRR, confident and declined rates.

    python bench/faq_quality.py [--engine memory|sqlite|both] [--misses] [--calibrate]

For each file present (tests/data/faq_eval_<name>.toml: evaluation.CALIBRATION_SETS, then FINAL_SETS) it prints,
per language (zh, en, mixed) and overall: P@1 and MRR over the answerable queries, the share of
answerable queries whose top result is confident, and the share of out-of-scope queries that got
no confident answer; then the misses. Targets (issue 13): P@1 >= 0.93 and MRR >= 0.95 per language,
>= 95% of answerable queries answered confidently, >= 90% of out-of-scope queries declined.
Runs on the shipped pack with an isolated, temporary index folder. A calibration part is measured without
its own questions among the pack's asked questions (asked.py; evaluation.run's hold_out): each figure is
of questions the search has not seen.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from supportcli.core.faq.calibration import calibrate, cross_validate, spread  # noqa: E402
from supportcli.core.faq.confidence import THRESHOLD  # noqa: E402
from supportcli.core.faq.evaluation import (  # noqa: E402
    CALIBRATION_SETS,
    FINAL_SETS,
    by_language,
    calibration_points,
    format_table,
    load_queries,
    run,
    set_file,
    set_name,
)
from supportcli.core.faq.search import Faq  # noqa: E402
from supportcli.core.pack import load_pack  # noqa: E402

FILES = tuple(set_file(Path(), name).name for name in (*CALIBRATION_SETS, *FINAL_SETS))
CALIBRATION = FILES[: len(CALIBRATION_SETS)]  # the threshold is calibrated on all but the final held-out parts


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--engine", choices=("memory", "sqlite", "both"), default="memory")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--calibrate", action="store_true",
                        help="print the confidence threshold calibrated on every file but the held-out ones "
                             "(calibration.calibrate) and its 5-fold cross-validation")
    args = parser.parse_args()
    engines = ("memory", "sqlite") if args.engine == "both" else (args.engine,)
    pack = load_pack(ROOT / "content" / "bitfinex")
    calibration: dict[str, list[tuple[float, bool]]] = {}
    for name in FILES:
        path = ROOT / "tests" / "data" / name
        if not path.is_file():
            print(f"{name}: not present")
            continue
        queries = load_queries(path)
        for engine in engines:
            with tempfile.TemporaryDirectory() as tmp:
                faq = Faq(pack, Path(tmp))
                if engine == "sqlite":
                    faq.open_store().sync_pack(faq.entries, faq.signature)
                outcomes = run(faq, queries, hold_out=set_name(path))
                table = by_language(outcomes)
                faq.close()
            if name in CALIBRATION:
                calibration[engine] = calibration.get(engine, []) + calibration_points(outcomes)
            if args.calibrate and name == CALIBRATION[-1]:
                points = calibration[engine]
                folds = cross_validate(points)
                cut, cut_sd = spread(f.threshold for f in folds)
                kept, kept_sd = spread(f.kept for f in folds)
                declined, declined_sd = spread(f.declined for f in folds)
                print(f"calibrated threshold on {' + '.join(CALIBRATION)} ({engine}): {calibrate(points)} "
                      f"(in use: {THRESHOLD}); "
                      f"{len(folds)}-fold cross-validation: threshold {cut:.3f} ± {cut_sd:.3f}, held-out fold "
                      f"answered confidently {kept:.3f} ± {kept_sd:.3f}, declined {declined:.3f} ± {declined_sd:.3f}")
            print(f"== {name} ({engine} engine, {len(queries)} queries)")
            print(format_table(table))
            misses = table["all"].misses
            print(f"misses: {len(misses)}")
            for line in misses if args.misses else misses[:40]:
                print("  " + line)
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
