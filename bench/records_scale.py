"""Records at scale: importing a million ledger rows, then finding rows, as whole processes.

    python bench/records_scale.py [--rows 1000000] [--rounds 11] [--keep]

It writes a Ledgers export of `--rows` rows in the documented format (bitfinexcom/bfx-report:
`#,DESCRIPTION,CURRENCY,AMOUNT,BALANCE,DATE,WALLET`, newest first, DD-MM-YY dates in the
Asia/Shanghai zone, balances that add up per currency and wallet, descriptions in the forms of
Bitfinex's own fixtures plus 5 % in other forms the guard has to scan), a Movements export and a
Trades export of 1,000 rows each, into a temporary folder. Then, in fresh processes:

- `supportcli records import … --json`: wall time and peak RSS (the import target is for the
  ledger file alone), then the same import again (every file unchanged);
- `supportcli records find QUERY` (text and `--json`), a flow's lookup (`find_trade` /
  `find_movements` in a bare `python -c`) and a flow filled from the records (abnormal-trade from
  three answers through the engine, its parsers, guard and `FlowAssist`, no draft written), each
  against `python -c pass`, interleaved round by round so machine noise hits both alike; the
  median ratio is reported;
- `supportcli records check --json` once (no target; for scale).

Python byte-code is cached under the temporary folder (PYTHONPYCACHEPREFIX), as an installed
package has it compiled. Targets (issue 14): import < 30 s and < 150 MB peak; find and lookup
< 10x python -c pass. Everything runs under an isolated HOME; nothing of yours is touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from _shared import cli, run_json_with_peak, timed

TARGETS = {"import_seconds": 30.0, "peak_mb": 150.0, "find_ratio": 10.0}
ZONE = ZoneInfo("Asia/Shanghai")
END = dt.datetime(2026, 10, 31, 15, 0, tzinfo=dt.UTC)
TX = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda{:03d}"


def _units(value: int, scale: int = 8) -> str:
    """An integer count of 10^-scale units as the export prints it (no trailing zeros)."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 10 ** scale)
    text = f"{whole}.{frac:0{scale}d}".rstrip("0").rstrip(".")
    return sign + text


def _cell(moment: dt.datetime) -> str:
    return moment.astimezone(ZONE).strftime("%d-%m-%y %H:%M:%S")


def write_ledgers(path: Path, rows: int, seed: int = 14) -> int:
    """`rows` ledger rows, newest first; returns how many have a description the guard must scan."""
    rng = random.Random(seed)
    balances = {("BTC", "exchange"): 12_50000000, ("USD", "exchange"): 250_000_00000000,
                ("USD", "funding"): 5_000_00000000, ("ETH", "margin"): 80_00000000}
    free_form = ("Margin Funding Payment on wallet funding", "Position #{n} funding cost on wallet margin",
                 "Staking reward on wallet exchange", "Affiliate rebate for order {n} on wallet exchange")
    scanned = 0
    step = dt.timedelta(seconds=30)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("#,DESCRIPTION,CURRENCY,AMOUNT,BALANCE,DATE,WALLET\n")
        moment = END
        for i in range(rows):
            r = rng.random()
            if r < 0.40:
                key, amount = ("BTC", "exchange"), rng.randint(-50000000, 50000000)
                description = (f"Exchange {_units(abs(amount))} BTC for USD @ {rng.randint(20000, 70000)}.5 "
                               "on wallet exchange")
            elif r < 0.80:
                key, amount = ("USD", "exchange"), -rng.randint(1, 600_00000000)
                size, price = rng.randint(1, 90) / 100, rng.randint(20000, 70000)
                description = f"Trading fees for {size} BTC (BTCUSD) @ {price} on BFX (0.2%) on wallet exchange"
            elif r < 0.95:
                key, amount = ("USD", "funding"), -rng.randint(1, 10_00000000)
                description = f"Wire Withdrawal #{13_000_000 + i} on wallet funding"
            else:
                key, amount = ("ETH", "margin"), rng.randint(1, 3_00000000)
                description = rng.choice(free_form).format(n=100_000 + i)
                scanned += 1
            balance = balances[key]
            out.write(f"{9_000_000_000 + rows - i},{description},{key[0]},{_units(amount)},{_units(balance)},"
                      f"{_cell(moment)},{key[1]}\n")
            balances[key] = balance - amount  # going back in time
            moment -= step
    return scanned


def write_movements(path: Path, rows: int = 1000) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("#,STARTED,UPDATED,CURRENCY,STATUS,AMOUNT,FEES,DESCRIPTION,TRANSACTION ID,NOTE\n")
        for i in range(rows):
            at = END - dt.timedelta(hours=6 * i)
            amount = "0.5" if i % 2 else "-0.25"
            out.write(f"{13_293_040 - i},{_cell(at)},{_cell(at + dt.timedelta(minutes=30))},BTC,COMPLETED,{amount},"
                      f"-0.0004,bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf{i:05d},{TX.format(i % 1000)},\n")


def write_trades(path: Path, rows: int = 1000) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("#,PAIR,AMOUNT,PRICE,FEE,FEE PERC,FEE CURRENCY,DATE,ORDER ID\n")
        for i in range(rows):
            at = END - dt.timedelta(minutes=17 * i)
            out.write(f"{1_500_000_000 + i},BTC/USD,{'0.1' if i % 2 else '-0.05'},30000,-0.0002,0.20%,BTC,"
                      f"{_cell(at)},{120_000_000 + i}\n")


OPTIONS = ("--date-format", "DD-MM-YY", "--timezone", "Asia/Shanghai", "--json")


def run_import(env: dict[str, str], *files: Path) -> tuple[float, float, dict[str, object]]:
    """(seconds, peak MB, the --json report) of one whole `records import` process."""
    return run_json_with_peak(["records", "import", *map(str, files), *OPTIONS], env)


LOOKUP = (
    "from decimal import Decimal\n"
    "from supportcli.core.paths import AppPaths\n"
    "from supportcli.core.records.lookup import find_movements, find_trade\n"
    "from supportcli.core.records.store import RecordStore\n"
    "store = RecordStore.existing(AppPaths.default().records_db)\n"
    "assert find_trade(store, 1500000500) is not None\n"
    "assert find_movements(store, tx_hash='" + TX.format(7) + "')\n"
)


FLOW_FILL = (
    "import datetime as dt\n"
    "from supportcli.core.flows.assist import FlowAssist\n"
    "from supportcli.core.flows.content import load_flow\n"
    "from supportcli.core.flows.engine import FlowEngine\n"
    "from supportcli.core.pack import resolve_pack\n"
    "from supportcli.core.paths import AppPaths\n"
    "from supportcli.core.prompting.scripted import ScriptedPrompter\n"
    "from supportcli.core.records.store import RecordStore\n"
    "pack = resolve_pack('bitfinex', [], None)\n"
    "store = RecordStore.existing(AppPaths.default().records_db)\n"
    "prompter = ScriptedPrompter({'trade_id': 1500000500, 'balance': '1 BTC', 'description': 'x'})\n"
    "engine = FlowEngine(load_flow(pack, 'abnormal-trade'), prompter, now=dt.datetime.now(dt.UTC),\n"
    "                    manifest=pack.manifest, assist=FlowAssist(records=store))\n"
    "assert engine.run(review=False).records\n"
)


def ratios(env: dict[str, str], rounds: int, rows: int) -> dict[str, float]:
    """Median whole-process time of each case over the median of `python -c pass`, interleaved."""
    ledger_id = str(9_000_000_000 + rows // 2)
    cases = {
        "find ledger id --json": [*cli(), "records", "find", ledger_id, "--json"],
        "find ledger id (table)": [*cli(), "records", "find", ledger_id],
        "find '0.5 BTC' --json": [*cli(), "records", "find", "0.5 BTC", "--json"],
        "find tx hash (table)": [*cli(), "records", "find", TX.format(7)],
        "flow lookup (python -c)": [sys.executable, "-c", LOOKUP],
        "flow filled from records": [sys.executable, "-c", FLOW_FILL],
    }
    for argv in cases.values():  # warm the page cache
        timed(argv, env)
    base: list[float] = []
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        base.append(timed([sys.executable, "-c", "pass"], env))
        for name, argv in cases.items():
            times[name].append(timed(argv, env))
    floor = statistics.median(base)
    out = {name: statistics.median(v) / floor for name, v in times.items()}
    out["python -c pass (ms)"] = floor * 1000
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--keep", action="store_true", help="keep the generated folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="records-scale-"))
    home = work / "home"
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"), "LANG": "en_US.UTF-8",
           "COLUMNS": "120", "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    failed = False
    try:
        ledgers, movements, trades = work / "ledgers.csv", work / "movements.csv", work / "trades.csv"
        started = time.perf_counter()
        scanned = write_ledgers(ledgers, args.rows)
        write_movements(movements)
        write_trades(trades)
        size = ledgers.stat().st_size
        print(f"generated {args.rows} ledger rows ({size / 1e6:.0f} MB, {scanned} in forms the guard scans) "
              f"in {time.perf_counter() - started:.1f} s", flush=True)
        seconds, peak_mb, report = run_import(env, ledgers)
        files = report["files"]
        assert isinstance(files, list)
        print(f"import ledgers: {seconds:.1f} s, peak {peak_mb:.0f} MB, {files[0]['added']} rows added", flush=True)
        small, _, _ = run_import(env, movements, trades)
        again, _, second = run_import(env, ledgers, movements, trades)
        statuses = [f["status"] for f in second["files"]]  # type: ignore[attr-defined,union-attr]
        print(f"import movements + trades: {small:.1f} s; everything again: {again:.1f} s "
              f"({statuses.count('unchanged')} of {len(statuses)} unchanged)", flush=True)
        database = home / "data" / "supportcli" / "records" / "records.sqlite3"
        store_mb = sum(p.stat().st_size for p in database.parent.glob("*")) / 1e6
        print(f"store: {store_mb:.0f} MB ({store_mb * 1e6 / size:.2f}x the ledger CSV)", flush=True)
        check_start = time.perf_counter()
        subprocess.run([*cli(), "records", "check", "--json"], env=env, capture_output=True, check=False)
        print(f"records check --json: {time.perf_counter() - check_start:.1f} s", flush=True)
        measured = ratios(env, args.rounds, args.rows)
        print()
        print(f"{'case':30} {'ratio to python -c pass':>24}")
        for name, value in measured.items():
            if name.endswith("(ms)"):
                print(f"{name:30} {value:>22.1f} ms")
                continue
            ok = value < TARGETS["find_ratio"]
            failed |= not ok
            print(f"{name:30} {value:>23.2f}x {'ok' if ok else 'OVER'}")
        ok_import = seconds < TARGETS["import_seconds"] and peak_mb < TARGETS["peak_mb"]
        failed |= not ok_import
        print(f"\nimport of {args.rows} ledger rows: {seconds:.1f} s (< {TARGETS['import_seconds']:.0f} s), "
              f"peak {peak_mb:.0f} MB (< {TARGETS['peak_mb']:.0f} MB): {'ok' if ok_import else 'OVER'}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
