"""Finding rows, the lookup API flows use, and the small CSV of matching rows a ticket attaches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from supportcli.core.errors import InputError
from supportcli.core.records.find import find, parse_query
from supportcli.core.records.importer import import_file, inspect
from supportcli.core.records.lookup import find_movements, find_trade, rows_csv, write_rows_csv
from supportcli.core.records.reader import Source
from supportcli.core.records.store import RecordStore
from tests.test_records_checks import ledger_rows
from tests.test_records_formats import (
    ADDRESS,
    LEDGERS,
    LOGINS,
    MOVEMENTS,
    NOW,
    ORDERS,
    TRADES,
    TX,
    date_cell,
    trade_rows,
    write_export,
)

DEPOSIT_AT = dt.datetime(2023, 11, 14, 23, 13, 20, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path) -> RecordStore:
    store = RecordStore(tmp_path / "records" / "records.sqlite3")
    movements = [
        ["13293040", date_cell(DEPOSIT_AT), date_cell(DEPOSIT_AT + dt.timedelta(minutes=27)), "BTC", "COMPLETED",
         "0.5", "0", ADDRESS, TX, ""],
        ["13293039", date_cell(DEPOSIT_AT - dt.timedelta(hours=1)), date_cell(DEPOSIT_AT - dt.timedelta(hours=1)),
         "ETH", "CANCELED", "-0.24", "-0.00135", "0x3811a1b2c3d4e5f60718293a4b5c6d7e8f901234", "", "rent"],
    ]
    orders = [["120000001", "BTC/USD", "EXCHANGE LIMIT", "", "0.1", "0.1", "30050", "30000", "",
               date_cell(DEPOSIT_AT), date_cell(DEPOSIT_AT), "EXECUTED @ 30000.0(0.1)", ""]]
    for name, header, rows in (
        ("trades.csv", TRADES, trade_rows(zone="Asia/Shanghai")),
        ("movements.csv", MOVEMENTS, movements),
        ("orders.csv", ORDERS, orders),
        ("ledgers.csv", LEDGERS, ledger_rows([("BTC", "exchange", "0.5"), ("USD", "exchange", "-0.5")])),
        ("logins.csv", LOGINS, [["77", "203.0.113.9", date_cell(DEPOSIT_AT)]]),
    ):
        path = write_export(tmp_path / name, header, rows)
        import_file(store, inspect(Source(path.name, path), store, NOW), "DD-MM-YY",
                    "Asia/Shanghai" if name == "trades.csv" else "UTC")
    return store


def test_find_trade_fills_what_a_flow_asks(store: RecordStore) -> None:
    trade = find_trade(store, 1500000001)
    assert trade is not None
    assert (trade.pair, trade.amount, trade.price, trade.fee, trade.fee_currency, trade.order_id, trade.side) == (
        "BTC/USD", Decimal("0.1"), Decimal("30000"), Decimal("-0.0002"), "BTC", 120000001, "buy")
    assert trade.time == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)  # written in Shanghai time
    assert trade.limit_price == Decimal("30050") and trade.order_type == "EXCHANGE LIMIT"
    assert trade.cite == ("trades.csv", 3)
    other = find_trade(store, 1500000002)
    assert other is not None and other.order is None and other.limit_price is None
    assert find_trade(store, 42) is None


def test_find_movements_by_id_hash_amount_and_time(store: RecordStore) -> None:
    (by_id,) = find_movements(store, id=13293040)
    assert (by_id.kind, by_id.status, by_id.address, by_id.tx_hash, by_id.matched) == (
        "deposit", "COMPLETED", ADDRESS, TX, "id")
    assert by_id.started == DEPOSIT_AT and by_id.updated == DEPOSIT_AT + dt.timedelta(minutes=27)
    assert [m.id for m in find_movements(store, tx_hash=TX.upper())] == [13293040]
    (withdrawal,) = find_movements(store, amount=Decimal("0.24"))
    assert withdrawal.kind == "withdrawal" and withdrawal.amount == Decimal("-0.24")
    assert [m.id for m in find_movements(store, amount=Decimal("0.5"), around=DEPOSIT_AT + dt.timedelta(hours=5))] \
        == [13293040]
    assert find_movements(store, amount=Decimal("0.5"), around=DEPOSIT_AT + dt.timedelta(days=3)) == []
    assert find_movements(store) == []


def test_the_small_csv_holds_only_the_rows_asked_for_and_reimports(store: RecordStore, tmp_path: Path) -> None:
    trade = find_trade(store, 1500000001)
    assert trade is not None
    path = write_rows_csv(tmp_path / "ticket" / "trade-1500000001.csv", [trade.located])
    assert path.read_text(encoding="utf-8") == (
        "#,PAIR,AMOUNT,PRICE,FEE,FEE PERC,FEE CURRENCY,DATE,ORDER ID\n"
        "1500000001,BTC/USD,0.1,30000,-0.0002,0.20%,BTC,2023-11-14 22:13:20 UTC,120000001\n")
    assert path.stat().st_mode & 0o777 == 0o600
    other = RecordStore(tmp_path / "other" / "records.sqlite3")
    inspection = inspect(Source(str(path), path), other, NOW)
    assert sorted(inspection.evidence.candidates) == ["YYYY-MM-DD"] and not inspection.evidence.local_times
    import_file(other, inspection, "YYYY-MM-DD", "Europe/Paris")  # the cells say UTC: the zone does not matter
    again = find_trade(other, 1500000001)
    assert again is not None and again.time == trade.time
    with pytest.raises(ValueError):  # one CSV has one header: one kind of row
        rows_csv([trade.located, find_movements(store, id=13293040)[0].located])


@pytest.mark.parametrize(("query", "expected"), [
    ("1500000001", [("trades", 1500000001, "id")]),
    ("#120000001", [("orders", 120000001, "id"), ("trades", 1500000001, "order_id")]),
    ("13293040", [("movements", 13293040, "id")]),
    ("0.5 btc", [("ledgers", 9000000001, "amount"), ("movements", 13293040, "amount")]),
    ("-0.24", [("movements", 13293039, "amount")]),
    (TX.upper(), [("movements", 13293040, "tx_id")]),
    (ADDRESS, [("movements", 13293040, "address")]),
    ("203.0.113.9", [("logins", 77, "ip")]),
    ("0.5 ETH", []),
    ("bc1qnothing00000000", []),
])
def test_find_by_every_kind_of_query(store: RecordStore, query: str, expected: list[tuple[str, int, str]]) -> None:
    result = find(store, parse_query(query))
    assert sorted((m.located.kind, m.located.row.id, m.matched) for m in result.matches) == sorted(expected)


def test_find_lists_a_limited_number_and_counts_the_rest(store: RecordStore) -> None:
    result = find(store, parse_query("0.5"), limit=1)  # two ledger entries (BTC, USD) and a deposit
    assert len(result.matches) == 1 and result.more == 2


@pytest.mark.parametrize("query", ["", "   ", "#", "what is this?", "short"])
def test_a_query_of_no_known_shape_names_the_argument(query: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_query(query)
    assert raised.value.field == "QUERY"
