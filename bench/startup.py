"""Start-up benchmark: whole processes, interleaved, as median ratios to a bare `python -c pass`.

    python bench/startup.py [--rounds 15]

Measures `supportcli --help`, `--version`, `faq search 提现 --json`, and the time until the first
prompt of `troubleshoot abnormal-trade` is drawn in a pseudo-terminal. Each round runs every case
once, in turn, so machine noise hits them alike. Targets (issue 2): --help <= 8x, --version <= 6x,
faq search <= 8x, first prompt <= 16x.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TARGETS = {"--help": 8.0, "--version": 6.0, "faq search 提现 --json": 8.0, "first prompt (pty)": 16.0}


def _command() -> list[str]:
    script = Path(sys.executable).parent / "supportcli"
    if script.exists():
        return [str(script)]
    found = shutil.which("supportcli")
    return [found] if found else [sys.executable, "-m", "supportcli"]


def _timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _first_prompt(argv: list[str], env: dict[str, str]) -> float:
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8", timeout=30, dimensions=(40, 120))
    try:
        child.expect(r"\?")
        elapsed = time.perf_counter() - start
    except (pexpect.EOF, pexpect.TIMEOUT):
        elapsed = float("nan")  # no prompt was drawn: reported as n/a
    finally:
        child.terminate(force=True)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    cli = _command()
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "HOME": home,
            "XDG_CONFIG_HOME": f"{home}/config",
            "XDG_DATA_HOME": f"{home}/data",
            "XDG_CACHE_HOME": f"{home}/cache",
            "LANG": "zh_CN.UTF-8",
            "PROMPT_TOOLKIT_NO_CPR": "1",
            "TERM": "xterm",
            # Measure an installed program: byte-code cached (in our own folder, not the tree),
            # as pip leaves it, even where the shell sets PYTHONDONTWRITEBYTECODE.
            "PYTHONPYCACHEPREFIX": f"{home}/pycache",
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cases: dict[str, Callable[[], float]] = {
            "python -c pass": lambda: _timed([sys.executable, "-c", "pass"], env),
            "--help": lambda: _timed([*cli, "--help"], env),
            "--version": lambda: _timed([*cli, "--version"], env),
            "faq search 提现 --json": lambda: _timed([*cli, "faq", "search", "提现", "--json"], env),
            "first prompt (pty)": lambda: _first_prompt([*cli, "troubleshoot", "abnormal-trade"], env),
        }
        for fn in cases.values():  # warm caches (the OS page cache, our own index cache)
            fn()
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.rounds):
            for name, fn in cases.items():
                samples[name].append(fn())
    base = statistics.median(samples["python -c pass"])
    print(f"{'case':28} {'median ms':>10} {'ratio':>7} {'target':>7}")
    failed = False
    for name, values in samples.items():
        median = statistics.median(values)
        ratio = median / base
        if median != median:  # NaN: the case did not run
            print(f"{name:28} {'n/a':>10}")
            failed = True
            continue
        target = TARGETS.get(name)
        mark = ""
        if target is not None:
            ok = ratio <= target
            failed |= not ok
            mark = f"{'<=' if ok else '> '}{target:.0f}x"
        print(f"{name:28} {median * 1000:10.1f} {ratio:6.1f}x {mark:>7}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
