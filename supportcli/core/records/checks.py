"""`records check`: the offline checks a support agent would make on the imported records.

- `balance_gap`: within one currency and wallet, in time order (then by `#`), a ledger balance
  that is not the previous balance plus the amount: an entry is missing or unexplained. The
  Reports tool prints numbers as JavaScript does, so differences below `TOLERANCE` are noise.
- `pending_movement`: a withdrawal still not final `PENDING_AFTER` (12 hours, the official
  figure) after it was started, or a deposit not completed.
- `new_login_ip`: a login from an address not seen in any earlier login, followed within
  `LOGIN_WINDOW` by trades or withdrawals (the first login of the records has nothing to
  compare with and is never reported).
- `fill_outside_order`: a trade whose price is worse than the limit price of its order (a buy
  above it, a sell below it). Only plain limit orders (`LIMIT`, `FOK`, `IOC`, with or without
  `EXCHANGE`) carry their limit in PRICE; for stop and trailing orders PRICE is the trigger.

Each finding names the rows involved and the flow to run next. At most `MAX_PER_KIND` findings of
one kind are listed; the rest are counted.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from supportcli.core.records.dates import utc_text
from supportcli.core.records.rows import LIMIT_TYPES
from supportcli.core.records.store import RecordStore

KINDS = ("balance_gap", "pending_movement", "new_login_ip", "fill_outside_order")
TOLERANCE = Decimal("0.00000001")
PENDING_AFTER = dt.timedelta(hours=12)
LOGIN_WINDOW = dt.timedelta(hours=24)
MAX_PER_KIND = 200
FINAL_STATUSES = frozenset({"COMPLETED", "SUCCESS", "CANCELED", "CANCELLED", "FAILURE", "FAILED", "ERROR"})
DONE_STATUSES = frozenset({"COMPLETED", "SUCCESS"})


@dataclass(frozen=True)
class RowRef:
    kind: str  # trades, ledgers, movements, orders, logins
    id: int


@dataclass(frozen=True)
class CheckFinding:
    kind: str
    rows: tuple[RowRef, ...]
    params: dict[str, str]  # for the explanation's placeholders
    flow: str  # what to run next: `supportcli troubleshoot <flow>`
    variant: str = ""  # which explanation: "withdrawal"/"deposit", "trades"/"withdrawals"


@dataclass
class CheckReport:
    findings: list[CheckFinding] = field(default_factory=list)
    more: dict[str, int] = field(default_factory=dict)  # findings past MAX_PER_KIND, per kind
    checked: dict[str, int] = field(default_factory=dict)  # rows looked at, per kind of record

    listed: dict[str, int] = field(default_factory=dict)

    def add(self, finding: CheckFinding) -> None:
        if self.listed.get(finding.kind, 0) >= MAX_PER_KIND:
            self.more[finding.kind] = self.more.get(finding.kind, 0) + 1
            return
        self.listed[finding.kind] = self.listed.get(finding.kind, 0) + 1
        self.findings.append(finding)


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def _age(hours: int) -> str:
    from supportcli.core.i18n import t

    if hours >= 48:
        return t("records.check.age_days", count=hours // 24)
    return t("records.check.age_hours", count=hours)


def balance_gaps(store: RecordStore) -> Iterator[CheckFinding]:
    """All entries in time order (the `ms` index: no sort, bounded memory), each compared with the
    previous entry of its own currency and wallet."""
    previous: dict[tuple[str, str], tuple[int, Decimal]] = {}  # (currency, wallet) -> (id, balance)
    context = decimal.Context(prec=60)
    for row_id, currency, wallet, amount, balance, ms in store.cursor(
        "SELECT id, currency, wallet, amount, balance, ms FROM ledger ORDER BY ms, id"
    ):
        balance_value = Decimal(balance)
        before = previous.get((currency, wallet))
        if before is not None:
            expected = context.add(before[1], Decimal(amount))
            gap = context.subtract(balance_value, expected)
            if abs(gap) > TOLERANCE:
                yield CheckFinding("balance_gap", (RowRef("ledgers", before[0]), RowRef("ledgers", row_id)), {
                    "currency": currency, "wallet": wallet, "before": str(before[0]), "after": str(row_id),
                    "expected": _text(expected), "balance": _text(balance_value), "gap": _text(gap),
                    "time": utc_text(ms),
                }, "abnormal-trade")
        previous[(currency, wallet)] = (row_id, balance_value)


def pending_movements(store: RecordStore, now: dt.datetime) -> Iterator[CheckFinding]:
    now_ms = int(now.timestamp() * 1000)
    limit_ms = int(PENDING_AFTER.total_seconds() * 1000)
    for row_id, started, updated, currency, status, amount in store.cursor(
        "SELECT id, started, updated, currency, status, amount FROM movement ORDER BY id"
    ):
        value = Decimal(amount)
        status_word = str(status).strip().upper()
        since = started if started is not None else updated
        hours = max(0, (now_ms - since) // 3_600_000)
        params = {"id": str(row_id), "amount": _text(abs(value)), "currency": currency, "status": status_word or "-",
                  "time": utc_text(since), "hours": str(hours), "age": _age(hours)}
        if value < 0 and status_word not in FINAL_STATUSES and now_ms - since > limit_ms:
            yield CheckFinding("pending_movement", (RowRef("movements", row_id),), params, "withdrawal-delayed",
                               "withdrawal")
        elif value > 0 and status_word not in DONE_STATUSES:
            yield CheckFinding("pending_movement", (RowRef("movements", row_id),), params, "deposit-missing",
                               "deposit")


def new_login_ips(store: RecordStore) -> Iterator[CheckFinding]:
    seen: set[str] = set()
    window = int(LOGIN_WINDOW.total_seconds() * 1000)
    for login_id, ip, ms in store.cursor("SELECT id, ip, ms FROM login ORDER BY ms, id"):
        if seen and ip not in seen:
            trades = [r[0] for r in store.rows(
                "SELECT id FROM trade WHERE ms >= ? AND ms <= ? ORDER BY ms, id LIMIT 5", (ms, ms + window))]
            withdrawals = [r[0] for r in store.rows(
                "SELECT id FROM movement WHERE amount LIKE '-%' AND COALESCE(started, updated) BETWEEN ? AND ? "
                "ORDER BY COALESCE(started, updated), id LIMIT 5", (ms, ms + window))]
            if trades or withdrawals:
                refs = (RowRef("logins", login_id), *(RowRef("trades", i) for i in trades),
                        *(RowRef("movements", i) for i in withdrawals))
                yield CheckFinding("new_login_ip", refs, {
                    "id": str(login_id), "ip": ip, "time": utc_text(ms), "trades": str(len(trades)),
                    "withdrawals": str(len(withdrawals)),
                }, "abnormal-trade" if trades else "general", "trades" if trades else "withdrawals")
        seen.add(ip)


def fills_outside_orders(store: RecordStore) -> Iterator[CheckFinding]:
    for trade_id, amount, price, pair, order_id, order_type, limit in store.cursor(
        "SELECT t.id, t.amount, t.price, t.pair, o.id, o.type, o.price FROM trade t JOIN orders o ON o.id = t.order_id "
        "WHERE o.price IS NOT NULL ORDER BY t.ms, t.id"
    ):
        if str(order_type).strip().upper() not in LIMIT_TYPES:
            continue
        fill, limit_price, size = Decimal(price), Decimal(limit), Decimal(amount)
        if not limit_price:  # a limit of 0 is no limit
            continue
        buy = size > 0
        if (buy and fill > limit_price) or (not buy and fill < limit_price):
            yield CheckFinding("fill_outside_order", (RowRef("trades", trade_id), RowRef("orders", order_id)), {
                "id": str(trade_id), "order": str(order_id), "pair": pair, "price": _text(fill),
                "limit": _text(limit_price), "side": "buy" if buy else "sell",
            }, "trade-dispute", "buy" if buy else "sell")


def run_checks(store: RecordStore, now: dt.datetime) -> CheckReport:
    """Every check over everything imported; `now` decides what is still pending."""
    report = CheckReport()
    for kind in ("ledgers", "movements", "logins", "trades", "orders"):
        report.checked[kind] = store.count(kind)
    for found in (balance_gaps(store), pending_movements(store, now), new_login_ips(store),
                  fills_outside_orders(store)):
        for finding in found:
            report.add(finding)
    return report
