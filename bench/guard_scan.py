"""Secret-guard benchmark: `supportcli scan` as whole processes, side by side, in one run.

    python bench/guard_scan.py [--rounds 15] [--sizes 1,10,50] [--base PATH]

Three figures (issue 16):
- `scan` of a 1 KB chat text, as the median ratio to a bare `python -c pass` (target <= 8x);
- throughput on chat text of each size in `--sizes` (MB), net of start-up: size / (wall time - the
  median wall time of the 1 KB scan) (target >= 20 MB/s on 10 MB);
- peak memory of the whole process (`ru_maxrss` from `wait4`, interpreter included; Linux counts
  the parent's size at fork too, so the benchmark never holds a file) (target <= 64 MB at any size),
  also for a 10 MB file that is one single line.

Every tree is run from its source (`python -m supportcli` with the tree first on PYTHONPATH) with
this interpreter. `--base PATH` adds a second tree, for instance the base commit checked out with
`git worktree add /tmp/guard-base wave2-base`, measured in the same rounds, interleaved, so machine
noise hits both alike. The chat text is generated (fixed seed): English and Chinese lines with
amounts, order ids, addresses, transaction hashes and talk about passwords and 2FA, no secret.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import private_env

TARGET_RATIO = 8.0
TARGET_MBPS = 20.0
TARGET_PEAK_MB = 64.0
HERE = Path(__file__).resolve().parent.parent

_EN = [
    "hi, my withdrawal of {amount} BTC has been pending since yesterday, can you check it?",
    "the deposit to {address} shows confirmed on the explorer but not in my wallet",
    "txid {tx} for the deposit, please have a look",
    "order {order} was filled at a worse price than my limit, is that normal?",
    "I forgot my password and the reset link expired, what should I do now",
    "I reset my 2FA last week and now withdrawals are locked for a few days",
    "please make sure you copy the correct address before you send anything",
    "thank you, the funds arrived after the network was back to normal",
    "can any agent explain why the margin position was closed at night",
    "I will attach a screenshot of the movements page later today",
    "is there a fee to move USDT from the exchange wallet to margin?",
    "the app says my session expired every few minutes, even on wifi",
]
_ZH = [
    "你好，我的提现 {amount} USDT 一直在处理中，请帮忙查一下",
    "充值地址 {address} 在区块浏览器上已经确认了，但账户里没有到账",
    "交易哈希 {tx}，麻烦看一下",
    "订单 {order} 的成交价比我的限价差很多，这正常吗？",
    "我忘记了密码，重置邮件也收不到，怎么办",
    "我上周重置了谷歌验证，现在提现被暂停了",
    "请确认复制了正确的地址再转账",
    "谢谢，资金已经到账了",
]
_NAMES = ["alice", "bob", "support", "客服小王", "trader88", "李先生"]


def write_chat(path: Path, size: int, *, seed: int = 16, one_line: bool = False) -> None:
    """About `size` bytes of support chat, UTF-8, written a line at a time (the benchmark stays small:
    a child inherits its parent's peak memory figure through fork); `one_line` joins lines with spaces."""
    rng = random.Random(seed)
    total = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        while total < size:
            template = rng.choice(_EN if rng.random() < 0.7 else _ZH)
            line = template.format(
                amount=f"{rng.randint(1, 9999) / 100:.2f}",
                address="bc1q" + "".join(rng.choice("023456789acdefghjklmnpqrstuvwxyz") for _ in range(38)),
                tx="".join(rng.choice("0123456789abcdef") for _ in range(64)),
                order=rng.randint(10**9, 10**10),
            )
            stamp = f"[2026-11-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}]"
            line = f"{stamp} {rng.choice(_NAMES)}: {line}" + (" " if one_line else "\n")
            out.write(line)
            total += len(line.encode("utf-8"))


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one process (run from HOME: `python -m` puts the
    current folder first on sys.path, which would shadow the tree on PYTHONPATH)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=env["HOME"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = 0  # reaped by wait4
    return elapsed, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=15, help="rounds for the 1 KB scan")
    parser.add_argument("--big-rounds", type=int, default=3, help="rounds for each large file")
    parser.add_argument("--sizes", default="1,10,50", help="large file sizes in MB, comma-separated")
    parser.add_argument("--base", type=Path, help="a second source tree to measure side by side")
    args = parser.parse_args()
    trees = {"this tree": HERE}
    if args.base:
        trees["base"] = args.base.resolve()
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]

    with tempfile.TemporaryDirectory() as home:
        root = Path(home)
        env = private_env(home)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        small = root / "chat-1k.txt"
        write_chat(small, 1000)
        files: dict[str, tuple[Path, float]] = {}
        for mb in sizes:
            path = root / f"chat-{mb:g}mb.txt"
            write_chat(path, int(mb * 1_000_000))
            files[f"{mb:g} MB"] = (path, path.stat().st_size / 1_000_000)
        path = root / "chat-10mb-one-line.txt"
        write_chat(path, 10_000_000, one_line=True)
        files["10 MB, one line"] = (path, path.stat().st_size / 1_000_000)

        def scan(tree: Path, path: Path) -> Callable[[], tuple[float, float]]:
            tree_env = {**env, "PYTHONPATH": str(tree)}
            argv = [sys.executable, "-m", "supportcli", "scan", str(path), "--json"]
            return lambda: _run(argv, tree_env)

        # Warm the byte-code caches (and the guard's own cache) before timing.
        for tree in trees.values():
            scan(tree, small)()

        small_cases: dict[str, Callable[[], tuple[float, float]]] = {
            "python -c pass": lambda: _run([sys.executable, "-c", "pass"], env),
        }
        for name, tree in trees.items():
            small_cases[f"scan 1 KB ({name})"] = scan(tree, small)
        times: dict[str, list[float]] = {name: [] for name in small_cases}
        peaks: dict[str, float] = {name: 0.0 for name in small_cases}
        for _ in range(args.rounds):
            for name, case in small_cases.items():
                elapsed, peak = case()
                times[name].append(elapsed)
                peaks[name] = max(peaks[name], peak)
        base = statistics.median(times["python -c pass"])
        print(f"{'case':<34} {'median':>9} {'ratio':>7} {'peak MB':>8}")
        for name in small_cases:
            median = statistics.median(times[name])
            print(f"{name:<34} {median * 1000:>7.1f}ms {median / base:>6.1f}x {peaks[name]:>8.1f}")
        print(f"target: scan 1 KB <= {TARGET_RATIO:g}x python -c pass\n")

        print(f"{'large file':<34} {'wall':>9} {'MB/s net':>9} {'peak MB':>8}")
        for label, (path, mb) in files.items():
            results: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
            for _ in range(args.big_rounds):
                for name, tree in trees.items():
                    results[name].append(scan(tree, path)())
            for name in trees:
                wall = statistics.median(r[0] for r in results[name])
                startup = statistics.median(times[f"scan 1 KB ({name})"])
                net = max(wall - startup, 1e-6)
                peak = max(r[1] for r in results[name])
                print(f"{label + ' (' + name + ')':<34} {wall:>8.2f}s {mb / net:>9.1f} {peak:>8.1f}")
        print(f"targets: >= {TARGET_MBPS:g} MB/s on 10 MB, peak <= {TARGET_PEAK_MB:g} MB at any size")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
