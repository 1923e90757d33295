"""Every row of issue 16's table, side by side in one run, as median ratios to a bare `python -c pass`.

    python bench/speed.py [--rounds 11] [--base DIR | --base LABEL=DIR ...] [--sizes 10] [--only WORDS]

Each round runs every case once, in turn, for every tree, so machine noise hits them alike; the
figure of a case is the median of its rounds divided by the median of `python -c pass`.

Rows (targets from issue 16):
- floors: `python -c "import typer"`, a bare typer app with two commands, rich imported, typer and
  questionary imported, and one questionary select (the first question's kind) drawn in a
  pseudo-terminal after importing typer, typer with what a saved draft needs from the standard
  library (e-mail, JSON, zones, TOML, decimal, hashlib): what no command of ours can go under; and
  `supportcli config path`, what every command of ours pays before doing anything (settings,
  paths, the command tree);
- `faq search 提现 --json`, `verify-contact URL`, `scan` of a 1 KB chat text; and, without a target
  (they must not get slower than the tree they are compared with), `faq search 提现` as text,
  `faq show withdraw` and `faq list --json`;
- `troubleshoot abnormal-trade --answers F --json`, end to end (it saves a draft);
- the first prompt of `troubleshoot abnormal-trade` drawn in a pseudo-terminal (pexpect);
- the home screen, `drafts list --json` and `cases list --json` with 200 drafts and 100 cases in the
  data folder, made beforehand through the product's own code (flow engine, drafting, mark-sent,
  cases log and close) in a temporary data folder;
- `scan` throughput on 10 MB of chat text (and each size of `--sizes`, and 10 MB on one single line),
  net of start-up: size / (wall time - the median wall time of the 1 KB scan of the same tree), with
  the peak memory of the whole process (`ru_maxrss` from `wait4`).

Every tree runs from its source with this interpreter: `python -m supportcli` from the temporary
HOME (so the current folder cannot shadow it) with the tree alone first on PYTHONPATH; the run
checks that `supportcli` is imported from the intended tree before measuring. `--base DIR` adds
another tree, e.g. `git worktree add /tmp/speed-base wave2-base` then `--base /tmp/speed-base`.
Exit status 1 when a target of the first tree ("this tree") is not met.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import private_env  # noqa: E402
from guard_scan import write_chat  # noqa: E402  (the same generated chat text as the guard benchmark)

DRAFTS = 200
CASES = 100
# The first question of abnormal-trade, in English: since the flows offer the platform status check,
# whether to check it; before that (wave2-base), whether the first advice step solved it.
FIRST_PROMPT = r"Check Bitfinex's platform status now\?|Did this solve it"
VERIFY_URL = "https://bitfinex-support.com"
ANSWERS = '''trade_id = "12345"
occurred_at = "2026-11-20 14:05"
balance = "1,523.40 usdt"
pair = "tBTCUSD"
description = """
Limit sell at 43000 filled at 41000.
"""
'''
BARE_TYPER = '''
import typer

app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


@app.command()
def hello(name: str = "world") -> None:
    print(name)


@app.command()
def other() -> None:
    pass


app()
'''
# What the first prompt cannot go under: typer and questionary imported, and the same kind of question
# drawn (the first question of abnormal-trade is a select between two answers).
FLOOR_PROMPT = ("import typer, questionary; questionary.select(\"Check Bitfinex's platform status now?\", "
                "choices=['Yes', 'No'], default='No').unsafe_ask()")
# What troubleshoot --answers loads from the standard library to save a draft: the e-mail package
# (.eml), JSON, time zones, TOML (the answers file), decimal (amounts), hashlib (the Message-ID).
DRAFT_STDLIB = "import typer, email.message, email.policy, email.utils, json, zoneinfo, tomllib, decimal, hashlib"
TARGET_MBPS = 20.0
TARGET_PEAK_MB = 64.0


@dataclass
class Case:
    """One row: a callable per tree (or one for all trees: a floor), its target ratio."""

    name: str
    runs: dict[str, Callable[[], float]]
    target: float | None = None
    samples: dict[str, list[float]] = field(default_factory=dict)


# --------------------------------------------------------------------------- running processes

CLOCK = {"clock": "wall"}  # --clock: "cpu" counts the child's user + system time instead of the wall time


def _wait(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Seconds (wall, or CPU with --clock cpu), peak resident memory (MB) and exit status of one
    process, run from HOME."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=env["HOME"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if CLOCK["clock"] == "cpu":
        elapsed = usage.ru_utime + usage.ru_stime
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def _first_prompt(argv: list[str], env: dict[str, str]) -> float:
    """Seconds until the first question is drawn in a 40x120 pseudo-terminal (NaN if it never is)."""
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=env["HOME"], encoding="utf-8", timeout=30,
                          dimensions=(40, 120))
    try:
        child.expect(FIRST_PROMPT)
        elapsed = time.perf_counter() - start
    except (pexpect.EOF, pexpect.TIMEOUT):
        elapsed = float("nan")
    finally:
        # SIGKILL, not SIGINT: an interrupted run would save a session and the next run would first
        # ask whether to resume it.
        child.kill(signal.SIGKILL)
        child.close(force=True)
    return elapsed


# --------------------------------------------------------------------------- the data folder

def make_data(drafts: int, cases: int) -> None:
    """`drafts` saved drafts, `cases` of them marked sent, some with a reply logged, some closed.

    Runs in a child process with the tree under test first on sys.path and XDG_* set by the parent.
    """
    import datetime as dt

    from supportcli.core.cases.logbook import LogRequest, log_entry
    from supportcli.core.cases.sending import ReplyWindow, mark_sent
    from supportcli.core.cases.status import close_case
    from supportcli.core.drafts.service import build_draft, save_draft
    from supportcli.core.drafts.store import DraftStore
    from supportcli.core.flows.answers import read_answers_file
    from supportcli.core.flows.content import load_flow
    from supportcli.core.flows.engine import FlowEngine
    from supportcli.core.pack import load_pack
    from supportcli.core.paths import AppPaths, builtin_packs_dir
    from supportcli.core.prompting.scripted import ScriptedPrompter

    paths = AppPaths.default()
    pack = load_pack(builtin_packs_dir() / "bitfinex", builtin=True)
    flow = load_flow(pack, "abnormal-trade")
    today = dt.date(2026, 11, 27)
    start = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)  # after the answers' trade time
    with tempfile.TemporaryDirectory() as tmp:
        answers_path = Path(tmp) / "answers.toml"
        saved = []
        for i in range(drafts):
            lang = "zh" if i % 3 == 0 else "en"
            text = ANSWERS.replace("12345", str(10_000 + i)).replace(
                "Limit sell at 43000", f"Limit sell number {i} at {43000 + i}")
            answers_path.write_text(text, encoding="utf-8")
            given, tried = read_answers_file(answers_path, flow)
            now = start + dt.timedelta(minutes=30 * i)
            engine = FlowEngine(flow, ScriptedPrompter(given, tried=tried), now=now, zone="Asia/Shanghai",
                                lang=lang, manifest=pack.manifest)
            result = engine.run(review=False)
            draft = build_draft(pack, flow, result, lang=lang, timezone="Asia/Shanghai", sender_name="Alice Li",
                                sender_email="alice@example.com", now=now)
            saved.append(save_draft(draft, paths))
    store = DraftStore(paths)
    window = ReplyWindow.of(pack)
    for i, item in enumerate(saved[:cases]):
        sent_on = today - dt.timedelta(days=i % 7)
        case = mark_sent(paths, store.get(item.id), ticket_number=str(700_000 + i) if i % 2 else None,
                         sent_on=sent_on, channel="ticket", today=today, reply_window=window)
        if i % 3 == 0:
            log_entry(paths, case.id, LogRequest(kind="reply", summary=f"Support asked for the order id ({i})",
                                                 on=sent_on.isoformat()), today=today)
        if i % 5 == 0:
            close_case(paths, case.id, "refunded", today=today)


# --------------------------------------------------------------------------- the run

def _trees(bases: list[str]) -> dict[str, Path]:
    trees = {"this tree": HERE}
    for spec in bases:
        label, _, folder = spec.rpartition("=")
        path = Path(folder).expanduser().resolve()
        if not (path / "supportcli" / "__init__.py").is_file():
            raise SystemExit(f"--base {spec}: no supportcli source tree there")
        trees[label or path.name] = path
    return trees


def _check_tree(label: str, tree: Path, env: dict[str, str]) -> None:
    out = subprocess.run([sys.executable, "-c", "import supportcli; print(supportcli.__file__)"], env=env,
                         cwd=env["HOME"], capture_output=True, text=True, check=False)
    where = Path(out.stdout.strip() or "?").resolve()
    if not where.is_relative_to(tree):
        raise SystemExit(f"{label}: `python -m supportcli` would import {where}, not {tree}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--big-rounds", type=int, default=3, help="rounds for each large scan")
    parser.add_argument("--sizes", default="10", help="large chat sizes in MB, comma-separated (10 has the target)")
    parser.add_argument("--base", action="append", default=[], metavar="[LABEL=]DIR",
                        help="another source tree to measure side by side (repeatable)")
    parser.add_argument("--only", default="", help="only the rows whose name contains one of these words (comma)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall time (the figure of the issue), or the child's CPU time: less sensitive to other "
                             "processes on a busy machine (the pty rows are always wall time)")
    parser.add_argument("--make-data", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_data:
        make_data(DRAFTS, CASES)
        return 0
    CLOCK["clock"] = args.clock
    trees = _trees(args.base)
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    only = [w.strip() for w in args.only.split(",") if w.strip()]

    with tempfile.TemporaryDirectory() as home:
        root = Path(home)
        # Byte code cached (in our own folder, not the trees), as an installed program has it.
        env = private_env(home, TERM="xterm", COLUMNS="120", LINES="40")
        for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "NO_COLOR", "SUPPORTCLI_LANG", "SUPPORTCLI_CONFIG"):
            env.pop(name, None)
        # troubleshoot saves a draft (and the pty run may leave state) on every run: its own data
        # folder, so the listings keep exactly their 200 drafts.
        flow_env = {**env, "XDG_DATA_HOME": f"{home}/flow-data", "XDG_STATE_HOME": f"{home}/flow-state"}
        tree_envs = {label: {**env, "PYTHONPATH": str(tree)} for label, tree in trees.items()}
        flow_envs = {label: {**flow_env, "PYTHONPATH": str(tree)} for label, tree in trees.items()}
        for label, tree in trees.items():
            _check_tree(label, tree, tree_envs[label])

        made = subprocess.run([sys.executable, __file__, "--make-data"], env=tree_envs["this tree"], cwd=home,
                              check=False, capture_output=True, text=True)
        if made.returncode != 0:
            raise SystemExit("making the drafts and cases failed:\n" + made.stderr[-3000:])
        answers = root / "answers.toml"
        answers.write_text(ANSWERS, encoding="utf-8")
        chat = root / "chat-1k.txt"
        write_chat(chat, 1000)
        bare = root / "bare_typer.py"
        bare.write_text(textwrap.dedent(BARE_TYPER), encoding="utf-8")

        py = sys.executable
        statuses: dict[tuple[str, str], int] = {}

        def timed(label: str, argv: list[str], run_env: dict[str, str], row: str) -> Callable[[], float]:
            def run() -> float:
                elapsed, _, code = _wait(argv, run_env)
                statuses[(row, label)] = code
                return elapsed if code in (0, 1) else float("nan")
            return run

        def product(row: str, *cli: str, flow: bool = False, target: float | None = None) -> Case:
            envs = flow_envs if flow else tree_envs
            return Case(row, {label: timed(label, [py, "-m", "supportcli", *cli], envs[label], row)
                              for label in trees}, target)

        def floor(row: str, argv: list[str]) -> Case:
            return Case(row, {"*": timed("*", argv, env, row)})

        rows = [
            floor("python -c pass", [py, "-c", "pass"]),
            floor("floor: import typer", [py, "-c", "import typer"]),
            floor("floor: bare typer app", [py, str(bare), "hello"]),
            floor("floor: import rich.console", [py, "-c", "import rich.console"]),
            floor("floor: import typer, questionary", [py, "-c", "import typer, questionary"]),
            floor("floor: typer + the stdlib a draft needs", [py, "-c", DRAFT_STDLIB]),
            Case("floor: typer + a questionary select (pty)",
                 {"*": lambda: _first_prompt([py, "-c", FLOOR_PROMPT], env)}),
            product("floor: supportcli config path", "config", "path"),
            product("--help", "--help", target=8.0),
            product("faq search 提现 --json", "faq", "search", "提现", "--json", target=8.0),
            product("faq search 提现 (text)", "faq", "search", "提现"),
            product("faq show withdraw", "faq", "show", "withdraw"),
            product("faq list --json", "faq", "list", "--json"),
            product("verify-contact URL", "verify-contact", VERIFY_URL, target=8.0),
            product("scan 1 KB", "scan", str(chat), "--json", target=8.0),
            product("troubleshoot --answers --json", "troubleshoot", "abnormal-trade", "--answers", str(answers),
                    "--json", flow=True, target=12.0),
            Case("first prompt (pty)", {
                label: (lambda e=flow_envs[label]: _first_prompt(
                    [py, "-m", "supportcli", "troubleshoot", "abnormal-trade"], e))
                for label in trees
            }, 14.0),
            product("home screen (200 drafts)", target=10.0),
            product("drafts list --json (200)", "drafts", "list", "--json", target=10.0),
            product("cases list --json (100)", "cases", "list", "--json", target=10.0),
        ]
        rows = [r for r in rows if r.name == "python -c pass" or not only or any(w in r.name for w in only)]
        for row in rows:  # warm the byte-code and the product's own caches
            for run in row.runs.values():
                run()
        for _ in range(args.rounds):
            for row in rows:
                for label, run in row.runs.items():
                    row.samples.setdefault(label, []).append(run())
        failed = _report(rows, trees, statuses)

        if not only or any(w in "scan throughput" for w in only):
            startup = {label: statistics.median(next(r for r in rows if r.name == "scan 1 KB").samples[label])
                       for label in trees} if any(r.name == "scan 1 KB" for r in rows) else dict.fromkeys(trees, 0.0)
            failed |= _throughput(root, trees, tree_envs, sizes, args.big_rounds, startup)
    return 1 if failed else 0


def _median(values: list[float]) -> float:
    kept = [v for v in values if not math.isnan(v)]
    return statistics.median(kept) if len(kept) == len(values) else float("nan")


def _report(rows: list[Case], trees: dict[str, Path], statuses: dict[tuple[str, str], int]) -> bool:
    base = _median(rows[0].samples["*"])
    labels = list(trees)
    print(f"python {sys.version.split()[0]}; ratios to python -c pass ({base * 1000:.1f} ms, {CLOCK['clock']} time); "
          f"median of rounds; load average before: {os.getloadavg()[0]:.2f}\n")
    print("| case | target | " + " | ".join(labels) + " |")
    print("|---|---|" + "---|" * len(labels))
    failed = False
    for row in rows:
        cells = []
        for label in labels if "*" not in row.samples else ["*"]:
            median = _median(row.samples[label])
            if math.isnan(median):
                cells.append(f"n/a (exit {statuses.get((row.name, label), '?')})")
                failed |= label == "this tree"
                continue
            ratio = median / base
            mark = ""
            if row.target is not None:
                ok = ratio <= row.target
                mark = "" if ok else " ✗"
                failed |= label == "this tree" and not ok
            cells.append(f"{ratio:.1f}x ({median * 1000:.0f} ms){mark}")
        if "*" in row.samples:
            cells = cells * len(labels)
        floor = "*" in row.samples or row.name.startswith("floor")
        target = f"<= {row.target:g}x" if row.target is not None else "floor" if floor else "-"
        print(f"| {row.name} | {target} | " + " | ".join(cells) + " |")
    print()
    return failed


def _throughput(root: Path, trees: dict[str, Path], envs: dict[str, dict[str, str]], sizes: list[float],
                rounds: int, startup: dict[str, float]) -> bool:
    files: list[tuple[str, Path, float]] = []
    for mb in sizes:
        path = root / f"chat-{mb:g}mb.txt"
        write_chat(path, int(mb * 1_000_000))
        files.append((f"scan {mb:g} MB", path, path.stat().st_size / 1_000_000))
    one_line = root / "chat-10mb-one-line.txt"
    write_chat(one_line, 10_000_000, one_line=True)
    files.append(("scan 10 MB, one line", one_line, one_line.stat().st_size / 1_000_000))
    labels = list(trees)
    print(f"scan throughput: MB/s net of start-up (median of {rounds}), peak MB; "
          f"target >= {TARGET_MBPS:g} MB/s on 10 MB, peak <= {TARGET_PEAK_MB:g} MB at any size\n")
    print("| file | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(labels))
    failed = False
    for name, path, mb in files:
        results: dict[str, list[tuple[float, float, int]]] = {label: [] for label in labels}
        for _ in range(rounds):
            for label in labels:
                argv = [sys.executable, "-m", "supportcli", "scan", str(path), "--json"]
                results[label].append(_wait(argv, envs[label]))
        cells = []
        for label in labels:
            if any(code not in (0, 1) for _, _, code in results[label]):
                cells.append("n/a (failed)")
                failed |= label == "this tree"
                continue
            wall = statistics.median(r[0] for r in results[label])
            peak = max(r[1] for r in results[label])
            rate = mb / max(wall - startup[label], 1e-6)
            if label == "this tree":
                failed |= peak > TARGET_PEAK_MB or (name == "scan 10 MB" and rate < TARGET_MBPS)
            cells.append(f"{rate:.1f} MB/s, {peak:.0f} MB ({wall:.2f} s)")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
