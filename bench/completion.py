"""Shell-completion benchmark: what completion costs a run that is not completing, and a Tab's time.

    python bench/completion.py [--rounds 15] [--base PATH]

Whole processes, interleaved in rounds (every case once per round, in turn, so machine noise hits
them alike), medians. Every tree runs from its source (`python -m supportcli`, the tree first on
PYTHONPATH) with this interpreter.

- Everyday commands (`--help`, `--version`, the home screen, `cases list`), as ratios to a bare
  `python -c pass`. With `--base PATH` (a tree without completion, e.g. `git worktree add
  /tmp/base main`), the same commands there too, and the ratio of this tree to it: completion is
  meant to cost nothing (the machinery is imported only when the shell asks, on a Tab).
- A Tab, as bash asks it (`_SUPPORTCLI_COMPLETE=complete_bash`): after `supportcli ` (the command
  names, no command module imported) and after `supportcli troubleshoot ` (the pack's flow ids),
  as ratios to `python -c pass`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
EVERYDAY = {"--help": ["--help"], "--version": ["--version"], "home screen": [], "cases list": ["cases", "list"]}
TABS = {"Tab: supportcli ": "supportcli ", "Tab: troubleshoot ": "supportcli troubleshoot "}


def _timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _env(home: str, tree: Path) -> dict[str, str]:
    env = {
        **os.environ, "HOME": home, "XDG_CONFIG_HOME": f"{home}/config", "XDG_DATA_HOME": f"{home}/data",
        "XDG_STATE_HOME": f"{home}/state", "XDG_CACHE_HOME": f"{home}/cache", "LANG": "en_US.UTF-8",
        "PYTHONPATH": str(tree), "PYTHONPYCACHEPREFIX": f"{home}/pycache-{tree.name}",
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("_SUPPORTCLI_COMPLETE", None)
    return env


def _tab(words: str, env: dict[str, str]) -> dict[str, str]:
    return {**env, "_SUPPORTCLI_COMPLETE": "complete_bash", "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--base", type=Path, default=None, help="a tree to compare with (without completion)")
    args = parser.parse_args()
    cli = [sys.executable, "-m", "supportcli"]
    trees = {"this": HERE} | ({"base": args.base.resolve()} if args.base else {})
    with tempfile.TemporaryDirectory() as home:
        envs = {name: _env(home, tree) for name, tree in trees.items()}
        cases: dict[str, Callable[[], float]] = {
            "python -c pass": lambda: _timed([sys.executable, "-c", "pass"], envs["this"]),
        }
        for label, argv in EVERYDAY.items():
            for name in trees:
                cases[f"{label} [{name}]"] = lambda argv=argv, env=envs[name]: _timed([*cli, *argv], env)
        for label, words in TABS.items():
            cases[label] = lambda words=words: _timed(cli, _tab(words, envs["this"]))
        for fn in cases.values():  # warm the caches (byte code, the OS page cache)
            fn()
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.rounds):
            for name, fn in cases.items():
                samples[name].append(fn())
    medians = {name: statistics.median(values) for name, values in samples.items()}
    base = medians["python -c pass"]
    print(f"{'case':32} {'median ms':>10} {'ratio':>7}")
    for name, median in medians.items():
        print(f"{name:32} {median * 1000:10.1f} {median / base:6.1f}x")
    if args.base:
        print()
        print(f"{'this tree / base tree':32} {'ratio':>7}")
        for label in EVERYDAY:
            print(f"{label:32} {medians[f'{label} [this]'] / medians[f'{label} [base]']:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
