"""What flows ask of the records: one trade by its id, the movements that fit what the user knows,
and a small CSV holding only the rows a ticket is about.

    from supportcli.core.records.lookup import find_trade, find_order, find_movements, write_rows_csv
    from supportcli.core.records.store import RecordStore

    store = RecordStore.existing(paths.records_db)      # None: nothing was ever imported
    trade = find_trade(store, 1500000001)               # FoundTrade | None
    trade.pair, trade.time, trade.amount, trade.price, trade.fee, trade.order_id, trade.limit_price
    order = find_order(store, 120000001)                # Located (row: OrderRow) | None
    moves = find_movements(store, tx_hash="4a5e1e…")    # list[FoundMovement], newest first
    write_rows_csv(folder / "trades-1500000001.csv", [trade.located])

All times are aware UTC datetimes; amounts are Decimals with their sign.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from supportcli.core.records.dates import utc_text
from supportcli.core.records.rows import LedgerRow, LoginRow, MovementRow, OrderRow, Row, TradeRow
from supportcli.core.records.store import Located, RecordStore

AROUND = dt.timedelta(days=1)  # how far from `around` a movement may have started


class FoundTrade(NamedTuple):
    """A trade from the Trades export, with its order when the Orders export holds it."""

    located: Located
    order: OrderRow | None
    order_at: Located | None = None  # the order's row with where it came from

    @property
    def row(self) -> TradeRow:
        assert isinstance(self.located.row, TradeRow)
        return self.located.row

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def pair(self) -> str:
        """`BTC/USD`."""
        return self.row.pair

    @property
    def time(self) -> dt.datetime:
        return self.row.time

    @property
    def amount(self) -> Decimal:
        """+ bought, − sold."""
        return self.row.amount

    @property
    def side(self) -> str:
        return "buy" if self.row.amount > 0 else "sell"

    @property
    def price(self) -> Decimal:
        return self.row.price

    @property
    def fee(self) -> Decimal:
        return self.row.fee

    @property
    def fee_currency(self) -> str:
        return self.row.fee_currency

    @property
    def order_id(self) -> int:
        return self.row.order_id

    @property
    def order_type(self) -> str | None:
        return self.order.type if self.order is not None else None

    @property
    def limit_price(self) -> Decimal | None:
        """The order's limit price, for a limit order whose row is in the Orders export."""
        return self.order.limit_price if self.order is not None else None

    @property
    def cite(self) -> tuple[str, int]:
        """(source file, line) the trade was read from."""
        return self.located.source, self.located.line


class FoundMovement(NamedTuple):
    """A deposit or withdrawal from the Movements export."""

    located: Located
    matched: str  # what it was found by: id, tx_hash, amount

    @property
    def row(self) -> MovementRow:
        assert isinstance(self.located.row, MovementRow)
        return self.located.row

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def kind(self) -> str:
        return "withdrawal" if self.row.amount < 0 else "deposit"

    @property
    def status(self) -> str:
        return self.row.status

    @property
    def amount(self) -> Decimal:
        return self.row.amount

    @property
    def currency(self) -> str:
        return self.row.currency

    @property
    def address(self) -> str:
        return self.row.address

    @property
    def tx_hash(self) -> str:
        return self.row.tx_id

    @property
    def started(self) -> dt.datetime:
        return self.row.time

    @property
    def updated(self) -> dt.datetime:
        return self.row.updated_time


def find_trade(store: RecordStore, trade_id: int) -> FoundTrade | None:
    """The trade with this `#`, or None when no imported Trades export holds it."""
    located = next(store.select("trades", "t.id = ?", (trade_id,)), None)
    if located is None:
        return None
    assert isinstance(located.row, TradeRow)
    order_row = next(store.select("orders", "t.id = ?", (located.row.order_id,)), None)
    order = order_row.row if order_row is not None and isinstance(order_row.row, OrderRow) else None
    return FoundTrade(located, order, order_row if order is not None else None)


def find_order(store: RecordStore, order_id: int) -> Located | None:
    """The order with this `#` (its row is an OrderRow), or None when no imported Orders export holds it."""
    return next(store.select("orders", "t.id = ?", (order_id,)), None)


def find_movements(store: RecordStore, *, id: int | None = None, tx_hash: str | None = None,
                   amount: Decimal | None = None, around: dt.datetime | None = None,
                   window: dt.timedelta = AROUND) -> list[FoundMovement]:
    """Movements matching every criterion given, newest first.

    `id` and `tx_hash` (case-insensitive) are exact; `amount` matches either sign (a withdrawal of
    0.5 is written -0.5); `around` keeps movements started within `window` of that moment.
    """
    where: list[str] = []
    params: list[object] = []
    matched = "around"
    if around is not None and around.tzinfo is None:
        raise ValueError("around must be an aware datetime")
    if id is not None:
        where.append("t.id = ?")
        params.append(id)
        matched = "id"
    if tx_hash is not None:
        where.append("t.tx_id = ? COLLATE NOCASE")
        params.append(tx_hash.strip())
        matched = "tx_hash" if id is None else matched
    if amount is not None:
        where.append("t.amount_abs = ?")
        params.append(float(abs(amount)))
        matched = "amount" if id is None and tx_hash is None else matched
    if around is not None:
        centre = int(around.timestamp() * 1000)
        span = int(window.total_seconds() * 1000)
        where.append("COALESCE(t.started, t.updated) BETWEEN ? AND ?")
        params.extend((centre - span, centre + span))
    if not where:
        return []
    found = []
    for located in store.select("movements", " AND ".join(where), tuple(params), "t.updated DESC, t.id DESC", 200):
        row = located.row
        assert isinstance(row, MovementRow)
        if amount is not None and abs(row.amount) != abs(amount):
            continue
        found.append(FoundMovement(located, matched))
    return found


def _dec(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def short_source(source: str) -> str:
    """A source file as a person reads it: its name (a zip member's own name), the folders left out."""
    return Path(source.rsplit(":", 1)[-1] if ".zip:" in source else source).name


def cells(row: Row) -> list[str]:
    """The row in the Reports tool's own columns (HEADERS of its kind), times written in UTC."""
    return _cells(row)


def _cells(row: Row) -> list[str]:
    if isinstance(row, TradeRow):
        return [str(row.id), row.pair, str(row.amount), str(row.price), str(row.fee), row.fee_perc, row.fee_currency,
                utc_text(row.millis), str(row.order_id)]
    if isinstance(row, LedgerRow):
        return [str(row.id), row.description, row.currency, str(row.amount), str(row.balance), utc_text(row.millis),
                row.wallet]
    if isinstance(row, MovementRow):
        return [str(row.id), utc_text(row.started) if row.started is not None else "", utc_text(row.updated),
                row.currency, row.status, str(row.amount), str(row.fees), row.address, row.tx_id, row.note]
    if isinstance(row, OrderRow):
        return [str(row.id), row.pair, row.type, str(row.amount), str(row.executed), _dec(row.price),
                _dec(row.price_avg), utc_text(row.created), utc_text(row.updated), row.status]
    assert isinstance(row, LoginRow)
    return [str(row.id), row.ip, utc_text(row.millis)]


# The Reports tool's columns, in its order, for the cells `cells` writes.
HEADERS = {
    "trades": ["#", "PAIR", "AMOUNT", "PRICE", "FEE", "FEE PERC", "FEE CURRENCY", "DATE", "ORDER ID"],
    "ledgers": ["#", "DESCRIPTION", "CURRENCY", "AMOUNT", "BALANCE", "DATE", "WALLET"],
    "movements": ["#", "STARTED", "UPDATED", "CURRENCY", "STATUS", "AMOUNT", "FEES", "DESCRIPTION", "TRANSACTION ID",
                  "NOTE"],
    "orders": ["#", "PAIR", "TYPE", "AMOUNT", "EXECUTED AMOUNT", "PRICE", "AVERAGE EXECUTION PRICE", "CREATED",
               "UPDATED", "STATUS"],
    "logins": ["#", "IP", "DATE"],
}


def rows_csv(rows: Iterable[Located]) -> str:
    """The rows as CSV in the Reports tool's own columns (one kind only), times written in UTC."""
    items = list(rows)
    kinds = {item.kind for item in items}
    if len(kinds) != 1:
        raise ValueError("rows of exactly one kind are needed")
    return csv_text(items[0].kind, [_cells(item.row) for item in items])


def csv_text(kind: str, rows: Iterable[Sequence[str]]) -> str:
    """Rows of one kind (their `cells`) as a CSV the Reports tool could have written: its header first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS[kind])
    writer.writerows(rows)
    return out.getvalue()


def write_rows_csv(path: Path, rows: Iterable[Located]) -> Path:
    """Write only these rows to `path` (0600, atomically): what a ticket attaches, never the history.

    The file re-imports with `records import` (its times carry `UTC`).
    """
    from supportcli.core.storage import atomic_write

    return atomic_write(path, rows_csv(rows))
