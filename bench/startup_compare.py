"""Start-up of two source trees side by side: the same commands, interleaved rounds, medians and ratios
to a bare `python -c pass`, each tree with its own throwaway home (so caches never mix).

    python bench/startup_compare.py BASE_TREE [OTHER_TREE] [--rounds 21]

For instance `python bench/startup_compare.py /path/to/main .` before merging a branch (export both
to the same filesystem first, e.g. `git archive main | tar -x -C /tmp/base`: a slower disk alone
shows up as a slower tree). Each tree
runs from its source (`python -m supportcli` with the tree first on PYTHONPATH) with this
interpreter; bytecode is written to a private cache folder (PYTHONPYCACHEPREFIX) so both trees are
measured as an installed copy runs, even where PYTHONDONTWRITEBYTECODE is set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = {
    "python -c pass": ["-c", "pass"],
    "--help": ["-m", "supportcli", "--help"],
    "faq search 提现 --json": ["-m", "supportcli", "faq", "search", "提现", "--json"],
    "config get name": ["-m", "supportcli", "config", "get", "name"],
}


def _env(tree: Path, home: Path, cache: Path) -> dict[str, str]:
    dropped = ("PYTHONDONTWRITEBYTECODE", "SUPPORTCLI_CONFIG")
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    return {
        **env, "PYTHONPATH": str(tree), "PYTHONPYCACHEPREFIX": str(cache), "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home / "cache"), "LANG": "en_US.UTF-8",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    trees = [tree.resolve() for tree in args.trees]
    scratch = Path(tempfile.mkdtemp(prefix="supportcli-startup-"))
    envs = {tree: _env(tree, scratch / f"home{n}", scratch / "pycache") for n, tree in enumerate(trees)}
    times: dict[tuple[Path, str], list[float]] = {(tree, name): [] for tree in trees for name in CASES}
    for round_number in range(args.rounds + 2):  # two warm-up rounds write the bytecode and the caches
        for name, argv in CASES.items():
            for tree in trees:
                begun = time.perf_counter()
                subprocess.run([sys.executable, *argv], env=envs[tree], cwd=scratch, check=False,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                if round_number >= 2:
                    times[(tree, name)].append(time.perf_counter() - begun)
    # `python -c pass` is the same command for every tree: one baseline for all of them.
    bare = statistics.median([t for tree in trees for t in times[(tree, "python -c pass")]])
    for name in CASES:
        cells = []
        for tree in trees:
            median = statistics.median(times[(tree, name)])
            cells.append(f"{tree.name or tree}: {median * 1000:6.1f} ms ({median / bare:4.1f}x)")
        print(f"{name:24s} " + "   ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
