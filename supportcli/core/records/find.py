"""`records find QUERY`: rows by id, transaction hash, address, IP address or amount.

What a query is looked up as follows from its shape:

- a whole number (`1500000001`, `#1500000001`): a trade, order, ledger entry, movement or login
  with that `#`, trades of that order, and amounts equal to it;
- a decimal, optionally with its currency (`0.5`, `-0.5 BTC`, `1,523.40 USDt`): trades, ledger
  entries and movements of that amount, either sign;
- an IP address: logins from it;
- anything else of 6 characters or more (`0x3811…`, `bc1q…`): movements with that transaction id
  or address, exactly (case-insensitively).

Each lookup uses an index, so a search stays fast with millions of rows.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from supportcli.core.errors import InputError
from supportcli.core.i18n import t
from supportcli.core.records.rows import LedgerRow, MovementRow, TradeRow
from supportcli.core.records.store import Located, RecordStore

LIMIT = 50
_AMOUNT = re.compile(r"([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)\s*([A-Za-z][A-Za-z0-9]{1,11})?")
_TOKEN = re.compile(r"[A-Za-z0-9:._\-]{6,300}")


class Query(NamedTuple):
    text: str
    number: int | None = None
    amount: Decimal | None = None
    currency: str | None = None
    ip: str | None = None
    token: str | None = None


class Match(NamedTuple):
    located: Located
    matched: str  # which field matched: id, order_id, amount, tx_id, address, ip


class FindResult(NamedTuple):
    query: Query
    matches: list[Match]
    more: int  # matches past the limit, not listed


def parse_query(text: str) -> Query:
    """What `text` is to be looked up as; InputError("QUERY") when it cannot be any of them."""
    value = unicodedata.normalize("NFKC", text).strip().removeprefix("#").strip()
    if not value:
        raise InputError("QUERY", t("records.find.empty"))
    if value.isascii() and value.isdigit():
        return Query(value, number=int(value), amount=Decimal(value))
    m = _AMOUNT.fullmatch(value)
    if m is not None:
        try:
            amount = Decimal(m.group(1).replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
            amount = None
        if amount is not None:
            return Query(value, amount=amount, currency=m.group(2).upper() if m.group(2) else None)
    if ("." in value or ":" in value) and len(value) <= 45:
        import ipaddress

        try:
            return Query(value, ip=str(ipaddress.ip_address(value)))
        except ValueError:
            pass
    if _TOKEN.fullmatch(value):
        return Query(value, token=value)
    raise InputError("QUERY", t("records.find.unknown_shape"))


def _currency_ok(located: Located, currency: str | None) -> bool:
    if currency is None:
        return True
    row = located.row
    if isinstance(row, TradeRow):
        return currency in row.pair.split("/")
    if isinstance(row, LedgerRow | MovementRow):
        return row.currency.upper() == currency or row.currency.upper().startswith(currency)
    return False


def find(store: RecordStore, query: Query, limit: int = LIMIT) -> FindResult:
    """Every row `query` points at (at most `limit`, id matches first, then newest first)."""
    found: list[Match] = []
    seen: set[tuple[str, int]] = set()

    def add(located: Located, matched: str) -> None:
        key = (located.kind, located.row.id)
        if key not in seen:
            seen.add(key)
            found.append(Match(located, matched))

    cap = limit + 1 + 1000  # enough to count what is left over, bounded
    if query.number is not None:
        for kind in ("trades", "orders", "ledgers", "movements", "logins"):
            for located in store.select(kind, "t.id = ?", (query.number,)):
                add(located, "id")
        for located in store.select("trades", "t.order_id = ?", (query.number,), "t.ms DESC", cap):
            add(located, "order_id")
    if query.amount is not None:
        wanted = abs(query.amount)
        for kind, time in (("trades", "t.ms"), ("ledgers", "t.ms"), ("movements", "t.updated")):
            for located in store.select(kind, "t.amount_abs = ?", (float(wanted),), f"{time} DESC", cap):
                row = located.row
                assert isinstance(row, TradeRow | LedgerRow | MovementRow)
                if abs(row.amount) == wanted and _currency_ok(located, query.currency):
                    add(located, "amount")
    if query.ip is not None:
        for located in store.select("logins", "t.ip = ?", (query.ip,), "t.ms DESC", cap):
            add(located, "ip")
    if query.token is not None:
        for column in ("tx_id", "address"):
            for located in store.select("movements", f"t.{column} = ? COLLATE NOCASE", (query.token,),
                                        "t.updated DESC", cap):
                add(located, column)
    return FindResult(query, found[:limit], max(0, len(found) - limit))
