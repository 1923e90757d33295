"""`supportcli records …` as a user runs it: a zip as the web tool e-mails it, a folder, the questions
an export leaves open answered by options, the guard, JSON shapes, exit codes."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.test_records_checks import ledger_rows
from tests.test_records_formats import (
    ADDRESS,
    LEDGERS,
    MOVEMENTS,
    MOVEMENTS_DATED,
    SEED,
    TRADES,
    TX,
    date_cell,
    export_text,
    trade_rows,
    write_export,
)

STAMP = "FROM_Tue-Nov-14-2023_TO_Wed-Nov-15-2023_ON_2023-11-16T09-00-00.000Z"
OPTIONS = ("--date-format", "DD-MM-YY", "--timezone", "Asia/Shanghai")


def movement_rows(fmt: str = "DD-MM-YY") -> list[list[str]]:
    at = dt.datetime(2023, 11, 14, 23, 13, 20, tzinfo=dt.UTC)
    return [["13293040", date_cell(at, fmt), date_cell(at + dt.timedelta(minutes=27), fmt), "BTC", "COMPLETED",
             "0.5", "0", ADDRESS, TX, ""]]


def web_zip(folder: Path, entries: list[tuple[str, str, list[list[str]]]] | None = None) -> Path:
    """One zip with every file of one request, named as the Reports tool names them."""
    entries = entries or [("trades", TRADES, trade_rows()),
                          ("ledgers", LEDGERS, ledger_rows([("BTC", "exchange", "1")])),
                          ("movements", MOVEMENTS, movement_rows())]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "alice_multiple-exports_2023-11-16T09-00-00.000Z.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for base, header, rows in entries:
            archive.writestr(f"alice_{base}_{STAMP}.csv", export_text(header, rows))
    return path


def store_files(home: Path) -> list[Path]:
    return sorted((home / ".local" / "share" / "supportcli" / "records").glob("*"))


def test_a_zip_as_the_web_tool_mails_it(cli: Runner, tmp_path: Path) -> None:
    archive = web_zip(tmp_path / "Downloads")
    result = cli("records", "import", str(archive), *OPTIONS)
    assert result.exit_code == 0, result.output
    assert "alice_trades_" in result.stdout and "trades, 2 rows: 2 new" in result.stdout
    assert "Times were read as Asia/Shanghai (from --timezone) and are stored in UTC." in result.stdout
    listed = json.loads(cli("records", "list", "--json").stdout)
    assert sorted((s["kind"], s["rows"]) for s in listed) == [("ledgers", 1), ("movements", 1), ("trades", 2)]
    trades = next(s for s in listed if s["kind"] == "trades")
    assert trades["first"] == "2023-11-14T14:13:20+00:00" and trades["timezone"] == "Asia/Shanghai"
    assert trades["file"].endswith(f"alice_trades_{STAMP}.csv") and len(trades["sha256"]) == 64

    again = cli("records", "import", str(archive), "--json")  # known files need neither format nor zone
    assert again.exit_code == 0, again.output
    assert [f["status"] for f in json.loads(again.stdout)["files"]] == ["unchanged"] * 3


def test_a_folder_with_other_reports_and_a_failed_download(cli: Runner, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    write_export(folder / "alice_trades.csv", TRADES, trade_rows())
    (folder / "alice_wallets.csv").write_text("TYPE,CURRENCY,BALANCE\nexchange,BTC,1\n", encoding="utf-8")
    (folder / "alice_ledgers.csv").write_text("message\nYour file could not be completed, please try again\n",
                                              encoding="utf-8")
    result = cli("records", "import", str(folder), *OPTIONS, "--json")
    assert result.exit_code == 1  # the failed download holds no records: the user must know
    files = {Path(f["file"]).name: f for f in json.loads(result.stdout)["files"]}
    assert files["alice_trades.csv"]["status"] == "imported" and files["alice_trades.csv"]["added"] == 2
    assert files["alice_wallets.csv"]["status"] == "skipped"
    assert "failed sign-in" in files["alice_ledgers.csv"]["reason"]


def test_the_same_file_given_twice_is_read_once(cli: Runner, tmp_path: Path) -> None:
    path = write_export(tmp_path / "reports" / "trades.csv", TRADES, trade_rows())
    copy = write_export(tmp_path / "copy-1.csv", TRADES, trade_rows())  # a clashing download, renamed
    (tmp_path / "reports" / "header-only.csv").write_text(LEDGERS + "\n", encoding="utf-8")
    result = cli("records", "import", str(tmp_path / "reports"), str(path), str(copy), "--timezone", "UTC",
                 "--date-format", "DD-MM-YY")
    assert result.exit_code == 0, result.output
    assert f"{copy}: the same content as {path}; read once." in result.stdout
    assert result.stdout.count("trades, 2 rows") == 1
    assert "header-only.csv: ledgers, 0 rows" in result.stdout
    assert sum(s["rows"] for s in json.loads(cli("records", "list", "--json").stdout)) == 2


def test_a_damaged_zip_is_one_clear_line(cli: Runner, tmp_path: Path) -> None:
    archive = web_zip(tmp_path, [("trades", TRADES, trade_rows() * 50)])
    data = bytearray(archive.read_bytes())
    start = data.index(b".csv") + 4  # the member's compressed bytes follow its name
    data[start + 40: start + 60] = b"\x00" * 20
    archive.write_bytes(bytes(data))
    result = cli("records", "import", str(archive), *OPTIONS)
    assert result.exit_code == 2
    assert "could not be read" in result.stderr and "Traceback" not in result.output


def test_a_named_file_that_is_no_export_names_the_columns_expected(cli: Runner, tmp_path: Path) -> None:
    path = tmp_path / "wallets.csv"
    path.write_text("TYPE,CURRENCY,BALANCE\nexchange,BTC,1\n", encoding="utf-8")
    result = cli("records", "import", str(path), *OPTIONS)
    assert result.exit_code == 2
    assert "is not a Bitfinex Reports export" in result.stderr
    assert "trades: #,PAIR,AMOUNT,PRICE,FEE,FEE CURRENCY,DATE,ORDER ID" in result.stderr
    assert "movements: #,DATE,CURRENCY,STATUS,AMOUNT,FEES,DESCRIPTION,TRANSACTION ID" in result.stderr
    assert cli("records", "import", str(tmp_path / "nope.csv")).exit_code == 2


def test_ambiguous_dates_without_a_terminal_exit_2_naming_the_option(cli: Runner, tmp_path: Path) -> None:
    path = write_export(tmp_path / "trades.csv", TRADES, trade_rows())  # 14-11-23: 14 Nov 2023 or 23 Nov 2014
    result = cli("records", "import", str(path), "--timezone", "UTC")
    assert result.exit_code == 2
    assert "--date-format" in result.stderr and "DD-MM-YY, YY-MM-DD" in result.stderr
    assert store_files(tmp_path / "home") == []  # a refused command leaves nothing behind


def test_a_format_the_dates_contradict_exits_2(cli: Runner, tmp_path: Path) -> None:
    path = write_export(tmp_path / "trades.csv", TRADES, trade_rows())
    result = cli("records", "import", str(path), "--date-format", "MM-DD-YY", "--timezone", "UTC")
    assert result.exit_code == 2 and "line 2" in result.stderr and "DD-MM-YY, YY-MM-DD" in result.stderr
    bad = cli("records", "import", str(path), "--date-format", "DD/MM", "--timezone", "UTC")
    assert bad.exit_code == 2 and "--date-format" in bad.stderr


def test_the_zone_comes_from_the_option_then_the_config_else_exit_2(cli: Runner, tmp_path: Path) -> None:
    path = write_export(tmp_path / "movements.csv", MOVEMENTS_DATED,
                        [["13293040", "28-11-23 07:40:02", "BTC", "COMPLETED", "0.5", "0", ADDRESS, TX, ""]])
    missing = cli("records", "import", str(path))
    assert missing.exit_code == 2 and "--timezone" in missing.stderr
    assert cli("records", "import", str(path), "--timezone", "Mars/Olympus").exit_code == 2
    assert cli("config", "set", "timezone", "asia/shanghai").exit_code == 0
    result = cli("records", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "dates read as DD-MM-YY" in result.stdout  # the 28th: no other format fits
    assert "Asia/Shanghai (your configured time zone)" in result.stdout
    found = json.loads(cli("records", "find", "13293040", "--json").stdout)
    assert found["matches"][0]["updated"] == "2023-11-27T23:40:02+00:00" and found["matches"][0]["started"] is None


def test_an_export_with_a_pasted_secret_is_refused_with_line_and_column(cli: Runner, tmp_path: Path) -> None:
    rows = movement_rows()
    rows[0][9] = "backup: " + SEED
    path = write_export(tmp_path / "movements.csv", MOVEMENTS, rows)
    result = cli("records", "import", str(path), *OPTIONS)
    assert result.exit_code == 1
    assert "was NOT imported" in result.stderr
    column = path.read_text(encoding="utf-8").splitlines()[1].index("abandon") + 1
    assert f"movements.csv:2:{column}: recovery phrase" in result.stderr
    assert "abandon" not in result.output  # the secret itself is never shown
    assert json.loads(cli("records", "list", "--json").stdout) == []


def test_rows_that_do_not_parse_are_listed_with_file_and_line(cli: Runner, tmp_path: Path) -> None:
    rows = trade_rows()
    rows.insert(1, ["1500000009", "BTC/USD", "lots", "30000", "-1", "", "USD", "14-11-23 22:13:20", "1"])
    path = write_export(tmp_path / "trades.csv", TRADES, rows, bom=True, crlf=True, cut=12)
    result = cli("records", "import", str(path), *OPTIONS)
    assert result.exit_code == 1
    assert f"{path}:3: AMOUNT: not a number" in result.stderr
    assert f"{path}:4: the last row is cut short" in result.stderr
    assert "trades, 1 row: 1 new" in result.stdout and "nothing was guessed" in result.stderr


def test_find_shows_the_matching_rows(cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("records", "find", "1500000001").exit_code == 1  # nothing imported yet
    cli("records", "import", str(web_zip(tmp_path)), *OPTIONS)
    monkeypatch.setenv("COLUMNS", "160")
    text = cli("records", "find", "1500000001")
    assert text.exit_code == 0
    (row,) = [line for line in text.stdout.splitlines() if line.startswith("trades")]
    assert "BTC/USD buy 0.1 @ 30000, fee -0.0002 BTC, order 120000001" in row
    assert "2023-11-14 14:13:20 UTC" in row and "alice_trades_FROM" in row  # the member's own name
    assert text.stdout.replace("\n", "").replace(" ", "").endswith(f"alice_trades_{STAMP}.csv:3")
    data = json.loads(cli("records", "find", TX, "--json").stdout)
    (match,) = data["matches"]
    assert (match["kind"], match["id"], match["matched"], match["amount"], match["line"]) == (
        "movements", 13293040, "tx_id", "0.5", 2)
    none = cli("records", "find", "0.123", "--json")
    assert none.exit_code == 1 and json.loads(none.stdout)["matches"] == []
    assert cli("records", "find", "what?").exit_code == 2


def test_find_in_a_narrow_terminal_puts_each_row_on_its_own_lines(cli: Runner, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cli("records", "import", str(web_zip(tmp_path)), *OPTIONS)
    monkeypatch.setenv("COLUMNS", "60")
    lines = cli("records", "find", "1500000001").stdout.splitlines()
    assert lines[1].startswith("trades #1500000001  2023-11-14")
    assert lines[2].strip().startswith("BTC/USD buy 0.1")
    assert all(len(line) <= 80 for line in lines[:2])


def test_check_reports_a_planted_balance_gap(cli: Runner, tmp_path: Path) -> None:
    rows = ledger_rows([("USD", "exchange", "100"), ("USD", "exchange", "-40"), ("USD", "exchange", "5")])
    del rows[1]  # the -40 entry
    cli("records", "import", str(write_export(tmp_path / "ledgers.csv", LEDGERS, rows)), *OPTIONS)
    result = cli("records", "check", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    (finding,) = data["findings"]
    assert finding["kind"] == "balance_gap" and finding["ids"] == [9000000001, 9000000003]
    assert finding["rows"] == [{"kind": "ledgers", "id": 9000000001}, {"kind": "ledgers", "id": 9000000003}]
    assert finding["next"] == "supportcli troubleshoot abnormal-trade"
    assert "the balance is 65" in finding["message"] and "105" in finding["message"]
    assert data["checked"]["ledgers"] == 2 and data["more"] == {}
    text = cli("records", "check")
    assert "Ledger balance does not add up" in text.stdout and "Next: supportcli troubleshoot abnormal-trade" in \
        text.stdout
    assert "Import a Logins export" in text.stdout


def test_check_with_nothing_found_exits_0(cli: Runner, tmp_path: Path) -> None:
    assert cli("records", "check").exit_code == 0  # nothing imported
    cli("records", "import", str(web_zip(tmp_path)), *OPTIONS)
    result = cli("records", "check")
    assert result.exit_code == 0 and "No findings in 4 rows checked." in result.stdout


def test_forget_needs_yes_without_a_terminal(cli: Runner, tmp_path: Path) -> None:
    home = tmp_path / "home"
    cli("records", "import", str(web_zip(tmp_path)), *OPTIONS)
    refused = cli("records", "forget")
    assert refused.exit_code == 2 and "--yes" in refused.stderr and store_files(home)
    done = cli("records", "forget", "--yes")
    assert done.exit_code == 0 and "Deleted everything imported" in done.stdout
    assert store_files(home) == [] and json.loads(cli("records", "list", "--json").stdout) == []
    assert "Nothing is imported" in cli("records", "forget").stdout


def test_nothing_is_written_outside_the_data_folder(cli: Runner, tmp_path: Path) -> None:
    archive = web_zip(tmp_path / "in")
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    assert cli("records", "import", str(archive), *OPTIONS).exit_code == 0
    cli("records", "find", "0.5")
    cli("records", "check")
    data = tmp_path / "home" / ".local" / "share" / "supportcli"
    changed = {p for p in tmp_path.rglob("*") if before.get(p) != p.stat().st_mtime_ns}
    assert changed and all(p == data or data in p.parents or p in data.parents for p in changed), changed


def test_chinese_output(cli: Runner, tmp_path: Path) -> None:
    result = cli("--lang", "zh", "records", "import", str(web_zip(tmp_path)), *OPTIONS)
    assert result.exit_code == 0
    assert "成交，共 2 行：新增 2 行" in result.stdout
    assert "时间按 Asia/Shanghai（来自 --timezone）读取" in result.stdout
    check = cli("--lang", "zh", "records", "check")
    assert "已核对 4 行记录，没有发现问题。" in check.stdout
    other = [[str(int(row[0]) + 10), *row[1:]] for row in trade_rows()]
    ambiguous = cli("--lang", "zh", "records", "import", str(write_export(tmp_path / "t.csv", TRADES, other)),
                    "--timezone", "UTC")
    assert ambiguous.exit_code == 2 and "请用 --date-format 指定" in ambiguous.stderr
