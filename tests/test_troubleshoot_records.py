"""End to end through the CLI: `records import`, then a flow whose answers file gives only what the
records cannot know; the ticket cites the rows, and only those rows are written beside it."""

from __future__ import annotations

import csv
import io
import json
import stat
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.test_flows_records import TRADE_AT, movement
from tests.test_records_formats import ADDRESS, MOVEMENTS, ORDERS, TRADES, TX, date_cell, trade_rows, write_export

THREE = '''trade_id = 1500000002
balance = "1523.40 USDT"
description = "My limit sell filled below my limit."
'''


@pytest.fixture
def imported(cli: Runner, tmp_path: Path) -> Path:
    """The trades, orders and movements of tests.test_flows_records, imported as the user would."""
    folder = tmp_path / "exports"
    orders = [["120000002", "BTC/USD", "EXCHANGE LIMIT", "", "-0.05", "-0.05", "30150", "30100", "",
               date_cell(TRADE_AT), date_cell(TRADE_AT), "EXECUTED @ 30100.0(-0.05)", ""]]
    write_export(folder / "alice_trades.csv", TRADES, trade_rows())
    write_export(folder / "alice_orders.csv", ORDERS, orders)
    write_export(folder / "alice_movements.csv", MOVEMENTS, [movement("13293040", TRADE_AT, "COMPLETED", "0.5",
                                                                      ADDRESS, TX)])
    r = cli("records", "import", str(folder), "--date-format", "DD-MM-YY", "--timezone", "UTC")
    assert r.exit_code == 0, r.output
    return folder


def _answers(tmp_path: Path, text: str = THREE) -> Path:
    path = tmp_path / "answers.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_three_answers_complete_abnormal_trade_from_the_records(cli: Runner, imported: Path, tmp_path: Path) -> None:
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(_answers(tmp_path)), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    answers = data["answers"]
    assert answers["pair"] == "BTC/USD"
    assert answers["occurred_at"] == "2023-11-14T22:14:21+00:00"
    assert (answers["order_id"], answers["fill_price"], answers["order_price"]) == (120000002, "30100 USD",
                                                                                    "30150 USD")
    assert data["records"] == [
        {"kind": "trades", "id": 1500000002, "file": "alice_trades.csv", "line": 2,
         "answers": ["order_id", "pair", "occurred_at", "fill_price"]},
        {"kind": "orders", "id": 120000002, "file": "alice_orders.csv", "line": 2, "answers": ["order_price"]},
    ]
    assert "taken from your Trades export, row #1500000002 (alice_trades.csv, line 2)" in r.stderr
    # The ticket cites the rows and lists only them as evidence.
    ticket = Path(data["ticket"]).read_text(encoding="utf-8")
    assert "## From my records and public data" in ticket
    assert ("- From my Trades export, row #1500000002 (alice\\_trades.csv, line 2): sold 0.05 BTC on BTC/USD at "
            "30100, fee -3.01 USD, at 2023-11-14 22:14:21 UTC, order #120000002.") in ticket
    assert "Taken from this row in the details above: Order ID, Trading pair, Time, Fill price." in ticket
    assert "order_price: taken from your Orders export, row #120000002 (alice_orders.csv, line 2)" in r.stderr
    assert "- [ ] Only the rows of my Trades export this ticket is about (#1500000002), as a CSV file" in ticket
    # One small CSV per export, 0600, beside the ticket, listed in the sidecar and in --json.
    trades, orders = (Path(p) for p in data["records_csv"])
    assert trades.name == f"{data['id']}.trades.csv"
    assert orders.name == f"{data['id']}.orders.csv"
    assert trades.parent == Path(data["ticket"]).parent
    assert stat.S_IMODE(trades.stat().st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(trades.read_text(encoding="utf-8"))))
    assert rows[0] == ["#", "PAIR", "AMOUNT", "PRICE", "FEE", "FEE PERC", "FEE CURRENCY", "DATE", "ORDER ID"]
    assert [row[0] for row in rows[1:]] == ["1500000002"]  # never the whole history (1500000001 stays out)
    sidecar = tomllib.loads(Path(data["sidecar"]).read_text(encoding="utf-8"))
    assert sidecar["records_csv"] == [trades.name, orders.name]
    assert [(r["kind"], r["id"]) for r in sidecar["records"]] == [("trades", 1500000002), ("orders", 120000002)]


def test_the_citation_reads_in_chinese(cli: Runner, imported: Path, tmp_path: Path) -> None:
    r = cli("--lang", "zh", "troubleshoot", "abnormal-trade", "--answers", str(_answers(tmp_path)), "--json")
    assert r.exit_code == 0, r.output
    ticket = Path(json.loads(r.stdout)["ticket"]).read_text(encoding="utf-8")
    assert "## 来自我的记录和公开数据" in ticket
    assert ("取自我的成交（Trades）导出文件中编号 #1500000002 的记录（alice\\_trades.csv 第 2 行）："
            "2023-11-14 22:14:21 UTC 在 BTC/USD 上卖出 0.05 BTC，成交价 30100，手续费 -3.01 USD，"
            "订单 #120000002。") in ticket
    assert "上面详细信息中取自这条记录的有：订单 ID、交易对、发生时间、成交价格。" in ticket
    assert "本工单涉及的成交（Trades）记录（#1500000002），已单独导出为一个 CSV 文件" in ticket
    assert "Trades export" not in ticket


def test_a_file_value_differing_from_the_records_wins_and_stderr_says_so(
    cli: Runner, imported: Path, tmp_path: Path,
) -> None:
    text = THREE + 'fill_price = "30090 USD"\n'
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(_answers(tmp_path, text)), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["answers"]["fill_price"] == "30090 USD"
    assert "fill_price: your answer 30090 USD is kept; your Trades export, row #1500000002" in r.stderr
    assert "says 30100 USD" in r.stderr


def test_without_imported_records_the_same_file_names_the_missing_answer(cli: Runner, tmp_path: Path) -> None:
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(_answers(tmp_path)))
    assert r.exit_code == 2
    assert "pair" in r.stderr


def test_the_rows_go_with_the_draft_into_the_case_and_its_bundle(cli: Runner, imported: Path, tmp_path: Path) -> None:
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(_answers(tmp_path)), "--json")
    data = json.loads(r.stdout)
    sent = cli("drafts", "mark-sent", data["id"], "--ticket-number", "123456", "--json")
    assert sent.exit_code == 0, sent.output
    case_id = json.loads(sent.stdout)["case_id"]
    bundled = cli("cases", "bundle", case_id, "--json")
    assert bundled.exit_code == 0, bundled.output
    names = [f["path"] for f in json.loads(bundled.stdout)["files"]]
    assert "records/trades.csv" in names
    assert "records/orders.csv" in names
    with zipfile.ZipFile(json.loads(bundled.stdout)["path"]) as archive:
        member = next(n for n in archive.namelist() if n.endswith("records/trades.csv"))
        assert "1500000002" in archive.read(member).decode("utf-8")


def test_removing_the_draft_removes_its_rows_too(cli: Runner, imported: Path, tmp_path: Path) -> None:
    data = json.loads(cli("troubleshoot", "abnormal-trade", "--answers", str(_answers(tmp_path)), "--json").stdout)
    rows = [Path(p) for p in data["records_csv"]]
    r = cli("drafts", "rm", data["id"], "--yes")
    assert r.exit_code == 0, r.output
    assert not any(p.exists() for p in rows)


def test_the_rows_are_written_to_output_beside_the_ticket(cli: Runner, imported: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(_answers(tmp_path)), "--output", str(out), "--json")
    data = json.loads(r.stdout)
    assert {Path(p).parent for p in data["records_csv"]} == {out.resolve()}
    shown = cli("troubleshoot", "abnormal-trade", "--answers", str(_answers(tmp_path)))
    assert "Rows:   " in shown.stdout
    assert ".trades.csv (only the rows of your records the ticket cites; attach it)" in shown.stdout


def test_an_amount_and_a_time_complete_deposit_missing_from_the_records(
    cli: Runner, imported: Path, tmp_path: Path,
) -> None:
    r = cli("troubleshoot", "deposit-missing", "--answers",
            str(_answers(tmp_path, 'amount = "0.5 BTC"\nsent_at = "2023-11-14 22:00 UTC"\n')), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["answers"]["tx_hash"], data["answers"]["deposit_address"]) == (TX, ADDRESS)
    ticket = Path(data["ticket"]).read_text(encoding="utf-8")
    assert ("From my Movements export, row #13293040 (alice\\_movements.csv, line 2): deposit of 0.5 BTC, "
            "status COMPLETED") in ticket


def test_the_template_says_which_answers_the_records_can_give(cli: Runner) -> None:
    r = cli("troubleshoot", "abnormal-trade", "--template")
    block = r.stdout.split("# Trading pair\n", 1)[1].split("\n\n", 1)[0]
    assert "# taken from your imported records (supportcli records import) when trade_id is found there" in block
    balance = r.stdout.split("# The balance of the affected asset", 1)[1].split("\n\n", 1)[0]
    assert "imported records" not in balance
    zh = cli("--lang", "zh", "troubleshoot", "withdrawal-delayed", "--template")
    assert "如果在你导入的记录（supportcli records import）里找到 withdrawal_id，就从记录里取" in zh.stdout


def test_at_the_keyboard_the_records_answer_after_one_yes(cli: Runner, imported: Path) -> None:
    from tests.keys import ENTER, ESC_ENTER

    keys = (ENTER + ENTER + ENTER + ENTER          # the status check (No), two self-help steps, what_kind
            + "1500000002" + ENTER                 # the trade id: found in the records
            + ENTER                                # use these? Yes (the default)
            + ENTER                                # the market check? No (the default)
            + "1523.40 USDT" + ENTER + "It filled below my limit." + ESC_ENTER + ENTER
            + ENTER                                # the summary looks right
            + ENTER)                               # save the draft
    r = cli("troubleshoot", "abnormal-trade", keys=keys)
    assert r.exit_code == 0, r.output
    shown = r.stdout + r.screen
    assert "Found in your Trades export, row #1500000002 (alice_trades.csv, line 2):" in shown
    assert "Use these answers?" in shown
    assert "BTC/USD  (from your records)" in shown  # on the summary
    assert "Rows:   " in r.stdout
    ticket = Path(next(line.split(": ", 1)[1] for line in r.stdout.splitlines() if line.startswith("Ticket:")))
    assert "From my Trades export, row #1500000002" in ticket.read_text(encoding="utf-8")


def test_a_flow_without_imported_records_loads_neither_sqlite_nor_the_records_modules(tmp_path: Path) -> None:
    """Nothing imported: `troubleshoot --answers` pays nothing for the records (sqlite3 alone is 2 ms,
    the records modules 10 ms of a start-up budget of 12x `python -c pass`)."""
    import os
    import subprocess
    import sys

    answers = tmp_path / "answers.toml"
    answers.write_text('trade_id = "12345"\noccurred_at = "2026-11-20 14:05 UTC"\nbalance = "1,523.40 usdt"\n'
                       'pair = "tBTCUSD"\ndescription = "A sell I did not place."\n', encoding="utf-8")
    code = (
        "import sys, io, contextlib\n"
        "from supportcli.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(sys.argv[1:])\n"
        "loaded = sorted(m for m in sys.modules if m == 'sqlite3' or m.startswith('supportcli.core.records'))\n"
        "print('RC=%s LOADED=%s' % (rc, ','.join(loaded)), file=sys.stderr)\n"
    )
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_STATE_HOME": str(tmp_path / "state"), "LANG": "en_US.UTF-8"}
    r = subprocess.run([sys.executable, "-c", code, "--lang", "en", "troubleshoot", "abnormal-trade", "--answers",
                        str(answers), "--json"], capture_output=True, text=True, timeout=60, env=env)
    assert "RC=0 LOADED=\n" in r.stderr, r.stderr[-2000:]
