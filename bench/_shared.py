"""What the benchmarks share: the command to run, a private home for the product, a timed run, and a
whole process's time and peak memory. Benchmarks import it as a sibling (`python bench/x.py` puts
this folder on sys.path)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def cli() -> list[str]:
    """The installed `supportcli` script next to this Python, or `python -m supportcli`."""
    script = Path(sys.executable).parent / "supportcli"
    return [str(script)] if script.exists() else [sys.executable, "-m", "supportcli"]


def private_env(home: Path | str, **extra: str) -> dict[str, str]:
    """The environment with every folder the product uses inside `home`, English, UTC, and byte-code
    cached there (so a run never writes into the checkout)."""
    home = str(home)
    return {
        **os.environ,
        "HOME": home,
        "XDG_CONFIG_HOME": f"{home}/config",
        "XDG_DATA_HOME": f"{home}/data",
        "XDG_STATE_HOME": f"{home}/state",
        "XDG_CACHE_HOME": f"{home}/cache",
        "LANG": "en_US.UTF-8",
        "TZ": "UTC",
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "PYTHONPYCACHEPREFIX": f"{home}/pycache",
        **extra,
    }


def timed(argv: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one whole process, its output thrown away."""
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


_PEAK = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(r.returncode, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.stderr.write(r.stdout[-2000:] + r.stderr[-2000:])\n"
)


def run_json_with_peak(args: list[str], env: dict[str, str]) -> tuple[float, float, dict[str, object]]:
    """(seconds, peak MB, the --json report) of one whole `supportcli ARGS` process; exits on failure."""
    r = subprocess.run([sys.executable, "-c", _PEAK, *cli(), *args], env=env, capture_output=True, text=True,
                       check=False)
    code, seconds, peak_kb = r.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(args[:2])} failed ({code}):\n{r.stderr}")
    report = json.loads(r.stderr[r.stderr.index("{"):])
    return float(seconds), int(peak_kb) / 1024, report
