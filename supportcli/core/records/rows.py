"""Typed rows of each kind of export, and parsing one CSV record into one.

Rows are NamedTuples: immutable, cheap to make a million times, cheap to define (this module is
imported by every `records find`).

Amounts are `Decimal`s with the sign the export gives them (trades and orders: + buy, − sell;
movements: + deposit, − withdrawal; fees as written, usually negative). Times are UTC
milliseconds (`.time` gives the aware datetime). A cell that does not fit its column raises
`CellError` naming the column; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, NamedTuple

from supportcli.core.records.dates import DateError, to_datetime
from supportcli.core.text import clean

if TYPE_CHECKING:
    from supportcli.core.records.dates import DateReader
    from supportcli.core.records.kinds import Layout

MAX_TEXT = 2000  # characters kept of a free-text cell (a note, a description, metadata)
MAX_EXPONENT = 30  # |amount| between 1e-30 and 1e30: anything else is not an amount


class CellError(ValueError):
    """One cell that does not parse: the column's title and a message key for the reason."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"{column}: {reason}")
        self.column = column
        self.reason = reason


class TradeRow(NamedTuple):
    id: int
    pair: str  # BTC/USD
    amount: Decimal  # + buy, − sell
    price: Decimal
    fee: Decimal
    fee_currency: str
    fee_perc: str
    millis: int
    order_id: int

    @property
    def time(self) -> dt.datetime:
        return to_datetime(self.millis)


class LedgerRow(NamedTuple):
    id: int
    description: str
    currency: str
    amount: Decimal
    balance: Decimal
    millis: int
    wallet: str

    @property
    def time(self) -> dt.datetime:
        return to_datetime(self.millis)


class MovementRow(NamedTuple):
    id: int
    started: int | None  # UTC millis; None in the older exports, which have one DATE (the update)
    updated: int
    currency: str
    status: str
    amount: Decimal  # + deposit, − withdrawal
    fees: Decimal
    address: str
    tx_id: str
    note: str

    @property
    def time(self) -> dt.datetime:
        """When it was started (the update time for the older exports)."""
        return to_datetime(self.started if self.started is not None else self.updated)

    @property
    def updated_time(self) -> dt.datetime:
        return to_datetime(self.updated)

    @property
    def is_withdrawal(self) -> bool:
        return self.amount < 0


# Order types whose PRICE is the limit price; for stop and trailing orders it is the trigger.
LIMIT_TYPES = frozenset({"LIMIT", "EXCHANGE LIMIT", "FOK", "EXCHANGE FOK", "IOC", "EXCHANGE IOC"})


class OrderRow(NamedTuple):
    id: int
    pair: str
    type: str
    amount: Decimal
    executed: Decimal
    price: Decimal | None
    price_avg: Decimal | None
    created: int
    updated: int
    status: str

    @property
    def time(self) -> dt.datetime:
        return to_datetime(self.created)

    @property
    def limit_price(self) -> Decimal | None:
        """The limit a fill may not be worse than: PRICE of a limit order (not 0), else None."""
        return self.price if self.price and self.type.strip().upper() in LIMIT_TYPES else None


class LoginRow(NamedTuple):
    id: int
    ip: str
    millis: int

    @property
    def time(self) -> dt.datetime:
        return to_datetime(self.millis)


Row = TradeRow | LedgerRow | MovementRow | OrderRow | LoginRow

# --------------------------------------------------------------------------- cells

_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_PAIR = re.compile(r"[A-Z0-9]{2,12}/[A-Z0-9]{2,12}")
_CURRENCY = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._-]{0,19}")
_WALLET_IN_TEXT = re.compile(r"wallet[ _]([A-Za-z]+)\s*$", re.IGNORECASE)


def parse_id(cell: str, column: str) -> int:
    value = cell.strip()
    if not value or not value.isascii() or not value.isdigit() or len(value) > 20:
        raise CellError(column, "records.row.bad_id" if value else "records.row.missing")
    return int(value)


def parse_decimal(cell: str, column: str) -> Decimal:
    value = cell.strip()
    if not value:
        raise CellError(column, "records.row.missing")
    try:
        number = Decimal(value)
    except InvalidOperation:
        if not _GROUPED.fullmatch(value):  # 1,234.5 from a spreadsheet
            raise CellError(column, "records.row.bad_number") from None
        number = Decimal(value.replace(",", ""))
    if not number.is_finite() or "_" in value or (number and abs(number.adjusted()) > MAX_EXPONENT):
        raise CellError(column, "records.row.bad_number")
    return number


def parse_optional_decimal(cell: str, column: str) -> Decimal | None:
    value = cell.strip()
    if not value or value in ("-", "null", "NULL"):
        return None
    return parse_decimal(value, column)


def parse_text(cell: str, column: str, limit: int = MAX_TEXT) -> str:
    value = cell.strip() if cell.isprintable() else clean(cell, multiline=False).strip()
    if len(value) > limit:
        raise CellError(column, "records.row.too_long")
    return value


def parse_pair(cell: str, column: str) -> str:
    """`BTC/USD` as written, or the API's `tBTCUSD`, `tBTCF0:USTF0`, `BTC:USD`: always `BTC/USD`."""
    value = cell.strip()
    if len(value) > 1 and value[0] == "t" and value[1:].isupper():
        value = value[1:]
    value = value.upper().replace(":", "/")
    if "/" not in value and len(value) == 6 and value.isalpha():
        value = f"{value[:3]}/{value[3:]}"
    if not _PAIR.fullmatch(value):
        raise CellError(column, "records.row.bad_pair" if value else "records.row.missing")
    return value


def parse_currency(cell: str, column: str) -> str:
    value = cell.strip()
    if not _CURRENCY.fullmatch(value):
        raise CellError(column, "records.row.bad_currency" if value else "records.row.missing")
    return value


def parse_ip(cell: str, column: str) -> str:
    import ipaddress

    value = cell.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise CellError(column, "records.row.bad_ip" if value else "records.row.missing") from None


def wallet_of(description: str) -> str:
    """The wallet named at the end of a ledger description (`… on wallet exchange`), or ''."""
    m = _WALLET_IN_TEXT.search(description)
    return m.group(1).lower() if m else ""


# --------------------------------------------------------------------------- records

RowParser = Callable[[list[str]], Row]


def row_parser(layout: Layout, dates: DateReader) -> RowParser:
    """A function from one record's cells to the typed row of `layout`'s kind.

    Column positions are looked up once here, not per row (this runs a million times a file).
    """
    titles = {field: title for field, title in (*layout.spec.required, *layout.spec.optional)}
    col = layout.index
    read = dates.read

    def date(cells: list[str], index: int, field: str) -> int:
        try:
            return read(cells[index])
        except DateError as exc:
            raise CellError(titles[field], exc.reason) from None

    def optional(cells: list[str], index: int) -> str:
        return cells[index] if index >= 0 else ""

    i_id = col("id")
    if layout.kind == "trades":
        i_pair, i_amount, i_price, i_fee = col("pair"), col("amount"), col("price"), col("fee")
        i_fee_currency, i_fee_perc, i_date, i_order = col("fee_currency"), col("fee_perc"), col("date"), col("order_id")

        def trade(c: list[str]) -> Row:
            return TradeRow(
                parse_id(c[i_id], "#"), parse_pair(c[i_pair], "PAIR"),
                parse_decimal(c[i_amount], "AMOUNT"), parse_decimal(c[i_price], "PRICE"),
                parse_decimal(c[i_fee], "FEE"), parse_currency(c[i_fee_currency], "FEE CURRENCY"),
                parse_text(optional(c, i_fee_perc), "FEE PERC", 20), date(c, i_date, "date"),
                parse_id(c[i_order], "ORDER ID"),
            )
        return trade
    if layout.kind == "ledgers":
        i_description, i_currency, i_amount, i_balance = col("description"), col("currency"), col("amount"), col(
            "balance")
        i_date, i_wallet = col("date"), col("wallet")

        def ledger(c: list[str]) -> Row:
            description = parse_text(c[i_description], "DESCRIPTION")
            wallet = parse_text(c[i_wallet], "WALLET", 40).lower() or wallet_of(description)
            return LedgerRow(
                parse_id(c[i_id], "#"), description, parse_currency(c[i_currency], "CURRENCY"),
                parse_decimal(c[i_amount], "AMOUNT"), parse_decimal(c[i_balance], "BALANCE"),
                date(c, i_date, "date"), wallet,
            )
        return ledger
    if layout.kind == "movements":
        i_started, i_updated, i_currency, i_status = col("started"), col("updated"), col("currency"), col("status")
        i_amount, i_fees, i_address, i_tx, i_note = col("amount"), col("fees"), col("address"), col("tx_id"), col(
            "note")

        def movement(c: list[str]) -> Row:
            return MovementRow(
                parse_id(c[i_id], "#"), date(c, i_started, "started") if i_started >= 0 and c[i_started] else None,
                date(c, i_updated, "updated"), parse_currency(c[i_currency], "CURRENCY"),
                parse_text(c[i_status], "STATUS", 200).upper(), parse_decimal(c[i_amount], "AMOUNT"),
                parse_decimal(c[i_fees] or "0", "FEES"), parse_text(c[i_address], "DESCRIPTION", 300),
                parse_text(c[i_tx], "TRANSACTION ID", 300), parse_text(optional(c, i_note), "NOTE"),
            )
        return movement
    if layout.kind == "orders":
        i_pair, i_type, i_amount, i_executed = col("pair"), col("type"), col("amount"), col("executed")
        i_price, i_avg, i_created, i_updated, i_status = col("price"), col("price_avg"), col("created"), col(
            "updated"), col("status")

        def order(c: list[str]) -> Row:
            return OrderRow(
                parse_id(c[i_id], "#"), parse_pair(c[i_pair], "PAIR"),
                parse_text(c[i_type], "TYPE", 60).upper(), parse_decimal(c[i_amount], "AMOUNT"),
                parse_optional_decimal(c[i_executed], "EXECUTED AMOUNT") or Decimal(0),
                parse_optional_decimal(c[i_price], "PRICE"),
                parse_optional_decimal(optional(c, i_avg), "AVERAGE EXECUTION PRICE"),
                date(c, i_created, "created"), date(c, i_updated, "updated"),
                parse_text(c[i_status], "STATUS", 300),
            )
        return order
    i_ip, i_date = col("ip"), col("date")

    def login(c: list[str]) -> Row:
        return LoginRow(parse_id(c[i_id], "#"), parse_ip(c[i_ip], "IP"), date(c, i_date, "date"))
    return login


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def row_fields(row: Row) -> dict[str, str | int | None]:
    """The row's fields as JSON values: amounts as exact decimal strings, times as ISO 8601 UTC."""
    from supportcli.core.records.dates import utc_iso

    if isinstance(row, TradeRow):
        return {"pair": row.pair, "side": "buy" if row.amount > 0 else "sell", "amount": str(row.amount),
                "price": str(row.price), "fee": str(row.fee), "fee_currency": row.fee_currency,
                "fee_perc": row.fee_perc or None, "time": utc_iso(row.millis), "order_id": row.order_id}
    if isinstance(row, LedgerRow):
        return {"description": row.description, "currency": row.currency, "amount": str(row.amount),
                "balance": str(row.balance), "wallet": row.wallet, "time": utc_iso(row.millis)}
    if isinstance(row, MovementRow):
        return {"type": "withdrawal" if row.amount < 0 else "deposit", "currency": row.currency,
                "status": row.status, "amount": str(row.amount), "fees": str(row.fees),
                "address": row.address or None, "tx_id": row.tx_id or None, "note": row.note or None,
                "started": utc_iso(row.started) if row.started is not None else None,
                "updated": utc_iso(row.updated), "time": utc_iso(row_millis(row))}
    if isinstance(row, OrderRow):
        return {"pair": row.pair, "type": row.type, "amount": str(row.amount), "executed": str(row.executed),
                "price": _number(row.price), "price_avg": _number(row.price_avg), "status": row.status,
                "created": utc_iso(row.created), "updated": utc_iso(row.updated), "time": utc_iso(row.created)}
    return {"ip": row.ip, "time": utc_iso(row.millis)}


def row_millis(row: Row) -> int:
    """The moment a row is shown at: the trade, entry or login; a movement's start; an order's creation."""
    if isinstance(row, MovementRow):
        return row.started if row.started is not None else row.updated
    if isinstance(row, OrderRow):
        return row.created
    return row.millis
