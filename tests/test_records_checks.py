"""`records check`: a planted balance gap, pending movements, logins from new addresses, bad fills."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from supportcli.core.records.checks import RowRef, run_checks
from supportcli.core.records.importer import import_file, inspect
from supportcli.core.records.reader import Source
from supportcli.core.records.store import RecordStore
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
    write_export,
)

START = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path) -> RecordStore:
    return RecordStore(tmp_path / "records" / "records.sqlite3")


def load(store: RecordStore, path: Path) -> None:
    import_file(store, inspect(Source(str(path), path), store, NOW), "DD-MM-YY", "UTC")


def ledger_rows(entries: list[tuple[str, str, str]], first_id: int = 9000000001) -> list[list[str]]:
    """Ledger rows, newest first as exported, for (currency, wallet, amount) entries in time order."""
    balances: dict[tuple[str, str], Decimal] = {}
    rows = []
    for n, (currency, wallet, amount) in enumerate(entries):
        key = (currency, wallet)
        balances[key] = balances.get(key, Decimal(0)) + Decimal(amount)
        moment = START + dt.timedelta(minutes=n // 2)  # two entries share each minute: ordered by #
        rows.append([str(first_id + n), f"Exchange {abs(Decimal(amount))} BTC for USD @ 30000 on wallet {wallet}",
                     currency, amount, str(balances[key]), date_cell(moment), wallet])
    return rows[::-1]


ENTRIES = [("USD", "exchange", "5000"), ("BTC", "exchange", "0.1"), ("USD", "exchange", "-3000"),
           ("USD", "exchange", "-6"), ("BTC", "exchange", "-0.0002"), ("USD", "margin", "100"),
           ("USD", "exchange", "250.5"), ("USD", "exchange", "0.00000001")]


def test_a_consistent_ledger_has_no_gap(store: RecordStore, tmp_path: Path) -> None:
    load(store, write_export(tmp_path / "ledgers.csv", LEDGERS, ledger_rows(ENTRIES)))
    report = run_checks(store, NOW)
    assert [f for f in report.findings if f.kind == "balance_gap"] == []
    assert report.checked["ledgers"] == len(ENTRIES)


def test_a_missing_entry_is_a_balance_gap_between_its_neighbours(store: RecordStore, tmp_path: Path) -> None:
    rows = ledger_rows(ENTRIES)
    missing = next(r for r in rows if r[0] == "9000000004")  # USD exchange -6
    rows.remove(missing)
    load(store, write_export(tmp_path / "ledgers.csv", LEDGERS, rows))
    (gap,) = run_checks(store, NOW).findings
    assert gap.kind == "balance_gap" and gap.flow == "abnormal-trade"
    assert gap.rows == (RowRef("ledgers", 9000000003), RowRef("ledgers", 9000000007))
    assert (gap.params["expected"], gap.params["balance"], gap.params["gap"]) == ("2250.5", "2244.5", "-6")


def test_noise_below_the_last_digit_bitfinex_prints_is_no_gap(store: RecordStore, tmp_path: Path) -> None:
    rows = ledger_rows([("BTC", "exchange", "0.1"), ("BTC", "exchange", "0.2")])
    rows[0][4] = "0.30000000000000004"  # 0.1 + 0.2 as JavaScript prints it
    load(store, write_export(tmp_path / "ledgers.csv", LEDGERS, rows))
    assert run_checks(store, NOW).findings == []


def _movement(row_id: int, started: dt.datetime, status: str, amount: str) -> list[str]:
    return [str(row_id), date_cell(started), date_cell(started + dt.timedelta(minutes=5)), "BTC", status, amount,
            "-0.0004" if amount.startswith("-") else "0", ADDRESS, TX if status == "COMPLETED" else "", ""]


def test_withdrawals_pending_past_12_hours_and_deposits_not_completed(store: RecordStore, tmp_path: Path) -> None:
    rows = [
        _movement(1, NOW - dt.timedelta(hours=13), "PROCESSING", "-0.5"),     # withdrawal, past 12 h
        _movement(2, NOW - dt.timedelta(hours=11), "PROCESSING", "-0.5"),     # withdrawal, still within 12 h
        _movement(3, NOW - dt.timedelta(days=3), "COMPLETED", "-0.5"),        # done
        _movement(4, NOW - dt.timedelta(days=3), "CANCELED", "-0.5"),         # final
        _movement(5, NOW - dt.timedelta(hours=2), "UNCONFIRMED", "1.25"),     # deposit not completed
        _movement(6, NOW - dt.timedelta(hours=2), "COMPLETED", "1.25"),       # deposit done
    ]
    load(store, write_export(tmp_path / "movements.csv", MOVEMENTS, rows))
    findings = run_checks(store, NOW).findings
    assert [(f.rows[0].id, f.variant, f.flow) for f in findings] == [
        (1, "withdrawal", "withdrawal-delayed"), (5, "deposit", "deposit-missing")]
    assert findings[0].params["amount"] == "0.5" and findings[0].params["age"] == "13 hours"


def test_a_login_from_a_new_address_before_trades(store: RecordStore, tmp_path: Path) -> None:
    at = START
    logins = [["3", "203.0.113.9", date_cell(at + dt.timedelta(days=2))],   # new address, then a trade
              ["2", "198.51.100.7", date_cell(at + dt.timedelta(days=1))],  # the known address again
              ["1", "198.51.100.7", date_cell(at)]]                         # the first login: nothing to compare
    trades = [["1500000001", "BTC/USD", "-1", "30000", "-6", "0.20%", "USD",
               date_cell(at + dt.timedelta(days=2, hours=3)), "120000001"],
              ["1500000000", "BTC/USD", "0.1", "30000", "-6", "0.20%", "USD",
               date_cell(at + dt.timedelta(hours=1)), "120000000"]]
    load(store, write_export(tmp_path / "logins.csv", LOGINS, logins))
    load(store, write_export(tmp_path / "trades.csv", TRADES, trades))
    (finding,) = run_checks(store, NOW).findings
    assert finding.kind == "new_login_ip" and finding.flow == "abnormal-trade"
    assert finding.rows == (RowRef("logins", 3), RowRef("trades", 1500000001))
    assert finding.params["ip"] == "203.0.113.9"


def _order(order_id: int, order_type: str, amount: str, price: str) -> list[str]:
    created = date_cell(START)
    return [str(order_id), "BTC/USD", order_type, "", amount, amount, price, price, "", created, created,
            f"EXECUTED @ {price}({amount})", ""]


def _fill(trade_id: int, order_id: int, amount: str, price: str) -> list[str]:
    return [str(trade_id), "BTC/USD", amount, price, "-0.1", "0.20%", "USD", date_cell(START), str(order_id)]


def test_fills_worse_than_their_limit_order(store: RecordStore, tmp_path: Path) -> None:
    orders = [_order(1, "EXCHANGE LIMIT", "0.1", "30000"), _order(2, "EXCHANGE LIMIT", "-0.1", "31000"),
              _order(3, "LIMIT", "0.1", "30000"), _order(4, "EXCHANGE STOP LIMIT", "0.1", "30000"),
              _order(5, "EXCHANGE MARKET", "0.1", "0")]
    fills = [_fill(11, 1, "0.1", "30010"),   # bought above its limit
             _fill(12, 2, "-0.1", "30990"),  # sold below its limit
             _fill(13, 3, "0.1", "29990"),   # bought better than its limit: fine
             _fill(14, 4, "0.1", "30500"),   # a stop order's PRICE is its trigger, not a limit
             _fill(15, 5, "0.1", "30500")]   # market
    load(store, write_export(tmp_path / "orders.csv", ORDERS, orders))
    load(store, write_export(tmp_path / "trades.csv", TRADES, fills))
    findings = run_checks(store, NOW).findings
    assert [(f.rows, f.variant, f.flow) for f in findings] == [
        ((RowRef("trades", 11), RowRef("orders", 1)), "buy", "trade-dispute"),
        ((RowRef("trades", 12), RowRef("orders", 2)), "sell", "trade-dispute"),
    ]
    assert (findings[0].params["price"], findings[0].params["limit"]) == ("30010", "30000")


def test_findings_past_the_limit_are_counted_not_listed(store: RecordStore, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from supportcli.core.records import checks

    monkeypatch.setattr(checks, "MAX_PER_KIND", 2)
    rows = [_movement(i, NOW - dt.timedelta(hours=1), "UNCONFIRMED", "1") for i in range(1, 6)]
    load(store, write_export(tmp_path / "movements.csv", MOVEMENTS, rows))
    report = run_checks(store, NOW)
    assert len(report.findings) == 2 and report.more == {"pending_movement": 3}
