"""Reports CSVs built from the documented formats: kinds from headers, the six date formats, cells, files.

The builders here (headers, `date_cell`, `write_export`) are shared by the other records tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from supportcli.core.records import dates, inference
from supportcli.core.records.kinds import identify
from supportcli.core.records.reader import NotAnExport, Source, expand, open_export
from supportcli.core.records.rows import CellError, LedgerRow, MovementRow, TradeRow, parse_decimal, row_parser

# The header rows the Reports tool writes (bfx-report `report.file.job.data.js`; the desktop app adds
# the USD columns; Movements had one DATE column until 2025-09-16).
TRADES = "#,PAIR,AMOUNT,PRICE,FEE,FEE PERC,FEE CURRENCY,DATE,ORDER ID"
LEDGERS = "#,DESCRIPTION,CURRENCY,AMOUNT,BALANCE,DATE,WALLET"
LEDGERS_DESKTOP = "#,DESCRIPTION,CURRENCY,AMOUNT,AMOUNT USD,BALANCE,BALANCE USD,DATE,WALLET"
MOVEMENTS = "#,STARTED,UPDATED,CURRENCY,STATUS,AMOUNT,FEES,DESCRIPTION,TRANSACTION ID,NOTE"
MOVEMENTS_DATED = "#,DATE,CURRENCY,STATUS,AMOUNT,FEES,DESCRIPTION,TRANSACTION ID,NOTE"
MOVEMENTS_DESKTOP = "#,STARTED,UPDATED,CURRENCY,STATUS,AMOUNT,AMOUNT USD,FEES,DESCRIPTION,TRANSACTION ID,NOTE"
ORDERS = ("#,PAIR,TYPE,PREVIOUS ORDER TYPE,AMOUNT,EXECUTED AMOUNT,PRICE,AVERAGE EXECUTION PRICE,TRAILING PRICE,"
          "CREATED,UPDATED,STATUS,METADATA")
LOGINS = "#,IP,DATE"

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
TX = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b"
ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
SEED = "abandon ability able about above absent absorb abstract absurd abuse access accident"

_TOKENS = {"YYYY": "%Y", "YY": "%y", "MM": "%m", "DD": "%d"}


def date_cell(moment: dt.datetime, fmt: str = "DD-MM-YY", *, zone: str = "UTC", ms: bool = False) -> str:
    """A DATE cell as the Reports tool writes it: `<format> HH:mm:ss[.SSS]` in the export's zone."""
    local = moment.astimezone(ZoneInfo(zone))
    day = "-".join(local.strftime(_TOKENS[part]) for part in fmt.split("-"))
    text = f"{day} {local:%H:%M:%S}"
    return text + f".{local.microsecond // 1000:03d}" if ms else text


def export_text(header: str, rows: list[list[str]], *, crlf: bool = False, bom: bool = False,
                cut: int = 0) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header.split(","))
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8")
    if cut:
        data = data[:-cut]
    return (b"\xef\xbb\xbf" if bom else b"") + data


def write_export(path: Path, header: str, rows: list[list[str]], **options: bool | int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(export_text(header, rows, **options))  # type: ignore[arg-type]
    return path


def trade_rows(fmt: str = "DD-MM-YY", zone: str = "UTC") -> list[list[str]]:
    first = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    return [
        ["1500000002", "BTC/USD", "-0.05", "30100", "-3.01", "0.20%", "USD",
         date_cell(first + dt.timedelta(seconds=61), fmt, zone=zone), "120000002"],
        ["1500000001", "BTC/USD", "0.1", "30000", "-0.0002", "0.20%", "BTC", date_cell(first, fmt, zone=zone),
         "120000001"],
    ]


def records_of(path: Path) -> list[list[str]]:
    with open_export(Source(str(path), path)) as opened:
        return [r.cells for r in opened.records]


# --------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(("header", "kind", "variant"), [
    (TRADES, "trades", ""), (LEDGERS, "ledgers", ""), (LEDGERS_DESKTOP, "ledgers", ""),
    (MOVEMENTS, "movements", ""), (MOVEMENTS_DATED, "movements", "dated"), (MOVEMENTS_DESKTOP, "movements", ""),
    (ORDERS, "orders", ""), (LOGINS, "logins", ""),
    ("#,PAIR,AMOUNT,PRICE,FEE,FEE CURRENCY,DATE,ORDER ID", "trades", ""),  # order trades: no FEE PERC
])
def test_the_kind_comes_from_the_header(header: str, kind: str, variant: str) -> None:
    layout = identify(header.split(","))
    assert layout is not None
    assert (layout.kind, layout.spec.variant) == (kind, variant)


def test_desktop_columns_move_the_others_along() -> None:
    layout = identify(LEDGERS_DESKTOP.split(","))
    assert layout is not None
    assert layout.index("balance") == 5 and layout.index("date") == 7 and layout.index("balance_usd") == 6


@pytest.mark.parametrize("header", [
    "TYPE,CURRENCY,BALANCE,UNSETTLED INTEREST,BALANCE AVAILABLE",  # a Wallets export
    "#,PAIR,AMOUNT,BASE PRICE,CLOSE PRICE,P/L,P/L%,STATUS,UPDATED,CREATED",  # positions
    "message", "#,#,IP,DATE", "",
])
def test_other_headers_are_not_exports(header: str) -> None:
    assert identify(header.split(",")) is None


# --------------------------------------------------------------------------- dates

MOMENTS = [dt.datetime(2023, 11, 28, 22, 13, 20, tzinfo=dt.UTC), dt.datetime(2024, 2, 3, 9, 5, 1, tzinfo=dt.UTC)]


@pytest.mark.parametrize("fmt", dates.FORMATS)
def test_every_format_is_inferred_when_the_data_proves_it(fmt: str) -> None:
    # The 28th: 28 cannot be a month, and as a two-digit year it is 2028, after NOW; a four-digit
    # field is the year. So each format's own cells fit it alone.
    cells = [(i + 2, date_cell(m, fmt)) for i, m in enumerate(MOMENTS)]
    evidence = inference.infer(cells, NOW)
    assert evidence.ordered() == [fmt]


def test_ambiguous_two_digit_dates_stay_ambiguous() -> None:
    evidence = inference.infer([(2, "14-11-23 22:13:20")], NOW)
    assert evidence.ordered() == ["DD-MM-YY", "YY-MM-DD"]  # 14 Nov 2023 or 23 Nov 2014: the data cannot tell
    assert evidence.telling_samples() == ["14-11-23 22:13:20"]


def test_a_reading_in_the_future_is_ruled_out() -> None:
    # 10-11-28: 10 Nov 2028 (future) or 28 Nov 2010 or 11 Oct 2028 (future): only YY-MM-DD is left.
    evidence = inference.infer([(2, "10-11-28 08:00:00")], NOW)
    assert evidence.ordered() == ["YY-MM-DD"]
    assert evidence.ruled_out["DD-MM-YY"] == (2, "10-11-28 08:00:00")


def test_dates_that_fit_no_format_say_which_line_ruled_out_the_last() -> None:
    evidence = inference.infer([(2, "25-11-23 00:00:00"), (3, "11-25-23 00:00:00"), (4, "23-11-25 00:00:00")], NOW)
    assert not evidence.candidates
    assert evidence.last_straw == (3, "11-25-23 00:00:00")


def test_times_are_read_in_the_zone_given_and_stored_in_utc() -> None:
    reader = dates.DateReader("DD-MM-YY", "Asia/Shanghai")
    expected = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    assert reader.read("15-11-23 06:13:20") == int(expected.timestamp()) * 1000
    assert dates.utc_text(reader.read("15-11-23 06:13:20.250")) == "2023-11-14 22:13:20.250 UTC"


def test_daylight_saving_is_applied_and_a_skipped_time_is_refused() -> None:
    reader = dates.DateReader("YYYY-MM-DD", "Europe/London")
    assert dates.utc_text(reader.read("2024-07-01 12:00:00")) == "2024-07-01 11:00:00 UTC"  # BST
    assert dates.utc_text(reader.read("2024-01-01 12:00:00")) == "2024-01-01 12:00:00 UTC"
    with pytest.raises(dates.DateError) as raised:
        reader.read("2024-03-31 01:30:00")  # the clocks jumped from 01:00 to 02:00
    assert raised.value.reason == "records.row.no_such_time"


def test_a_cell_marked_utc_keeps_its_zone() -> None:
    reader = dates.DateReader("YYYY-MM-DD", "Asia/Tokyo")
    assert dates.utc_text(reader.read("2023-11-14 22:13:20 UTC")) == "2023-11-14 22:13:20 UTC"
    evidence = inference.infer([(2, "2023-11-14 22:13:20 UTC")], NOW)
    assert not evidence.local_times


@pytest.mark.parametrize("cell", ["14/11/2023 22:13", "14.11.2023 22:13:20", "14-11-2023"])
def test_a_spreadsheet_resave_is_still_read(cell: str) -> None:
    reader = dates.DateReader("DD-MM-YYYY", "UTC")
    assert dates.utc_text(reader.read(cell)).startswith("2023-11-14")


@pytest.mark.parametrize("cell", ["31-02-23 00:00:00", "14-11-23 24:00:00", "yesterday", "14-11-23 22:61:00", ""])
def test_impossible_dates_are_refused(cell: str) -> None:
    with pytest.raises(dates.DateError):
        dates.DateReader("DD-MM-YY", "UTC").read(cell)


def test_format_names_are_forgiving_about_case_and_separators() -> None:
    assert dates.normalize_format("dd/mm/yy") == "DD-MM-YY"
    assert dates.normalize_format("yyyy.mm.dd") == "YYYY-MM-DD"
    assert dates.normalize_format("DD-MM") is None


# --------------------------------------------------------------------------- rows


def _parse(header: str, cells: list[str]) -> object:
    layout = identify(header.split(","))
    assert layout is not None
    return row_parser(layout, dates.DateReader("DD-MM-YY", "UTC"))(cells)


def test_a_trade_row_is_typed_with_exact_signed_decimals() -> None:
    row = _parse(TRADES, trade_rows()[0])
    assert isinstance(row, TradeRow)
    assert (row.pair, row.amount, row.price, row.fee, row.order_id) == (
        "BTC/USD", Decimal("-0.05"), Decimal("30100"), Decimal("-3.01"), 120000002)
    assert row.time == dt.datetime(2023, 11, 14, 22, 14, 21, tzinfo=dt.UTC)


@pytest.mark.parametrize(("written", "pair"), [("tBTCUSD", "BTC/USD"), ("tBTCF0:USTF0", "BTCF0/USTF0"),
                                               ("btc:usd", "BTC/USD"), ("BTC/UST", "BTC/UST")])
def test_pairs_are_written_one_way(written: str, pair: str) -> None:
    cells = trade_rows()[0]
    cells[1] = written
    row = _parse(TRADES, cells)
    assert isinstance(row, TradeRow) and row.pair == pair


@pytest.mark.parametrize(("cell", "value"), [("1e-7", Decimal("1E-7")), ("-0.00001", Decimal("-0.00001")),
                                             ("1,234.5", Decimal("1234.5")), (" 12 ", Decimal(12))])
def test_numbers_as_javascript_and_spreadsheets_write_them(cell: str, value: Decimal) -> None:
    assert parse_decimal(cell, "AMOUNT") == value


@pytest.mark.parametrize("cell", ["NaN", "Infinity", "-inf", "1_000", "1e400", "abc", "", "0x10"])
def test_what_is_no_amount_is_refused(cell: str) -> None:
    with pytest.raises(CellError) as raised:
        parse_decimal(cell, "AMOUNT")
    assert raised.value.column == "AMOUNT"


def test_a_bad_cell_names_its_column() -> None:
    cells = trade_rows()[0]
    cells[0] = "15000x"
    with pytest.raises(CellError) as raised:
        _parse(TRADES, cells)
    assert (raised.value.column, raised.value.reason) == ("#", "records.row.bad_id")


def test_old_and_new_movements_columns_give_the_same_row() -> None:
    started = date_cell(dt.datetime(2023, 11, 14, 23, 13, 20, tzinfo=dt.UTC))
    updated = date_cell(dt.datetime(2023, 11, 14, 23, 40, 2, tzinfo=dt.UTC))
    new = _parse(MOVEMENTS, ["13293040", started, updated, "BTC", "COMPLETED", "-0.5", "-0.0004", ADDRESS, TX, ""])
    old = _parse(MOVEMENTS_DATED, ["13293040", updated, "BTC", "COMPLETED", "-0.5", "-0.0004", ADDRESS, TX, ""])
    desktop = _parse(MOVEMENTS_DESKTOP,
                     ["13293040", started, updated, "BTC", "COMPLETED", "-0.5", "-15000", "-0.0004", ADDRESS, TX, ""])
    assert isinstance(new, MovementRow) and isinstance(old, MovementRow)
    assert old.started is None and new.started is not None and old.updated == new.updated
    assert new == desktop
    assert new.is_withdrawal and new.tx_id == TX and new.address == ADDRESS


def test_a_ledger_without_wallet_cell_takes_it_from_the_description() -> None:
    row = _parse(LEDGERS, ["1", "Crypto Withdrawal fee on wallet exchange", "BTC", "-0.0004", "1.5",
                           "14-11-23 22:13:20", ""])
    assert isinstance(row, LedgerRow) and row.wallet == "exchange"


# --------------------------------------------------------------------------- files


def test_bom_crlf_and_quoted_fields_with_commas_and_line_breaks(tmp_path: Path) -> None:
    rows = [["9000000002", "Exchange 0.1 BTC for USD @ 30000 on wallet exchange", "BTC", "0.1", "0.1",
             "14-11-23 22:13:20", "exchange"],
            ["9000000001", 'Note, with "quotes"\nand a line break', "USD", "-3000", "2000", "14-11-23 22:13:20",
             "exchange"]]
    path = write_export(tmp_path / "ledgers.csv", LEDGERS, rows, bom=True, crlf=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf#,DESCRIPTION")
    assert records_of(path) == rows


def test_a_semicolon_file_saved_by_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "trades.csv"
    path.write_text(TRADES.replace(",", ";") + "\n" + ";".join(trade_rows()[0]) + "\n", encoding="utf-8")
    assert records_of(path) == [trade_rows()[0]]


def test_a_truncated_last_line_is_marked(tmp_path: Path) -> None:
    path = write_export(tmp_path / "trades.csv", TRADES, trade_rows(), cut=20)
    with open_export(Source(str(path), path)) as opened:
        records = list(opened.records)
    assert [r.last for r in records] == [False, True]
    assert len(records[1].cells) < 9 and records[1].line == 3


@pytest.mark.parametrize(("content", "reason"), [
    (b"message\nYour file could not be completed, please try again\n", "records.import.reason.auth_failure"),
    (b"", "records.import.reason.empty"),
    (b"\xef\xbb\xbf\r\n", "records.import.reason.empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "records.import.reason.not_text"),
    (b"TYPE,CURRENCY,BALANCE\nexchange,BTC,1\n", "records.import.reason.other_csv"),
])
def test_what_is_no_export_says_why(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(NotAnExport) as raised, open_export(Source(str(path), path)):
        pass
    assert raised.value.reason == reason


def test_a_line_too_long_for_memory_is_reported_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from supportcli.core.records import reader

    monkeypatch.setattr(reader, "MAX_LINE_CHARS", 200)
    path = tmp_path / "logins.csv"
    path.write_text(f"{LOGINS}\n1,{'9' * 1000},14-11-23 22:13:20\n2,1.2.3.4,14-11-23 22:13:20\n", encoding="utf-8")
    with open_export(Source(str(path), path)) as opened:
        records = list(opened.records)
    assert [(r.line, r.problem) for r in records] == [(2, "records.row.line_too_long"), (3, "")]


def test_folders_and_zips_are_expanded_hidden_files_left_out(tmp_path: Path) -> None:
    import zipfile

    write_export(tmp_path / "in" / "b_trades.csv", TRADES, trade_rows())
    write_export(tmp_path / "in" / ".hidden.csv", TRADES, trade_rows())
    with zipfile.ZipFile(tmp_path / "in" / "a.zip", "w") as archive:
        archive.writestr("alice_ledgers.csv", "x")
        archive.writestr("__MACOSX/._alice_ledgers.csv", "x")
        archive.writestr("readme.txt", "x")
    (tmp_path / "in" / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    sources, unreadable = expand([tmp_path / "in", tmp_path / "missing.csv"])
    assert [s.name.rsplit("/", 1)[-1] for s in sources] == ["a.zip:alice_ledgers.csv", "b_trades.csv"]
    assert [(Path(u.name).name, bool(u.reason)) for u in unreadable] == [("broken.zip", True), ("missing.csv", False)]


def test_every_records_message_key_in_the_code_exists_in_both_languages() -> None:
    """Reasons travel as keys (`records.row.bad_number`) and are rendered later: each must exist."""
    import ast
    import re

    from supportcli.core import i18n

    root = Path(__file__).resolve().parent.parent / "supportcli"
    files = [*(root / "core" / "records").glob("*.py"), root / "commands" / "records_cmd.py",
             root / "term" / "records_view.py"]
    keys = {
        node.value for path in files for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and re.fullmatch(r"records\.[a-z_]+(\.[a-z_]+)+", node.value) and not node.value.endswith("_")
    }  # (a piece of an f-string such as f"records.import.zone_from_{origin}" ends in "_")
    assert len(keys) > 40
    missing = sorted(k for k in keys if i18n.lookup(k, "en") is None or i18n.lookup(k, "zh") is None)
    assert not missing, missing
